package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/scosearch/scosearch/index"
)

// Search runs one search, in stages: plan the query, fetch and rank the
// best matches (full ones, then partial ones when the full ones do not
// fill a page), collapse near-identical paragraphs, cut the page, count
// facets. A query that cannot be parsed, or a Request that breaks a limit,
// returns an error wrapping ErrBadQuery with a message fit for the user.
func (e *Engine) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	req, err := req.normalise()
	if err != nil {
		return nil, err
	}
	root, err := req.parse()
	if err != nil {
		return nil, err
	}
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.release(g)

	key := cacheKey{gen: g.idx.Dir(), req: req}
	if !e.opts.noCache {
		res, ok := e.cache.Get(key)
		e.stats.cached(ok)
		if ok {
			return res.copy(time.Since(start)), nil
		}
	}
	s := &run{e: e, g: g, req: req, plan: newPlan(root), filterBound: g.filterBound(root)}
	s.withSections = len(g.docs) == 1 || req.Doc != "" || hasDocFilter(s.plan.full)
	s.fkey = facetKey{gen: key.gen, query: req.Query, doc: req.Doc, year: req.Year, section: req.Section, lang: req.Lang}
	if !e.opts.noCache {
		s.cachedFacets, s.haveFacets = e.facetCache.Get(s.fkey)
	}
	res, err := s.search(ctx)
	if err != nil {
		return nil, err
	}
	if !e.opts.noCache {
		e.cache.Add(key, res)
	}
	return res.copy(time.Since(start)), nil
}

// partialBelow: a query matched whole by fewer paragraphs than this (a
// default page) goes on with partial matches. It does not depend on the
// page size, so that every page size pages through the same list.
const partialBelow = DefaultSize

// run is one search in progress.
type run struct {
	e            *Engine
	g            *generation
	req          Request
	plan         plan
	filterBound  float64 // the most paragraphs the query's filters let through
	withSections bool
	fkey         facetKey
	cachedFacets Facets
	haveFacets   bool
	// counted gives the facets counted with a fetch, of countedOf's
	// matches (made into maps only if used).
	counted   func() facetCounts
	countedOf *bleve.SearchResult
	// textLater: fetches read no text (the caller picks the hits it
	// shows first, and reads theirs with generation.loadText).
	textLater bool
}

