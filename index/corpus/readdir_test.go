package corpus

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeFiles creates files under dir: name -> content.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// problemKind names the sentinel a problem wraps, for readable diffs.
func problemKind(err error) string {
	for _, k := range []struct {
		err  error
		name string
	}{
		{ErrEmpty, "empty"}, {ErrBinary, "binary"}, {ErrEncoding, "encoding"}, {ErrTooLarge, "too large"},
		{ErrNoParagraphs, "no paragraphs"}, {ErrMetadata, "metadata"}, {ErrNotRegular, "not regular"},
		{ErrSymlinkDir, "symlink dir"}, {ErrDuplicateID, "duplicate id"}, {ErrOrphanMeta, "orphan meta"},
		{ErrUnsupported, "unsupported"},
		{fs.ErrPermission, "permission"}, {fs.ErrNotExist, "not exist"},
	} {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	if strings.Contains(err.Error(), "too many levels of symbolic links") {
		return "link loop"
	}
	return "other: " + err.Error()
}

func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("成员国认为，合作十分重要。\n\n", 1000)
	writeFiles(t, dir, map[string]string{
		"2019-bishkek-declaration.zh.txt":      string(readDeclaration(t)),
		"2019-bishkek-declaration.zh.txt.meta": "place: 比什凯克\ntitle: 比什凯克宣言\n",
		"b/second.md":                          "# 第二\n\n正文。\n",
		"b/a/first.txt":                        "甲。\n",
		"b/notes.xlsx":                         "PK\x03\x04 not a corpus file",
		"b/orphan.txt.meta":                    "title: x\n",
		".hidden/secret.txt":                   "秘密。\n",
		".hidden.txt":                          "秘密。\n",
		"bad/empty.txt":                        "",
		"bad/binary.txt":                       "\x7fELF\x02\x01\x01\x00\x00\x00",
		"bad/latin1.txt":                       "caf\xe9 na\xefve",
		"bad/big.md":                           big,
		"bad/blank.txt":                        " \n\n\u3000\n",
		"bad/index/_index.md":                  "---\nbookCollapseSection: true\n---\n",
		"bad/meta.txt":                         "正文。",
		"bad/meta.txt.meta":                    "date: yesterday\n",
		"dup/same.zh.txt":                      "中文。",
		"dup/same.ru.txt":                      "Русский.",
		"dup/same.txt":                         "另一个中文。",
	})
	// A symbolic link to a directory (here a loop back to the root), a link
	// to itself, a dangling link, and a link to a good file.
	for name, target := range map[string]string{
		"links/loop":        "..",
		"links/self.txt":    "self.txt",
		"links/dangling.md": "nowhere.md",
		"links/alias.txt":   "../b/a/first.txt",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("symbolic links unsupported here: %v", err)
		}
	}

	var scanned, scannedBytes int64
	var seen []string
	docs, problems, err := ReadDir(dir, Options{
		MaxFileSize: int64(len(big)) - 1,
		OnScan:      func(files int, bytes int64) { scanned, scannedBytes = int64(files), bytes },
		OnFile:      func(path string, size int64) { seen = append(seen, path) },
	})
	if err != nil {
		t.Fatalf("ReadDir: %v", err)
	}

	var gotDocs []string
	for _, d := range docs {
		gotDocs = append(gotDocs, d.Source+" -> "+d.ID)
	}
	wantDocs := []string{
		"2019-bishkek-declaration.zh.txt -> 2019-bishkek-declaration",
		"b/a/first.txt -> b/a/first",
		"b/second.md -> b/second",
		"dup/same.ru.txt -> dup/same.ru",
		"dup/same.txt -> dup/same",
		"links/alias.txt -> links/alias",
	}
	if diff := cmp.Diff(wantDocs, gotDocs); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}

	type problem struct{ Path, Kind string }
	var gotProblems []problem
	for _, p := range problems {
		gotProblems = append(gotProblems, problem{p.Path, problemKind(p.Err)})
		if !strings.HasPrefix(p.Error(), p.Path+": ") {
			t.Errorf("Problem.Error() = %q, want it to start with the path", p.Error())
		}
		if strings.Contains(p.Error(), dir) {
			t.Errorf("Problem.Error() = %q shows the absolute path", p.Error())
		}
	}
	wantProblems := []problem{
		{"b/notes.xlsx", "unsupported"},
		{"b/orphan.txt.meta", "orphan meta"},
		{"bad/big.md", "too large"},
		{"bad/binary.txt", "binary"},
		{"bad/blank.txt", "no paragraphs"},
		{"bad/empty.txt", "empty"},
		{"bad/index/_index.md", "no paragraphs"},
		{"bad/latin1.txt", "encoding"},
		{"bad/meta.txt", "metadata"},
		{"dup/same.zh.txt", "duplicate id"},
		{"links/dangling.md", "not exist"},
		{"links/loop", "symlink dir"},
		{"links/self.txt", "link loop"},
	}
	if diff := cmp.Diff(wantProblems, gotProblems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	for _, p := range problems {
		t.Logf("problem: %v", p)
	}

	if scanned != int64(len(seen)) || scanned != 14 {
		t.Errorf("OnScan reported %d files, OnFile saw %d (%v), want 14", scanned, len(seen), seen)
	}
	if scannedBytes < int64(len(big)) {
		t.Errorf("OnScan reported %d bytes, want at least %d", scannedBytes, len(big))
	}
	if d := docs[0]; d.Title != "比什凯克宣言" || d.Place != "比什凯克" || len(d.Paragraphs) != 76 {
		t.Errorf("declaration with sidecar: title %q, place %q, %d paragraphs", d.Title, d.Place, len(d.Paragraphs))
	}
}

