package search

import (
	"context"
	"os"
	"testing"
)

// BenchmarkTrendsLarge times Engine.Trends on a large index named by
// SCOSEARCH_BENCH_INDEX (opened read-only; e.g. the laws corpus of
// BENCHMARKS.md), for a common word and a rare formulation.
func BenchmarkTrendsLarge(b *testing.B) {
	dir := os.Getenv("SCOSEARCH_BENCH_INDEX")
	if dir == "" {
		b.Skip("SCOSEARCH_BENCH_INDEX not set")
	}
	e, err := Open(dir, WithoutCache())
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	for _, q := range []string{"人民", "国务院", "环境保护", `"社会主义核心价值观"`} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				t, err := e.Trends(context.Background(), q)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(t.Total), "paragraphs")
			}
		})
	}
}
