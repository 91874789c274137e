package index_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
)

// fieldHits returns the ids of the paragraphs of document doc whose
// keyword field has value.
func fieldHits(t *testing.T, x *index.Index, doc, field, value string) []string {
	t.Helper()
	q := bleve.NewTermQuery(value)
	q.SetField(field)
	res, err := x.Bleve().Search(bleve.NewSearchRequestOptions(q, 1000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, h := range res.Hits {
		if key, n, ok := index.SplitInternalID(h.ID); ok && key == index.DocKey(doc) {
			ids = append(ids, index.ParagraphID(doc, n))
		}
	}
	sort.Strings(ids)
	return ids
}

// TestStaleMetadata: a change that leaves a file's bytes as they were but
// changes what is indexed (its language or date from the file name, its
// sidecar) makes an incremental reindex analyse it again, so the search
// fields agree with the document list; the other documents are reused.
func TestStaleMetadata(t *testing.T) {
	tests := []struct {
		name         string
		files        map[string]string // the corpus before
		change       func(dir string) error
		field        string
		before, then string // the field's value before and after
		doc          string
		paragraphs   int
	}{
		{
			name:  "en.txt renamed en.zh.txt",
			files: map[string]string{"en.txt": "The member states met in Bishkek.\n\nThey signed a declaration.\n"},
			change: func(dir string) error {
				return os.Rename(filepath.Join(dir, "en.txt"), filepath.Join(dir, "en.zh.txt"))
			},
			field: index.FieldLang, before: "en", then: "zh", doc: "en", paragraphs: 2,
		},
		{
			name:  "date in the file name",
			files: map[string]string{"2019-06-14-x.txt": "---\nid: x\n---\n成员国元首举行会议。\n\n会议通过宣言。\n"},
			change: func(dir string) error {
				return os.Rename(filepath.Join(dir, "2019-06-14-x.txt"), filepath.Join(dir, "2020-01-02-x.txt"))
			},
			field: index.FieldDate, before: "2019-06-14", then: "2020-01-02", doc: "x", paragraphs: 2,
		},
		{
			name:  "sidecar edited",
			files: map[string]string{"s.zh.txt": "成员国元首举行会议。\n", "s.zh.txt.meta": "place: 北京\n"},
			change: func(dir string) error {
				return os.WriteFile(filepath.Join(dir, "s.zh.txt.meta"), []byte("place: 上海\n"), 0o644)
			},
			field: index.FieldPlace, before: "北京", then: "上海", doc: "s", paragraphs: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			corpusDir := copyCorpus(t, tc.files)
			indexDir := t.TempDir()
			build(t, corpusDir, indexDir, index.BuildOptions{})
			var want []string
			for n := 1; n <= tc.paragraphs; n++ {
				want = append(want, index.ParagraphID(tc.doc, n))
			}
			x := open(t, indexDir)
			if diff := cmp.Diff(want, fieldHits(t, x, tc.doc, tc.field, tc.before)); diff != "" {
				t.Fatalf("before: %s:%s (-want +got):\n%s", tc.field, tc.before, diff)
			}
			x.Close()

			if err := tc.change(corpusDir); err != nil {
				t.Fatal(err)
			}
			rep := build(t, corpusDir, indexDir, index.BuildOptions{})
			if rep.Full || rep.Analysed != 1 || rep.Reused != 1 {
				t.Errorf("reindex: full %v, %d analysed, %d reused; want the changed document analysed, the bundled one reused", rep.Full, rep.Analysed, rep.Reused)
			}
			y := open(t, indexDir)
			if got := fieldHits(t, y, tc.doc, tc.field, tc.before); len(got) != 0 {
				t.Errorf("after: %s:%s still finds %v", tc.field, tc.before, got)
			}
			if diff := cmp.Diff(want, fieldHits(t, y, tc.doc, tc.field, tc.then)); diff != "" {
				t.Errorf("after: %s:%s (-want +got):\n%s", tc.field, tc.then, diff)
			}
			// The document list says the same as the search fields.
			for _, d := range y.Meta().Documents {
				if d.ID != tc.doc {
					continue
				}
				got := map[string]string{index.FieldLang: d.Lang, index.FieldDate: d.Date, index.FieldPlace: d.Place}[tc.field]
				if got != tc.then {
					t.Errorf("document list: %s = %q, want %q", tc.field, got, tc.then)
				}
			}
		})
	}
}

// TestIndexWithoutForms: an index built before documents recorded their
// indexed form (no "form", no "checksum" in scosearch.json) opens, and the
// next reindex builds from scratch, saying why.
func TestIndexWithoutForms(t *testing.T) {
	corpusDir := copyCorpus(t, nil)
	indexDir := t.TempDir()
	build(t, corpusDir, indexDir, index.BuildOptions{})
	gen, _ := index.Current(indexDir)
	path := filepath.Join(gen, "scosearch.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m index.Meta
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m.Checksum = ""
	for i := range m.Documents {
		m.Documents[i].Form = ""
	}
	if b, err = json.MarshalIndent(m, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	open(t, indexDir).Close()
	rep := build(t, corpusDir, indexDir, index.BuildOptions{})
	if !rep.Full || !strings.Contains(rep.FullReason, "predates") {
		t.Errorf("reindex: full %v, reason %q; want a full build saying the index predates forms", rep.Full, rep.FullReason)
	}
	if again := build(t, corpusDir, indexDir, index.BuildOptions{}); again.Full || again.Reused != 1 {
		t.Errorf("next reindex: full %v, %d reused; want incremental, 1 reused", again.Full, again.Reused)
	}
}

// TestUnchangedReindex: a reindex of an unchanged corpus writes no
// generation; a change afterwards does.
func TestUnchangedReindex(t *testing.T) {
	corpusDir := copyCorpus(t, map[string]string{
		"a.zh.txt": "上海合作组织秘书处发布说明。\n",
		"b.zh.txt": "成员国外长理事会会议在莫斯科举行。\n",
	})
	indexDir := t.TempDir()
	first := build(t, corpusDir, indexDir, index.BuildOptions{})
	again := build(t, corpusDir, indexDir, index.BuildOptions{})
	if !again.Unchanged || again.Dir != first.Dir || again.Analysed != 0 {
		t.Fatalf("unchanged corpus: %+v, want Unchanged in %s", again, first.Dir)
	}
	if cur, err := index.Current(indexDir); err != nil || cur != first.Dir {
		t.Fatalf("CURRENT %q (%v), want %q", cur, err, first.Dir)
	}
	gens, _ := filepath.Glob(filepath.Join(indexDir, "gen-*"))
	if len(gens) != 1 {
		t.Errorf("generations %v, want only %s", gens, first.Dir)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "b.zh.txt"), []byte("成员国外长理事会会议在塔什干举行。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed := build(t, corpusDir, indexDir, index.BuildOptions{})
	if changed.Unchanged || changed.Dir == first.Dir || changed.Analysed != 1 || changed.Reused != first.Documents-1 {
		t.Fatalf("after a change: %+v", changed)
	}
	if err := os.Remove(filepath.Join(corpusDir, "a.zh.txt")); err != nil {
		t.Fatal(err)
	}
	removed := build(t, corpusDir, indexDir, index.BuildOptions{})
	if removed.Unchanged || removed.Removed != 1 || removed.Documents != first.Documents-1 {
		t.Fatalf("after a removal: %+v", removed)
	}
}

// TestUnchangedFilesNotRead: an incremental reindex reads only the corpus
// files whose size, modification or change time differ from what the last
// build recorded (and those skipped with a problem); a file touched but
// identical is read and found unchanged; a file rewritten with the same
// size and its modification time set back is still seen (by its change
// time, on Linux); Reread reads every file.
func TestUnchangedFilesNotRead(t *testing.T) {
	corpusDir := copyCorpus(t, map[string]string{
		"a.zh.txt":  "上海合作组织秘书处发布说明。\n",
		"b.zh.txt":  "成员国外长理事会会议在莫斯科举行。\n",
		"empty.txt": "", // a problem every time
	})
	indexDir := t.TempDir()
	first := build(t, corpusDir, indexDir, index.BuildOptions{})
	if first.Read != first.Files || first.Files < 4 || len(first.Problems) != 1 {
		t.Fatalf("first build: read %d of %d files, problems %v", first.Read, first.Files, first.Problems)
	}
	// Files changed within two seconds of a walk are read again by the
	// next build (their clock may not have ticked since): wait, and
	// build once more to record them.
	time.Sleep(2100 * time.Millisecond)
	if rep := build(t, corpusDir, indexDir, index.BuildOptions{}); !rep.Unchanged || rep.Read != rep.Files {
		t.Fatalf("files written just before the last walk: unchanged %v, read %d of %d files, want all", rep.Unchanged, rep.Read, rep.Files)
	}
	if rep := build(t, corpusDir, indexDir, index.BuildOptions{}); !rep.Unchanged || rep.Read != 1 || rep.Files != first.Files ||
		len(rep.Problems) != 1 || rep.Problems[0].Path != "empty.txt" {
		t.Fatalf("unchanged corpus: unchanged %v, read %d of %d files (want only empty.txt), problems %v", rep.Unchanged, rep.Read, rep.Files, rep.Problems)
	}
	if rep := build(t, corpusDir, indexDir, index.BuildOptions{}); !rep.Unchanged || rep.Read != 1 {
		t.Fatalf("again: unchanged %v, read %d of %d files, want 1", rep.Unchanged, rep.Read, rep.Files)
	}

	// Touched, same bytes: read, and nothing to do.
	a := filepath.Join(corpusDir, "a.zh.txt")
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(a, later, later); err != nil {
		t.Fatal(err)
	}
	touched := build(t, corpusDir, indexDir, index.BuildOptions{})
	if !touched.Unchanged || touched.Dir != first.Dir || touched.Read != 2 {
		t.Fatalf("touched a.zh.txt: unchanged %v, read %d of %d files (want a.zh.txt and empty.txt)", touched.Unchanged, touched.Read, touched.Files)
	}
	if rep := build(t, corpusDir, indexDir, index.BuildOptions{Reread: true}); !rep.Unchanged || rep.Read != rep.Files {
		t.Fatalf("Reread: unchanged %v, read %d of %d files, want all", rep.Unchanged, rep.Read, rep.Files)
	}

	// Rewritten with the same size; where the file system keeps a change
	// time (Linux), even the old modification time does not hide it.
	b := filepath.Join(corpusDir, "b.zh.txt")
	fi, err := os.Stat(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("成员国外长理事会会议在塔什干举行。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "linux" {
		if err := os.Chtimes(b, fi.ModTime(), fi.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	changed := build(t, corpusDir, indexDir, index.BuildOptions{})
	if changed.Unchanged || changed.Analysed != 1 || changed.Reused != first.Documents-1 {
		t.Fatalf("b.zh.txt changed: %+v, want it analysed, the others reused", changed)
	}
	x := open(t, indexDir)
	if got := fieldHits(t, x, "b", index.FieldBigram, "塔什"); len(got) != 1 {
		t.Errorf("after the change, 塔什 finds %v in b, want its paragraph", got)
	}
}
