package search

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/scosearch/scosearch/index/zh"
)

// Statuses of a ParagraphPair.
const (
	PairSame    = "same"    // the same text (after folding width, case and spaces)
	PairChanged = "changed" // reworded: similar enough to be the same paragraph
	PairAdded   = "added"   // only in document B
	PairRemoved = "removed" // only in document A
)

// ChangedSimilarity is the least similarity (Dice coefficient of the
// paragraphs' sets of folded character bigrams) at which two paragraphs are
// aligned as one paragraph reworded; below it they are one removed and one
// added. At 0.5 half the bigrams of the two together are shared: a
// paragraph with a few words changed or a clause added scores 0.7 to 0.95,
// while two different paragraphs of a declaration that share only its
// formulas (成员国认为，…合作) score 0.1 to 0.35.
const ChangedSimilarity = 0.5

// MaxCompareParagraphs is the most paragraphs a document compared may
// have: the alignment costs the product of the two lengths.
const MaxCompareParagraphs = 1000

// maxDiffTokens bounds the word diff of a pair (the product of the two
// lengths in words); a longer pair is shown as a whole deletion and
// insertion.
const maxDiffTokens = 4_000_000

// Comparison is the comparison of two documents, paragraph by paragraph.
type Comparison struct {
	A       DocumentInfo   `json:"a"`
	B       DocumentInfo   `json:"b"`
	Summary CompareSummary `json:"summary"`
	// Pairs are the aligned paragraphs in reading order of both documents.
	Pairs []ParagraphPair `json:"pairs"`
}

// CompareSummary counts the pairs by status.
type CompareSummary struct {
	Same    int `json:"same"`
	Changed int `json:"changed"`
	Added   int `json:"added"`
	Removed int `json:"removed"`
}

// ParagraphPair is a paragraph of A aligned with one of B, or a paragraph
// of one of them alone.
type ParagraphPair struct {
	A *int `json:"a"` // the paragraph number in A, nil for an added paragraph
	B *int `json:"b"` // in B, nil for a removed one
	// Status is PairSame, PairChanged, PairAdded or PairRemoved.
	Status string `json:"status"`
	// Similarity is the Dice coefficient of the two paragraphs' folded
	// bigrams, 0 for a paragraph alone.
	Similarity float64 `json:"similarity"`
	// Diff is the word-level diff from A's text to B's for a changed pair.
	Diff  []DiffOp `json:"diff,omitempty"`
	AText string   `json:"a_text,omitempty"`
	BText string   `json:"b_text,omitempty"`
}

// Operations of a DiffOp.
const (
	DiffEqual  = "equal"
	DiffInsert = "insert" // in B only
	DiffDelete = "delete" // in A only
)

// DiffOp is one stretch of a word-level diff.
type DiffOp struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// Compare aligns the paragraphs of documents a and b: a monotonic
// alignment (both in reading order) that maximises the summed similarity
// of the aligned pairs, pairs below ChangedSimilarity never aligned. A
// paragraph moved elsewhere shows as removed where it was and added where
// it is. An unknown id is an ErrNotFound error; a document longer than
// MaxCompareParagraphs an ErrBadQuery one.
func (e *Engine) Compare(ctx context.Context, a, b string) (*Comparison, error) {
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.release(g)
	var texts [2][]string
	out := &Comparison{Pairs: []ParagraphPair{}}
	for i, id := range []string{a, b} {
		d, ok := g.docs[id]
		if !ok {
			return nil, fmt.Errorf("document %q: %w", id, ErrNotFound)
		}
		if d.Paragraphs > MaxCompareParagraphs {
			return nil, badQuery(CodeBadSize, 0, strconv.Itoa(d.Paragraphs), "document %q has %d paragraphs: at most %d can be compared", id, d.Paragraphs, MaxCompareParagraphs)
		}
		paras, err := g.paragraphs(ctx, id, 1, d.Paragraphs)
		if err != nil {
			return nil, err
		}
		for _, p := range paras {
			texts[i] = append(texts[i], p.Text)
		}
		if i == 0 {
			out.A = g.docInfo(d)
		} else {
			out.B = g.docInfo(d)
		}
	}
	out.Pairs = ComparePairs(texts[0], texts[1])
	for _, p := range out.Pairs {
		switch p.Status {
		case PairSame:
			out.Summary.Same++
		case PairChanged:
			out.Summary.Changed++
		case PairAdded:
			out.Summary.Added++
		case PairRemoved:
			out.Summary.Removed++
		}
	}
	return out, nil
}

// ComparePairs aligns two lists of paragraphs (see Engine.Compare);
// paragraph numbers are 1-based positions in the lists.
func ComparePairs(a, b []string) []ParagraphPair {
	sim := similarities(a, b)
	m := len(b)
	// score[i][j]: the best alignment of a[:i] and b[:j], in thousandths
	// of similarity summed.
	score := make([]int32, (len(a)+1)*(m+1))
	at := func(i, j int) *int32 { return &score[i*(m+1)+j] }
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= m; j++ {
			best := max(*at(i-1, j), *at(i, j-1))
			if s := sim[(i-1)*m+j-1]; s >= ChangedSimilarity {
				best = max(best, *at(i-1, j-1)+int32(math.Round(float64(s)*1000)))
			}
			*at(i, j) = best
		}
	}
	// Walk back from the end, then reverse: pairs in reading order, a
	// removed paragraph before the added one at the same place.
	var rev []ParagraphPair
	i, j := len(a), m
	for i > 0 || j > 0 {
		switch {
		case i > 0 && j > 0 && sim[(i-1)*m+j-1] >= ChangedSimilarity &&
			*at(i, j) == *at(i-1, j-1)+int32(math.Round(float64(sim[(i-1)*m+j-1])*1000)):
			rev = append(rev, newPair(a, b, i, j, float64(sim[(i-1)*m+j-1])))
			i, j = i-1, j-1
		case j > 0 && (i == 0 || *at(i, j) == *at(i, j-1)):
			rev = append(rev, newPair(a, b, 0, j, 0))
			j--
		default:
			rev = append(rev, newPair(a, b, i, 0, 0))
			i--
		}
	}
	out := make([]ParagraphPair, 0, len(rev))
	for k := len(rev) - 1; k >= 0; k-- {
		out = append(out, rev[k])
	}
	return out
}

