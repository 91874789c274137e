package search_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/internal/archive"
	"github.com/scosearch/scosearch/search"
)

// benchLawsArchive is the large benchmark corpus of issue 7, outside the
// repository; benchmarks that need it are skipped when it is absent.
const benchLawsArchive = "../../shared/bench/laws-zh-2f4c5c2.tar.gz"

// benchMix is a fixed query mix: words, phrases, filters, rare and common
// terms (as in `scosearch bench`).
var benchMix = []struct{ name, q string }{
	{"word", "合同"},
	{"words", "人民法院 判决"},
	{"phrase", `"不可抗力"`},
	{"phrase-sco", `"上海合作组织"`},
	{"rare", "见义勇为"},
	{"rare-phrase", `"网络安全审查"`},
	{"common", "国家"},
	{"common2", "人民"},
	{"filtered-year", "国家 year:2019"},
	{"not", "合作 -安全"},
}

// benchEngine builds corpusDir into a temporary index and opens it with
// opts (search.WithoutCache for every uncached figure).
func benchEngine(b *testing.B, corpusDir string, opts ...search.Option) *search.Engine {
	b.Helper()
	dir := b.TempDir()
	if _, err := index.Build(context.Background(), corpusDir, dir, index.BuildOptions{Full: true}); err != nil {
		b.Fatal(err)
	}
	e, err := search.Open(dir, opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	return e
}

// benchSearchMix times each query of the mix alone, repeated: a profile of
// one query's path. With the engine's caches off (as the Benchmark
// functions below open it) every iteration does the whole search; the
// figure for many distinct queries is internal/bench's
// BenchmarkDistinctMix and `scosearch bench`.
func benchSearchMix(b *testing.B, e *search.Engine) {
	ctx := context.Background()
	for _, m := range benchMix {
		for _, nc := range []bool{false, true} {
			name := m.name
			if nc {
				name += "/nocollapse"
			}
			b.Run(name, func(b *testing.B) {
				req := search.Request{Query: m.q, NoCollapse: nc}
				if _, err := e.Search(ctx, req); err != nil { // warm up
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := e.Search(ctx, req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkSearchMixBundled runs the mix on the bundled corpus, uncached.
func BenchmarkSearchMixBundled(b *testing.B) {
	benchSearchMix(b, benchEngine(b, "../testdata/corpus", search.WithoutCache()))
}

// BenchmarkSearchMixBundledCached runs it with the result cache on: every
// timed iteration is a cache hit (the cost of a repeated search, not of a
// search).
func BenchmarkSearchMixBundledCached(b *testing.B) {
	benchSearchMix(b, benchEngine(b, "../testdata/corpus"))
}

// BenchmarkSearchMixLaws runs the mix on the laws corpus, uncached (its
// index takes minutes to build), skipped without the archive.
func BenchmarkSearchMixLaws(b *testing.B) {
	benchSearchMix(b, benchEngine(b, benchLaws(b), search.WithoutCache()))
}

// benchLaws unpacks the laws corpus into a temporary directory, or skips.
func benchLaws(b *testing.B) string {
	b.Helper()
	if _, err := os.Stat(benchLawsArchive); errors.Is(err, os.ErrNotExist) {
		b.Skipf("%s not found", benchLawsArchive)
	}
	dir := b.TempDir()
	if err := archive.Unpack(benchLawsArchive, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}