func (s *run) search(ctx context.Context) (*Result, error) {
	req, p := s.req, s.plan
	var df docFreqs = shardFreqs(s.g.idx.Shards())
	if s.g.stored != nil {
		df = s.g.stored
	}
	w := weights(p, df, s.g.idx.Meta().Paragraphs)
	// Facets are counted with the hits when the document frequencies say
	// the matches are few enough (at most those of the rarest
	// requirement), else after, if they turn out to be.
	fullEst, anyEst, maxEst := math.Inf(1), 0.0, 0.0
	for _, x := range w {
		fullEst, anyEst, maxEst = min(fullEst, x.df), anyEst+x.df, max(maxEst, x.df)
	}
	// Filters: at most the paragraphs they let through, and about their
	// share of the words' matches (twice it, to be safe: a wrong guess
	// only costs counting facets that are then not used).
	wordsEst := fullEst
	if total := float64(s.g.idx.Meta().Paragraphs); total > 0 {
		fullEst = min(fullEst, s.filterBound, 2*fullEst*s.filterBound/total)
	}
	// Full matches: the best rankWindow of them.
	window := cmp.Or(s.e.opts.rankWindow, rankWindow)
	// With the table (facetcount.go) counting costs little more than the
	// walk bleve makes anyway: the full matches are always counted, so
	// that no second search counts them when they turn out to be few.
	// Every match is ranked when there are at most window of them, and
	// then bleve need not score them (fetchFew). A query of one
	// requirement matches about as many paragraphs as its document
	// frequency says; beyond a few windows' worth, trying would only
	// find more matches than it can take.
	few := len(p.reqs) > 1 || fullEst <= fewTry*float64(window)
	bare, checks := p.bare, []string(nil)
	if p.checked != nil && s.g.stored != nil {
		bare, checks = p.checked, p.checks // checked.go
	}
	full, err := s.fetchBest(ctx, p.full, bare, checks, few, window, s.countWith(fullEst) || (s.table() != nil && !s.haveFacets))
	if err != nil {
		return nil, err
	}
	list, listQuery := full, p.full
	hits := make([]ranked, 0, len(full.Hits))
	for _, dm := range full.Hits {
		hits = append(hits, ranked{dm: dm})
	}
	complete := full.Total
	total := full.Total
	// No dead ends: fewer full matches than a page go on with partial
	// ones; if there are none, with the parts of long words.
	if full.Total < partialBelow {
		var part *bleve.SearchResult
		var partQuery query.Query
		for _, q := range []query.Query{p.partial, p.fallback} {
			if q == nil {
				continue
			}
			// (a partial query matches at least the paragraphs of its
			// commonest requirement)
			few := maxEst <= fewTry*float64(window)
			if part, err = s.fetchBest(ctx, q, q, nil, few, window+len(full.Hits), s.countWith(anyEst)); err != nil {
				return nil, err
			}
			partQuery = q
			if part.Total > full.Total {
				break
			}
		}
		if partQuery != nil {
			seen := make(map[string]bool, len(full.Hits))
			for _, dm := range full.Hits {
				seen[dm.ID] = true
			}
			for _, dm := range part.Hits {
				if !seen[dm.ID] {
					hits = append(hits, ranked{dm: dm, partial: true})
				}
			}
			list, listQuery = part, partQuery
			total = max(part.Total, full.Total)
		}
	}
	if req.Sort == SortDate {
		// date order comes from bleve's sort; partial hits after full ones
		slices.SortStableFunc(hits, func(a, b ranked) int {
			switch {
			case a.partial == b.partial:
				return 0
			case a.partial:
				return 1
			}
			return -1
		})
		for i := range hits {
			annotate(p, noWeights(p), &hits[i])
		}
	} else {
		rankHits(p, w, hits)
	}

	// Collapse near-identical paragraphs within the window.
	groups := make([][]int, len(hits))
	for i := range hits {
		groups[i] = []int{i}
	}
	if !req.NoCollapse {
		keys := make([]string, len(hits))
		for i, h := range hits {
			keys[i] = h.key
		}
		groups = collapseGroups(keys)
	}
	collapsed := uint64(len(hits) - len(groups))

	res := &Result{Query: req.Query, Total: total, Complete: complete, Collapsed: collapsed, Hits: []Hit{}}
	for _, grp := range groups[min(req.From, len(groups)):min(req.From+req.Size, len(groups))] {
		h := newHit(hits[grp[0]], p)
		for _, i := range grp[1:] {
			h.Similar = append(h.Similar, hits[i].dm.ID)
		}
		res.Hits = append(res.Hits, h)
	}
	// Beyond the window: bleve's order, uncollapsed.
	if want := req.From + req.Size - len(groups); want > 0 && uint64(len(list.Hits)) < list.Total {
		shown := len(res.Hits)
		skip, n := max(0, req.From-len(groups)), req.Size-shown
		partial := listQuery != p.full
		// The partial query matches the full matches too: those it
		// orders beyond its window were shown among the full ones, and
		// are left out of its tail (the tail is then read from the
		// window's end, to know where they fall).
		beyond := map[string]bool{}
		if partial {
			for _, dm := range full.Hits {
				beyond[dm.ID] = true
			}
			for _, dm := range list.Hits {
				delete(beyond, dm.ID)
			}
		}
		offset, size := len(list.Hits)+skip, n
		if len(beyond) > 0 {
			// (the page picked first: only its hits' text is read)
			offset, size, s.textLater = len(list.Hits), skip+n+len(beyond), true
		}
		tail, err := s.fetch(ctx, listQuery, offset, size, false)
		s.textLater = false
		if err != nil {
			return nil, err
		}
		hits := tail.Hits
		if len(beyond) > 0 {
			hits = slices.DeleteFunc(hits, func(dm *bsearch.DocumentMatch) bool { return beyond[dm.ID] })
			hits = hits[min(skip, len(hits)):min(skip+n, len(hits))]
			for _, dm := range hits {
				if err := s.g.loadText(dm); err != nil {
					return nil, fmt.Errorf("search %q: %w", req.Query, err)
				}
			}
		}
		for _, dm := range hits {
			h := ranked{dm: dm, partial: partial}
			annotate(p, noWeights(p), &h)
			h.score = dm.Score
			res.Hits = append(res.Hits, newHit(h, p))
		}
	}

	if s.haveFacets {
		res.Facets = s.cachedFacets
		return res, nil
	}
	// Facets count every match when there are at most facetExactBelow of
	// them; beyond, reading the doc field of every match cost most of a
	// common word's time (人民, 70,817 matches: 7 ms to rank, 85 ms more
	// for the doc facet), so they count the ranked window and say so.
	switch {
	case s.counted != nil && list == s.countedOf && (list.Total <= uint64(s.facetLimit()) || list != full || s.countWith(wordsEst)):
		// (facets counted on a guess from the filters are used when the
		// guess held, or when the words' estimate alone would have
		// counted them too)
		res.Facets = newFacets(s.counted(), s.g)
	case list.Total <= uint64(s.facetLimit()):
		c, err := s.countFacets(ctx, listQuery)
		if err != nil {
			return nil, err
		}
		res.Facets = newFacets(c, s.g)
	default:
		res.Facets = newFacets(countHits(hits, s.withSections), s.g)
		res.Facets.Sample = len(hits)
	}
	if !s.e.opts.noCache {
		s.e.facetCache.Add(s.fkey, res.Facets)
	}
	return res, nil
}

