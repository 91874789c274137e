package search

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/scosearch/scosearch/index"
)

// Bounds of the Engine's work.
const (
	// MaxNeighbours is the most paragraphs Neighbours returns on each side.
	MaxNeighbours = 50
	// collapseWindow is the most ranked paragraphs examined to collapse
	// near-identical ones; pages beyond it are not collapsed.
	collapseWindow = 500
	// Facet sizes: the most values returned per facet.
	facetDocs, facetYears, facetSections = 20, 30, 30
	// CacheSize is the number of results the Engine keeps.
	CacheSize = 512
)

// ErrClosed is returned by the methods of a closed Engine.
var ErrClosed = errors.New("search engine closed")

// Option tunes Open.
type Option func(*options)

type options struct {
	logger  *slog.Logger
	timeout time.Duration
}

// WithLogger makes the Engine log index swaps to l. By default it is silent.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithLockTimeout bounds how long Open and Reload wait for an index that
// another process holds (default index.DefaultTimeout, about a second).
func WithLockTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// Engine searches an index built by package index. It is safe for
// concurrent use. Reload swaps in a newer generation of the index without
// failing a request in flight.
type Engine struct {
	dir   string
	opts  options
	alias bleve.IndexAlias // searches the current generation
	// cache keeps recent results by generation and request: common words
	// cost bleve tens of milliseconds, and readers repeat searches (paging
	// back, facets, the same topic). A new generation makes new keys.
	cache *lru.Cache[cacheKey, *Result]
	// facetCache keeps the facets of recent queries: other pages and
	// sort orders of a query have the same facets, and counting them is
	// half the cost of a common word.
	facetCache *lru.Cache[facetKey, Facets]

	reload sync.Mutex  // serialises Reload
	health healthState // outcome of the last Reload (health.go)

	// mu guards gen and closed; every request holds it for reading from
	// start to end, so a generation is closed only when no request uses it.
	mu     sync.RWMutex
	gen    *generation
	closed bool
}

// generation is one opened index generation and what the Engine keeps of it.
type generation struct {
	idx  *index.Index
	docs map[string]index.DocMeta
}

// Open opens the index at dir (as built by index.Build) read-only. Errors
// wrap ErrIndexNotFound or ErrIndexLocked, and the index package's error.
func Open(dir string, opts ...Option) (*Engine, error) {
	cache, err := lru.New[cacheKey, *Result](CacheSize)
	if err != nil {
		return nil, fmt.Errorf("result cache: %w", err)
	}
	facetCache, err := lru.New[facetKey, Facets](CacheSize)
	if err != nil {
		return nil, fmt.Errorf("facet cache: %w", err)
	}
	e := &Engine{dir: dir, cache: cache, facetCache: facetCache}
	for _, o := range opts {
		o(&e.opts)
	}
	if e.opts.logger == nil {
		e.opts.logger = slog.New(slog.DiscardHandler)
	}
	g, err := e.open()
	if err != nil {
		return nil, err
	}
	e.gen = g
	e.alias = bleve.NewIndexAlias(g.idx.Bleve())
	return e, nil
}

// open opens the current generation of e.dir.
func (e *Engine) open() (*generation, error) {
	x, err := index.Open(e.dir, index.OpenOptions{ReadOnly: true, Timeout: e.opts.timeout})
	if err != nil {
		return nil, indexError(e.dir, err)
	}
	g := &generation{idx: x, docs: make(map[string]index.DocMeta)}
	for _, d := range x.Meta().Documents {
		g.docs[d.ID] = d
	}
	return g, nil
}

// indexError maps the index package's errors to the sentinels of this one,
// keeping both in the chain.
func indexError(dir string, err error) error {
	switch {
	case errors.Is(err, index.ErrNotFound):
		return fmt.Errorf("open search index %q: %w: %w", dir, ErrIndexNotFound, err)
	case errors.Is(err, index.ErrLocked):
		return fmt.Errorf("open search index %q: %w: %w", dir, ErrIndexLocked, err)
	}
	return fmt.Errorf("open search index %q: %w", dir, err)
}

// Dir returns the index directory the Engine was opened on.
func (e *Engine) Dir() string { return e.dir }