// TestReadDirUnsupported checks that every file of a type ReadDir does not
// read is reported with its type, except hidden files and sidecars.
func TestReadDirUnsupported(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.txt":            "正文。",
		"a.txt.meta":       "title: 甲\n",
		"notes.xlsx":       "PK\x03\x04",
		"scans/IMG_01.JPG": "\xff\xd8\xff",
		"README":           "read me",
		"Makefile.":        "all:",
		".DS_Store":        "\x00\x00",
		".git/config":      "[core]",
		"sheet.xlsx.meta":  "title: 表\n",
	})
	docs, problems, err := ReadDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Title != "甲" {
		t.Errorf("docs = %v, want a.txt with its sidecar's title", docs)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Error())
	}
	want := []string{
		"Makefile.: unsupported type (no file extension)",
		"README: unsupported type (no file extension)",
		"notes.xlsx: unsupported type .xlsx",
		"scans/IMG_01.JPG: unsupported type .jpg",
		"sheet.xlsx.meta: " + ErrOrphanMeta.Error(),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	for _, p := range problems[:4] {
		if !errors.Is(p.Err, ErrUnsupported) {
			t.Errorf("%v does not wrap ErrUnsupported", p)
		}
	}
}

func TestReadDirSidecarChangesHash(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "正文。"})
	read := func() string {
		t.Helper()
		docs, problems, err := ReadDir(dir, Options{})
		if err != nil || len(problems) != 0 || len(docs) != 1 {
			t.Fatalf("ReadDir = %v, %v, %v", docs, problems, err)
		}
		return docs[0].Hash
	}
	before := read()
	writeFiles(t, dir, map[string]string{"a.txt.meta": "title: 甲\n"})
	if after := read(); after == before {
		t.Errorf("adding a sidecar did not change the hash %s", before)
	}
}

func TestReadDirUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: chmod 000 does not stop root from reading; " +
			"unreadable files are covered by the dangling and looping links of TestReadDir")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "正文。", "locked/b.txt": "正文。", "ok.txt": "正文。"})
	for _, p := range []string{"a.txt", "locked"} {
		if err := os.Chmod(filepath.Join(dir, p), 0); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	docs, problems, err := ReadDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].ID != "ok" {
		t.Errorf("docs = %v, want only ok", docs)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Path+" "+problemKind(p.Err))
	}
	if diff := cmp.Diff([]string{"a.txt permission", "locked permission"}, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestReadDirRoot(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"file.txt": "正文。"})
	for _, root := range []string{filepath.Join(dir, "missing"), filepath.Join(dir, "file.txt")} {
		if _, _, err := ReadDir(root, Options{}); err == nil {
			t.Errorf("ReadDir(%q) succeeded, want an error", root)
		}
	}
	docs, problems, err := ReadDir(t.TempDir(), Options{})
	if err != nil || len(docs) != 0 || len(problems) != 0 {
		t.Errorf("empty corpus: %v, %v, %v", docs, problems, err)
	}
}