// facetExactBelow: facets count every match up to this many matches.
const facetExactBelow = 5000

// facetCounts are the counts Facets are made of: matching paragraphs by
// document and by section.
type facetCounts struct{ doc, section map[string]int }

// facetLimit is the most matches whose facets are counted exactly.
func (s *run) facetLimit() int { return cmp.Or(s.e.opts.facetExactBelow, facetExactBelow) }

// countWith reports whether a fetch expected to match est paragraphs
// should count the facets too.
func (s *run) countWith(est float64) bool { return !s.haveFacets && est <= float64(s.facetLimit()) }

// addFacets asks br for the facets: by document, and by section within
// one document.
func (s *run) addFacets(br *bleve.SearchRequest) {
	s.g.addDocFacet(br)
	if s.withSections {
		br.AddFacet(index.FieldSection, bleve.NewFacetRequest(index.FieldSection, facetSections))
	}
}

// countFacets counts the matches of q by document (and by section, within
// one document) with bleve's facets, fetching no hit.
func (s *run) countFacets(ctx context.Context, q query.Query) (facetCounts, error) {
	q = s.unscored(q)
	if t := s.table(); t != nil {
		c, _, err := s.countByTable(ctx, t, q) // facetcount.go
		return c, err
	}
	br := bleve.NewSearchRequestOptions(q, 0, 0, false)
	br.Score = "none"
	s.addFacets(br)
	sr, err := s.g.search(ctx, br)
	if err != nil {
		return facetCounts{}, fmt.Errorf("facets of %q: %w", s.req.Query, err)
	}
	return s.g.facetsOf(sr), nil
}

// unscored returns q for a search that scores nothing: the plan's bare
// query for its full one (the same matches, without the clauses that only
// weigh the score, which bleve would walk all the same).
func (s *run) unscored(q query.Query) query.Query {
	if q == s.plan.full {
		return s.plan.bare
	}
	return q
}

// table is the generation's table of documents and sections
// (facetcount.go), or nil: several shards, or not built yet.
func (s *run) table() *docTable { return s.g.stored.readyTable(s.g.docs) }

// countingQuery wraps q to count its facets with the table as bleve walks
// its matches; nil without the table.
func (s *run) countingQuery(q query.Query) (*countingQuery, error) {
	t := s.table()
	if t == nil {
		return nil, nil
	}
	return newCountingQuery(q, t, s.withSections), nil
}

// facetsOfSearch returns the facets of sr, the result of q: those its
// countingQuery counted, or bleve's (facetcount.go).
func (s *run) facetsOfSearch(ctx context.Context, q query.Query, sr *bleve.SearchResult, counting *countingQuery) (func() facetCounts, error) {
	switch {
	case counting == nil:
		c := s.g.facetsOf(sr)
		return func() facetCounts { return c }, nil
	case counting.total == sr.Total:
		return counting.counts, nil
	}
	// bleve's collector saw matches the wrapped searcher did not give it
	// (not seen so far): count them again.
	c, _, err := s.countByTable(ctx, counting.t, q)
	return func() facetCounts { return c }, err
}

