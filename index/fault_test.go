package index_test

// Hostile documents and faults (issue 8): what a corpus can throw at a
// reindex, and what the file system can do to an index. Every case must end
// with a clear message and an index where each document has all of its
// paragraphs or none of them.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/corpus"
)

// faultCorpus writes files (slash-separated name -> content) into a new
// directory.
func faultCorpus(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// storedParagraphs returns every paragraph of the index: paragraph id
// (index.ParagraphID; an id of no document of the metadata as it is) ->
// stored text.
func storedParagraphs(t *testing.T, x *index.Index) map[string]string {
	t.Helper()
	n, err := x.Bleve().DocCount()
	if err != nil {
		t.Fatal(err)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), int(n)+1, 0, false)
	req.Fields = []string{index.FieldStored}
	res, err := x.Bleve().Search(req)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]string{}
	for _, d := range x.Meta().Documents {
		byKey[index.DocKey(d.ID)] = d.ID
	}
	out := make(map[string]string, len(res.Hits))
	for _, h := range res.Hits {
		v, _ := h.Fields[index.FieldStored].(string)
		_, text, err := x.Text().Decode([]byte(v))
		if err != nil {
			t.Errorf("paragraph %s: %v", h.ID, err)
		}
		id := h.ID
		if key, n, ok := index.SplitInternalID(h.ID); ok && byKey[key] != "" {
			id = index.ParagraphID(byKey[key], n)
		}
		out[id] = text
	}
	return out
}

// checkWhole checks that the index at indexDir holds exactly the paragraphs
// its metadata lists, each with valid UTF-8 text: no document is there in
// part. It returns the stored paragraphs.
func checkWhole(t *testing.T, indexDir string) map[string]string {
	t.Helper()
	x, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer x.Close()
	stored := storedParagraphs(t, x)
	want := map[string]bool{}
	for _, d := range x.Meta().Documents {
		for n := 1; n <= d.Paragraphs; n++ {
			want[index.ParagraphID(d.ID, n)] = true
		}
	}
	for id, text := range stored {
		if !want[id] {
			t.Errorf("paragraph %s is indexed but no document of the metadata has it", id)
		}
		if !utf8.ValidString(text) {
			t.Errorf("paragraph %s: stored text is not valid UTF-8", id)
		}
	}
	for id := range want {
		if _, ok := stored[id]; !ok {
			t.Errorf("paragraph %s is missing: its document is half-indexed", id)
		}
	}
	return stored
}

func problemPaths(ps []corpus.Problem) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Path)
	}
	return out
}

