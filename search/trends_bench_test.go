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

// BenchmarkComparePairs aligns two documents of 100 paragraphs of the sco
// corpus that share half their paragraphs, a fifth of those reworded.
func BenchmarkComparePairs(b *testing.B) {
	_, paras := scoCorpus(b)
	var a, c []string
	for i := 0; len(a) < 100; i++ {
		a = append(a, paras[i%len(paras)].text)
	}
	for i := 50; len(c) < 100; i++ {
		t := paras[i%len(paras)].text
		if i%5 == 0 {
			t = "据悉，" + t
		}
		c = append(c, t)
	}
	for b.Loop() {
		ComparePairs(a, c)
	}
}

// BenchmarkCompareLarge compares the first two documents of 90 to 110
// paragraphs of the index named by SCOSEARCH_BENCH_INDEX, reading them
// from the index as Engine.Compare does.
func BenchmarkCompareLarge(b *testing.B) {
	dir := os.Getenv("SCOSEARCH_BENCH_INDEX")
	if dir == "" {
		b.Skip("SCOSEARCH_BENCH_INDEX not set")
	}
	e, err := Open(dir, WithoutCache())
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	docs, err := e.Documents(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for _, d := range docs {
		if d.Paragraphs >= 90 && d.Paragraphs <= 110 && len(ids) < 2 {
			ids = append(ids, d.ID)
		}
	}
	if len(ids) < 2 {
		b.Skip("no two documents of about 100 paragraphs")
	}
	b.Logf("%s vs %s", ids[0], ids[1])
	for b.Loop() {
		if _, err := e.Compare(context.Background(), ids[0], ids[1]); err != nil {
			b.Fatal(err)
		}
	}
}