// addDocFacet asks br to count its matches by document (read back with
// facetsOf).
func (g *generation) addDocFacet(br *bleve.SearchRequest) {
	br.AddFacet(index.FieldDoc, bleve.NewFacetRequest(index.FieldDoc, len(g.docs)+1))
}

// facetsOf reads the facets of a bleve result.
func (g *generation) facetsOf(sr *bleve.SearchResult) facetCounts {
	c := facetCounts{doc: map[string]int{}, section: map[string]int{}}
	if f := sr.Facets[index.FieldDoc]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			if _, ok := g.docs[t.Term]; ok {
				c.doc[t.Term] = t.Count
			}
		}
	}
	if f := sr.Facets[index.FieldSection]; f != nil && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			c.section[t.Term] = t.Count
		}
	}
	return c
}

// countHits counts the ranked hits by document (and section).
func countHits(hits []ranked, withSections bool) facetCounts {
	c := facetCounts{doc: map[string]int{}, section: map[string]int{}}
	for _, h := range hits {
		d, _ := h.dm.Fields[index.FieldDoc].(string)
		c.doc[d]++
		if withSections {
			sec, _ := h.dm.Fields[index.FieldSection].(string)
			c.section[sec]++
		}
	}
	return c
}

// fetch runs q on bleve for size hits from offset, with the stored fields
// of each hit (no match locations: Hit.Snippets come from the text), and
// the facets of all its matches when facets is set (kept in s.counted).
func (s *run) fetch(ctx context.Context, q query.Query, offset, size int, facets bool) (*bleve.SearchResult, error) {
	if s.req.Sort == SortDate && size > 0 {
		return s.fetchByDate(ctx, q, offset, size, facets) // datesort.go
	}
	return s.fetchSorted(ctx, q, offset, size, facets)
}

// fetchSorted is fetch with bleve sorting every match.
func (s *run) fetchSorted(ctx context.Context, q query.Query, offset, size int, facets bool) (*bleve.SearchResult, error) {
	br := bleve.NewSearchRequestOptions(q, size, offset, false)
	br.SortByCustom(sortOrder(s.req.Sort))
	return s.collect(ctx, br, facets, nil)
}

// fetchBest returns the best size matches of q by relevance (by date for
// SortDate), with the facets of all its matches when facets is set. bare
// is q without its clauses that only weigh bleve's score (and whose
// matches hold checks, see fetchFew): when q has at most size matches,
// fetchFew returns them all without scoring any; few says whether to
// try.
func (s *run) fetchBest(ctx context.Context, q, bare query.Query, checks []string, few bool, size int, facets bool) (*bleve.SearchResult, error) {
	if few && s.req.Sort != SortDate && !s.e.opts.scoreAll {
		sr, err := s.fetchFew(ctx, bare, checks, size, facets)
		if sr != nil || err != nil {
			return sr, err
		}
	}
	return s.fetch(ctx, q, 0, size, facets)
}

// fetchFew returns every match of q whose text holds each of checks
// (checked.go) when there are at most limit of them, unscored; nil when
// there are more, found as soon as the walk passes limit (or reads more
// than fewTry times limit texts to check).
//
// bleve's score only chooses which matches the Engine ranks (rankWindow):
// when every match is ranked, none needs it. Scoring is what costs most
// in a query whose words are common but rarely together (关规定语: the
// conjunction char:关 ∧ bigram:规定 ∧ char:语 of 81,271 to 932 postings,
// 56 matches): zap reads a term's frequencies by stepping through every
// posting before the next match, where, unscored, it jumps with the
// postings' bitmap.
func (s *run) fetchFew(ctx context.Context, q query.Query, checks []string, limit int, facets bool) (*bleve.SearchResult, error) {
	// (one more than the limit: unscored, bleve stops once it has as
	// many matches as asked for, and would count no more)
	var check *textCheck
	if len(checks) > 0 {
		check = &textCheck{stored: s.g.stored, text: s.g.idx.Text(), left: fewTry * limit}
		q = &checkedQuery{Query: q, keys: checks, check: check}
	}
	br := bleve.NewSearchRequestOptions(&cappedQuery{Query: q, limit: uint64(limit)}, limit+1, 0, false)
	br.Score = "none"
	br.SortByCustom(sortOrder(s.req.Sort))
	counted, countedOf := s.counted, s.countedOf
	sr, err := s.collect(ctx, br, facets, check)
	if errors.Is(err, errTooMany) || err == nil && sr.Total > uint64(limit) {
		// more matches (in some shard, or in all together): the facets
		// counted so far are not theirs
		s.counted, s.countedOf = counted, countedOf
		return nil, nil
	}
	return sr, err
}

