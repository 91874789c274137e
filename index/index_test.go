package index_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/scosearch/scosearch/index"
)

const bundled = "../testdata/corpus"

// copyCorpus copies the bundled corpus into a fresh directory and adds the
// given extra files (name -> content).
func copyCorpus(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(bundled)); err != nil {
		t.Fatal(err)
	}
	for name, text := range extra {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func build(t *testing.T, corpusDir, indexDir string, opts index.BuildOptions) *index.Report {
	t.Helper()
	rep, err := index.Build(context.Background(), corpusDir, indexDir, opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return rep
}

func open(t *testing.T, indexDir string) *index.Index {
	t.Helper()
	x, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func docCount(t *testing.T, x *index.Index) uint64 {
	t.Helper()
	n, err := x.Bleve().DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// phraseHits returns the ids of the paragraphs whose text contains s.
func phraseHits(t *testing.T, x *index.Index, s string) []string {
	t.Helper()
	q := bleve.NewMatchPhraseQuery(s)
	q.SetField(index.FieldBigram)
	req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
	res, err := x.Bleve().Search(req)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestBuildOpen(t *testing.T) {
	indexDir := t.TempDir()
	rep := build(t, bundled, indexDir, index.BuildOptions{})
	if rep.Documents != 1 || rep.Paragraphs < 50 || !rep.Full || rep.Analysed != 1 {
		t.Fatalf("report = %+v, want 1 full-built document with its paragraphs", rep)
	}
	x := open(t, indexDir)
	if got := docCount(t, x); got != uint64(rep.Paragraphs) {
		t.Errorf("index holds %d paragraphs, report says %d", got, rep.Paragraphs)
	}
	m := x.Meta()
	if len(m.Documents) != 1 || m.Documents[0].ID != "2019-bishkek-declaration" || m.Documents[0].Paragraphs != rep.Paragraphs {
		t.Errorf("meta documents = %+v", m.Documents)
	}
	if got := phraseHits(t, x, "乔蓬阿塔"); len(got) == 0 {
		t.Errorf("phrase 乔蓬阿塔 found nothing")
	}
	if got := phraseHits(t, x, "比什凯克宣言"); len(got) != 0 {
		t.Errorf("the running header 比什凯克宣言 is indexed as text: %v", got)
	}
}

func TestIncremental(t *testing.T) {
	corpusDir := copyCorpus(t, map[string]string{
		"note.zh.txt": "上海合作组织秘书处2020年1月1日发布说明。\n\n第二段说明文字。\n",
	})
	indexDir := t.TempDir()
	first := build(t, corpusDir, indexDir, index.BuildOptions{})
	if first.Documents != 2 || first.Analysed != 2 {
		t.Fatalf("first build: %+v", first)
	}

	// Unchanged corpus: nothing is analysed again.
	again := build(t, corpusDir, indexDir, index.BuildOptions{})
	if again.Analysed != 0 || again.Reused != 2 || again.Full {
		t.Errorf("rebuild of an unchanged corpus: %+v, want 0 analysed, 2 reused", again)
	}

	// One changed document is re-analysed, its old text gone.
	if err := os.WriteFile(filepath.Join(corpusDir, "note.zh.txt"), []byte("上海合作组织秘书处2020年1月1日发布更正。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed := build(t, corpusDir, indexDir, index.BuildOptions{})
	if changed.Analysed != 1 || changed.Reused != 1 {
		t.Errorf("after a change: %+v, want 1 analysed, 1 reused", changed)
	}
	x := open(t, indexDir)
	if got := phraseHits(t, x, "第二段说明"); len(got) != 0 {
		t.Errorf("old paragraph still indexed: %v", got)
	}
	if got := phraseHits(t, x, "发布更正"); len(got) != 1 {
		t.Errorf("new paragraph: %v, want one hit", got)
	}
	if got := docCount(t, x); got != uint64(changed.Paragraphs) {
		t.Errorf("index holds %d paragraphs, report says %d", got, changed.Paragraphs)
	}
	x.Close()

	// A removed document leaves the index; --full re-analyses all.
	if err := os.Remove(filepath.Join(corpusDir, "note.zh.txt")); err != nil {
		t.Fatal(err)
	}
	removed := build(t, corpusDir, indexDir, index.BuildOptions{})
	if removed.Removed != 1 || removed.Documents != 1 {
		t.Errorf("after removal: %+v", removed)
	}
	full := build(t, corpusDir, indexDir, index.BuildOptions{Full: true})
	if !full.Full || full.Analysed != 1 {
		t.Errorf("--full: %+v", full)
	}
	if y := open(t, indexDir); docCount(t, y) != uint64(full.Paragraphs) {
		t.Errorf("after --full the index holds %d paragraphs, want %d", docCount(t, y), full.Paragraphs)
	}
	gens, _ := filepath.Glob(filepath.Join(indexDir, "gen-*"))
	if len(gens) > 2 {
		t.Errorf("old generations are not cleaned up: %v", gens)
	}
}

func TestInterruptedBuildKeepsPrevious(t *testing.T) {
	indexDir := t.TempDir()
	build(t, bundled, indexDir, index.BuildOptions{})
	before, err := index.Current(indexDir)
	if err != nil {
		t.Fatal(err)
	}

	// Leftovers of a build killed with -9.
	leftover := filepath.Join(indexDir, "gen-20000101T000000.000000000-dead.tmp")
	if err := os.MkdirAll(filepath.Join(leftover, "shard-00"), 0o755); err != nil {
		t.Fatal(err)
	}

	// Cancelled as soon as indexing starts (Ctrl-C).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err = index.Build(ctx, bundled, indexDir, index.BuildOptions{Full: true, BatchSize: 10,
		Progress: func(p index.Progress) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled build: err = %v, want context.Canceled", err)
	}
	after, err := index.Current(indexDir)
	if err != nil || after != before {
		t.Fatalf("current generation changed by a failed build: %q -> %q (%v)", before, after, err)
	}
	x := open(t, indexDir)
	if docCount(t, x) == 0 {
		t.Error("previous index is empty after a failed build")
	}
	tmps, _ := filepath.Glob(filepath.Join(indexDir, "*.tmp"))
	if len(tmps) != 0 {
		t.Errorf("leftovers remain: %v", tmps)
	}
}

func TestBuildBadCorpus(t *testing.T) {
	indexDir := t.TempDir()
	build(t, bundled, indexDir, index.BuildOptions{})
	before, _ := index.Current(indexDir)

	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "blank.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"no documents": empty, "missing": filepath.Join(empty, "nope")} {
		if _, err := index.Build(context.Background(), dir, indexDir, index.BuildOptions{}); err == nil {
			t.Errorf("%s: Build succeeded", name)
		}
	}
	if after, _ := index.Current(indexDir); after != before {
		t.Errorf("a failed build swapped the index: %q -> %q", before, after)
	}
}

func TestOpenErrors(t *testing.T) {
	indexDir := t.TempDir()
	if _, err := index.Open(indexDir, index.OpenOptions{}); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("empty dir: err = %v, want ErrNotFound", err)
	}
	build(t, bundled, indexDir, index.BuildOptions{})

	// A writer excludes other writers, quickly and with a clear message;
	// readers coexist.
	w, err := index.Open(indexDir, index.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := index.Open(indexDir, index.OpenOptions{Timeout: 200 * time.Millisecond})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, index.ErrLocked) || !strings.Contains(err.Error(), indexDir) {
			t.Errorf("second writer: err = %v, want ErrLocked naming the directory", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("second Open of a locked index did not return")
	}
	w.Close()
	r1 := open(t, indexDir)
	r2 := open(t, indexDir)
	if docCount(t, r1) != docCount(t, r2) {
		t.Error("two readers disagree")
	}

	// An index from another analyzer configuration is refused, then rebuilt.
	cur, _ := index.Current(indexDir)
	metaPath := filepath.Join(cur, "scosearch.json")
	b, err := os.ReadFile(metaPath)
	if err != nil {
		t.Fatal(err)
	}
	r1.Close()
	r2.Close()
	if err := os.WriteFile(metaPath, []byte(strings.Replace(string(b), `"analyzer": "`, `"analyzer": "old-`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true}); !errors.Is(err, index.ErrIncompatible) || !strings.Contains(err.Error(), "reindex") {
		t.Errorf("incompatible index: err = %v, want ErrIncompatible telling to reindex", err)
	}
	if rep := build(t, bundled, indexDir, index.BuildOptions{}); !rep.Full {
		t.Error("incremental build reused an incompatible index")
	}

	// A damaged index is detected.
	cur, _ = index.Current(indexDir)
	if err := os.RemoveAll(filepath.Join(cur, "shard-00")); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true}); !errors.Is(err, index.ErrDamaged) {
		t.Errorf("damaged index: err = %v, want ErrDamaged", err)
	}
	if err := os.WriteFile(filepath.Join(indexDir, "CURRENT"), []byte("../../etc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true}); !errors.Is(err, index.ErrDamaged) {
		t.Errorf("bad CURRENT: err = %v, want ErrDamaged", err)
	}
}

func TestShards(t *testing.T) {
	corpusDir := copyCorpus(t, map[string]string{
		"a.zh.txt": "乔蓬阿塔会议在2020年5月1日举行。\n",
		"b.zh.txt": "乔蓬阿塔第二次会议在2021年5月1日举行。\n",
		"c.zh.txt": "塔什干会议在2022年5月1日举行。\n",
	})
	one, four := t.TempDir(), t.TempDir()
	r1 := build(t, corpusDir, one, index.BuildOptions{})
	r4 := build(t, corpusDir, four, index.BuildOptions{Shards: 4})
	x1, x4 := open(t, one), open(t, four)
	if docCount(t, x1) != docCount(t, x4) || r1.Paragraphs != r4.Paragraphs {
		t.Fatalf("1 shard: %d paragraphs, 4 shards: %d", docCount(t, x1), docCount(t, x4))
	}
	for _, q := range []string{"乔蓬阿塔", "会议", "上合组织"} {
		a, b := phraseHits(t, x1, q), phraseHits(t, x4, q)
		if len(a) != len(b) {
			t.Errorf("%s: 1 shard %d hits, 4 shards %d", q, len(a), len(b))
		}
	}
	if _, err := index.Build(context.Background(), corpusDir, four, index.BuildOptions{Shards: 1000}); err == nil {
		t.Error("1000 shards accepted")
	}
}

// TestFullBuildMergesSegments: a full build leaves each shard in one
// segment file, and no file of an earlier snapshot, even when its batches
// made many segments.
func TestFullBuildMergesSegments(t *testing.T) {
	corpusDir := copyCorpus(t, map[string]string{
		"a.zh.txt": "乔蓬阿塔会议在2020年5月1日举行。\n",
		"b.zh.txt": "塔什干会议在2022年5月1日举行。\n",
	})
	indexDir := t.TempDir()
	zaps := func() map[string]int {
		t.Helper()
		n := map[string]int{}
		gen := filepath.Dir(filepath.Dir(filepath.Dir(mustGlobOne(t, filepath.Join(indexDir, "gen-*", "shard-*", "store", "root.bolt")))))
		files, err := filepath.Glob(filepath.Join(gen, "shard-*", "store", "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			n[filepath.Base(filepath.Dir(filepath.Dir(f)))+" "+filepath.Ext(f)]++
		}
		return n
	}
	rep := build(t, corpusDir, indexDir, index.BuildOptions{Shards: 2, BatchSize: 3})
	want := map[string]int{"shard-00 .zap": 1, "shard-00 .bolt": 1, "shard-01 .zap": 1, "shard-01 .bolt": 1}
	if got := zaps(); !reflect.DeepEqual(got, want) {
		t.Errorf("after a full build in batches of 3: files %v, want %v", got, want)
	}
	if got := docCount(t, open(t, indexDir)); got != uint64(rep.Paragraphs) {
		t.Errorf("merged index holds %d paragraphs, the build reported %d", got, rep.Paragraphs)
	}
	if got := phraseHits(t, open(t, indexDir), "乔蓬阿塔"); len(got) == 0 {
		t.Error("乔蓬阿塔 not found after the merge")
	}
}

// mustGlobOne returns the one file matching pattern.
func mustGlobOne(t *testing.T, pattern string) string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil || len(m) == 0 {
		t.Fatalf("glob %s: %v %v", pattern, m, err)
	}
	return m[0]
}
