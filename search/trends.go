package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/lang"
)

// Trends is the timeline of a formulation: how many paragraphs of the
// index match the whole query, year by year and document by document, and
// where it appears first and last.
//
// Counts are exact and never collapsed: every paragraph matching the whole
// query (Result.Complete of a Search) counts, near-identical ones too.
type Trends struct {
	Query string `json:"query"`
	// Total counts the paragraphs matching the whole query.
	Total int `json:"total"`
	// Occurrences counts the occurrences in them (see YearCount); nil
	// (null) when the query matches more than TrendsTextLimit paragraphs,
	// whose texts are not read.
	Occurrences *int `json:"occurrences"`
	// Years runs over every year from the index's first dated document to
	// its last, zero counts included, oldest first.
	Years []YearCount `json:"years"`
	// Undated counts the matching paragraphs of documents without a date
	// (in Total and Documents, in no year).
	Undated int `json:"undated,omitempty"`
	// Documents are the documents holding a match, oldest first (undated
	// last), then by id.
	Documents []TrendDocument `json:"documents"`
	// First and Last are the first matching paragraph of the earliest and
	// of the latest dated document holding a match; nil without one.
	First *Appearance   `json:"first"`
	Last  *Appearance   `json:"last"`
	Took  time.Duration `json:"-"`
}

// YearCount is one year of a Trends.
type YearCount struct {
	Year string `json:"year"`
	// Paragraphs counts the paragraphs matching the whole query.
	Paragraphs int `json:"paragraphs"`
	// Occurrences counts, over those paragraphs, the places where the
	// query's words and phrases occur: for each positive word, phrase or
	// group of the query, the non-overlapping occurrences of its forms
	// (the word and its synonyms, folded as exact matching folds them,
	// found with zh.Find; a form whose exact string is absent counts its
	// gse words instead), summed over the query's parts. A one-word query
	// counts the word's occurrences; 阿富汗 问题 counts both words. Nil
	// when not counted (see Trends.Occurrences).
	Occurrences *int `json:"occurrences"`
	// Documents counts the documents of the year holding a match.
	Documents int `json:"documents"`
	// Corpus counts the documents of the year in the index, matching or
	// not: the denominator a reader needs to compare years.
	Corpus int `json:"corpus_documents"`
}

// TrendDocument is one document of a Trends.
type TrendDocument struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Date        string `json:"date"`
	Paragraphs  int    `json:"paragraphs"`
	Occurrences *int   `json:"occurrences"`
}

// Appearance is one paragraph where a formulation appears.
type Appearance struct {
	Doc       string `json:"doc"`
	Title     string `json:"title"`
	Paragraph int    `json:"paragraph"`
	Date      string `json:"date"`
}

// Trends returns the timeline of query (the query language of Search,
// filters included): the paragraphs matching all of it, counted by year
// and by document, with their occurrences, and the first and last
// appearance. A bad query is an ErrBadQuery error. Its cost grows with
// the number of matching paragraphs, whose text is read to count the
// occurrences.
func (e *Engine) Trends(ctx context.Context, q string) (*Trends, error) {
	start := time.Now()
	root, err := (Request{Query: q}).parse()
	if err != nil {
		return nil, err
	}
	p := newPlan(root)
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.release(g)

	byDoc := map[string]*TrendDocument{}
	firstN := map[string]int{} // the first matching paragraph of each document
	// The paragraphs by document, no hit loaded.
	counts, total, err := g.countByDoc(ctx, q, p.bare)
	if err != nil {
		return nil, fmt.Errorf("trends of %q: %w", q, err)
	}
	for doc, n := range counts {
		m := g.docs[doc]
		byDoc[doc] = &TrendDocument{ID: doc, Title: m.Title, Date: m.Date, Paragraphs: n}
	}
	counted := total <= cmp.Or(e.opts.trendsTextLimit, TrendsTextLimit)
	if counted {
		// The occurrences: every match's text, in one request without
		// scoring (pages by from/size would run the query once a page).
		if err := g.countOccurrences(ctx, p, total, byDoc, firstN); err != nil {
			return nil, fmt.Errorf("trends of %q: %w", q, err)
		}
	}
	t := newTrends(q, g, byDoc, counted, total, time.Since(start))
	// The first paragraph of the first and last documents, when the
	// texts were not read.
	for _, a := range []*Appearance{t.First, t.Last} {
		if a == nil {
			continue
		}
		if n, ok := firstN[a.Doc]; ok {
			a.Paragraph = n
			continue
		}
		if a.Paragraph, err = g.firstMatch(ctx, p, a.Doc); err != nil {
			return nil, fmt.Errorf("trends of %q: %w", q, err)
		}
	}
	t.Took = time.Since(start)
	return t, nil
}

