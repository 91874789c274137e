package index

import (
	"context"
	"encoding/json"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/scosearch/scosearch/index/corpus"
)

// BenchmarkFindSimilarLarge times the similar-paragraph stage of a build
// on the corpus directory named by SCOSEARCH_BENCH_CORPUS (e.g. the laws
// corpus of BENCHMARKS.md, unpacked).
func BenchmarkFindSimilarLarge(b *testing.B) {
	dir := os.Getenv("SCOSEARCH_BENCH_CORPUS")
	if dir == "" {
		b.Skip("SCOSEARCH_BENCH_CORPUS not set")
	}
	docs, _, err := corpus.ReadDir(dir, corpus.Options{})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, d := range docs {
		n += len(d.Paragraphs)
	}
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		sim, err := findSimilar(context.Background(), docs)
		if err != nil {
			b.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		pairs := 0
		for _, l := range sim {
			pairs += len(l)
		}
		took := time.Since(start)
		data, err := json.Marshal(sim)
		if err != nil {
			b.Fatal(err)
		}
		parse := time.Now()
		var back map[string][]Similar
		if err := json.Unmarshal(data, &back); err != nil || len(back) != len(sim) {
			b.Fatal(err)
		}
		b.Logf("read back in %v", time.Since(parse))
		b.Logf("%d paragraphs, %d with similar ones elsewhere, %d links, %v, %d MB allocated, %s %d KB", n, len(sim), pairs, took, (after.TotalAlloc-before.TotalAlloc)>>20, SimilarFile, len(data)>>10)
	}
}
