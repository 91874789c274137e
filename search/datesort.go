package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/scosearch/scosearch/index"
)

// Sorting by date without sorting every match. bleve sorts the matches of
// a query by reading the date, document and paragraph number of each (for
// 人民, 70,817 matches: 184 ms). But a date belongs to a document, so the
// date order is an order of documents: the newest dates hold the first
// hits. fetchByDate counts the matches (unscored, reading nothing), then
// asks bleve for the page among the documents of the newest dates only,
// widening to older dates until the page is full. Each step restricts the
// query with a filter on the date field, which does not change a hit's
// score, and bleve sorts the hits of a step exactly as it would sort all
// of them; the steps cover consecutive ranges of dates, so their hits,
// one step after another, are the hits of the whole sort.

// dateSortDirect: up to this many matches, bleve sorts them all (the
// count and the steps would cost more than they save).
const dateSortDirect = 2000

// dateGroup is one date of the generation's documents, newest first, with
// the number of paragraphs dated so.
type dateGroup struct {
	date       string
	paragraphs int
}

// datesOnce holds the generation's dates, newest first ("" last), found once.
type datesOnce struct {
	once   sync.Once
	groups []dateGroup
}

func (g *generation) dates() []dateGroup {
	g.dateOrder.once.Do(func() {
		n := map[string]int{}
		for _, d := range g.docs {
			n[d.Date] += d.Paragraphs
		}
		for date, p := range n {
			g.dateOrder.groups = append(g.dateOrder.groups, dateGroup{date, p})
		}
		slices.SortFunc(g.dateOrder.groups, func(a, b dateGroup) int { return strings.Compare(b.date, a.date) })
	})
	return g.dateOrder.groups
}

// fetchByDate is fetch for SortDate (see above): size hits from offset,
// in date order, the facets of all matches when facets is set.
func (s *run) fetchByDate(ctx context.Context, q query.Query, offset, size int, facets bool) (*bleve.SearchResult, error) {
	countQ := s.unscored(q)
	if _, ok := q.(*query.BooleanQuery); !ok {
		// Each step wraps q in a BooleanQuery with its filter, which
		// scores a lone clause a rounding apart (a conjunction of one):
		// wrapped here too, every path scores alike.
		q = query.NewBooleanQuery([]query.Query{q}, nil, nil)
	}
	count := bleve.NewSearchRequestOptions(countQ, 0, 0, false)
	count.Score = "none"
	var counting *countingQuery
	if facets {
		var err error
		if counting, err = s.countingQuery(countQ); err != nil {
			return nil, err
		}
		if counting != nil {
			count.Query = counting
		} else {
			s.addFacets(count)
		}
	}
	all, err := s.g.search(ctx, count)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", s.req.Query, err)
	}
	if all.Total <= uint64(cmp.Or(s.e.opts.dateSortDirect, dateSortDirect)) {
		return s.fetchSorted(ctx, q, offset, size, facets)
	}
	if facets {
		if s.counted, err = s.facetsOfSearch(ctx, countQ, all, counting); err != nil {
			return nil, err
		}
		s.countedOf = all
	}
	groups := s.g.dates()
	paragraphs := 0
	for _, gr := range groups {
		paragraphs += gr.paragraphs
	}
	// The first step covers about twice the paragraphs that would hold
	// offset+size matches if they were spread evenly; each next step
	// doubles.
	need := offset + size
	cover := cmp.Or(s.e.opts.dateFirstStep, max(1, 2*need*paragraphs/int(all.Total)))
	seen := 0 // matches in the steps so far
	var hits bsearch.DocumentMatchCollection
	for i := 0; i < len(groups) && len(hits) < size; {
		j, covered := i, 0
		for j < len(groups) && (j == i || covered < cover) {
			covered += groups[j].paragraphs
			j++
		}
		step := q
		if f := dateFilter(groups, i, j); f != nil {
			bq := query.NewBooleanQuery([]query.Query{q}, nil, nil)
			bq.AddFilter(f)
			step = bq
		}
		sr, err := s.fetchSorted(ctx, step, max(0, offset-seen), need-max(offset, seen), false)
		if err != nil {
			return nil, err
		}
		hits = append(hits, sr.Hits...)
		seen += int(sr.Total)
		i, cover = j, 2*cover
	}
	all.Hits = hits
	return all, nil
}

// dateFilter selects the paragraphs dated groups[j-1].date to
// groups[i].date: from the newest date when i is 0, down to the oldest
// and the undated (whatever their date field holds) when j is the last;
// nil for all of them.
func dateFilter(groups []dateGroup, i, j int) query.Query {
	in, out := true, false
	switch {
	case i == 0 && j == len(groups):
		return nil
	case j == len(groups): // older than the previous step's oldest
		newer := query.NewTermRangeInclusiveQuery(groups[i-1].date, "", &in, &out)
		newer.SetField(index.FieldDate)
		return query.NewBooleanQuery(nil, nil, []query.Query{newer})
	}
	hi := "" // open: the newest
	if i > 0 {
		hi = groups[i-1].date // exclusive: the previous step's oldest
	}
	r := query.NewTermRangeInclusiveQuery(groups[j-1].date, hi, &in, &out)
	r.SetField(index.FieldDate)
	return r
}
