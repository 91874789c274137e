package search

import (
	"context"
	"errors"
	"testing"

	"github.com/blevesearch/bleve/v2"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
)

// TestFetchFew: a search whose matches all fit the ranked window finds
// them unscored (run.fetchFew; its quoted phrases checked in the text on
// one shard) and gives what scoring every match gives:
// the same total, hits, order, partial matches, collapsed groups and
// facets, on every page; with one match more than the window, it falls
// back to scoring. Each query is run with windows of its total minus one,
// its total and its total plus one, so both sides of the limit are met,
// and of 2; on one shard (facets counted with the table) and on three
// (bleve's facets, over an alias, whose shards fail alone).
func TestFetchFew(t *testing.T) {
	openSCOEngine(t) // builds the index
	three := t.TempDir()
	if _, err := index.Build(context.Background(), scoCorpusDir, three, index.BuildOptions{Shards: 3}); err != nil {
		t.Fatal(err)
	}
	queries := []string{
		"上海精神", "合作 安全", "阿富汗 OR Афганистан", "阿富汗问题怎么解决", "反恐 -阿富汗",
		"ШОС", "数字经济合作", "经济 合作", "成员国 支持", "安全",
		// quoted phrases, checked in the text (checked.go)
		`"上海精神"`, `"成员国"`, `"成员国" 合作`, `"上海合作组织" -阿富汗`, `"成员国" year:2022`,
		`"成员国" "上海合作组织"`, `"阿富汗问题"`,
	}
	ctx := context.Background()
	for _, dir := range []string{scoIndex.dir, three} {
		engine := func(window int, scoreAll bool) *Engine {
			e, err := Open(dir, WithoutCache())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { e.Close() })
			e.opts.rankWindow, e.opts.scoreAll = window, scoreAll
			return e
		}
		var under, over int
		for _, q := range queries {
			ref, err := engine(0, true).Search(ctx, Request{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			if ref.Complete < 2 {
				t.Fatalf("%s: %d full matches; the test needs queries that match several paragraphs", q, ref.Complete)
			}
			// (and 2: on three shards, more than that in every shard)
			for _, window := range []int{2, int(ref.Complete) - 1, int(ref.Complete), int(ref.Complete) + 1} {
				scored, few := engine(window, true), engine(window, false)
				for _, size := range []int{3, 10} {
					for from := 0; from < int(ref.Total)+size && from < 60; from += size {
						req := Request{Query: q, Size: size, From: from}
						want, err := scored.Search(ctx, req)
						if err != nil {
							t.Fatal(err)
						}
						got, err := few.Search(ctx, req)
						if err != nil {
							t.Fatal(err)
						}
						want.Took, got.Took = 0, 0
						if diff := gocmp.Diff(want, got); diff != "" {
							t.Fatalf("%s: %s, window %d, from %d size %d (-scored +unscored):\n%s", dir, q, window, from, size, diff)
						}
					}
				}
				if int(ref.Complete) <= window {
					under++
				} else {
					over++
				}
			}
		}
		if under == 0 || over == 0 {
			t.Errorf("%d searches within the window, %d beyond: both sides are needed", under, over)
		}
	}
}

// TestCappedQuery: a cappedQuery passes up to its limit of matches and
// fails with errTooMany at the next, also where bleve walks every match
// (facets asked for: no early stop).
func TestCappedQuery(t *testing.T) {
	openSCOEngine(t)
	x, err := index.Open(scoIndex.dir, index.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	q := bleve.NewTermQuery("合作")
	q.SetField(index.FieldBigram)
	count := func(limit uint64) (uint64, error) {
		br := bleve.NewSearchRequestOptions(&cappedQuery{Query: q, limit: limit}, 1, 0, false)
		br.AddFacet(index.FieldDoc, bleve.NewFacetRequest(index.FieldDoc, 10))
		sr, err := x.Bleve().Search(br)
		if err != nil {
			return 0, err
		}
		return sr.Total, nil
	}
	all, err := count(1 << 20)
	if err != nil || all < 3 {
		t.Fatalf("uncapped: %d matches, %v; want several", all, err)
	}
	if n, err := count(all); n != all || err != nil {
		t.Errorf("limit %d: %d matches, %v; want all, no error", all, n, err)
	}
	if n, err := count(all - 1); !errors.Is(err, errTooMany) {
		t.Errorf("limit %d: %d matches, %v; want errTooMany", all-1, n, err)
	}
}
