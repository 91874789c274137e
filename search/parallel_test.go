package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search/align"
)

// parallelCorpus writes a corpus of the bundled declaration, our Russian
// and English translations of its opening (testdata/parallel), a summary
// linked to the English one by translation_of metadata, and a document
// without translation, and returns its directory.
func parallelCorpus(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	copyFile := func(from, to string) {
		t.Helper()
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, to)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("../testdata/corpus/2019-bishkek-declaration.zh.txt", "2019-bishkek-declaration.zh.txt")
	copyFile("../testdata/parallel/2019-bishkek-declaration.ru.txt", "2019-bishkek-declaration.ru.txt")
	copyFile("../testdata/parallel/2019-bishkek-declaration.en.txt", "2019-bishkek-declaration.en.txt")
	files := map[string]string{
		"summaries/bishkek-kk.txt": "---\ntitle: Summary\nlang: kk\ntranslation_of: 2019-bishkek-declaration.en\n---\n\nThe leaders met in Bishkek on 14 June 2019.\n",
		"2018-other.zh.txt":        "---\ntitle: 另一份文件\ndate: 2018-06-10\n---\n\n成员国领导人在青岛举行会议。\n",
	}
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

// openParallelEngine builds the index of parallelCorpus in a temporary
// directory and opens it.
func openParallelEngine(t testing.TB) *Engine {
	t.Helper()
	dir := t.TempDir()
	if _, err := index.Build(context.Background(), parallelCorpus(t), dir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

const (
	bishkek   = "2019-bishkek-declaration"
	bishkekRU = bishkek + ".ru"
	bishkekEN = bishkek + ".en"
	bishkekKK = "summaries/bishkek-kk"
)

func TestTranslations(t *testing.T) {
	e := openParallelEngine(t)
	ctx := context.Background()
	docs, err := e.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, d := range docs {
		got[d.ID] = d.Translations
	}
	want := map[string][]string{
		bishkek:      {bishkekEN, bishkekRU, bishkekKK},
		bishkekRU:    {bishkek, bishkekEN, bishkekKK},
		bishkekEN:    {bishkek, bishkekRU, bishkekKK},
		bishkekKK:    {bishkek, bishkekEN, bishkekRU},
		"2018-other": {},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("translations (-want +got):\n%s", diff)
	}
	d, err := e.DocumentPage(ctx, bishkekRU, "", 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(want[bishkekRU], d.Translations); diff != "" {
		t.Errorf("DocumentPage translations (-want +got):\n%s", diff)
	}
}

func TestTranslationGroups(t *testing.T) {
	tests := []struct {
		name string
		docs []index.DocMeta
		want map[string][]string
	}{
		{"none", []index.DocMeta{{ID: "a", Lang: "zh"}, {ID: "b", Lang: "zh"}}, map[string][]string{}},
		{"by name, without the original", []index.DocMeta{{ID: "x.ru", Lang: "ru"}, {ID: "x.en", Lang: "en"}, {ID: "y.en", Lang: "en"}},
			map[string][]string{"x.ru": {"x.en"}, "x.en": {"x.ru"}}},
		{"a suffix that is not the language", []index.DocMeta{{ID: "x", Lang: "zh"}, {ID: "x.ru", Lang: "en"}}, map[string][]string{}},
		{"translation_of, chained", []index.DocMeta{{ID: "a", Lang: "zh"}, {ID: "b", Lang: "ru", TranslationOf: "a"}, {ID: "c", Lang: "en", TranslationOf: "b"}},
			map[string][]string{"a": {"b", "c"}, "b": {"a", "c"}, "c": {"a", "b"}}},
		{"translation_of a document not indexed", []index.DocMeta{{ID: "b", Lang: "ru", TranslationOf: "gone"}, {ID: "c", Lang: "en", TranslationOf: "gone"}},
			map[string][]string{"b": {"c"}, "c": {"b"}}},
		{"a cycle", []index.DocMeta{{ID: "a", Lang: "zh", TranslationOf: "b"}, {ID: "b", Lang: "ru", TranslationOf: "a"}},
			map[string][]string{"a": {"b"}, "b": {"a"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := gocmp.Diff(tc.want, translationGroups(tc.docs)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParallel(t *testing.T) {
	e := openParallelEngine(t)
	ctx := context.Background()
	// The index's paragraphs align as the texts do (the golden file of
	// package align, made by hand).
	data, err := os.ReadFile("align/testdata/zh-ru.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var want []align.Pair
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	p, err := e.Parallel(ctx, bishkek, bishkekRU)
	if err != nil {
		t.Fatal(err)
	}
	if p.A != bishkek || p.B != bishkekRU {
		t.Errorf("Parallel ids %q %q", p.A, p.B)
	}
	if diff := gocmp.Diff(want, p.Pairs); diff != "" {
		t.Errorf("pairs (-want +got):\n%s", diff)
	}
	// Chinese 3 is Russian 3 and 4; Russian 4 is in the same row.
	if r, r4 := p.Row(0, 3), p.Row(1, 4); r != 2 || r4 != 2 || p.Row(0, 77) != -1 {
		t.Errorf("Row(A 3) = %d, Row(B 4) = %d, Row(A 77) = %d", r, r4, p.Row(0, 77))
	}
	// The second time it comes from the generation's cache.
	again, err := e.Parallel(ctx, bishkek, bishkekRU)
	if err != nil {
		t.Fatal(err)
	}
	if &again.Pairs[0] != &p.Pairs[0] {
		t.Error("the alignment was computed again")
	}

	// A document with itself: every paragraph with itself.
	self, err := e.Parallel(ctx, bishkekEN, bishkekEN)
	if err != nil {
		t.Fatal(err)
	}
	if len(self.Pairs) != 12 {
		t.Errorf("%d pairs of the English with itself, want 12", len(self.Pairs))
	}
	for i, pair := range self.Pairs {
		if want := []int{i + 1}; !gocmp.Equal(pair.A, want) || !gocmp.Equal(pair.B, want) {
			t.Errorf("pair %d: %v", i, pair)
		}
	}

	for _, ids := range [][2]string{{"nope", bishkek}, {bishkek, "nope"}} {
		if _, err := e.Parallel(ctx, ids[0], ids[1]); !errors.Is(err, ErrNotFound) {
			t.Errorf("Parallel(%q, %q) error %v, want ErrNotFound", ids[0], ids[1], err)
		}
	}
}

// BenchmarkParallel: the alignment of the bundled declaration with our
// Russian text, read from the index; "cached" is every later request
// of the same pair in a generation.
func BenchmarkParallel(b *testing.B) {
	e := openParallelEngine(b)
	ctx := context.Background()
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			g, err := e.acquire()
			if err != nil {
				b.Fatal(err)
			}
			g.parallel.mu.Lock()
			g.parallel.pairs = nil // as a new generation
			g.parallel.mu.Unlock()
			e.release(g)
			if _, err := e.Parallel(ctx, bishkek, bishkekRU); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.Parallel(ctx, bishkek, bishkekRU); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestTranslationOfReindex: a sidecar that only adds translation_of
// writes a new generation (the metadata changed) without analysing any
// document again, and the link is there once it is opened.
func TestTranslationOfReindex(t *testing.T) {
	corpusDir, dir := parallelCorpus(t), t.TempDir()
	ctx := context.Background()
	if _, err := index.Build(ctx, corpusDir, dir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	side := filepath.Join(corpusDir, "2018-other.zh.txt"+".meta")
	if err := os.WriteFile(side, []byte("translation_of: "+bishkekRU+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := index.Build(ctx, corpusDir, dir, index.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reused != 5 {
		t.Errorf("reused %d documents, want all 5 (report %+v)", rep.Reused, rep)
	}
	e, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	d, err := e.DocumentPage(ctx, "2018-other", "", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{bishkek, bishkekEN, bishkekRU, bishkekKK}; !gocmp.Equal(want, d.Translations) {
		t.Errorf("translations %q, want %q", d.Translations, want)
	}
}

// TestParallelTooLong: a document of more paragraphs than
// MaxParallelParagraphs is refused with a bad-query error, not aligned.
func TestParallelTooLong(t *testing.T) {
	corpusDir, dir := t.TempDir(), t.TempDir()
	var long strings.Builder
	for i := range MaxParallelParagraphs + 1 {
		fmt.Fprintf(&long, "第%d条 成员国加强合作。\n\n", i+1)
	}
	for name, text := range map[string]string{"long.zh.txt": long.String(), "long.ru.txt": "Государства-члены укрепляют сотрудничество.\n"} {
		if err := os.WriteFile(filepath.Join(corpusDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	if _, err := index.Build(ctx, corpusDir, dir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if d, err := e.DocumentPage(ctx, "long", "", 0, 1); err != nil || d.DocumentInfo.Paragraphs <= MaxParallelParagraphs {
		t.Fatalf("the long document: %v, %+v", err, d)
	}
	if _, err := e.Parallel(ctx, "long", "long.ru"); !errors.Is(err, ErrBadQuery) {
		t.Errorf("Parallel of a %d-paragraph document: error %v, want ErrBadQuery", MaxParallelParagraphs+1, err)
	}
}
