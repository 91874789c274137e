package search

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"
	"unicode"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/internal/archive"
)

// BenchmarkSuggestBundled: Suggest for every distinct two-character prefix
// of the index's words, in a fixed shuffled order; one op is one call.
// "cold" empties the count cache before each call (a prefix never typed
// before), "warm" calls Suggest for the prefix once untimed first (the
// same prefix typed again). p50/p99/max are per call.
//
//	go test -run XXX -bench Suggest ./search
func BenchmarkSuggestBundled(b *testing.B) {
	benchSuggest(b, openTestEngine(b))
}

// BenchmarkSuggestLaws does the same on the laws corpus (its index takes
// minutes to build; use -benchtime 1x or a count), skipped without it.
func BenchmarkSuggestLaws(b *testing.B) {
	const laws = "../../shared/bench/laws-zh-2f4c5c2.tar.gz"
	if _, err := os.Stat(laws); errors.Is(err, os.ErrNotExist) {
		b.Skipf("%s not found", laws)
	}
	corpus, dir := b.TempDir(), b.TempDir()
	if err := archive.Unpack(laws, corpus); err != nil {
		b.Fatal(err)
	}
	if _, err := index.Build(context.Background(), corpus, dir, index.BuildOptions{Full: true}); err != nil {
		b.Fatal(err)
	}
	e, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	benchSuggest(b, e)
}

func benchSuggest(b *testing.B, e *Engine) {
	prefixes := twoCharPrefixes(b, e)
	ctx := context.Background()
	for _, cold := range []bool{true, false} {
		name := map[bool]string{true: "cold", false: "warm"}[cold]
		b.Run(name, func(b *testing.B) {
			var took []time.Duration
			i := 0
			for b.Loop() {
				p := prefixes[i%len(prefixes)]
				i++
				b.StopTimer()
				if cold {
					e.counts.Purge()
				} else if _, err := e.Suggest(ctx, p, 0); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				if _, err := e.Suggest(ctx, p, 0); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			at := func(q float64) float64 {
				return float64(took[min(len(took)-1, int(q*float64(len(took))))]) / float64(time.Millisecond)
			}
			b.ReportMetric(at(0.5), "p50-ms")
			b.ReportMetric(at(0.99), "p99-ms")
			b.ReportMetric(at(1), "max-ms")
			b.ReportMetric(float64(len(prefixes)), "prefixes")
		})
	}
}

// twoCharPrefixes returns the distinct first two characters of the
// Chinese words of e's index (letters and digits only).
func twoCharPrefixes(b *testing.B, e *Engine) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range e.cur.Load().idx.Shards() {
		d, err := s.FieldDict(lang.Of("").WordField)
		if err != nil {
			b.Fatal(err)
		}
		for {
			de, err := d.Next()
			if err != nil {
				b.Fatal(err)
			}
			if de == nil {
				break
			}
			rs := []rune(de.Term)
			if len(rs) < 2 || !(unicode.IsLetter(rs[0]) || unicode.IsDigit(rs[0])) || !(unicode.IsLetter(rs[1]) || unicode.IsDigit(rs[1])) {
				continue
			}
			if p := string(rs[:2]); !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
		d.Close()
	}
	if len(out) == 0 {
		b.Fatal("no two-character words in the index")
	}
	// Dictionary order puts digits and Latin letters first: shuffle, so
	// that a run over part of the prefixes is a fair sample.
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