// TestHostileDocuments indexes markup, entities and control characters as
// plain text, byte for byte.
func TestHostileDocuments(t *testing.T) {
	docs := map[string]string{
		"script.zh.txt":   "上合组织<script>alert('x')</script>峰会在比什凯克举行。\n\n第二段<img src=x onerror=alert(1)>文字。\n",
		"entities.zh.txt": "成员国&amp;观察员国&lt;b&gt;加强合作&#x4E0A;&#20013;&nbsp;。\n",
		"bidi.zh.txt":     "反恐\u202e怖主义\u202c合作\u2066机制\u2069与\u200b零宽\u200d字符\ufeff。\n",
		"controls.zh.txt": "控制字符\x01\x07\x1b[31m红色\x1b[0m以及\u0085换行。\n",
	}
	corpusDir := faultCorpus(t, docs)
	indexDir := t.TempDir()
	rep, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	for _, p := range rep.Problems {
		t.Logf("skipped %s: %v", p.Path, p.Err)
	}
	stored := checkWhole(t, indexDir)

	// Whatever the corpus reader made of each file is stored as it made
	// it: the index neither escapes nor strips markup.
	parsed, _, err := corpus.ReadDir(corpusDir, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, d := range parsed {
		for _, p := range d.Paragraphs {
			want[index.ParagraphID(d.ID, p.N)] = p.Text
		}
	}
	if diff := cmp.Diff(want, stored); diff != "" {
		t.Errorf("stored paragraphs differ from the corpus (-want +got):\n%s", diff)
	}
	if len(rep.Problems)+rep.Documents != len(docs) {
		t.Errorf("%d documents + %d problems, want %d files accounted for", rep.Documents, len(rep.Problems), len(docs))
	}
	var scripts int
	for _, s := range stored {
		scripts += strings.Count(s, "<script>")
	}
	if scripts != 1 {
		t.Errorf("the index holds %d <script> texts, want the 1 of the corpus, unescaped", scripts)
	}
}

// TestHugeSingleLineFile: a 50 MB file on one line is one paragraph that
// would take gigabytes to analyse. It is skipped with a message naming the
// limit, the other documents are indexed, and memory stays bounded.
func TestHugeSingleLineFile(t *testing.T) {
	size := 50 << 20
	corpusDir := faultCorpus(t, map[string]string{"small.zh.txt": "上海合作组织成员国元首理事会会议。\n"})
	line := "上海合作组织成员国领导人在比什凯克举行元首理事会会议，维护地区和平、安全与稳定。"
	big := []byte(strings.Repeat(line, size/len(line)+1) + "\n")
	if err := os.WriteFile(filepath.Join(corpusDir, "huge.zh.txt"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	big = nil
	indexDir := t.TempDir()
	start := time.Now()
	rep, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("50 MB single-line file: build took %s, Go memory obtained from the OS %d MB", time.Since(start).Round(time.Millisecond), ms.Sys>>20)
	if rep.Documents != 1 || len(rep.Problems) != 1 {
		t.Fatalf("%d documents, problems %v; want the small one indexed and the huge one skipped", rep.Documents, rep.Problems)
	}
	p := rep.Problems[0]
	t.Logf("reported: %s: %v", p.Path, p.Err)
	if p.Path != "huge.zh.txt" || !errors.Is(p.Err, corpus.ErrTooLarge) || !strings.Contains(p.Err.Error(), "limit") {
		t.Errorf("problem = %s: %v; want huge.zh.txt, ErrTooLarge naming the limit", p.Path, p.Err)
	}
	checkWhole(t, indexDir)
}

// TestLongParagraphsBatchedByBytes: paragraphs just under the limit are
// indexed, however many fit in one batch by count.
func TestLongParagraphsBatchedByBytes(t *testing.T) {
	para := strings.Repeat("成员国重申坚定支持联合国作为综合性多边组织。", index.DefaultMaxParagraphBytes/66-1)
	if len(para) > index.DefaultMaxParagraphBytes {
		t.Fatalf("test paragraph of %d bytes is over the limit", len(para))
	}
	var sb strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&sb, "第%d段%s\n\n", i+1, para)
	}
	corpusDir := faultCorpus(t, map[string]string{"long.zh.txt": sb.String()})
	indexDir := t.TempDir()
	rep, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if rep.Paragraphs != 40 || len(rep.Problems) != 0 {
		t.Errorf("%d paragraphs, problems %v; want 40 and none", rep.Paragraphs, rep.Problems)
	}
	checkWhole(t, indexDir)
}

// tinyFiles is how many tiny files TestManyTinyFiles writes: 2,000 in a
// normal run (CI), the 100,000 when SCOSEARCH_LONG=1 (the long
// run of every package) or SCOSEARCH_RELIABILITY_FULL=1 (see
// RELIABILITY.md: about 80 s on 2 cores).
func tinyFiles() int {
	if os.Getenv("SCOSEARCH_LONG") == "1" || os.Getenv("SCOSEARCH_RELIABILITY_FULL") == "1" {
		return 100_000
	}
	return 2_000
}

// TestManyTinyFiles indexes a corpus of many one-paragraph files, spread
// over subdirectories, and then an incremental reindex reuses them all.
func TestManyTinyFiles(t *testing.T) {
	n := tinyFiles()
	corpusDir := t.TempDir()
	for i := 0; i < n; i++ {
		sub := filepath.Join(corpusDir, fmt.Sprintf("d%03d", i%100))
		if i < 100 {
			if err := os.Mkdir(sub, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		text := fmt.Sprintf("第%d号文件：上合组织成员国在第%d次会议上。\n", i, i%997)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%06d.zh.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	indexDir := t.TempDir()
	start := time.Now()
	rep, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	took := time.Since(start)
	if rep.Documents != n || rep.Paragraphs != n || len(rep.Problems) != 0 {
		t.Fatalf("%d documents, %d paragraphs, %d problems; want %d, %d, 0", rep.Documents, rep.Paragraphs, len(rep.Problems), n, n)
	}
	start = time.Now()
	again, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{})
	if err != nil {
		t.Fatalf("incremental Build: %v", err)
	}
	if again.Reused != n || again.Analysed != 0 {
		t.Errorf("incremental build: %d reused, %d analysed; want %d, 0", again.Reused, again.Analysed, n)
	}
	t.Logf("%d tiny files: full build %s, incremental %s", n, took.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	stored := checkWhole(t, indexDir)
	if len(stored) != n {
		t.Errorf("index holds %d paragraphs, want %d", len(stored), n)
	}
}

// TestSymlinkLoop: directory links that loop, and file links that point
// at each other, are reported, not followed forever.
func TestSymlinkLoop(t *testing.T) {
	corpusDir := faultCorpus(t, map[string]string{"a/doc.zh.txt": "上合组织成员国元首理事会。\n"})
	links := map[string]string{
		"a/loop":       "..",       // a/loop/a/loop/...
		"a/self":       ".",        // a/self/self/...
		"x.zh.txt":     "y.zh.txt", // x -> y -> x
		"y.zh.txt":     "x.zh.txt",
		"dangling.txt": "nowhere.txt",
		"a/up.zh.txt":  "../a/doc.zh.txt", // a file link: followed, a duplicate id? no: own id
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(corpusDir, filepath.FromSlash(name))); err != nil {
			t.Skipf("symbolic links unsupported: %v", err)
		}
	}
	indexDir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := index.Build(ctx, corpusDir, indexDir, index.BuildOptions{})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	got := map[string]string{}
	for _, p := range rep.Problems {
		got[p.Path] = p.Err.Error()
	}
	for _, name := range []string{"a/loop", "a/self", "x.zh.txt", "y.zh.txt", "dangling.txt"} {
		if got[name] == "" {
			t.Errorf("link %s is not reported; problems: %v", name, got)
		}
	}
	if rep.Documents != 2 {
		t.Errorf("%d documents indexed, want 2 (a/doc and the file link a/up); problems %v", rep.Documents, got)
	}
	checkWhole(t, indexDir)
}

// TestFileVanishesMidReindex removes corpus files while a reindex runs:
// after the directory walk (the file is listed but gone when read), and
// during indexing (the file was read already). Either way the build ends
// with every document whole and a message for the missing file.
func TestFileVanishesMidReindex(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 30; i++ {
		files[fmt.Sprintf("doc%02d.zh.txt", i)] = strings.Repeat(fmt.Sprintf("第%d号文件的段落，上合组织成员国加强合作。\n\n", i), 40)
	}
	corpusDir := faultCorpus(t, files)
	indexDir := t.TempDir()
	if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
		t.Fatalf("first Build: %v", err)
	}

	// Gone between the walk and the read.
	gone := filepath.Join(corpusDir, "doc07.zh.txt")
	rep, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{
		Corpus: corpus.Options{OnScan: func(int, int64) {
			if err := os.Remove(gone); err != nil {
				t.Error(err)
			}
		}},
	})
	if err != nil {
		t.Fatalf("Build with a vanishing file: %v", err)
	}
	if diff := cmp.Diff([]string{"doc07.zh.txt"}, problemPaths(rep.Problems)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	} else {
		msg := rep.Problems[0].Error()
		t.Logf("reported: %s", msg)
		if !errors.Is(rep.Problems[0].Err, fs.ErrNotExist) && !strings.Contains(msg, "no such file") {
			t.Errorf("problem message %q does not say the file is gone", msg)
		}
	}
	if rep.Removed != 1 || rep.Documents != 29 {
		t.Errorf("removed %d, documents %d; want 1 removed, 29 left", rep.Removed, rep.Documents)
	}
	stored := checkWhole(t, indexDir)
	for id := range stored {
		if strings.HasPrefix(id, "doc07") {
			t.Errorf("paragraph %s of the vanished file is still indexed", id)
		}
	}

	// Gone while being indexed: it was read whole before, so it is indexed
	// whole, and the next reindex removes it whole.
	gone = filepath.Join(corpusDir, "doc20.zh.txt")
	removed := false
	rep, err = index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{Full: true, BatchSize: 50,
		Progress: func(p index.Progress) {
			if !removed && p.Stage == "index" {
				removed = true
				if err := os.Remove(gone); err != nil {
					t.Error(err)
				}
			}
		}})
	if err != nil {
		t.Fatalf("Build with a file removed during indexing: %v", err)
	}
	if !removed || rep.Documents != 29 {
		t.Errorf("removed during indexing: %v, documents %d; want true, 29", removed, rep.Documents)
	}
	checkWhole(t, indexDir)
	rep, err = index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{})
	if err != nil {
		t.Fatalf("Build after: %v", err)
	}
	if rep.Removed != 1 || rep.Documents != 28 {
		t.Errorf("next build removed %d, documents %d; want 1, 28", rep.Removed, rep.Documents)
	}
	checkWhole(t, indexDir)
}

