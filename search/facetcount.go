package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/scosearch/scosearch/index"
)

// Counting facets without reading doc values. bleve counts a facet by
// reading the field's doc values for every match, one compressed chunk
// after another in each of the segments (on the laws index, 10 % of the
// CPU of uncached queries, and most of a search in one document). But a
// paragraph's document and section never change within a generation: a
// table, read once from the postings of the two fields, gives them for
// every document number, and a facet is counted by walking the matches
// (unscored) and adding up.

// docTable gives, for each document number of the snapshot, its document
// and its section, as 1 + an index into docs and sections (0: none).
type docTable struct {
	doc, section   []uint32
	docs, sections []string
}

// tableOnce builds a storedReader's docTable once, in the background, so
// that the first searches after a generation opens do not wait for it
// (0.18 s on the laws index): they count facets with bleve meanwhile.
type tableOnce struct {
	start sync.Once
	done  chan struct{} // closed once t and err are set
	t     *docTable
	err   error
}

// table returns the snapshot's docTable, waiting for it; docs are the
// generation's documents.
func (s *storedReader) table(docs map[string]index.DocMeta) (*docTable, error) {
	s.buildTable(docs)
	<-s.tbl.done
	return s.tbl.t, s.tbl.err
}

// readyTable returns the docTable if it is built, else nil (and has it
// built).
func (s *storedReader) readyTable(docs map[string]index.DocMeta) *docTable {
	if s == nil {
		return nil
	}
	s.buildTable(docs)
	select {
	case <-s.tbl.done:
		if s.tbl.err != nil {
			return nil
		}
		return s.tbl.t
	default:
		return nil
	}
}

// buildTable starts building the docTable, once.
func (s *storedReader) buildTable(docs map[string]index.DocMeta) {
	s.tbl.start.Do(func() {
		s.tbl.done = make(chan struct{})
		go func() {
			defer close(s.tbl.done)
			n := uint64(0)
			if k := len(s.segs); k > 0 {
				n = s.offsets[k-1] + s.segs[k-1].Segment().Count()
			}
			t := &docTable{doc: make([]uint32, n), section: make([]uint32, n)}
			err := s.fill(index.FieldDoc, t.doc, &t.docs, func(term string) (string, bool) {
				_, ok := docs[term]
				return term, ok
			})
			if err == nil {
				err = s.fill(index.FieldSection, t.section, &t.sections, func(term string) (string, bool) { return term, true })
			}
			s.tbl.t, s.tbl.err = t, err
		}()
	})
}

// fill sets col[n] for every document n holding a term of field: 1 + the
// index in names of name(term).
func (s *storedReader) fill(field string, col []uint32, names *[]string, name func(string) (string, bool)) error {
	dict, err := s.snap.FieldDict(field)
	if err != nil {
		return fmt.Errorf("facet table: %s: %w", field, err)
	}
	defer dict.Close()
	var terms []string
	for e, err := dict.Next(); e != nil; e, err = dict.Next() {
		if err != nil {
			return fmt.Errorf("facet table: %s: %w", field, err)
		}
		terms = append(terms, e.Term)
	}
	for _, term := range terms {
		v, ok := name(term)
		if !ok {
			continue
		}
		*names = append(*names, v)
		k := uint32(len(*names))
		tfr, err := s.snap.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
		if err != nil {
			return fmt.Errorf("facet table: %s %q: %w", field, term, err)
		}
		var d *bindex.TermFieldDoc
		for d, err = tfr.Next(nil); d != nil && err == nil; d, err = tfr.Next(d) {
			if num := d.ID.Value(); num < uint64(len(col)) {
				col[num] = k
			}
		}
		if cerr := tfr.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("facet table: %s %q: %w", field, term, err)
		}
	}
	return nil
}

// countByTable counts the matches of q by document (and by section, with
// withSections) as bleve's facets of addFacets would: every document, the
// facetSections commonest sections. It returns the counts and the number
// of matches.
func (s *run) countByTable(ctx context.Context, t *docTable, q query.Query) (facetCounts, uint64, error) {
	sr, err := q.Searcher(ctx, s.g.stored.snap, s.g.idx.Bleve().Mapping(), bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return facetCounts{}, 0, fmt.Errorf("facets of %q: %w", s.req.Query, err)
	}
	defer sr.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(sr.DocumentMatchPoolSize(), 0)}
	cq := newCountingQuery(nil, t, s.withSections)
	dm, err := sr.Next(sctx)
	for ; dm != nil && err == nil; dm, err = sr.Next(sctx) {
		if cq.add(dm); cq.total%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return facetCounts{}, 0, err
			}
		}
		sctx.DocumentMatchPool.Put(dm)
	}
	if err != nil {
		return facetCounts{}, 0, fmt.Errorf("facets of %q: %w", s.req.Query, err)
	}
	return cq.counts(), cq.total, nil
}

// counts are the facets counted: every document, the facetSections
// commonest sections (as bleve's facets of addFacets).
func (c *countingQuery) counts() facetCounts {
	t, docs, sections := c.t, c.docs, c.sections
	fc := facetCounts{doc: map[string]int{}, section: map[string]int{}}
	for i, n := range docs[1:] {
		if n > 0 {
			fc.doc[t.docs[i]] = n
		}
	}
	if sections != nil {
		type term struct {
			name  string
			count int
		}
		var top []term
		for i, n := range sections[1:] {
			if n > 0 {
				top = append(top, term{t.sections[i], n})
			}
		}
		// bleve's order: most matches first, then by term; the first
		// facetSections.
		slices.SortFunc(top, func(a, b term) int {
			if a.count != b.count {
				return b.count - a.count
			}
			return strings.Compare(a.name, b.name)
		})
		for _, x := range top[:min(len(top), facetSections)] {
			fc.section[x.name] = x.count
		}
	}
	return fc
}

// countingQuery is a query whose searcher counts, with the table, every
// match it gives bleve's collector: the facets of a fetch come with its
// walk of the matches, not from another one.
type countingQuery struct {
	query.Query
	t              *docTable
	docs, sections []int // nil sections: not counted
	total          uint64
}

// newCountingQuery wraps q; sections says whether to count them.
func newCountingQuery(q query.Query, t *docTable, sections bool) *countingQuery {
	c := &countingQuery{Query: q, t: t, docs: make([]int, len(t.docs)+1)}
	if sections {
		c.sections = make([]int, len(t.sections)+1)
	}
	return c
}

func (c *countingQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, o bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := c.Query.Searcher(ctx, r, m, o)
	if err != nil {
		return nil, err
	}
	return &countingSearcher{Searcher: s, q: c}, nil
}

func (c *countingQuery) add(dm *bsearch.DocumentMatch) {
	c.total++
	if num := dm.IndexInternalID.Value(); num < uint64(len(c.t.doc)) {
		c.docs[c.t.doc[num]]++
		if c.sections != nil {
			c.sections[c.t.section[num]]++
		}
	}
}

// countingSearcher is the searcher of a countingQuery.
type countingSearcher struct {
	bsearch.Searcher
	q *countingQuery
}

func (s *countingSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Next(ctx)
	if dm != nil {
		s.q.add(dm)
	}
	return dm, err
}

func (s *countingSearcher) Advance(ctx *bsearch.SearchContext, id bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(ctx, id)
	if dm != nil {
		s.q.add(dm)
	}
	return dm, err
}