// Generation returns the index generation directory being searched.
func (e *Engine) Generation() string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.gen == nil {
		return ""
	}
	return e.gen.idx.Dir()
}

// Reload opens the current generation of the index if it is not the one
// being searched (a reindex swapped in a new one), and swaps it in: requests
// in flight finish on the old generation, which is closed after them, and
// later requests use the new one. It reports whether it swapped. On error
// the Engine keeps searching the generation it has.
func (e *Engine) Reload() (swapped bool, err error) {
	e.reload.Lock()
	defer e.reload.Unlock()
	cur, err := index.Current(e.dir)
	if err != nil {
		err = indexError(e.dir, err)
		e.health.failed("", err)
		return false, err
	}
	e.mu.RLock()
	closed, same := e.closed, e.gen != nil && e.gen.idx.Dir() == cur
	e.mu.RUnlock()
	if closed {
		return false, ErrClosed
	}
	if same {
		e.health.ok()
		return false, nil
	}
	if err := e.health.known(cur); err != nil {
		return false, err
	}
	g, err := e.open()
	if err != nil {
		e.health.failed(cur, err)
		return false, err
	}
	e.health.ok()
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		_ = g.idx.Close() // nothing to report: the Engine is closed
		return false, ErrClosed
	}
	old := e.gen
	e.alias.Swap([]bleve.Index{g.idx.Bleve()}, []bleve.Index{old.idx.Bleve()})
	e.gen = g
	e.cache.Purge() // keyed by generation: the old entries can never hit again
	e.facetCache.Purge()
	e.mu.Unlock()
	e.opts.logger.Info("swapped in a new index generation", "old", old.idx.Dir(), "new", g.idx.Dir())
	if err := old.idx.Close(); err != nil {
		return true, fmt.Errorf("close the old index generation: %w", err)
	}
	return true, nil
}

// Close closes the index; in-flight requests finish first.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	_ = e.alias.Close() // only marks the alias closed
	return e.gen.idx.Close()
}

// acquire returns the current generation with the read lock held; release
// with e.mu.RUnlock.
func (e *Engine) acquire() (*generation, error) {
	e.mu.RLock()
	if e.closed {
		e.mu.RUnlock()
		return nil, ErrClosed
	}
	return e.gen, nil
}

// Stored fields loaded for a hit.
var hitFields = []string{
	index.FieldDoc, index.FieldTitle, index.FieldDate, index.FieldPlace,
	index.FieldLang, index.FieldSection, index.FieldN, index.FieldText,
}

// normalise checks a Request and fills in its defaults.
func (r Request) normalise() (Request, error) {
	switch {
	case r.Size == 0:
		r.Size = DefaultSize
	case r.Size < 0 || r.Size > MaxSize:
		return r, badQuery("size %d: want 1 to %d hits per page", r.Size, MaxSize)
	}
	if r.From < 0 || r.From > MaxFrom {
		return r, badQuery("from %d: want 0 to %d", r.From, MaxFrom)
	}
	switch r.Sort {
	case "":
		r.Sort = SortRelevance
	case SortRelevance, SortDate:
	default:
		return r, badQuery("sort %q: want %q or %q", r.Sort, SortRelevance, SortDate)
	}
	return r, nil
}

// buildQuery parses the query and adds the Request's filters.
func (r Request) buildQuery() (query.Query, error) {
	root, err := parseQuery(r.Query)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct{ field, value string }{
		{"doc", r.Doc}, {"year", r.Year}, {"section", r.Section}, {"lang", r.Lang},
	} {
		if f.value == "" {
			continue
		}
		n, err := parseFilter(f.field, f.value)
		if err != nil {
			return nil, err
		}
		root.must = append(root.must, n)
	}
	return compile(root), nil
}

// sortOrder returns the bleve sort for a Request's Sort. Relevance is the
// score alone: any other sort key makes bleve load doc values for every hit,
// which doubled the cost of a common word; ties keep bleve's internal
// document order, stable within a generation, so paging is stable. Date
// order is broken by document, paragraph number and id.
func sortOrder(s string) bsearch.SortOrder {
	if s != SortDate {
		return bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	}
	return bsearch.SortOrder{
		&bsearch.SortField{Field: index.FieldDate, Desc: true, Missing: bsearch.SortFieldMissingLast},
		&bsearch.SortField{Field: index.FieldDoc, Missing: bsearch.SortFieldMissingLast},
		&bsearch.SortField{Field: index.FieldN, Type: bsearch.SortFieldAsNumber, Missing: bsearch.SortFieldMissingLast},
		&bsearch.SortDocID{},
	}
}