// collect runs br, with the stored fields of each hit (those check read
// already from it, if not nil) and their document's metadata, and the
// facets of all its matches when facets is set (kept in s.counted).
func (s *run) collect(ctx context.Context, br *bleve.SearchRequest, facets bool, check *textCheck) (*bleve.SearchResult, error) {
	q := br.Query
	s.g.withStored(br)
	var counting *countingQuery
	if facets {
		var err error
		if counting, err = s.countingQuery(q); err != nil {
			return nil, err
		}
		if counting != nil {
			br.Query = counting // counts the facets as bleve walks the matches
		} else {
			s.addFacets(br)
		}
	}
	sr, err := s.g.search(ctx, br)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", s.req.Query, err)
	}
	check.fill(sr)
	if err := s.g.loadHits(sr, !s.textLater); err != nil {
		return nil, fmt.Errorf("search %q: %w", s.req.Query, err)
	}
	if facets {
		if s.counted, err = s.facetsOfSearch(ctx, q, sr, counting); err != nil {
			return nil, err
		}
		s.countedOf = sr
	}
	for _, dm := range sr.Hits {
		doc, _ := dm.Fields[index.FieldDoc].(string)
		d := s.g.docs[doc]
		dm.Fields[index.FieldTitle], dm.Fields[index.FieldDate] = d.Title, d.Date
		dm.Fields[index.FieldPlace], dm.Fields[index.FieldLang] = d.Place, d.Lang
	}
	return sr, nil
}

// fewTry: a query estimated to match more than fewTry windows' worth of
// paragraphs is not tried unscored first (fetchBest).
const fewTry = 4

// errTooMany stops a cappedQuery's walk.
var errTooMany = errors.New("more matches than asked for")

// cappedQuery is a query whose searcher fails with errTooMany at its
// match after limit.
type cappedQuery struct {
	query.Query
	limit uint64
}

func (c *cappedQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, o bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := c.Query.Searcher(ctx, r, m, o)
	if err != nil {
		return nil, err
	}
	return &cappedSearcher{Searcher: s, left: c.limit}, nil
}

// cappedSearcher is the searcher of a cappedQuery.
type cappedSearcher struct {
	bsearch.Searcher
	left uint64
}

func (s *cappedSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	return s.count(s.Searcher.Next(ctx))
}

func (s *cappedSearcher) Advance(ctx *bsearch.SearchContext, id bindex.IndexInternalID) (*bsearch.DocumentMatch, error) {
	return s.count(s.Searcher.Advance(ctx, id))
}

func (s *cappedSearcher) count(dm *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, error) {
	if dm == nil || err != nil {
		return dm, err
	}
	if s.left == 0 {
		return nil, errTooMany
	}
	s.left--
	return dm, nil
}

// cacheKey identifies a search: the same request on the same generation
// has the same result.
type cacheKey struct {
	gen string
	req Request
}

// facetKey identifies the set of paragraphs a search matches: what its
// facets count.
type facetKey struct {
	gen, query, doc, year, section, lang string
}

// copy returns a deep copy of a cached Result with its own Took, so that
// callers may change what they get without changing the cache.
func (r *Result) copy(took time.Duration) *Result {
	c := *r
	c.Took = took
	c.Hits = make([]Hit, len(r.Hits))
	for i, h := range r.Hits {
		h.Snippets = slices.Clone(h.Snippets)
		h.Similar = slices.Clone(h.Similar)
		h.Missing = slices.Clone(h.Missing)
		c.Hits[i] = h
	}
	c.Facets = Facets{
		Doc:     append([]FacetCount{}, r.Facets.Doc...),
		Year:    append([]FacetCount{}, r.Facets.Year...),
		Section: append([]FacetCount{}, r.Facets.Section...),
		Lang:    append([]FacetCount{}, r.Facets.Lang...),
		Sample:  r.Facets.Sample,
	}
	return &c
}
