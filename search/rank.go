package search

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/lang"
)

// Ranking. bleve finds the matches and picks the best rankWindow of them by
// its BM25; the Engine then orders those in this order:
//
//  1. paragraphs holding the whole query as one contiguous string (after
//     folding, with synonyms): 最低工资 before 最低…工资;
//  2. paragraphs whose requirements lie close together (within
//     proximitySlack characters beyond their own length);
//  3. the rest;
//
// each tier by a BM25 computed here from the paragraph's text, with the
// query's document frequencies summed over all shards (so one index and
// N shards rank alike; bleve's own BM25 counts per shard), times a length
// prior (a list item such as "（六）最低工资标准；" does not outrank the
// article that defines the subject) and a bonus when the document's title
// holds the words. Partial matches come after all full ones, ordered by
// the share of the query's weight (IDF) they hold, then by the same score.
const (
	// rankWindow is how many of bleve's best matches are ranked again.
	// Pages inside it see one consistent order; beyond it, bleve's order.
	// 200 ranked the judged queries no better (laws MRR@10 0.367 against
	// 0.368 with 100, SCO 0.952 both) and cost about 10 % more per query
	// (annotating, collapsing and loading twice the hits).
	rankWindow = 100
	// bm25K1, bm25B are the usual BM25 parameters.
	bm25K1, bm25B = 1.2, 0.75
	// avgParagraphRunes stands for the average paragraph length in BM25's
	// length normalisation (the bundled declaration: 118 characters;
	// the laws corpus: 59).
	avgParagraphRunes = 90
	// shortParagraph: paragraphs shorter than this (characters) are
	// weighted down by sqrt(length/shortParagraph).
	shortParagraph = 30
	// titleBonus is the score bonus of a paragraph whose document title
	// holds all of the query's weight.
	titleBonus = 0.3
	// proximitySlack is how many bytes (about 10 characters) the
	// requirements of a paragraph may lie apart and still count as close.
	proximitySlack = 30
)

// Tiers of a full match.
const (
	tierOther = iota
	tierClose
	tierContiguous
)

// ranked is one hit with what the ranking computed of it.
type ranked struct {
	dm      *bsearch.DocumentMatch
	partial bool
	missing []string
	tier    int
	covered float64 // IDF of the requirements it holds
	score   float64
	key     string // zh.ExactKey of its text (set by annotate)
}

// weight is the IDF of a requirement (from the paragraphs holding any of
// its forms) and of each of its forms: a rare form (上海合作组织 beside the
// common 上合组织) weighs more where it occurs, as in BM25 over their
// disjunction.
type weight struct {
	req   float64
	forms []float64
	df    float64 // paragraphs holding the requirement, estimated (at most all)
}