// TrendsTextLimit: Trends counts the occurrences of a query matching at
// most this many paragraphs. Reading a paragraph's text costs bleve about
// 40 µs (an id lookup and the stored fields): 10,000 of them take 0.4 s,
// the 70,817 paragraphs of 人民 in the laws corpus 2.9 s.
const TrendsTextLimit = 10000

// countByDoc counts the matches of q (the query text) by document: with
// the facet table (人民 on the laws corpus: 13 ms, where bleve's facet,
// which reads the document of every match, took 33 ms), else with
// bleve's doc facet.
func (g *generation) countByDoc(ctx context.Context, text string, q query.Query) (map[string]int, int, error) {
	if g.stored != nil {
		t, err := g.stored.table(g.docs)
		if err != nil {
			return nil, 0, err
		}
		c, n, err := (&run{g: g, req: Request{Query: text}}).countByTable(ctx, t, q)
		return c.doc, int(n), err
	}
	cr := bleve.NewSearchRequestOptions(q, 0, 0, false)
	cr.Score = "none"
	g.addDocFacet(cr)
	cs, err := g.search(ctx, cr)
	if err != nil {
		return nil, 0, err
	}
	return g.facetsOf(cs).doc, int(cs.Total), nil
}

// countOccurrences reads the text of the total matches of p and adds
// their occurrences to byDoc, and the first matching paragraph of each
// document to firstN.
func (g *generation) countOccurrences(ctx context.Context, p plan, total int, byDoc map[string]*TrendDocument, firstN map[string]int) error {
	if total == 0 {
		return nil
	}
	br := bleve.NewSearchRequestOptions(p.bare, total, 0, false)
	g.withStored(br)
	br.Score = "none"
	br.SortByCustom(bsearch.SortOrder{&bsearch.SortDocID{}})
	sr, err := g.search(ctx, br)
	if err == nil {
		err = g.loadHits(sr, true)
	}
	if err != nil {
		return err
	}
	for _, d := range byDoc {
		d.Occurrences = new(int)
	}
	for _, dm := range sr.Hits {
		doc, _ := dm.Fields[index.FieldDoc].(string)
		nf, _ := dm.Fields[index.FieldN].(float64)
		text, _ := dm.Fields[index.FieldText].(string)
		d := byDoc[doc]
		if d == nil {
			continue // cannot happen: the facet counted every document
		}
		*d.Occurrences += p.occurrences(text, g.docs[doc].Lang)
		if n, ok := firstN[doc]; !ok || int(nf) < n {
			firstN[doc] = int(nf)
		}
	}
	return nil
}

// firstMatch returns the number of the first paragraph of doc matching p.
func (g *generation) firstMatch(ctx context.Context, p plan, doc string) (int, error) {
	inDoc := query.NewTermQuery(doc)
	inDoc.SetField(index.FieldDoc)
	br := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{p.bare, inDoc}), 1, 0, false)
	br.Score = "none"
	br.SortByCustom(bsearch.SortOrder{&bsearch.SortDocID{}}) // index.InternalID: in one document, by number
	sr, err := g.search(ctx, br)
	if err != nil {
		return 0, err
	}
	if len(sr.Hits) == 0 {
		return 0, fmt.Errorf("first match in %q: none", doc)
	}
	if err := g.setIDFields(sr.Hits[0]); err != nil {
		return 0, fmt.Errorf("first match in %q: %w", doc, err)
	}
	n, _ := sr.Hits[0].Fields[index.FieldN].(float64)
	return int(n), nil
}

