// Package phrase provides bleve's phrase queries (PhraseQuery,
// MultiPhraseQuery, MatchPhraseQuery) with a cheaper check of the term
// positions. bleve's phrase searcher turns every candidate's term
// locations into maps of maps before checking them (on the laws corpus a
// tenth of a query mix's time went to building those maps); these check
// the same positions in place, in small slices. They find the same
// documents with the same scores (the conjunction of the terms' searchers
// scores them, as in bleve's), but the matches they give carry no term
// locations: nothing in scosearch reads them (highlights come from the
// text). Fields are not arrays: array positions are not compared.
package phrase

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// Query matches the documents whose field holds its terms at consecutive
// positions: at position i, one of terms[i] (none, or only "", is a
// position not checked), as bleve's MultiPhraseQuery.
type Query struct {
	terms [][]string
	fieldBoost
}

// New returns the phrase of terms in field.
func New(terms [][]string, field string) *Query {
	return &Query{terms: terms, fieldBoost: fieldBoost{field: field}}
}

// NewTerms returns the phrase of one term per position ("" for a position
// not checked) in field, as bleve's NewPhraseQuery.
func NewTerms(terms []string, field string) *Query {
	mterms := make([][]string, len(terms))
	for i, t := range terms {
		mterms[i] = []string{t}
	}
	return New(mterms, field)
}

// fieldBoost is the field and boost of a phrase query. Its SetBoost,
// Boost, SetField and Field make the query a FieldableQuery, as bleve's
// phrase queries are: bleve reads the field of every such query for the
// statistics of BM25 across shards.
type fieldBoost struct {
	field string
	boost *query.Boost
}

func (q *fieldBoost) SetBoost(b float64) { bb := query.Boost(b); q.boost = &bb }
func (q *fieldBoost) Boost() float64     { return q.boost.Value() }
func (q *fieldBoost) SetField(f string)  { q.field = f }
func (q *fieldBoost) Field() string      { return q.field }

// Searcher builds, as bleve's phrase searcher does, a term searcher with
// term vectors per position of one term (a disjunction of them for a
// position of several) and their conjunction.
func (q *Query) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	field := q.field
	if field == "" {
		field = m.DefaultSearchField()
	}
	o.IncludeTermVectors = true
	s := &phraseSearcher{}
	var children []search.Searcher
	closeAll := func(more ...search.Searcher) {
		for _, c := range append(children, more...) {
			_ = c.Close()
		}
	}
	term := func(t string) (search.Searcher, error) {
		ts, err := searcher.NewTermSearcher(ctx, r, t, field, q.boost.Value(), o)
		if err != nil {
			return nil, fmt.Errorf("phrase searcher: term %q: %w", t, err)
		}
		return ts, nil
	}
	for i, alts := range q.terms {
		switch {
		case len(alts) == 1 && alts[0] != "":
			// a term that occurs twice in the phrase is searched twice,
			// as bleve does (it counts twice in the score)
			ts, err := term(alts[0])
			if err != nil {
				closeAll()
				return nil, err
			}
			children = append(children, ts)
		case len(alts) > 1:
			var ors []search.Searcher
			for _, t := range alts {
				if t == "" {
					continue
				}
				ts, err := term(t)
				if err != nil {
					closeAll(ors...)
					return nil, err
				}
				ors = append(ors, ts)
			}
			d, err := searcher.NewDisjunctionSearcher(ctx, r, ors, 1, o)
			if err != nil {
				closeAll(ors...)
				return nil, fmt.Errorf("phrase searcher: position %d: %w", i, err)
			}
			children = append(children, d)
		default:
			continue // not checked
		}
		s.checks = append(s.checks, check{offset: uint64(i), terms: alts})
	}
	if len(children) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	must, err := searcher.NewConjunctionSearcher(ctx, r, children, o)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("phrase searcher: %w", err)
	}
	s.must = must
	// as bleve's phrase searcher: its own query norm first, which a
	// parent searcher may then replace
	s.must.SetQueryNorm(1 / math.Sqrt(s.must.Weight()))
	s.pos = make([][]uint64, len(s.checks))
	return s, nil
}

// check is one position of a phrase: its offset from the first and the
// terms that may stand there.
type check struct {
	offset uint64
	terms  []string
}

// phraseSearcher returns the matches of its conjunction whose term
// positions hold the phrase.
type phraseSearcher struct {
	must   search.Searcher
	checks []check
	pos    [][]uint64 // scratch: per check, the positions of its terms in a match
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		dm, err := s.must.Next(ctx)
		if dm == nil || err != nil {
			return dm, err
		}
		if s.holds(dm) {
			return strip(dm), nil
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
		return strip(dm), nil
	}
	ctx.DocumentMatchPool.Put(dm)
	return s.Next(ctx)
}

// strip drops the term locations of a match (see the package comment).
func strip(dm *search.DocumentMatch) *search.DocumentMatch {
	dm.FieldTermLocations = dm.FieldTermLocations[:0]
	dm.Locations = nil
	return dm
}

// holds reports whether some position p has, for every check, one of its
// terms at p plus its offset.
func (s *phraseSearcher) holds(dm *search.DocumentMatch) bool {
	for i, c := range s.checks {
		s.pos[i] = s.pos[i][:0]
		for _, l := range dm.FieldTermLocations {
			if slices.Contains(c.terms, l.Term) {
				s.pos[i] = append(s.pos[i], l.Location.Pos)
			}
		}
		if len(s.pos[i]) == 0 {
			return false
		}
		if !slices.IsSorted(s.pos[i]) {
			slices.Sort(s.pos[i])
		}
	}
	first := s.checks[0].offset
next:
	for _, p0 := range s.pos[0] {
		if p0 < first {
			continue
		}
		start := p0 - first
		for i, c := range s.checks[1:] {
			if _, ok := slices.BinarySearch(s.pos[i+1], start+c.offset); !ok {
				continue next
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

// MatchQuery is bleve's MatchPhraseQuery with the check of Query: the text
// is analysed (with the named analyzer, or the field's) when searched, and
// its tokens make the phrase, several at one position standing for each
// other.
type MatchQuery struct {
	text, analyzer string
	fieldBoost
}

// NewMatch returns the phrase of text analysed by analyzer ("" for the
// field's) in field.
func NewMatch(text, field, analyzer string) *MatchQuery {
	return &MatchQuery{text: text, analyzer: analyzer, fieldBoost: fieldBoost{field: field}}
}

// Searcher analyses the text as bleve's MatchPhraseQuery does and searches
// its phrase; no tokens match nothing.
func (q *MatchQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	field := q.field
	if field == "" {
		field = m.DefaultSearchField()
	}
	name := q.analyzer
	if name == "" {
		name = m.AnalyzerNameForPath(field)
	}
	a := m.AnalyzerNamed(name)
	if a == nil {
		return nil, fmt.Errorf("no analyzer named %q registered", name)
	}
	terms := tokensToPhrase(a.Analyze([]byte(q.text)))
	if len(terms) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	p := New(terms, field)
	p.boost = q.boost
	return p.Searcher(ctx, r, m, o)
}

// tokensToPhrase places the tokens by position from the first one's, as
// bleve's MatchPhraseQuery does.
func tokensToPhrase(tokens analysis.TokenStream) [][]string {
	if len(tokens) == 0 {
		return nil
	}
	first, last := tokens[0].Position, tokens[0].Position
	for _, t := range tokens {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	out := make([][]string, last-first+1)
	for _, t := range tokens {
		out[t.Position-first] = append(out[t.Position-first], string(t.Term))
	}
	return out
}
