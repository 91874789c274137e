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

// TestNearIdenticalDefinition: nearIdentical, with its sketch and early
// exits, decides as the definition says (lengths within
// NearIdenticalLength, Jaccard of the bigram sets at least
// NearIdenticalJaccard), for pairs of the sco corpus's paragraphs and of
// each paragraph with a copy with a few characters changed, dropped or
// added.
func TestNearIdenticalDefinition(t *testing.T) {
	_, paras := scoCorpus(t)
	rng := rand.New(rand.NewPCG(3, 4))
	pool := []rune("的合作成员国安全发展组织上海，。")
	mutate := func(s string) string {
		rs := []rune(s)
		for range rng.IntN(6) {
			switch i := rng.IntN(len(rs) + 1); {
			case i == len(rs) || rng.IntN(3) == 0:
				rs = slices.Insert(rs, min(i, len(rs)), pool[rng.IntN(len(pool))])
			case rng.IntN(2) == 0:
				rs = slices.Delete(rs, i, i+1)
			default:
				rs[i] = pool[rng.IntN(len(pool))]
			}
		}
		return string(rs)
	}
	definition := func(a, b signature) bool {
		if a.runes == 0 || b.runes == 0 {
			return false
		}
		if len(a.bigrams) < 2 || len(b.bigrams) < 2 {
			return a.key == b.key
		}
		if float64(min(a.runes, b.runes)) < NearIdenticalLength*float64(max(a.runes, b.runes)) {
			return false
		}
		return zh.Jaccard(a.bigrams, b.bigrams) >= NearIdenticalJaccard
	}
	decided := map[bool]int{}
	for range 20000 {
		x := paras[rng.IntN(len(paras))].text
		y := paras[rng.IntN(len(paras))].text
		if rng.IntN(2) == 0 {
			y = mutate(x)
		}
		a, b := newSignature(x), newSignature(y)
		want := definition(a, b)
		if got := nearIdentical(a, b); got != want {
			t.Fatalf("nearIdentical(%.30q, %.30q) = %v, the definition says %v", x, y, got, want)
		}
		decided[want]++
	}
	if decided[true] < 1000 || decided[false] < 1000 {
		t.Errorf("too few cases of each answer: %v", decided)
	}
}
