package search

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/zh"
)

// Quoted phrases checked in the text. A quoted Chinese phrase of three or
// more characters is a phrase of bigrams (zh.SubstringQuery): bleve checks
// it with the terms' positions, and zap reads positions by stepping
// through every posting of each bigram up to the next candidate (a common
// bigram such as 人员: tens of thousands). A search that scores nothing
// and takes few matches (run.fetchFew) finds them otherwise, when the
// phrase is required by the whole query: the paragraphs that hold every
// bigram of the phrase and the rest of the query, from the postings'
// bitmaps alone (plan.checked), each then checked in its stored text,
// which the search reads for its hits anyway. The check is the definition
// of a match, strings.Contains(zh.ExactKey(text), key), so both ways find
// the same paragraphs. A phrase inside an OR or a group stays positional:
// there its candidates are checked where the rest of the query never
// goes (tried: slower).

// checkedQuery passes the matches of its query whose text holds every key.
type checkedQuery struct {
	query.Query
	keys  []string
	check *textCheck
}

func (c *checkedQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, o bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := c.Query.Searcher(ctx, r, m, o)
	if err != nil {
		return nil, err
	}
	return &checkedSearcher{Searcher: s, q: c}, nil
}

// checkedSearcher is the searcher of a checkedQuery.
type checkedSearcher struct {
	bsearch.Searcher
	q *checkedQuery
}

func (s *checkedSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	for {
		dm, err := s.Searcher.Next(ctx)
		if dm == nil || err != nil {
			return dm, err
		}
		if ok, err := s.q.check.holds(dm.IndexInternalID, s.q.keys); ok || err != nil {
			return dm, err
		}
		ctx.DocumentMatchPool.Put(dm)
	}
}

func (s *checkedSearcher) Advance(ctx *bsearch.SearchContext, id bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if dm == nil || err != nil {
		return dm, err
	}
	if ok, err := s.q.check.holds(dm.IndexInternalID, s.q.keys); ok || err != nil {
		return dm, err
	}
	ctx.DocumentMatchPool.Put(dm)
	return s.Next(ctx)
}

// textCheck reads the texts that checkedSearchers check, up to a number
// of them: a search that would read more fails with errTooMany (and is
// run scored, with positions). It keeps those that pass, for the hits.
type textCheck struct {
	stored *storedReader
	text   *index.TextDecoder
	left   int
	passed map[uint64][2]string // section and text, by document number
}

// holds reports whether the text of document id holds every key.
func (c *textCheck) holds(id bindex.IndexInternalID, keys []string) (bool, error) {
	if c.left <= 0 {
		return false, errTooMany
	}
	c.left--
	num := id.Value()
	section, text, err := c.stored.text(num, c.text)
	if err != nil {
		return false, err
	}
	k := zh.ExactKey(text)
	for _, key := range keys {
		if !strings.Contains(k, key) {
			return false, nil
		}
	}
	if c.passed == nil {
		c.passed = map[uint64][2]string{}
	}
	c.passed[num] = [2]string{section, text}
	return true, nil
}

// fill gives the hits of sr whose text c read their section and text
// (loadHits then reads only the others); c may be nil.
func (c *textCheck) fill(sr *bleve.SearchResult) {
	if c == nil {
		return
	}
	for _, dm := range sr.Hits {
		if st, ok := c.passed[dm.IndexInternalID.Value()]; ok {
			if dm.Fields == nil {
				dm.Fields = make(map[string]any, 8)
			}
			dm.Fields[index.FieldSection], dm.Fields[index.FieldText] = st[0], st[1]
		}
	}
}