// TestCorruptedIndex damages a built index in the ways a crash, a full
// disk or a stray editor can, and checks that opening it fails at once with
// ErrDamaged and a message that says to reindex, and that reindex --full
// repairs it.
func TestCorruptedIndex(t *testing.T) {
	corpusDir := faultCorpus(t, map[string]string{"a.zh.txt": "上合组织成员国元首理事会。\n\n第二段。\n"})
	truncate := func(size int64) func(string) error {
		return func(p string) error { return os.Truncate(p, size) }
	}
	garbage := func(p string) error { return os.WriteFile(p, []byte("\x00garbage\xff{"), 0o644) }
	tests := []struct {
		name   string
		target string // glob relative to the current generation
		damage func(path string) error
	}{
		{"metadata garbage", "scosearch.json", garbage},
		{"metadata empty", "scosearch.json", truncate(0)},
		{"metadata removed", "scosearch.json", os.Remove},
		{"shard removed", "shard-00", os.RemoveAll},
		{"bleve meta garbage", "shard-00/index_meta.json", garbage},
		{"bleve meta removed", "shard-00/index_meta.json", os.Remove},
		{"bolt store truncated", "shard-00/store/root.bolt", truncate(100)},
		{"bolt store garbage", "shard-00/store/root.bolt", garbage},
		{"segment truncated", "shard-00/store/*.zap", truncate(10)},
		{"segment garbage", "shard-00/store/*.zap", garbage},
		{"segment removed", "shard-00/store/*.zap", os.Remove},
		{"generation removed", "", os.RemoveAll},
		{"CURRENT garbage", "../CURRENT", garbage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			indexDir := t.TempDir()
			if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
				t.Fatalf("Build: %v", err)
			}
			gen, err := index.Current(indexDir)
			if err != nil {
				t.Fatal(err)
			}
			paths, _ := filepath.Glob(filepath.Join(gen, filepath.FromSlash(tc.target)))
			if len(paths) == 0 {
				t.Fatalf("nothing matches %s in %s", tc.target, gen)
			}
			for _, p := range paths {
				if err := tc.damage(p); err != nil {
					t.Fatal(err)
				}
			}
			done := make(chan error, 1)
			go func() {
				x, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true})
				if err == nil {
					// Some damage shows only when the index is read.
					_, err = x.Bleve().Search(bleve.NewSearchRequest(bleve.NewMatchAllQuery()))
					if err == nil {
						err = errors.New("no error")
					}
					x.Close()
				}
				done <- err
			}()
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("Open of a damaged index did not return within 30 s")
			}
			if !errors.Is(err, index.ErrDamaged) || !strings.Contains(err.Error(), "reindex") {
				t.Errorf("Open: %v; want ErrDamaged with a message that says to reindex", err)
			}
			// As the message says: reindex --full. (A plain reindex
			// repairs it too, building from scratch: TestDamagedIndex.)
			if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{Full: true}); err != nil {
				t.Fatalf("reindex --full of the damaged index: %v", err)
			}
			checkWhole(t, indexDir)
		})
	}
}
