package search

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scosearch/scosearch/index"
)

// TestDocFreq: document frequencies read from each segment's dictionary
// are those of bleve's term dictionary over the shard (shardFreqs), for
// every term of the text and bigram fields, also in an index that an
// incremental reindex left with several segments and deleted paragraphs.
func TestDocFreq(t *testing.T) {
	corpusDir, indexDir := t.TempDir(), t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", "2019-bishkek-declaration.zh.txt"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(corpusDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.zh.txt", string(src))
	write("b.zh.txt", "上海合作组织成员国元首理事会会议在比什凯克举行。\n\n成员国强调加强安全合作。\n")
	ctx := context.Background()
	if _, err := index.Build(ctx, corpusDir, indexDir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	// b changes: its old paragraphs are deleted from the copied segment,
	// its new ones go to a new segment.
	write("b.zh.txt", "成员国外长理事会会议在塔什干举行。\n\n成员国强调加强经济合作。\n\n会议通过联合公报。\n")
	if rep, err := index.Build(ctx, corpusDir, indexDir, index.BuildOptions{}); err != nil || rep.Analysed != 1 {
		t.Fatalf("reindex: %+v, %v", rep, err)
	}
	e, err := Open(indexDir, WithoutCache())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer e.release(g)
	if g.stored == nil {
		t.Fatal("no stored reader")
	}
	if len(g.stored.segs) < 2 || g.stored.segs[0].Deleted() == nil || g.stored.segs[0].Deleted().IsEmpty() {
		t.Logf("segments %d", len(g.stored.segs))
		t.Fatal("the reindexed index has no segment with deleted paragraphs: the test checks nothing")
	}
	shards := shardFreqs(g.idx.Shards())
	checked := 0
	for _, field := range []string{index.FieldText, index.FieldBigram} {
		d, err := g.idx.Bleve().FieldDict(field)
		if err != nil {
			t.Fatal(err)
		}
		for e, err := d.Next(); e != nil && err == nil; e, err = d.Next() {
			want := shards.docFreq(field, e.Term)
			if got := g.stored.docFreq(field, e.Term); got != want {
				t.Errorf("%s %q: %d paragraphs, bleve's dictionary %d", field, e.Term, got, want)
			}
			checked++
		}
		d.Close()
	}
	for _, term := range []string{"塔什干", "不存在", strings.Repeat("合", 3)} {
		if got, want := g.stored.docFreq(index.FieldText, term), shards.docFreq(index.FieldText, term); got != want {
			t.Errorf("text %q: %d, want %d", term, got, want)
		}
	}
	if checked < 500 {
		t.Errorf("only %d terms checked", checked)
	}
}
