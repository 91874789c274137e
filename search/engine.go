package search

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/index/zh"
)

// Bounds of the Engine's work.
const (
	// MaxNeighbours is the most paragraphs Neighbours returns on each side.
	MaxNeighbours = 50
	// Facet sizes: the most values returned per facet.
	facetDocs, facetYears, facetSections = 20, 30, 30
	// DefaultDocumentPage and MaxDocumentPage are the default and largest
	// number of paragraphs DocumentPage returns.
	DefaultDocumentPage, MaxDocumentPage = 200, 1000
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
	noCache bool
	// facetExactBelow replaces the package's constant (tests).
	facetExactBelow int
	// dateSortDirect and rankWindow replace the package's constants, and
	// dateFirstStep the paragraphs of sorting by date's first step (tests).
	dateSortDirect, rankWindow, dateFirstStep int
	// trendsTextLimit replaces TrendsTextLimit (tests).
	trendsTextLimit int
	// scoreAll makes every search score its matches (no run.fetchFew;
	// tests).
	scoreAll bool
}

// WithLogger makes the Engine log index swaps to l. By default it is silent.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithoutCache turns the result and facet caches off: every search does
// all its work. For measuring; a server wants the caches.
func WithoutCache() Option { return func(o *options) { o.noCache = true } }

// WithLockTimeout bounds how long Open and Reload wait for an index that
// another process holds (default index.DefaultTimeout, about a second).
func WithLockTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// Engine searches an index built by package index. It is safe for
// concurrent use. Reload swaps in a newer generation of the index without
// failing a request in flight.
type Engine struct {
	dir  string
	opts options
	// cache keeps recent results by generation and request: common words
	// cost bleve tens of milliseconds, and readers repeat searches (paging
	// back, facets, the same topic). A new generation makes new keys.
	cache *lru.Cache[cacheKey, *Result]
	// facetCache keeps the facets of recent queries: other pages and
	// sort orders of a query have the same facets, and counting them is
	// half the cost of a common word.
	facetCache *lru.Cache[facetKey, Facets]
	// counts keeps the totals of the queries Suggest has counted: each
	// keystroke asks again for most of the previous one's completions.
	counts *lru.Cache[countKey, int]

	reload sync.Mutex  // serialises Reload and Close
	health healthState // outcome of the last Reload (health.go)
	stats  engineStats // counters of Stats (stats.go)

	// cur is the generation new requests use; nil once the Engine is
	// closed. A swap never waits for requests in flight: they hold a
	// reference to the generation they started on, which is closed when
	// the last of them releases it.
	cur atomic.Pointer[generation]
}

// generation is one opened index generation and what the Engine keeps of it.
type generation struct {
	idx  *index.Index
	docs map[string]index.DocMeta
	// parasBy counts its paragraphs by filter value (parasByFilter).
	parasBy map[string]int
	// byKey maps index.DocKey of each document id to the id: bleve's ids
	// of hits (index.InternalID) begin with the key.
	byKey map[string]string
	// multilingual: its documents are in more than one language (the
	// lang facet is counted).
	multilingual bool
	// refs counts the requests using the generation, plus one while it is
	// current; at zero it is closed, and never used again.
	refs atomic.Int64
	// examples are its frequent formulations (Examples), found once.
	examples examples
	// similar are its paragraphs' similar paragraphs elsewhere, read
	// once when first needed (similar.go).
	similar similarOnce
	// translations are its documents' translations, and parallel the
	// alignments computed (parallel.go).
	translations map[string][]string
	parallel     parallelCache
	// stored loads the fields of hits (nil: bleve loads them).
	stored *storedReader
	// dateOrder is its documents' dates, for SortDate (datesort.go).
	dateOrder datesOnce
}

