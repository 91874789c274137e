package zh

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery is bleve's PhraseQuery of a substring's bigrams, with a
// cheaper check of the positions. bleve's phrase searcher turns every
// candidate's term locations into maps of maps before checking them (on
// the laws corpus a tenth of a query mix's time went to building those
// maps); this one checks the same positions in place. It finds the same
// paragraphs with the same scores (the conjunction of the terms' searchers
// scores them, as in bleve's), but the matches it gives carry no term
// locations: nothing in scosearch reads them (highlights come from the
// text).
type phraseQuery struct {
	terms []string // "" marks a position not checked
	field string
	boost *query.Boost
}

func newPhraseQuery(terms []string, field string) *phraseQuery {
	return &phraseQuery{terms: terms, field: field}
}

// SetBoost, Boost, SetField and Field make it a FieldableQuery, as bleve's
// PhraseQuery is: bleve reads the field of every such query for the
// statistics of BM25 across shards.
func (q *phraseQuery) SetBoost(b float64) { bb := query.Boost(b); q.boost = &bb }
func (q *phraseQuery) Boost() float64     { return q.boost.Value() }
func (q *phraseQuery) SetField(f string)  { q.field = f }
func (q *phraseQuery) Field() string      { return q.field }

// Searcher builds, as bleve's phrase searcher does, a term searcher with
// term vectors per non-empty term and their conjunction.
func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	field := q.field
	if field == "" {
		field = m.DefaultSearchField()
	}
	o.IncludeTermVectors = true
	s := &phraseSearcher{offsets: make([][]int, 0, len(q.terms))}
	var terms []search.Searcher
	closeAll := func() {
		for _, t := range terms {
			_ = t.Close()
		}
	}
	for i, t := range q.terms {
		if t == "" {
			continue
		}
		// a term that occurs twice in the phrase is searched twice, as
		// bleve does (it counts twice in the score), and checked at both
		// offsets
		ts, err := searcher.NewTermSearcher(ctx, r, t, field, q.boost.Value(), o)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("phrase searcher: term %q: %w", t, err)
		}
		terms = append(terms, ts)
		if j := slices.Index(s.terms, t); j >= 0 {
			s.offsets[j] = append(s.offsets[j], i)
			continue
		}
		s.terms = append(s.terms, t)
		s.offsets = append(s.offsets, []int{i})
	}
	if len(terms) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	must, err := searcher.NewConjunctionSearcher(ctx, r, terms, o)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("phrase searcher: %w", err)
	}
	s.must = must
	// as bleve's phrase searcher: its own query norm first, which a
	// parent searcher may then replace
	s.must.SetQueryNorm(1 / math.Sqrt(s.must.Weight()))
	s.pos = make([][]uint64, len(s.terms))
	return s, nil
}

// phraseSearcher returns the matches of its conjunction whose term
// positions hold the phrase.
type phraseSearcher struct {
	must    search.Searcher
	terms   []string   // distinct terms
	offsets [][]int    // offsets[i]: where terms[i] is in the phrase
	pos     [][]uint64 // scratch: the positions of each term in a match
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		dm, err := s.must.Next(ctx)
		if dm == nil || err != nil {
			return dm, err
		}
		if s.holds(dm) {
			return s.strip(dm), nil
		}
		ctx.DocumentMatchPool.Put(dm)
	}
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.must.Advance(ctx, id)
	if dm == nil || err != nil {
		return dm, err
	}
	if s.holds(dm) {
		return s.strip(dm), nil
	}
	ctx.DocumentMatchPool.Put(dm)
	return s.Next(ctx)
}

// strip drops the term locations of a match (see phraseQuery).
func (s *phraseSearcher) strip(dm *search.DocumentMatch) *search.DocumentMatch {
	dm.FieldTermLocations = dm.FieldTermLocations[:0]
	dm.Locations = nil
	return dm
}

// holds reports whether some position p has, for every term, the term at
// p plus each of its offsets.
func (s *phraseSearcher) holds(dm *search.DocumentMatch) bool {
	for i := range s.pos {
		s.pos[i] = s.pos[i][:0]
	}
	for _, l := range dm.FieldTermLocations {
		if i := slices.Index(s.terms, l.Term); i >= 0 {
			s.pos[i] = append(s.pos[i], l.Location.Pos)
		}
	}
	for i := range s.pos {
		if len(s.pos[i]) == 0 {
			return false
		}
		if !slices.IsSorted(s.pos[i]) {
			slices.Sort(s.pos[i])
		}
	}
	// candidates: positions of the first term less its first offset
	first := uint64(s.offsets[0][0])
next:
	for _, p0 := range s.pos[0] {
		if p0 < first {
			continue
		}
		start := p0 - first
		for i, offs := range s.offsets {
			for _, o := range offs {
				if _, ok := slices.BinarySearch(s.pos[i], start+uint64(o)); !ok {
					continue next
				}
			}
		}
		return true
	}
	return false
}

func (s *phraseSearcher) Weight() float64            { return s.must.Weight() }
func (s *phraseSearcher) SetQueryNorm(n float64)     { s.must.SetQueryNorm(n) }
func (s *phraseSearcher) Count() uint64              { return s.must.Count() }
func (s *phraseSearcher) Min() int                   { return s.must.Min() }
func (s *phraseSearcher) Size() int                  { return s.must.Size() }
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.must.DocumentMatchPoolSize() }
func (s *phraseSearcher) Close() error               { return s.must.Close() }