// newPair makes the pair of paragraph i of a and j of b (0: none).
func newPair(a, b []string, i, j int, sim float64) ParagraphPair {
	p := ParagraphPair{Similarity: math.Round(sim*1000) / 1000}
	if i > 0 {
		n := i
		p.A, p.AText = &n, a[i-1]
	}
	if j > 0 {
		n := j
		p.B, p.BText = &n, b[j-1]
	}
	switch {
	case i == 0:
		p.Status = PairAdded
	case j == 0:
		p.Status = PairRemoved
	case zh.ExactKey(a[i-1]) == zh.ExactKey(b[j-1]):
		p.Status, p.Similarity = PairSame, 1
	default:
		p.Status = PairChanged
		p.Diff = WordDiff(a[i-1], b[j-1])
	}
	return p
}

// similarities returns the Dice coefficients of every paragraph of a with
// every one of b, row by row (a's), from an inverted index of b's bigrams.
func similarities(a, b []string) []float32 {
	ids := map[[2]rune]int32{}
	sets := func(texts []string, add bool) [][]int32 {
		out := make([][]int32, len(texts))
		for i, t := range texts {
			seen := map[int32]bool{}
			rs := []rune(zh.Key(t))
			if len(rs) == 1 {
				rs = append(rs, 0) // a one-character paragraph is its own bigram
			}
			for k := 0; k+1 < len(rs); k++ {
				key := [2]rune{rs[k], rs[k+1]}
				id, ok := ids[key]
				if !ok {
					if !add {
						id = -1 - int32(len(seen)) // in a only: counts, matches nothing
					} else {
						id = int32(len(ids))
						ids[key] = id
					}
				}
				if !seen[id] {
					seen[id] = true
					out[i] = append(out[i], id)
				}
			}
		}
		return out
	}
	bs := sets(b, true)
	as := sets(a, false)
	post := make([][]int32, len(ids))
	for j, s := range bs {
		for _, id := range s {
			post[id] = append(post[id], int32(j))
		}
	}
	sim := make([]float32, len(a)*len(b))
	shared := make([]int32, len(b))
	for i, s := range as {
		clear(shared)
		for _, id := range s {
			if id >= 0 {
				for _, j := range post[id] {
					shared[j]++
				}
			}
		}
		for j, n := range shared {
			if tot := len(s) + len(bs[j]); tot > 0 {
				sim[i*len(b)+j] = float32(2*float64(n)) / float32(tot)
			}
		}
	}
	return sim
}

// WordDiff returns the word-level diff from text a to text b: their gse
// words (zh.WordSpans) and the characters between them (punctuation,
// spaces) as units, a longest common subsequence of them kept equal,
// consecutive units of one operation joined.
func WordDiff(a, b string) []DiffOp {
	ta, tb := diffUnits(a), diffUnits(b)
	if len(ta)*len(tb) > maxDiffTokens {
		return []DiffOp{{DiffDelete, a}, {DiffInsert, b}}
	}
	n, m := len(ta), len(tb)
	// lcs[i][j]: the longest common subsequence of ta[i:] and tb[j:]
	lcs := make([]int32, (n+1)*(m+1))
	at := func(i, j int) int32 { return lcs[i*(m+1)+j] }
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if ta[i] == tb[j] {
				lcs[i*(m+1)+j] = at(i+1, j+1) + 1
			} else {
				lcs[i*(m+1)+j] = max(at(i+1, j), at(i, j+1))
			}
		}
	}
	var out []DiffOp
	add := func(op, text string) {
		if k := len(out) - 1; k >= 0 && out[k].Op == op {
			out[k].Text += text
			return
		}
		out = append(out, DiffOp{op, text})
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && ta[i] == tb[j]:
			add(DiffEqual, ta[i])
			i, j = i+1, j+1
		case i < n && (j == m || at(i+1, j) >= at(i, j+1)):
			add(DiffDelete, ta[i])
			i++
		default:
			add(DiffInsert, tb[j])
			j++
		}
	}
	return out
}

// diffUnits splits text into its gse words and, between them, single
// characters; the units joined give text back.
func diffUnits(text string) []string {
	var out []string
	pos := 0
	gap := func(end int) {
		for pos < end {
			_, n := utf8.DecodeRuneInString(text[pos:])
			out = append(out, text[pos:pos+n])
			pos += n
		}
	}
	for _, s := range zh.WordSpans(text) {
		if s[0] < pos {
			continue
		}
		gap(s[0])
		out = append(out, text[s[0]:s[1]])
		pos = s[1]
	}
	gap(len(text))
	return out
}