// search runs br on the generation's index. Over several shards bleve
// answers with what the others found when one fails, and says so only in
// the result's status: that is an error here, so that no search silently
// misses a shard's paragraphs (a failing shard's errors are joined in it).
func (g *generation) search(ctx context.Context, br *bleve.SearchRequest) (*bleve.SearchResult, error) {
	sr, err := g.idx.Bleve().SearchInContext(ctx, br)
	if err != nil {
		return nil, err
	}
	if st := sr.Status; st != nil && st.Failed > 0 {
		names := slices.Sorted(maps.Keys(st.Errors))
		errs := make([]error, 0, len(names))
		for _, name := range names {
			errs = append(errs, fmt.Errorf("%s: %w", filepath.Base(name), st.Errors[name]))
		}
		return nil, fmt.Errorf("%d of %d shards failed: %w", st.Failed, st.Total, errors.Join(errs...))
	}
	return sr, nil
}

// maxAcquireTries bounds acquire's retries: a try fails only when a swap
// retired the generation between reading the pointer and taking a
// reference, which the next try sees.
const maxAcquireTries = 1000

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
	counts, err := lru.New[countKey, int](suggestCountCache)
	if err != nil {
		return nil, fmt.Errorf("suggestion count cache: %w", err)
	}
	e := &Engine{dir: dir, cache: cache, facetCache: facetCache, counts: counts}
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
	e.cur.Store(g)
	return e, nil
}