// Search runs one search. A query that cannot be parsed, or a Request that
// breaks a limit, returns an error wrapping ErrBadQuery with a message fit
// for the user.
func (e *Engine) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	req, err := req.normalise()
	if err != nil {
		return nil, err
	}
	q, err := req.buildQuery()
	if err != nil {
		return nil, err
	}
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.mu.RUnlock()

	key := cacheKey{gen: g.idx.Dir(), req: req}
	if res, ok := e.cache.Get(key); ok {
		return res.copy(time.Since(start)), nil
	}
	withSections := len(g.docs) == 1 || req.Doc != "" || hasDocFilter(q)

	collapse := !req.NoCollapse && req.From+req.Size <= collapseWindow
	from, size := req.From, req.Size
	if collapse {
		from, size = 0, min(collapseWindow, req.From+2*req.Size+10)
	}
	var sr *bleve.SearchResult
	fkey := facetKey{gen: key.gen, query: req.Query, doc: req.Doc, year: req.Year, section: req.Section, lang: req.Lang}
	cachedFacets, haveFacets := e.facetCache.Get(fkey)
	var facets bsearch.FacetResults
	if haveFacets {
		facets = bsearch.FacetResults{} // counted already: ask bleve for none
	}
	var groups [][]int
	for {
		br := bleve.NewSearchRequestOptions(q, size, from, false)
		br.Fields = hitFields
		br.IncludeLocations = true
		br.SortByCustom(sortOrder(req.Sort))
		// One facet field: years follow from the documents' dates.
		// Sections are counted only where they mean something: within
		// one document.
		// Counted once: a wider collapsing window leaves them unchanged.
		if facets == nil {
			br.AddFacet(index.FieldDoc, bleve.NewFacetRequest(index.FieldDoc, len(g.docs)+1))
			if withSections {
				br.AddFacet(index.FieldSection, bleve.NewFacetRequest(index.FieldSection, facetSections))
			}
		}
		sr, err = e.alias.SearchInContext(ctx, br)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", req.Query, err)
		}
		if facets == nil {
			facets = sr.Facets
			if facets == nil {
				facets = bsearch.FacetResults{}
			}
		}
		if !collapse {
			break
		}
		texts := make([]string, len(sr.Hits))
		for i, h := range sr.Hits {
			texts[i], _ = h.Fields[index.FieldText].(string)
		}
		groups = collapseGroups(texts)
		// enough groups for the page, or nothing more to fetch
		if len(groups) >= req.From+req.Size || uint64(len(sr.Hits)) >= sr.Total || size >= collapseWindow {
			break
		}
		size = min(collapseWindow, 2*size)
	}

	res := &Result{Query: req.Query, Total: sr.Total, Hits: []Hit{}}
	if collapse {
		for _, grp := range groups[min(req.From, len(groups)):min(req.From+req.Size, len(groups))] {
			h := newHit(sr.Hits[grp[0]])
			for _, i := range grp[1:] {
				h.Similar = append(h.Similar, sr.Hits[i].ID)
			}
			res.Hits = append(res.Hits, h)
		}
	} else {
		for _, dm := range sr.Hits {
			res.Hits = append(res.Hits, newHit(dm))
		}
	}
	if haveFacets {
		res.Facets = cachedFacets
	} else {
		res.Facets = newFacets(facets, g)
		e.facetCache.Add(fkey, res.Facets)
	}
	e.cache.Add(key, res)
	return res.copy(time.Since(start)), nil
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

// copy returns a copy of a cached Result with its own Took and Hits, so
// that callers may change what they get.
func (r *Result) copy(took time.Duration) *Result {
	c := *r
	c.Took = took
	c.Hits = append([]Hit(nil), r.Hits...)
	c.Facets = Facets{
		Doc:     append([]FacetCount{}, r.Facets.Doc...),
		Year:    append([]FacetCount{}, r.Facets.Year...),
		Section: append([]FacetCount{}, r.Facets.Section...),
	}
	return &c
}