// newTrends assembles a Trends from the counts by document.
func newTrends(q string, g *generation, byDoc map[string]*TrendDocument, counted bool, total int, took time.Duration) *Trends {
	t := &Trends{Query: q, Total: total, Years: []YearCount{}, Documents: []TrendDocument{}, Took: took}
	if counted {
		t.Occurrences = new(int)
	}
	years := map[string]*YearCount{}
	lo, hi := "", ""
	for _, d := range g.idx.Meta().Documents {
		if len(d.Date) < 4 {
			continue
		}
		y := d.Date[:4]
		if years[y] == nil {
			years[y] = &YearCount{Year: y}
			if counted {
				years[y].Occurrences = new(int)
			}
		}
		years[y].Corpus++
		if lo == "" || y < lo {
			lo = y
		}
		hi = max(hi, y)
	}
	for _, d := range byDoc {
		t.Documents = append(t.Documents, *d)
		if counted {
			*t.Occurrences += *d.Occurrences
		}
		if len(d.Date) < 4 {
			t.Undated += d.Paragraphs
			continue
		}
		y := years[d.Date[:4]]
		y.Paragraphs += d.Paragraphs
		if counted {
			*y.Occurrences += *d.Occurrences
		}
		y.Documents++
	}
	// every year from the first to the last, gaps included
	var first, last int
	if _, err := fmt.Sscan(lo, &first); err == nil {
		fmt.Sscan(hi, &last)
		for y := first; y <= last && y-first < maxTrendYears; y++ {
			key := fmt.Sprintf("%04d", y)
			if c := years[key]; c != nil {
				t.Years = append(t.Years, *c)
			} else {
				t.Years = append(t.Years, YearCount{Year: key, Occurrences: zeroIf(counted)})
			}
		}
	} else {
		for _, c := range years {
			t.Years = append(t.Years, *c)
		}
		sort.Slice(t.Years, func(i, j int) bool { return t.Years[i].Year < t.Years[j].Year })
	}
	slices.SortFunc(t.Documents, func(a, b TrendDocument) int {
		if (a.Date == "") != (b.Date == "") {
			if a.Date == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
	})
	appearance := func(d TrendDocument) *Appearance {
		return &Appearance{Doc: d.ID, Title: d.Title, Date: d.Date}
	}
	var dated []TrendDocument
	for _, d := range t.Documents {
		if d.Date != "" {
			dated = append(dated, d)
		}
	}
	if len(dated) > 0 {
		t.First = appearance(dated[0])
		// the latest date; among documents of that date, the last by id
		t.Last = appearance(dated[len(dated)-1])
	}
	return t
}

// zeroIf returns a new 0 when counted, else nil.
func zeroIf(counted bool) *int {
	if counted {
		return new(int)
	}
	return nil
}

// maxTrendYears bounds the years listed (a date typo such as 0219 must not
// make a list of 1,800 years).
const maxTrendYears = 200

// occurrences counts the places in text where the plan's requirements
// occur (see YearCount.Occurrences): for each requirement, its forms'
// spans (as highlighting finds them), overlapping ones counted once.
func (p plan) occurrences(text, code string) int {
	n := 0
	l := lang.Of(code)
	for _, r := range p.reqs {
		var spans [][2]int
		for _, f := range r.forms {
			spans = append(spans, formSpans(f, text, l)...)
		}
		n += disjoint(spans)
	}
	return n
}

// disjoint counts the spans left when each overlapping one is dropped in
// favour of the earlier (then longer) one.
func disjoint(spans [][2]int) int {
	slices.SortFunc(spans, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(b[1], a[1])) })
	n, end := 0, -1
	for _, s := range spans {
		if s[0] >= end {
			n++
			end = s[1]
		}
	}
	return n
}