// open opens the current generation of e.dir.
func (e *Engine) open() (*generation, error) {
	x, err := index.Open(e.dir, index.OpenOptions{ReadOnly: true, Timeout: e.opts.timeout})
	if err != nil {
		return nil, indexError(e.dir, err)
	}
	g := &generation{idx: x, docs: make(map[string]index.DocMeta), byKey: make(map[string]string), stored: newStoredReader(x)}
	for _, d := range x.Meta().Documents {
		g.docs[d.ID] = d
		g.byKey[index.DocKey(d.ID)] = d.ID
		g.multilingual = g.multilingual || d.Lang != x.Meta().Documents[0].Lang
	}
	g.translations = translationGroups(x.Meta().Documents)
	g.parasBy = parasByFilter(x.Meta().Documents)
	g.refs.Store(1)
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

// Generation returns the index generation directory being searched, or ""
// once the Engine is closed.
func (e *Engine) Generation() string {
	g, err := e.acquire()
	if err != nil {
		return ""
	}
	defer e.release(g)
	return g.idx.Dir()
}

// Reload opens the current generation of the index if it is not the one
// being searched (a reindex swapped in a new one), and swaps it in: requests
// in flight finish on the old generation, which is closed after the last of
// them, and later requests use the new one; none waits for the swap. It
// reports whether it swapped. On error the Engine keeps searching the
// generation it has.
func (e *Engine) Reload() (swapped bool, err error) {
	e.reload.Lock()
	defer e.reload.Unlock()
	defer e.stats.reloaded(time.Now(), &swapped, &err)
	cur, err := index.Current(e.dir)
	if err != nil {
		err = indexError(e.dir, err)
		e.health.failed("", err)
		return false, err
	}
	old := e.cur.Load()
	if old == nil {
		return false, ErrClosed
	}
	if old.idx.Dir() == cur {
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
	e.cur.Store(g)  // under e.reload: nobody else swaps or closes meanwhile
	e.cache.Purge() // keyed by generation: the old entries can never hit again
	e.facetCache.Purge()
	e.counts.Purge()
	e.opts.logger.Info("swapped in a new index generation", "old", old.idx.Dir(), "new", g.idx.Dir())
	if err := e.release(old); err != nil {
		return true, fmt.Errorf("close the old index generation: %w", err)
	}
	return true, nil
}

// Close closes the index; requests in flight finish first, later ones get
// ErrClosed.
func (e *Engine) Close() error {
	e.reload.Lock()
	defer e.reload.Unlock()
	g := e.cur.Swap(nil)
	if g == nil {
		return nil
	}
	return e.release(g)
}

// acquire returns the current generation with a reference taken; give it
// back with release.
func (e *Engine) acquire() (*generation, error) {
	for range maxAcquireTries {
		g := e.cur.Load()
		if g == nil {
			return nil, ErrClosed
		}
		n := g.refs.Load()
		if n <= 0 {
			continue // retired by a swap just now: load the new one
		}
		if g.refs.CompareAndSwap(n, n+1) {
			return g, nil
		}
	}
	return nil, fmt.Errorf("search engine: no generation could be acquired in %d tries", maxAcquireTries)
}

// release gives back a reference to g; the last one closes it.
func (e *Engine) release(g *generation) error {
	if g.refs.Add(-1) == 0 {
		return errors.Join(g.stored.close(), g.idx.Close())
	}
	return nil
}

// normalise checks a Request and fills in its defaults.
func (r Request) normalise() (Request, error) {
	switch {
	case r.Size == 0:
		r.Size = DefaultSize
	case r.Size < 0 || r.Size > MaxSize:
		return r, badQuery(CodeBadSize, 0, strconv.Itoa(r.Size), "size %d: want 1 to %d hits per page", r.Size, MaxSize)
	}
	if r.From < 0 || r.From > MaxFrom {
		return r, badQuery(CodeBadFrom, 0, strconv.Itoa(r.From), "from %d: want 0 to %d", r.From, MaxFrom)
	}
	switch r.Sort {
	case "":
		r.Sort = SortRelevance
	case SortRelevance, SortDate:
	default:
		return r, badQuery(CodeBadSort, 0, r.Sort, "sort %q: want %q or %q", r.Sort, SortRelevance, SortDate)
	}
	return r, nil
}

// parse parses the query and adds the Request's filters to its top level.
func (r Request) parse() (qand, error) {
	root, err := parseQuery(r.Query)
	if err != nil {
		return qand{}, err
	}
	for _, f := range FilterFields() {
		v := r.Filter(f.Name)
		if v == nil || *v == "" {
			continue
		}
		n, err := parseFilter(f.Name, *v)
		if err != nil {
			return qand{}, err
		}
		root.must = append(root.must, n)
	}
	return root, nil
}

// sortOrder returns the bleve sort for a Request's Sort. Relevance is the
// score alone: any other sort key makes bleve load doc values for every hit,
// which doubled the cost of a common word; ties keep bleve's internal
// document order, stable within a generation, so paging is stable. Date
// order is broken by document, then paragraph number (the order of
// index.InternalID within a document).
func sortOrder(s string) bsearch.SortOrder {
	if s != SortDate {
		return bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	}
	return bsearch.SortOrder{
		&bsearch.SortField{Field: index.FieldDate, Desc: true, Missing: bsearch.SortFieldMissingLast},
		&bsearch.SortField{Field: index.FieldDoc, Missing: bsearch.SortFieldMissingLast},
		&bsearch.SortDocID{}, // index.InternalID: in one document, the paragraphs' order
	}
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

// newHit turns a ranked bleve hit into a Hit with snippets.
func newHit(r ranked, p plan) Hit {
	dm := r.dm
	str := func(f string) string { s, _ := dm.Fields[f].(string); return s }
	n, _ := dm.Fields[index.FieldN].(float64)
	h := Hit{
		ID: dm.ID, Doc: str(index.FieldDoc), Title: str(index.FieldTitle), Date: str(index.FieldDate),
		Place: str(index.FieldPlace), Lang: str(index.FieldLang), Section: str(index.FieldSection),
		Paragraph: int(n), Score: r.score, Text: str(index.FieldText), Match: MatchAll,
	}
	if r.partial {
		h.Match = MatchPartial
		h.Missing = append([]string{}, r.missing...)
	}
	h.Snippets = snippets(h.Text, p.spans(h.Text, h.Lang))
	return h
}

// spans returns where the plan's requirements occur in text, a paragraph
// of language code: each form's exact string, or, where it is not there,
// those of its words that are (formSpans); and the parts of a long word
// the text holds instead of the whole. The text itself is searched (the
// same folding and analysis as the index), so no term vectors need to be
// read from the index for highlighting.
func (p plan) spans(text, code string) []span {
	var out []span
	l := lang.Of(code)
	for _, r := range p.reqs {
		held := false
		for _, f := range r.forms {
			for _, s := range formSpans(f, text, l) {
				out = append(out, span{s[0], s[1]})
				held = true
			}
		}
		if !held {
			for _, part := range r.parts {
				for _, s := range zh.Find(text, part) {
					out = append(out, span{s[0], s[1]})
				}
			}
		}
	}
	return out
}

// newFacets makes Facets of counts: the documents labelled with their
// titles, the years counted from the documents' dates, the sections, and
// the paragraphs outside any section under NoSection after them; each by
// count, then value.
func newFacets(c facetCounts, g *generation) Facets {
	out := Facets{Doc: []FacetCount{}, Year: []FacetCount{}, Section: []FacetCount{}, Lang: []FacetCount{}}
	years, langs := map[string]int{}, map[string]int{}
	for doc, n := range c.doc {
		d := g.docs[doc]
		out.Doc = append(out.Doc, FacetCount{Value: doc, Label: d.Title, Count: n})
		if len(d.Date) >= 4 {
			years[d.Date[:4]] += n
		}
		langs[d.Lang] += n
	}
	for y, n := range years {
		out.Year = append(out.Year, FacetCount{Value: y, Count: n})
	}
	if g.multilingual {
		for l, n := range langs {
			if l != "" {
				out.Lang = append(out.Lang, FacetCount{Value: l, Label: lang.Name(l), Count: n})
			}
		}
	}
	for sec, n := range c.section {
		if sec != "" {
			out.Section = append(out.Section, FacetCount{Value: sec, Count: n})
		}
	}
	byCount := func(desc bool) func(a, b FacetCount) int {
		return func(a, b FacetCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			if desc {
				return strings.Compare(b.Value, a.Value)
			}
			return strings.Compare(a.Value, b.Value)
		}
	}
	out.Doc = topFacets(out.Doc, facetDocs, byCount(false))
	out.Year = topFacets(out.Year, facetYears, byCount(true)) // recent years first among equals
	out.Section = topFacets(out.Section, facetSections, byCount(false))
	slices.SortFunc(out.Lang, byCount(false))
	if none := c.section[""]; none > 0 {
		out.Section = append(out.Section, FacetCount{Value: NoSection, Label: NoSectionLabel, Count: none})
	}
	return out
}

// topFacets returns the first n of fs in the order of cmp (a total order:
// values are distinct), sorted, without sorting all of them (a common
// word's doc facet has thousands of documents, most with the same count,
// whose ids then decide).
func topFacets(fs []FacetCount, n int, cmp func(a, b FacetCount) int) []FacetCount {
	top := make([]FacetCount, 0, max(0, min(n, len(fs)))+1)
	if n <= 0 {
		return top
	}
	for _, f := range fs {
		if len(top) == n && cmp(f, top[n-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, f, cmp)
		top = slices.Insert(top, i, f)
		if len(top) > n {
			top = top[:n]
		}
	}
	return top
}

// Documents lists the documents of the index in corpus order.
func (e *Engine) Documents(ctx context.Context) ([]DocumentInfo, error) {
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.release(g)
	docs := g.idx.Meta().Documents
	out := make([]DocumentInfo, 0, len(docs))
	for _, d := range docs {
		out = append(out, g.docInfo(d))
	}
	return out, nil
}

func docInfo(d index.DocMeta) DocumentInfo {
	return DocumentInfo{ID: d.ID, Title: d.Title, Date: d.Date, Place: d.Place, Lang: d.Lang, Paragraphs: d.Paragraphs}
}

// Document returns document id with all its paragraphs in order. With a
// non-empty query, Paragraph.HTML marks the query's matches (a bad query is
// an ErrBadQuery error); otherwise it is the escaped text. An unknown id is
// an ErrNotFound error. A long document is better read page by page with
// DocumentPage: the cost of Document grows with its length.
func (e *Engine) Document(ctx context.Context, id, q string) (*Document, error) {
	return e.document(ctx, id, q, 0, -1)
}

// DocumentPage is Document for a window of size paragraphs from offset
// from (0-based): paragraphs from+1 to from+size, fewer at the end, none
// from the end on. Document.From is from and DocumentInfo.Paragraphs the
// document's total; q marks matches within the window only. size 0 means
// DefaultDocumentPage; a size above MaxDocumentPage or a negative one, or
// a negative from, is an ErrBadQuery error.
func (e *Engine) DocumentPage(ctx context.Context, id, q string, from, size int) (*Document, error) {
	switch {
	case size == 0:
		size = DefaultDocumentPage
	case size < 0 || size > MaxDocumentPage:
		return nil, badQuery(CodeBadSize, 0, strconv.Itoa(size), "size %d: want 1 to %d paragraphs", size, MaxDocumentPage)
	}
	if from < 0 {
		return nil, badQuery(CodeBadFrom, 0, strconv.Itoa(from), "from %d: want 0 or more", from)
	}
	return e.document(ctx, id, q, from, size)
}

// document returns size paragraphs of document id from offset from, or
// all from there when size < 0.
func (e *Engine) document(ctx context.Context, id, q string, from, size int) (*Document, error) {
	var p plan
	marks := strings.TrimSpace(q) != ""
	if marks {
		root, err := (Request{Query: q}).parse()
		if err != nil {
			return nil, err
		}
		// every word of the query that a paragraph holds is marked, also
		// where it holds only some of them
		p = newPlan(root)
	}
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.release(g)
	d, ok := g.docs[id]
	if !ok {
		return nil, fmt.Errorf("document %q: %w", id, ErrNotFound)
	}
	out := &Document{DocumentInfo: g.docInfo(d), From: from, Paragraphs: []Paragraph{}}
	if from >= d.Paragraphs {
		return out, nil
	}
	lo, hi := from+1, d.Paragraphs
	if size >= 0 {
		hi = min(hi, from+size)
	}
	paras, err := g.paragraphs(ctx, id, lo, hi)
	if err != nil {
		return nil, err
	}
	if marks && len(paras) > 0 {
		for i := range paras {
			if sp := p.spans(paras[i].Text, d.Lang); len(sp) > 0 {
				paras[i].HTML = highlight(paras[i].Text, sp)
			}
		}
	}
	e.addSimilar(g, paras) // similar.go
	out.Paragraphs = paras
	return out, nil
}

// paragraphs returns paragraphs lo..hi (inclusive) of document doc of
// generation g in order, with HTML the escaped text.
func (g *generation) paragraphs(ctx context.Context, doc string, lo, hi int) ([]Paragraph, error) {
	if hi < lo {
		return []Paragraph{}, nil
	}
	inDoc := query.NewTermQuery(doc)
	inDoc.SetField(index.FieldDoc)
	yes := true
	span := query.NewTermRangeInclusiveQuery(index.NKey(lo), index.NKey(hi), &yes, &yes)
	span.SetField(index.FieldN)
	br := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{inDoc, span}), hi-lo+1, 0, false)
	g.withStored(br)
	br.SortByCustom(bsearch.SortOrder{&bsearch.SortDocID{}}) // index.InternalID: in one document, by number
	sr, err := g.search(ctx, br)
	if err == nil {
		err = g.loadHits(sr, true)
	}
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
	doc, n, ok := SplitParagraphID(paragraphID)
	if !ok {
		return nil, fmt.Errorf("paragraph %q: %w", paragraphID, ErrNotFound)
	}
	before = min(max(before, 0), MaxNeighbours)
	after = min(max(after, 0), MaxNeighbours)
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.release(g)
	d, ok := g.docs[doc]
	if !ok || n < 1 || n > d.Paragraphs {
		return nil, fmt.Errorf("paragraph %q: %w", paragraphID, ErrNotFound)
	}
	return g.paragraphs(ctx, doc, max(1, n-before), min(d.Paragraphs, n+after))
}

// SplitParagraphID splits a paragraph id ("2019-bishkek-declaration-p12")
// into its document id and paragraph number; ok is false for anything
// that is not a paragraph id.
func SplitParagraphID(id string) (doc string, n int, ok bool) { return index.SplitParagraphID(id) }