// weights returns the weight of each requirement, from document
// frequencies summed over the shards: a form's frequency is that of its
// gse word in the text field (one word), or of its rarest bigram in the
// bigram field (an upper bound of the paragraphs holding it as a
// substring).
func weights(p plan, shards docFreqs, paragraphs int) []weight {
	n := float64(max(paragraphs, 1))
	idf := func(df float64) float64 {
		df = min(max(df, 1), n)
		return math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	out := make([]weight, len(p.reqs))
	for i, r := range p.reqs {
		var sum float64
		out[i].forms = make([]float64, len(r.forms))
		for j, f := range r.forms {
			df := formFrequency(f, shards)
			sum += df
			out[i].forms[j] = idf(df)
		}
		out[i].req = idf(sum)
		out[i].df = min(sum, n)
		if len(r.forms) == 0 {
			out[i].df = n
		}
	}
	return out
}

// noWeights returns zero weights for p: ranking by them only annotates.
func noWeights(p plan) []weight {
	out := make([]weight, len(p.reqs))
	for i, r := range p.reqs {
		out[i].forms = make([]float64, len(r.forms))
	}
	return out
}

// formFrequency estimates how many paragraphs hold the form: for an
// alphabetic form, those holding its rarest word (in the language's word
// or exact field).
func formFrequency(f form, shards docFreqs) float64 {
	if f.lang != "" {
		l := lang.Of(f.lang)
		field := l.WordField
		if f.phrase {
			field = l.ExactField
		}
		best := -1
		for _, t := range strings.Fields(f.exact) {
			if df := shards.docFreq(field, t); best < 0 || df < best {
				best = df
			}
		}
		return float64(max(best, 0))
	}
	words := lang.Of("").WordField
	rs := []rune(f.exact)
	if len(rs) < 2 {
		return float64(shards.docFreq(words, f.exact))
	}
	best := -1
	for i := 0; i+1 < len(rs); i++ {
		df := shards.docFreq(index.FieldBigram, string(rs[i:i+2]))
		if best < 0 || df < best {
			best = df
		}
		if best == 0 {
			break
		}
	}
	if len(f.words) == 1 {
		// a known word: its own count, if the bigrams overstate it
		if df := shards.docFreq(words, f.words[0]); df > 0 && df < best {
			best = df
		}
	}
	return float64(best)
}

// docFreqs tells how many paragraphs hold a term in a field (counting the
// deleted ones of an index that has any, as bleve's term dictionaries do).
type docFreqs interface {
	docFreq(field, term string) int
}

// shardFreqs are the document frequencies of terms summed over shards.
type shardFreqs []bleve.Index

// docFreq is the number of paragraphs holding term in field, over all
// shards; 0 when a shard cannot tell.
func (shards shardFreqs) docFreq(field, term string) int {
	total := 0
	for _, s := range shards {
		d, err := s.FieldDictRange(field, []byte(term), []byte(term))
		if err != nil {
			continue
		}
		for {
			e, err := d.Next()
			if err != nil || e == nil {
				break
			}
			if e.Term == term {
				total += int(e.Count)
			}
		}
		_ = d.Close() // read-only: nothing to report
	}
	return total
}

// rankHits orders the hits (full matches first, then partial ones) as the
// comment on rankWindow says, after annotating each.
func rankHits(p plan, idf []weight, hits []ranked) {
	for i := range hits {
		annotate(p, idf, &hits[i])
	}
	slices.SortStableFunc(hits, func(a, b ranked) int {
		switch {
		case a.partial != b.partial:
			if a.partial {
				return 1
			}
			return -1
		case a.tier != b.tier:
			return b.tier - a.tier
		case a.covered != b.covered:
			return cmpFloat(b.covered, a.covered)
		case a.score != b.score:
			return cmpFloat(b.score, a.score)
		}
		return compareOrder(a.dm, b.dm)
	})
}

// compareOrder orders hits of equal rank by document and paragraph number,
// the same in every shard layout.
func compareOrder(a, b *bsearch.DocumentMatch) int {
	da, _ := a.Fields[index.FieldDoc].(string)
	db, _ := b.Fields[index.FieldDoc].(string)
	if c := strings.Compare(da, db); c != 0 {
		return c
	}
	na, _ := a.Fields[index.FieldN].(float64)
	nb, _ := b.Fields[index.FieldN].(float64)
	return cmpFloat(na, nb)
}

// annotate computes what the ranking needs of one hit, and what a partial
// hit misses. With idf all zero, the score is zero.
func annotate(p plan, idf []weight, h *ranked) {
	var total float64
	for _, w := range idf {
		total += w.req
	}
	text, _ := h.dm.Fields[index.FieldText].(string)
	title, _ := h.dm.Fields[index.FieldTitle].(string)
	code, _ := h.dm.Fields[index.FieldLang].(string)
	pk, titleKey := newParaKeys(text, code), newParaKeys(title, code)
	h.key = pk.zh
	dl := float64(utf8.RuneCountInString(pk.zh))
	if pk.lang.Alphabetic() {
		// in words, two characters each: about the length in characters
		// of the same paragraph in Chinese
		dl = 2 * float64(strings.Count(pk.words, " ")-1)
	}
	norm := bm25K1 * (1 - bm25B + bm25B*dl/avgParagraphRunes)
	var score, inTitle float64
	h.missing, h.covered = nil, 0
	for j, r := range p.reqs {
		ok, _ := r.holds(pk)
		if !ok {
			h.missing = append(h.missing, r.label)
			// pieces of a long word count for part of its weight
			have := 0
			for _, part := range r.parts {
				if strings.Contains(pk.zh, part) {
					have++
				}
			}
			if have > 0 {
				w := idf[j].req * partBoost * float64(have) / float64(len(r.parts))
				h.covered += w
				score += w * (bm25K1 + 1) / (1 + norm)
			}
			continue
		}
		h.covered += idf[j].req
		for k, f := range r.forms {
			if tf := float64(f.count(pk)); tf > 0 {
				score += idf[j].forms[k] * tf * (bm25K1 + 1) / (tf + norm)
			}
		}
		if r.group != nil && len(r.forms) == 0 {
			score += idf[j].req * (bm25K1 + 1) / (1 + norm)
		}
		if t, _ := r.holds(titleKey); t {
			inTitle += idf[j].req
		}
	}
	if dl < shortParagraph {
		score *= math.Sqrt(max(dl, 1) / shortParagraph)
	}
	if total > 0 {
		score *= 1 + titleBonus*inTitle/total
	}
	h.score = score
	if h.partial {
		if h.missing == nil {
			// The partial query matched and the text holds every
			// requirement by substrings, but the index's words disagree
			// (a phrase of gse words across a boundary): still partial.
			h.missing = []string{}
		}
		return
	}
	h.missing = nil
	h.tier = tierOther
	switch {
	case p.contiguous(pk):
		h.tier = tierContiguous
	case len(p.reqs) > 1 && near(p, pk):
		h.tier = tierClose
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// contiguous reports whether a paragraph holds the whole query in a row.
func (p plan) contiguous(pk *paraKeys) bool {
	if pk.lang.Alphabetic() {
		w := p.wholeAlpha[pk.lang.Code]
		return w != "" && strings.Contains(pk.words, w)
	}
	for _, f := range p.whole {
		if f != "" && strings.Contains(pk.zh, f) {
			return true
		}
	}
	return false
}

// near reports whether one occurrence of each requirement lies within a
// stretch of key at most proximitySlack bytes longer than the requirements
// themselves: the smallest window holding all of them, found by sweeping
// over their occurrences in order.
func near(p plan, pk *paraKeys) bool {
	type occ struct{ at, end, req int }
	var occs []occ
	need := 0
	for i, r := range p.reqs {
		found, shortest := false, 0
		for _, f := range r.forms {
			key, needle, ok := f.stemKey(pk)
			if !ok {
				continue
			}
			for _, s := range append([]string{needle}, f.words...) {
				if s == "" {
					continue
				}
				for from, n := 0, 0; n < 32; n++ {
					j := strings.Index(key[from:], s)
					if j < 0 {
						break
					}
					occs = append(occs, occ{from + j, from + j + len(s), i})
					from += j + len(s)
					found = true
				}
				if shortest == 0 || len(s) < shortest {
					shortest = len(s)
				}
			}
		}
		if !found {
			return false
		}
		need += shortest
	}
	slices.SortFunc(occs, func(a, b occ) int { return a.at - b.at })
	counts := make([]int, len(p.reqs))
	have, lo := 0, 0
	for hi := range occs {
		if counts[occs[hi].req] == 0 {
			have++
		}
		counts[occs[hi].req]++
		for have == len(p.reqs) {
			end := 0
			for k := lo; k <= hi; k++ {
				end = max(end, occs[k].end)
			}
			if end-occs[lo].at <= need+proximitySlack {
				return true
			}
			counts[occs[lo].req]--
			if counts[occs[lo].req] == 0 {
				have--
			}
			lo++
		}
	}
	return false
}