// hasDocFilter reports whether a query is restricted to one document by a
// doc: filter at its top level.
func hasDocFilter(q query.Query) bool {
	switch q := q.(type) {
	case *query.BooleanQuery:
		if q.Filter != nil && hasDocFilter(q.Filter) {
			return true
		}
		if c, ok := q.Must.(*query.ConjunctionQuery); ok {
			return hasDocFilter(c)
		}
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			if hasDocFilter(c) {
				return true
			}
		}
	case *query.TermQuery:
		return q.FieldVal == index.FieldDoc
	}
	return false
}

// newHit turns a bleve hit into a Hit with snippets.
func newHit(dm *bsearch.DocumentMatch) Hit {
	str := func(f string) string { s, _ := dm.Fields[f].(string); return s }
	n, _ := dm.Fields[index.FieldN].(float64)
	h := Hit{
		ID: dm.ID, Doc: str(index.FieldDoc), Title: str(index.FieldTitle), Date: str(index.FieldDate),
		Place: str(index.FieldPlace), Lang: str(index.FieldLang), Section: str(index.FieldSection),
		Paragraph: int(n), Score: dm.Score, Text: str(index.FieldText),
	}
	h.Snippets = snippets(h.Text, matchSpans(dm))
	return h
}

// matchSpans collects the match locations of the text and bigram fields
// (byte offsets into the stored text).
func matchSpans(dm *bsearch.DocumentMatch) []span {
	var spans []span
	for _, field := range []string{index.FieldText, index.FieldBigram} {
		for _, locs := range dm.Locations[field] {
			for _, l := range locs {
				spans = append(spans, span{int(l.Start), int(l.End)})
			}
		}
	}
	return spans
}

// newFacets converts bleve's facets, labelling documents with their titles,
// counting years from the documents' dates, and leaving out empty values
// (paragraphs outside any section).
func newFacets(fr bsearch.FacetResults, g *generation) Facets {
	terms := func(name string) []*bsearch.TermFacet {
		if f := fr[name]; f != nil && f.Terms != nil {
			return f.Terms.Terms()
		}
		return nil
	}
	out := Facets{Doc: []FacetCount{}, Year: []FacetCount{}, Section: []FacetCount{}}
	years := map[string]int{}
	for _, t := range terms(index.FieldDoc) {
		d := g.docs[t.Term]
		if len(out.Doc) < facetDocs {
			out.Doc = append(out.Doc, FacetCount{Value: t.Term, Label: d.Title, Count: t.Count})
		}
		if len(d.Date) >= 4 {
			years[d.Date[:4]] += t.Count
		}
	}
	for y, n := range years {
		out.Year = append(out.Year, FacetCount{Value: y, Count: n})
	}
	slices.SortFunc(out.Year, func(a, b FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(b.Value, a.Value)
	})
	out.Year = out.Year[:min(len(out.Year), facetYears)]
	for _, t := range terms(index.FieldSection) {
		if t.Term != "" {
			out.Section = append(out.Section, FacetCount{Value: t.Term, Count: t.Count})
		}
	}
	return out
}

// Documents lists the documents of the index in corpus order.
func (e *Engine) Documents(ctx context.Context) ([]DocumentInfo, error) {
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.mu.RUnlock()
	docs := g.idx.Meta().Documents
	out := make([]DocumentInfo, 0, len(docs))
	for _, d := range docs {
		out = append(out, docInfo(d))
	}
	return out, nil
}

func docInfo(d index.DocMeta) DocumentInfo {
	return DocumentInfo{ID: d.ID, Title: d.Title, Date: d.Date, Place: d.Place, Lang: d.Lang, Paragraphs: d.Paragraphs}
}

