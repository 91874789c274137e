package search

import (
	"math/bits"
	"slices"
	"unicode/utf8"

	"github.com/scosearch/scosearch/index/zh"
)

// Near-identical paragraphs: two paragraphs are near-identical when the sets
// of character bigrams of their zh.Key forms have a Jaccard similarity of at
// least NearIdenticalJaccard and the shorter key is at least
// NearIdenticalLength of the longer. Keys too short to have bigrams must be
// equal. The declaration's 成员国强调,应继续深化交通运输领域… and
// 成员国指出,应继续深化交通运输领域… (two characters apart) are
// near-identical; paragraphs that share a sentence are not.
const (
	NearIdenticalJaccard = 0.8
	NearIdenticalLength  = 0.9
)

// signature is what near-identity compares, of a text's zh.Key: its
// length and its bigrams, sorted and made distinct only when a comparison
// gets that far.
type signature struct {
	exact   string   // zh.ExactKey of the text
	runes   int      // of its Key
	bigrams []uint64 // of its Key: in text order, until set sorts them
	sorted  bool     // bigrams are sorted and distinct
	oneSet  bool     // fewer than two distinct bigrams
	// sketch has bit h(b) set for every bigram b: a bit of one sketch
	// missing from the other's is a bigram the other lacks, which bounds
	// the intersection without comparing the sets (most pairs of a window
	// are far apart and end here).
	sketch [4]uint64
}

func newSignature(text string) *signature { return signatureOf(zh.ExactKey(text)) }

// signatureOf is the signature of a text given its zh.ExactKey (which
// ranking computed already).
func signatureOf(exact string) *signature {
	s := &signature{exact: exact, oneSet: true}
	s.bigrams = make([]uint64, 0, utf8.RuneCountInString(exact))
	prev := rune(-1)
	for _, r := range exact {
		if !zh.IsKeyRune(r) {
			continue
		}
		s.runes++
		if prev >= 0 {
			b := uint64(prev)<<32 | uint64(r)
			if len(s.bigrams) > 0 && b != s.bigrams[0] {
				s.oneSet = false
			}
			s.bigrams = append(s.bigrams, b)
			h := (b * 0x9E3779B97F4A7C15) >> 56
			s.sketch[h>>6] |= 1 << (h & 63)
		}
		prev = r
	}
	return s
}

// set returns the sorted distinct bigrams.
func (s *signature) set() []uint64 {
	if !s.sorted {
		slices.Sort(s.bigrams)
		s.bigrams = slices.Compact(s.bigrams)
		s.sorted = true
	}
	return s.bigrams
}

// nearIdentical reports whether two signatures are near-identical.
func nearIdentical(a, b *signature) bool {
	if a.runes == 0 || b.runes == 0 {
		return false
	}
	if a.oneSet || b.oneSet {
		return zh.KeyOfExact(a.exact) == zh.KeyOfExact(b.exact)
	}
	short, long := min(a.runes, b.runes), max(a.runes, b.runes)
	if float64(short) < NearIdenticalLength*float64(long) {
		return false
	}
	// By the sketches: the shared bigrams are at most those of either
	// less its bits the other lacks (len counts repeated bigrams too: an
	// upper bound), the union at least the bits of both.
	onlyA, onlyB, union := 0, 0, 0
	for i := range a.sketch {
		onlyA += bits.OnesCount64(a.sketch[i] &^ b.sketch[i])
		onlyB += bits.OnesCount64(b.sketch[i] &^ a.sketch[i])
		union += bits.OnesCount64(a.sketch[i] | b.sketch[i])
	}
	if most := min(len(a.bigrams)-onlyA, len(b.bigrams)-onlyB); float64(most)/float64(union) < NearIdenticalJaccard-1e-9 {
		return false
	}
	return jaccardAtLeast(a.set(), b.set(), NearIdenticalJaccard)
}

// jaccardAtLeast reports whether zh.Jaccard(a, b) >= t, giving up as soon
// as the sets cannot reach t: the intersection is at most the smaller set,
// and at most what is counted plus what is left of either. Most pairs of a
// window fail after a few elements, not after both sets.
func jaccardAtLeast(a, b []uint64, t float64) bool {
	la, lb := len(a), len(b)
	if la == 0 && lb == 0 {
		return zh.Jaccard(a, b) >= t
	}
	// An upper bound below t by more than rounding ends the comparison;
	// a pair near t is decided by the exact ratio, as zh.Jaccard computes it.
	below := func(most int) bool { return float64(most)/float64(la+lb-most) < t-1e-9 }
	if below(min(la, lb)) {
		return false
	}
	n, i, j := 0, 0, 0
	for step := 1; i < la && j < lb; step++ {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
		if step%16 == 0 && below(n+min(la-i, lb-j)) {
			return false
		}
	}
	return float64(n)/float64(la+lb-n) >= t
}

// collapseGroups groups texts, given by their zh.ExactKey, in rank order:
// each text joins the first
// earlier group whose leader it is near-identical to, else leads a new
// group. It returns, per group, the indexes of its members, leader first.
// Work is bounded by len(texts) × number of groups.
func collapseGroups(exactKeys []string) [][]int {
	var groups [][]int
	var leaders []*signature
	for i, k := range exactKeys {
		sig := signatureOf(k)
		joined := false
		for g, l := range leaders {
			if nearIdentical(l, sig) {
				groups[g] = append(groups[g], i)
				joined = true
				break
			}
		}
		if !joined {
			groups = append(groups, []int{i})
			leaders = append(leaders, sig)
		}
	}
	return groups
}
