package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/scosearch/scosearch/index/corpus"
	"github.com/scosearch/scosearch/search"
)

// BenchmarkDistinctMix runs the distinct query mix of `scosearch bench`
// (its 255 queries on the laws corpus) in process, with the engine's
// caches off, one pass over the mix per iteration: a fixed, repeatable set
// to profile the uncached query path. It needs an index and its corpus,
// and is skipped without them:
//
//	SCOSEARCH_BENCH_INDEX=/tmp/laws-idx4 SCOSEARCH_BENCH_CORPUS=/tmp/scoq/quality-corpus \
//	  go test -run XXX -bench DistinctMix -benchtime 5x -cpuprofile cpu.out ./internal/bench
//
// SCOSEARCH_BENCH_SORT=date sorts by date; SCOSEARCH_BENCH_CLASS=rare
// runs only the queries of one class, SCOSEARCH_BENCH_MAXHITS=100 only
// those with fewer matches. The mean per class is reported too. With SCOSEARCH_BENCH_DUMP=FILE
// it first writes pages 1 and 2 of every query (hits, scores, snippets,
// facets) as JSON: two versions of the engine that rank alike write the
// same bytes.
func BenchmarkDistinctMix(b *testing.B) {
	dir, corpusDir := os.Getenv("SCOSEARCH_BENCH_INDEX"), os.Getenv("SCOSEARCH_BENCH_CORPUS")
	if dir == "" || corpusDir == "" {
		b.Skip("SCOSEARCH_BENCH_INDEX and SCOSEARCH_BENCH_CORPUS not set")
	}
	docs, _, err := corpus.ReadDir(corpusDir, corpus.Options{})
	if err != nil {
		b.Fatal(err)
	}
	mix := append(queryMix(docs), distinctMix(docs, judgedQuestions(), mixPerClass)...)
	docs = nil // the mix holds what it needs; the heap should not hold the corpus
	e, err := search.Open(dir, search.WithoutCache())
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	sort := os.Getenv("SCOSEARCH_BENCH_SORT")
	if out := os.Getenv("SCOSEARCH_BENCH_DUMP"); out != "" {
		if err := dumpMix(ctx, e, mix, sort, out); err != nil {
			b.Fatal(err)
		}
	}
	class := os.Getenv("SCOSEARCH_BENCH_CLASS")
	if max, err := strconv.ParseUint(os.Getenv("SCOSEARCH_BENCH_MAXHITS"), 10, 64); err == nil {
		// only the queries with fewer matches (as the bench's rare ratio)
		var few []benchQuery
		for _, q := range mix {
			res, err := e.Search(ctx, q.request())
			if err != nil {
				b.Fatal(err)
			}
			if res.Total < max {
				few = append(few, q)
			}
		}
		b.Logf("%d queries with fewer than %d matches", len(few), max)
		mix = few
	}
	byClass := map[string]time.Duration{}
	n := 0
	b.ResetTimer()
	for b.Loop() {
		for _, q := range mix {
			if class != "" && q.Class != class {
				continue
			}
			r := q.request()
			r.Sort = sort
			start := time.Now()
			if _, err := e.Search(ctx, r); err != nil {
				b.Fatal(err)
			}
			byClass[q.Class] += time.Since(start)
			n++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(n), "ms/query")
	// the mean per class, in wall time (one goroutine: its CPU and a
	// share of the collector's)
	counts := map[string]int{}
	for _, q := range mix {
		counts[q.Class]++
	}
	for c, d := range byClass {
		b.ReportMetric(float64(d.Microseconds())/1000/float64(b.N*counts[c]), "ms/"+c)
	}
}

// dumpMix writes pages 1 and 2 of every query of mix to path as JSON.
func dumpMix(ctx context.Context, e *search.Engine, mix []benchQuery, sort, path string) error {
	type page struct {
		Query                      string
		Total, Complete, Collapsed uint64
		Hits                       []search.Hit
		Facets                     search.Facets
	}
	var pages []page
	for _, q := range mix {
		for _, from := range []int{0, 10} {
			r := q.request()
			r.From, r.Sort = from, sort
			res, err := e.Search(ctx, r)
			if err != nil {
				return err
			}
			pages = append(pages, page{fmt.Sprintf("%s from=%d", q, from), res.Total, res.Complete, res.Collapsed, res.Hits, res.Facets})
		}
	}
	b, err := json.MarshalIndent(pages, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
