package search

import (
	"context"
	"strings"
	"testing"

	"github.com/scosearch/scosearch/index"
)

// TestShardFailsSearch: over several shards, a shard that fails in the
// middle of a search (here closed under the engine) makes the search fail
// with an error naming it; it does not answer with the other shards'
// paragraphs as if they were all (bleve's alias only notes the failure in
// the result's status). Scored and unscored, by relevance and by date.
func TestShardFailsSearch(t *testing.T) {
	dir := t.TempDir()
	if _, err := index.Build(context.Background(), scoCorpusDir, dir, index.BuildOptions{Shards: 3}); err != nil {
		t.Fatal(err)
	}
	e, err := Open(dir, WithoutCache())
	if err != nil {
		t.Fatal(err)
	}
	// (not closed: bleve panics closing the shard closed below again)
	ctx := context.Background()
	want, err := e.Search(ctx, Request{Query: "合作"})
	if err != nil || want.Total == 0 {
		t.Fatalf("before: %v, %+v", err, want)
	}
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer e.release(g)
	if err := g.idx.Shards()[1].Close(); err != nil {
		t.Fatal(err)
	}
	for _, req := range []Request{
		{Query: "合作"},                 // scored
		{Query: "合作", Sort: SortDate}, // counted, then by date
		{Query: `"上海精神"`},             // few matches: unscored
		{Query: "合作", Doc: "2019-bishkek-declaration"},
	} {
		res, err := e.Search(ctx, req)
		if err == nil {
			t.Errorf("%+v with a shard closed: %d matches, no error (%d with all shards)", req, res.Total, want.Total)
			continue
		}
		if !strings.Contains(err.Error(), "shard-01") || !strings.Contains(err.Error(), "shards failed") {
			t.Errorf("%+v: error %v, want one naming shard-01", req, err)
		}
	}
}