// Document returns document id with all its paragraphs in order. With a
// non-empty query, Paragraph.HTML marks the query's matches (a bad query is
// an ErrBadQuery error); otherwise it is the escaped text. An unknown id is
// an ErrNotFound error.
func (e *Engine) Document(ctx context.Context, id, q string) (*Document, error) {
	var marks query.Query
	if strings.TrimSpace(q) != "" {
		var err error
		if marks, err = (Request{Query: q}).buildQuery(); err != nil {
			return nil, err
		}
	}
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.mu.RUnlock()
	d, ok := g.docs[id]
	if !ok {
		return nil, fmt.Errorf("document %q: %w", id, ErrNotFound)
	}
	paras, err := e.paragraphs(ctx, id, 1, d.Paragraphs)
	if err != nil {
		return nil, err
	}
	if marks != nil {
		inDoc := query.NewTermQuery(id)
		inDoc.SetField(index.FieldDoc)
		br := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{marks, inDoc}), max(1, len(paras)), 0, false)
		br.IncludeLocations = true
		sr, err := e.alias.SearchInContext(ctx, br)
		if err != nil {
			return nil, fmt.Errorf("document %q: highlight %q: %w", id, q, err)
		}
		byID := make(map[string]int, len(paras))
		for i, p := range paras {
			byID[p.ID] = i
		}
		for _, dm := range sr.Hits {
			if i, ok := byID[dm.ID]; ok {
				paras[i].HTML = highlight(paras[i].Text, matchSpans(dm))
			}
		}
	}
	return &Document{DocumentInfo: docInfo(d), Paragraphs: paras}, nil
}

// paragraphs returns paragraphs lo..hi (inclusive) of document doc in order,
// with HTML the escaped text. The caller holds e.mu.
func (e *Engine) paragraphs(ctx context.Context, doc string, lo, hi int) ([]Paragraph, error) {
	if hi < lo {
		return []Paragraph{}, nil
	}
	inDoc := query.NewTermQuery(doc)
	inDoc.SetField(index.FieldDoc)
	flo, fhi, yes := float64(lo), float64(hi), true
	span := query.NewNumericRangeInclusiveQuery(&flo, &fhi, &yes, &yes)
	span.SetField(index.FieldN)
	br := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{inDoc, span}), hi-lo+1, 0, false)
	br.Fields = []string{index.FieldN, index.FieldSection, index.FieldText}
	br.SortByCustom(bsearch.SortOrder{
		&bsearch.SortField{Field: index.FieldN, Type: bsearch.SortFieldAsNumber},
		&bsearch.SortDocID{},
	})
	sr, err := e.alias.SearchInContext(ctx, br)
	if err != nil {
		return nil, fmt.Errorf("paragraphs %d-%d of %q: %w", lo, hi, doc, err)
	}
	out := make([]Paragraph, 0, len(sr.Hits))
	for _, dm := range sr.Hits {
		n, _ := dm.Fields[index.FieldN].(float64)
		section, _ := dm.Fields[index.FieldSection].(string)
		text, _ := dm.Fields[index.FieldText].(string)
		out = append(out, Paragraph{ID: dm.ID, N: int(n), Section: section, Text: text, HTML: html.EscapeString(text)})
	}
	return out, nil
}

// Neighbours returns the paragraph paragraphID with up to before paragraphs
// before it and after paragraphs after it (each at most MaxNeighbours), in
// document order. HTML is the escaped text. An unknown id is an
// ErrNotFound error.
func (e *Engine) Neighbours(ctx context.Context, paragraphID string, before, after int) ([]Paragraph, error) {
	doc, n, ok := splitParagraphID(paragraphID)
	if !ok {
		return nil, fmt.Errorf("paragraph %q: %w", paragraphID, ErrNotFound)
	}
	before = min(max(before, 0), MaxNeighbours)
	after = min(max(after, 0), MaxNeighbours)
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.mu.RUnlock()
	d, ok := g.docs[doc]
	if !ok || n < 1 || n > d.Paragraphs {
		return nil, fmt.Errorf("paragraph %q: %w", paragraphID, ErrNotFound)
	}
	return e.paragraphs(ctx, doc, max(1, n-before), min(d.Paragraphs, n+after))
}

// splitParagraphID splits "doc-p12" into "doc" and 12.
func splitParagraphID(id string) (string, int, bool) {
	i := strings.LastIndex(id, "-p")
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(id[i+2:])
	if err != nil || n < 1 || index.ParagraphID(id[:i], n) != id {
		return "", 0, false
	}
	return id[:i], n, true
}
