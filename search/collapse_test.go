package search

import (
	"math/rand/v2"
	"slices"
	"strings"
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
	// the definition, from zh.Key, apart from signature
	definition := func(x, y string) bool {
		kx, ky := []rune(zh.Key(x)), []rune(zh.Key(y))
		set := func(k []rune) []uint64 {
			var s []uint64
			for i := 0; i+1 < len(k); i++ {
				s = append(s, uint64(k[i])<<32|uint64(k[i+1]))
			}
			slices.Sort(s)
			return slices.Compact(s)
		}
		bx, by := set(kx), set(ky)
		switch {
		case len(kx) == 0 || len(ky) == 0:
			return false
		case len(bx) < 2 || len(by) < 2:
			return string(kx) == string(ky)
		case float64(min(len(kx), len(ky))) < NearIdenticalLength*float64(max(len(kx), len(ky))):
			return false
		}
		return zh.Jaccard(bx, by) >= NearIdenticalJaccard
	}
	decided := map[bool]int{}
	for range 20000 {
		x := paras[rng.IntN(len(paras))].text
		y := paras[rng.IntN(len(paras))].text
		switch rng.IntN(8) {
		case 0: // short texts and repeated bigrams
			x, y = x[:min(len(x), 3*rng.IntN(4))], strings.Repeat("哈", rng.IntN(5))
			if rng.IntN(2) == 0 {
				x = strings.Repeat("哈", rng.IntN(5))
			}
		case 1, 2, 3:
			y = mutate(x)
		}
		want := definition(x, y)
		if got := nearIdentical(newSignature(x), newSignature(y)); got != want {
			t.Fatalf("nearIdentical(%.30q, %.30q) = %v, the definition says %v", x, y, got, want)
		}
		decided[want]++
	}
	if decided[true] < 1000 || decided[false] < 1000 {
		t.Errorf("too few cases of each answer: %v", decided)
	}
}
