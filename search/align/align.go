// Package align aligns the paragraphs of a document with those of its
// translation, in the manner of Gale and Church (1993): paragraphs of a
// translation are about as long as their originals, once the languages'
// ratio of lengths is known, so a dynamic programme over the two lists of
// lengths finds the most probable sequence of beads, each of one or two
// paragraphs of one side with none, one or two of the other (1:1, 1:2,
// 2:1, 1:0, 0:1, 2:2). Lengths alone drift over a long text; anchors keep
// it in place: numbers (Arabic digits, and the months of dates written
// in words, so 2019年6月14日 and 14 июня 2019 года share 2019, 6 and 14)
// and Latin names and acronyms (SCO, COVID) that both paragraphs of a
// bead hold favour the bead, the more the rarer they are in the two texts.
//
// The package is pure Go with no dependency on the index: it aligns two
// lists of strings.
package align

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pair is one bead of an alignment: paragraph numbers (1-based positions
// in the lists aligned) of side A and of side B. One side is empty for a
// paragraph that has no counterpart; neither slice is ever nil.
type Pair struct {
	A []int `json:"a"`
	B []int `json:"b"`
}

// Parameters of the model. The priors of the bead kinds are Gale and
// Church's (1:1 0.89, 1:0 or 0:1 0.0099, 2:1 or 1:2 0.089, 2:2 0.011),
// split evenly between the two directions.
const (
	// variance is the variance of the length of a translation per unit
	// of length of the original (Gale and Church measured 6.8 characters
	// for English–German; a Chinese character carries more, and the
	// lengths are counted in the units of the denser side).
	variance = 6.8
	// anchorWeight scales the bonus of the anchors a bead's two sides
	// share, in the units of the cost (negative log probability).
	anchorWeight = 0.5
	// edgeDeletion and runDeletion are the costs of the first and of
	// each further paragraph of a run without counterpart before the
	// first or after the last paragraph of the other side: a translation
	// of part of a long text leaves the rest without counterpart, one
	// run, and a translator's note or an untranslated preamble is more
	// common at the edges than in the middle (a deletion there costs its
	// prior, 5.3). Were each paragraph of a long run priced as a
	// deletion, the last paragraph translated would drift to wherever a
	// 2:1 bead could absorb one of the untranslated paragraphs (3.1 for
	// the bead saves 5.3).
	edgeDeletion = 3.0 // -ln 0.05
	runDeletion  = 1.2 // -ln 0.3
	// refinements bounds the re-estimations of the length ratio from the
	// alignment found with the previous estimate.
	refinements = 2
)

// move is a kind of bead: how many paragraphs of A and of B it takes.
type move struct {
	da, db int
	cost   float64 // -ln of its prior probability
}

var moves = []move{
	{1, 1, -math.Log(0.89)},
	{1, 2, -math.Log(0.0445)},
	{2, 1, -math.Log(0.0445)},
	{1, 0, -math.Log(0.00495)},
	{0, 1, -math.Log(0.00495)},
	{2, 2, -math.Log(0.011)},
}

// Align aligns paragraphs a with paragraphs b and returns the beads in
// reading order: every paragraph of each side appears exactly once, in
// order. Lengths are counted in characters (spaces left out); the ratio
// of B's length to A's is estimated from the two texts (the ratio of their
// median paragraph lengths, then of the lengths the alignment pairs), so
// one side may hold only part of the other. The cost grows with the
// product of the two lengths: callers bound them.
func Align(a, b []string) []Pair { return align(a, b, anchorWeight) }

// align is Align with the anchors' weight given (0: lengths alone).
func align(a, b []string, weight float64) []Pair {
	if len(a) == 0 && len(b) == 0 {
		return []Pair{}
	}
	la, lb := lengths(a), lengths(b)
	an := newAnchors(a, b)
	ratio := medianRatio(la, lb)
	var path []step
	for i := 0; ; i++ {
		path = solve(la, lb, ratio, an, weight)
		next, ok := pairedRatio(path, la, lb)
		if !ok || i == refinements || math.Abs(math.Log(next/ratio)) < 0.05 {
			break
		}
		ratio = next
	}
	out := make([]Pair, 0, len(path))
	for _, s := range path {
		p := Pair{A: make([]int, 0, s.da), B: make([]int, 0, s.db)}
		for k := range s.da {
			p.A = append(p.A, s.i+k+1)
		}
		for k := range s.db {
			p.B = append(p.B, s.j+k+1)
		}
		out = append(out, p)
	}
	return out
}

// lengths counts the characters of each paragraph, spaces left out.
func lengths(ps []string) []float64 {
	out := make([]float64, len(ps))
	for i, p := range ps {
		n := 0
		for _, r := range p {
			if !unicode.IsSpace(r) {
				n++
			}
		}
		out[i] = float64(n)
	}
	return out
}

// medianRatio estimates the length of B per unit of A from the median
// paragraph lengths: robust to one side holding only part of the other,
// where the ratio of the totals is not. 1 when a side has no text.
func medianRatio(la, lb []float64) float64 {
	ma, mb := median(la), median(lb)
	if ma <= 0 || mb <= 0 {
		return 1
	}
	return mb / ma
}

func median(xs []float64) float64 {
	var s []float64
	for _, x := range xs {
		if x > 0 {
			s = append(s, x)
		}
	}
	if len(s) == 0 {
		return 0
	}
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// pairedRatio is the ratio of B's length to A's over the beads that pair
// paragraphs of both sides; ok is false when there are none.
func pairedRatio(path []step, la, lb []float64) (float64, bool) {
	var sa, sb float64
	for _, s := range path {
		if s.da == 0 || s.db == 0 {
			continue
		}
		for k := range s.da {
			sa += la[s.i+k]
		}
		for k := range s.db {
			sb += lb[s.j+k]
		}
	}
	if sa <= 0 || sb <= 0 {
		return 0, false
	}
	return sb / sa, true
}

// step is one bead of a path: it starts after i paragraphs of A and j of B.
type step struct{ i, j, da, db int }

// edge is the cost of a run of k paragraphs of one side without
// counterpart before the other side's first paragraph or after its last.
func edge(k int) float64 {
	if k == 0 {
		return 0
	}
	return edgeDeletion + runDeletion*float64(k-1)
}

// Indexes in moves of the deletions.
const (
	moveA = 3 // 1:0
	moveB = 4 // 0:1
)

// solve finds the cheapest path of beads through the two lists.
func solve(la, lb []float64, ratio float64, an *anchors, weight float64) []step {
	n, m := len(la), len(lb)
	// Lengths in the units of the less dense side (Russian or English
	// characters beside Chinese ones), so that the variance means the
	// same whichever side is A.
	ka, kb := ratio, 1.0
	if ratio < 1 {
		ka, kb = 1, 1/ratio
	}
	pa, pb := prefix(la, ka), prefix(lb, kb)
	w := m + 1
	cost := make([]float64, (n+1)*w)
	back := make([]int8, (n+1)*w)
	// The first row and column: runs before the other side's first
	// paragraph.
	for i := 1; i <= n; i++ {
		cost[i*w], back[i*w] = edge(i), moveA
	}
	for j := 1; j <= m; j++ {
		cost[j], back[j] = edge(j), moveB
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			best, arg := math.Inf(1), int8(-1)
			for k, mv := range moves {
				i0, j0 := i-mv.da, j-mv.db
				if i0 < 0 || j0 < 0 {
					continue
				}
				c := cost[i0*w+j0] + mv.cost
				if mv.da > 0 && mv.db > 0 {
					c -= weight * an.shared(i0, i, j0, j)
					if c >= best {
						continue // the length cost is never negative
					}
					c += lengthCost(pa[i]-pa[i0], pb[j]-pb[j0])
				}
				if c < best {
					best, arg = c, int8(k)
				}
			}
			cost[i*w+j], back[i*w+j] = best, arg
		}
	}
	// The end: the last cell, or a run after the other side's last
	// paragraph.
	ei, ej, best := n, m, cost[n*w+m]
	for i := range n {
		if c := cost[i*w+m] + edge(n-i); c < best {
			ei, ej, best = i, m, c
		}
	}
	for j := range m {
		if c := cost[n*w+j] + edge(m-j); c < best {
			ei, ej, best = n, j, c
		}
	}
	var path []step
	for i := n - 1; i >= ei; i-- {
		path = append(path, step{i, m, 1, 0})
	}
	for j := m - 1; j >= ej; j-- {
		path = append(path, step{n, j, 0, 1})
	}
	for i, j := ei, ej; i > 0 || j > 0; {
		mv := moves[back[i*w+j]]
		i, j = i-mv.da, j-mv.db
		path = append(path, step{i, j, mv.da, mv.db})
	}
	slices.Reverse(path)
	return path
}

func prefix(ls []float64, k float64) []float64 {
	out := make([]float64, len(ls)+1)
	for i, l := range ls {
		out[i+1] = out[i] + l*k
	}
	return out
}

// lengthCost is -ln of the probability that paragraphs of lengths x and
// y (in common units) translate each other: the two-sided tail of a
// normal distribution of their difference, whose variance grows with
// their length.
func lengthCost(x, y float64) float64 {
	mean := (x + y) / 2
	if mean <= 0 {
		return 0
	}
	d := math.Abs(y-x) / math.Sqrt(variance*mean)
	if d < tailFrom {
		// interpolated in the table: the alignment of two long documents
		// asks millions of times, and Erfc and Log cost 60 ns
		f := d * tailSteps
		k := int(f)
		return tailTable[k] + (tailTable[k+1]-tailTable[k])*(f-float64(k))
	}
	return tailAsymptote(d)
}

// tailAsymptote is -ln P(|Z| > d) for large d (within 2% at 8), where
// Erfc underflows.
func tailAsymptote(d float64) float64 {
	return d*d/2 + math.Log(d*math.Sqrt(math.Pi/2))
}

// tailTable holds -ln P(|Z| > d) = -ln erfc(d/√2) for d = 0, 1/tailSteps,
// … tailFrom. Built once and only read.
const tailFrom, tailSteps = 8, 64

var tailTable = func() []float64 {
	t := make([]float64, tailFrom*tailSteps+2)
	for k := range t {
		t[k] = -math.Log(math.Erfc(float64(k) / tailSteps / math.Sqrt2))
	}
	return t
}()

// anchors are the anchor tokens of each paragraph of both sides, kept
// only when both texts hold them, with their weights.
type anchors struct {
	a, b   [][]int32 // sorted token ids of each paragraph
	weight []float64 // by token id
}

// newAnchors finds the anchors of the paragraphs. A token's weight is
// ln(nA/dfA) + ln(nB/dfB): a number in every paragraph weighs nothing, a
// number in one paragraph of each side the most.
func newAnchors(a, b []string) *anchors {
	ta, tb := make([][]string, len(a)), make([][]string, len(b))
	dfa, dfb := map[string]int{}, map[string]int{}
	for i, p := range a {
		ta[i] = tokens(p)
		for _, t := range ta[i] {
			dfa[t]++
		}
	}
	for i, p := range b {
		tb[i] = tokens(p)
		for _, t := range tb[i] {
			dfb[t]++
		}
	}
	an := &anchors{a: make([][]int32, len(a)), b: make([][]int32, len(b))}
	ids := map[string]int32{}
	var names []string
	for t := range dfa {
		if dfb[t] > 0 {
			names = append(names, t)
		}
	}
	sort.Strings(names)
	for _, t := range names {
		ids[t] = int32(len(an.weight))
		an.weight = append(an.weight, math.Log(float64(len(a))/float64(dfa[t]))+math.Log(float64(len(b))/float64(dfb[t])))
	}
	keep := func(ts []string) []int32 {
		var out []int32
		for _, t := range ts {
			if id, ok := ids[t]; ok {
				out = append(out, id)
			}
		}
		slices.Sort(out)
		return out
	}
	for i := range ta {
		an.a[i] = keep(ta[i])
	}
	for i := range tb {
		an.b[i] = keep(tb[i])
	}
	return an
}

// shared is the summed weight of the anchors that paragraphs i0..i-1 of A
// and j0..j-1 of B (one or two of each) both hold, each counted once.
func (an *anchors) shared(i0, i, j0, j int) float64 {
	if empty(an.a[i0:i]) || empty(an.b[j0:j]) {
		return 0
	}
	total := 0.0
	for _, t := range an.a[i0] {
		if in(an.b[j0:j], t) {
			total += an.weight[t]
		}
	}
	if i-i0 == 2 {
		for _, t := range an.a[i0+1] {
			if !slices.Contains(an.a[i0], t) && in(an.b[j0:j], t) {
				total += an.weight[t]
			}
		}
	}
	return total
}

func empty(ls [][]int32) bool {
	for _, l := range ls {
		if len(l) > 0 {
			return false
		}
	}
	return true
}

// in reports whether one of the sorted lists holds t.
func in(ls [][]int32, t int32) bool {
	for _, l := range ls {
		if _, ok := slices.BinarySearch(l, t); ok {
			return true
		}
	}
	return false
}

// tokens returns the distinct anchors of a paragraph: its numbers
// (digits, full-width ones folded, leading zeros dropped), the months of
// dates written in Russian or English words as their numbers, and its
// Latin words of two letters or more that hold a capital, in capitals.
func tokens(p string) []string {
	var out []string
	add := func(t string) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	var num []byte
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		switch {
		case isDigit(r):
			num = num[:0]
			for i < len(p) {
				d, size := utf8.DecodeRuneInString(p[i:])
				if !isDigit(d) {
					break
				}
				i += size
				if d >= '０' {
					d = d - '０' + '0'
				}
				if len(num) == 1 && num[0] == '0' {
					num = num[:0] // a leading zero: 06 is 6
				}
				num = append(num, byte(d))
			}
			add(string(num))
		case unicode.IsLetter(r):
			j := i + size
			for j < len(p) {
				l, size := utf8.DecodeRuneInString(p[j:])
				if !unicode.IsLetter(l) {
					break
				}
				j += size
			}
			word := p[i:j]
			if mo, ok := month(word, func() bool { return nearDigit(p, i, j) }); ok {
				add(mo)
			} else if isLatinName(word) {
				add(strings.ToUpper(word))
			}
			i = j
		default:
			i += size
		}
	}
	return out
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// nearDigit reports whether an ASCII digit is within three bytes of the
// word p[i:j]: "14 May", "May 2019".
func nearDigit(p string, i, j int) bool {
	for k := max(0, i-3); k < i; k++ {
		if p[k] >= '0' && p[k] <= '9' {
			return true
		}
	}
	for k := j; k < min(len(p), j+3); k++ {
		if p[k] >= '0' && p[k] <= '9' {
			return true
		}
	}
	return false
}

// isLatinName reports whether word is of Latin letters, two or more, one
// of them a capital: SCO, Bishkek, COVID.
func isLatinName(word string) bool {
	if r, _ := utf8.DecodeRuneInString(word); !unicode.Is(unicode.Latin, r) || utf8.RuneCountInString(word) < 2 {
		return false
	}
	capital := false
	for _, r := range word {
		if !unicode.Is(unicode.Latin, r) {
			return false
		}
		capital = capital || unicode.IsUpper(r)
	}
	return capital
}
