package search

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/scosearch/scosearch/index/zh"
)

// TestJaccardAtLeast: the early-exit comparison decides as zh.Jaccard does,
// on random sets from disjoint to equal, thresholds near the ratio included.
func TestJaccardAtLeast(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	set := func(n, universe int) []uint64 {
		s := make([]uint64, 0, n)
		for range n {
			s = append(s, uint64(rng.IntN(universe)))
		}
		slices.Sort(s)
		return slices.Compact(s)
	}
	decided := map[bool]int{}
	for k := range 20000 {
		universe := 20 + rng.IntN(400)
		a := set(rng.IntN(200), universe)
		b := set(rng.IntN(200), universe)
		if k%3 == 0 { // near-identical pairs: b is a with a few changes
			b = slices.Clone(a)
			for range rng.IntN(8) {
				if len(b) > 0 {
					b[rng.IntN(len(b))] = uint64(rng.IntN(universe))
				}
			}
			slices.Sort(b)
			b = slices.Compact(b)
		}
		j := zh.Jaccard(a, b)
		for _, th := range []float64{NearIdenticalJaccard, 0.5, j, j + 1e-12, j - 1e-12} {
			want := j >= th
			if got := jaccardAtLeast(a, b, th); got != want {
				t.Fatalf("jaccardAtLeast(%d, %d elements, %v) = %v, Jaccard %v", len(a), len(b), th, got, j)
			}
			decided[want]++
		}
	}
	if decided[true] < 1000 || decided[false] < 1000 {
		t.Errorf("too few cases of each answer: %v", decided)
	}
}
