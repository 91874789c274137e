package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/search/export"
)

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// page adapts a page handler: errors become HTML error pages.
func (s *Server) page(h handlerFunc) http.Handler {
	return s.admit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}))
}

// searchPage is the data of search.tmpl, used for / and /search.
type searchPage struct {
	Title     string
	Q         string
	Params    params
	Autofocus bool
	Help      bool      // no query yet: show the syntax help
	Home      *homeView // the home page: what the corpus holds
	Error     string    // the query could not be run: why

	Total                 uint64
	Complete              uint64 // paragraphs holding the whole query
	PartialCount          uint64 // paragraphs holding part of it
	TookMS                string
	From, To              int // 1-based range of the hits shown
	Hits                  []hitView
	Facets                []facetGroup
	FacetSample           int // the facets count only the best FacetSample matches
	Filters               []activeFilter
	SortByDate            bool
	RelevanceURL, DateURL string
	Pages                 []pageLink
	PrevURL, NextURL      string
	// Exports are the addresses of the search's results as files.
	Exports []exportLink
	// TrendsURL is the timeline of the query by year ("看趋势").
	TrendsURL string
}

type exportLink struct {
	Label, URL string
}

type hitView struct {
	// Partial: the paragraph holds part of the query; Missing says what
	// not (shown struck through). PartialStart marks the first such hit.
	Partial, PartialStart bool
	Missing               []string
	URL                   string
	Title                 string
	Date                  string // Chinese date, "2019年6月14日"
	Place                 string
	Section               string
	Paragraph             int
	Snippets              []template.HTML
	Text                  string // shown (escaped) when there is no snippet
	Similar               []similarLink
	// CiteGBT and CitePlain are the citations of the paragraph (quote and
	// reference, GB/T 7714-2015 and plain style) that "复制引用" copies.
	CiteGBT, CitePlain string
	// Parallel link to the hit's paragraph in the document's translations.
	Parallel []parallelLink
}

type similarLink struct {
	URL, Label string
	Doc        string // the document id, "" if the paragraph id is not understood
	N          int
}

type facetGroup struct {
	Name   string // heading, e.g. "文件"
	Values []facetValue
}

type facetValue struct {
	Label    string
	URL      string // adds the filter, or removes it when Selected
	Count    int
	Selected bool
}

type activeFilter struct {
	Name, Value, RemoveURL string
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	return s.render(w, r, http.StatusOK, tmplSearch, searchPage{Title: "上合组织文件检索", Autofocus: true, Help: true, Home: s.home(ctx)})
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	p, err := s.parseParams(r.URL.Query(), false)
	if err != nil {
		return s.renderSearchError(w, r, p, err)
	}
	if p.Q == "" {
		// Nothing to search for (filters alone are not a query): the help,
		// with the filters kept in the form for the next query.
		return s.render(w, r, http.StatusOK, tmplSearch, searchPage{Title: "上合组织文件检索", Params: p, Autofocus: true, Help: true})
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	res, err := s.runSearch(ctx, p.request(s.opts.PageSize))
	if err != nil {
		return s.renderSearchError(w, r, p, err)
	}
	v := s.searchView(p, res)
	if err := s.labelSimilar(ctx, v.Hits); err != nil {
		return err
	}
	if err := s.addParallelLinks(ctx, res.Hits, v.Hits); err != nil { // parallel.go
		return err
	}
	return s.render(w, r, http.StatusOK, tmplSearch, v)
}

// renderSearchError shows the search page with the problem when it is the
// query's fault (400), and leaves other errors to serveError.
func (s *Server) renderSearchError(w http.ResponseWriter, r *http.Request, p params, err error) error {
	status, msg := errorStatus(err)
	if status != http.StatusBadRequest {
		return err
	}
	return s.render(w, r, status, tmplSearch, searchPage{
		Title: "查询有误 - 上合组织文件检索", Q: p.Q, Params: p, Error: chineseMessage(err, msg),
	})
}

func (s *Server) searchView(p params, res *search.Result) searchPage {
	size := s.opts.PageSize
	v := searchPage{
		Title:        p.Q + " - 上合组织文件检索",
		Q:            p.Q,
		Params:       p,
		Total:        res.Total,
		Complete:     res.Complete,
		PartialCount: res.Total - min(res.Complete, res.Total),
		FacetSample:  res.Facets.Sample,
		TookMS:       formatMillis(res.Took),
		SortByDate:   p.Sort == search.SortDate,
	}
	if p.Q == "" {
		v.Title = "上合组织文件检索"
	}
	if len(res.Hits) > 0 {
		v.From = (p.Page-1)*size + 1
		v.To = v.From + len(res.Hits) - 1
	}
	accessed := time.Now()
	for _, h := range res.Hits {
		hv := newHitView(h, p.Q)
		ref := export.HitRef(h, s.opts.BaseURL+docURL(h.Doc, "", h.Paragraph))
		hv.CiteGBT = ref.Citation(export.StyleGBT7714, accessed)
		hv.CitePlain = ref.Citation(export.StylePlain, accessed)
		hv.PartialStart = hv.Partial && (len(v.Hits) == 0 && v.From <= int(res.Complete)+1 || len(v.Hits) > 0 && !v.Hits[len(v.Hits)-1].Partial)
		v.Hits = append(v.Hits, hv)
	}

	// Sort switch: changing the order starts again at page 1.
	rel, date := p, p
	rel.Sort, rel.Page = "", 1
	date.Sort, date.Page = search.SortDate, 1
	v.RelevanceURL, v.DateURL = rel.url(), date.url()
	if res.Complete > 0 {
		v.TrendsURL = trendsURL(p.Q)
	}
	if res.Total > 0 {
		for _, f := range export.Formats() {
			v.Exports = append(v.Exports, exportLink{Label: exportLabel(f), URL: p.exportURL(f)})
		}
	}

	// Facets: each value adds its filter, or removes it when selected.
	for _, ff := range search.FilterFields() {
		if !ff.Facet || !ff.Param {
			continue
		}
		fg := facetGroup{Name: ff.Label}
		for _, c := range res.Facets.Of(ff.Name) {
			if c.Value == "" {
				continue
			}
			np := p
			np.Page = 1
			f := np.Filters.Filter(ff.Name)
			selected := *f == c.Value
			if selected {
				*f = ""
			} else {
				*f = c.Value
			}
			label := c.Label
			if ff.Name == "lang" {
				label = langName(c.Value) // the page's own names: 俄文
			}
			if label == "" {
				label = c.Value
			}
			fg.Values = append(fg.Values, facetValue{Label: label, URL: np.url(), Count: c.Count, Selected: selected})
		}
		if len(fg.Values) > 0 {
			v.Facets = append(v.Facets, fg)
		}
	}
	for _, ff := range paramFilters() {
		np := p
		np.Page = 1
		if val := *np.Filters.Filter(ff.Name); val != "" {
			*np.Filters.Filter(ff.Name) = ""
			label := facetLabel(res.Facets.Doc, val, ff.Name == "doc")
			switch {
			case ff.Name == "section" && val == search.NoSection:
				label = search.NoSectionLabel
			case ff.Name == "lang":
				label = langName(val)
			}
			v.Filters = append(v.Filters, activeFilter{Name: ff.Label, Value: label, RemoveURL: np.url()})
		}
	}

	// Paging: near-identical paragraphs collapsed into others take no place.
	shown := res.Total - min(res.Collapsed, res.Total)
	pageCount := int((shown + uint64(size) - 1) / uint64(size))
	pageCount = min(pageCount, maxPage)
	if pageCount > 1 {
		for n := max(1, p.Page-4); n <= min(pageCount, p.Page+4); n++ {
			np := p
			np.Page = n
			v.Pages = append(v.Pages, pageLink{N: n, URL: np.url(), Current: n == p.Page})
		}
		if p.Page > 1 {
			np := p
			np.Page--
			v.PrevURL = np.url()
		}
		if p.Page < pageCount {
			np := p
			np.Page++
			v.NextURL = np.url()
		}
	}
	return v
}

// facetLabel is the label of a selected doc filter (the title), or value.
func facetLabel(counts []search.FacetCount, value string, isDoc bool) string {
	if isDoc {
		for _, c := range counts {
			if c.Value == value && c.Label != "" {
				return c.Label
			}
		}
	}
	return value
}

func newHitView(h search.Hit, q string) hitView {
	hv := hitView{
		URL:       docURL(h.Doc, q, h.Paragraph),
		Title:     h.Title,
		Date:      chineseDate(h.Date),
		Place:     h.Place,
		Section:   h.Section,
		Paragraph: h.Paragraph,
		Partial:   h.Match == search.MatchPartial,
		Missing:   h.Missing,
	}
	if hv.Title == "" {
		hv.Title = h.Doc
	}
	for _, sn := range h.Snippets {
		// Snippets are HTML built by package search: the paragraph text
		// escaped, with <mark> around the matches. That contract is the
		// only reason this conversion is safe.
		hv.Snippets = append(hv.Snippets, template.HTML(sn))
	}
	if len(hv.Snippets) == 0 {
		hv.Text = truncate(h.Text, 200)
	}
	for _, id := range h.Similar {
		doc, n, ok := search.SplitParagraphID(id)
		if !ok {
			hv.Similar = append(hv.Similar, similarLink{Label: id})
			continue
		}
		hv.Similar = append(hv.Similar, similarLink{URL: docURL(doc, q, n), Doc: doc, N: n, Label: fmt.Sprintf("%s 第%d段", doc, n)})
	}
	return hv
}

// labelSimilar labels the similar-paragraph links of hits with their
// documents' titles (《标题》第12段) instead of ids; the list of
// documents is read only when some hit has such links.
func (s *Server) labelSimilar(ctx context.Context, hits []hitView) error {
	var titles map[string]string
	for i := range hits {
		for j := range hits[i].Similar {
			l := &hits[i].Similar[j]
			if l.Doc == "" {
				continue
			}
			if titles == nil {
				docs, err := s.searcher.Documents(ctx)
				if err != nil {
					return fmt.Errorf("list documents: %w", err)
				}
				titles = make(map[string]string, len(docs))
				for _, d := range docs {
					titles[d.ID] = d.Title
				}
			}
			if t := titles[l.Doc]; t != "" {
				l.Label = fmt.Sprintf("《%s》第%d段", t, l.N)
			}
		}
	}
	return nil
}

// docPage is the data of doc.tmpl.
type docPage struct {
	Title     string
	Q         string
	Params    params
	Autofocus bool
	Doc       *search.Document
	Date      string
	Note      string // e.g. why the query is not highlighted
	BackURL   string // to the search results, when arriving from them
	Sections  []sectionLink
	Paragraph []paraView

	// Paging of a document longer than a window: paragraphs From to To
	// (1-based) of Total are shown.
	Paged                               bool
	Total, From, To                     int
	FirstURL, PrevURL, NextURL, LastURL string
	// CompareWith are the documents offered for comparison ("与…比较").
	CompareWith []compareLink
	// Translations are the document's other language versions.
	Translations []translationLink
}

type sectionLink struct {
	Label, Anchor string
}

type paraView struct {
	Anchor  string // "p12"
	N       int
	Section string // set on the first paragraph of a section: a heading goes before it
	// SectionAnchor is the id of that heading, "s1", "s2", ...
	SectionAnchor string
	HTML          template.HTML
	Cite          string
	Permalink     string // "#p12", or the address of its window when paged
	// Elsewhere are the similar paragraphs of other documents.
	Elsewhere []elsewhereLink
}

// elsewhereLink is a similar paragraph of another document, with the
// comparison of the two documents.
type elsewhereLink struct {
	URL, Label, CompareURL string
	Percent                int
}

// errParagraphNotFound is the 404 of a p= beyond the document's end.
func errParagraphNotFound(n, total int) error {
	return &userError{status: http.StatusNotFound, msg: fmt.Sprintf("paragraph %d not found: the document has %d", n, total)}
}

func (s *Server) handleDoc(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["doc"]
	dp, err := s.parseDocParams(r.URL.Query(), false)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	doc, err := s.searcher.DocumentPage(ctx, id, dp.Q, dp.From, dp.Size)
	note := ""
	if err != nil && dp.Q != "" && errors.Is(err, search.ErrBadQuery) {
		note = "检索式有误，未作高亮。"
		doc, err = s.searcher.DocumentPage(ctx, id, "", dp.From, dp.Size)
	}
	if err != nil {
		return fmt.Errorf("document %q: %w", id, err)
	}
	total := doc.DocumentInfo.Paragraphs
	if dp.P > total {
		return errParagraphNotFound(dp.P, total)
	}

	q := dp.Q
	v := docPage{Title: doc.Title, Q: q, Params: params{Q: q, Page: 1}, Doc: doc, Date: chineseDate(doc.Date), Note: note, Total: total}
	if v.Title == "" {
		v.Title = doc.ID
	}
	if q != "" {
		v.BackURL = params{Q: q, Page: 1}.url()
	}
	if v.Paged = dp.From > 0 || total > dp.Size; v.Paged {
		if len(doc.Paragraphs) > 0 {
			v.From, v.To = dp.From+1, dp.From+len(doc.Paragraphs)
			v.Title += fmt.Sprintf("（第%d–%d段）", v.From, v.To)
		} else {
			v.Note = strings.TrimSpace(v.Note + fmt.Sprintf(" 本文件共 %d 段，此处没有段落。", total))
		}
		last := max(0, (total-1)/dp.Size*dp.Size)
		if dp.From > 0 {
			v.FirstURL = dp.windowURL("/docs", doc.ID, 0)
			v.PrevURL = dp.windowURL("/docs", doc.ID, min(max(0, dp.From-dp.Size), last))
		}
		if dp.From+dp.Size < total {
			v.NextURL = dp.windowURL("/docs", doc.ID, dp.From+dp.Size)
			v.LastURL = dp.windowURL("/docs", doc.ID, last)
		}
	}
	if _, ok := s.searcher.(Comparer); ok {
		docs, err := s.searcher.Documents(ctx)
		if err != nil {
			return fmt.Errorf("list documents: %w", err)
		}
		v.CompareWith = compareCandidates(doc.DocumentInfo, docs)
	}
	if v.Translations, err = s.translationLinks(ctx, doc.DocumentInfo); err != nil { // parallel.go
		return err
	}
	prev := ""
	for _, p := range doc.Paragraphs {
		pv := paraView{
			Anchor: "p" + strconv.Itoa(p.N),
			N:      p.N,
			// Paragraph.HTML is the text escaped by package search, with
			// <mark> around matches: the contract that makes this safe.
			HTML:      template.HTML(p.HTML),
			Cite:      citation(doc.DocumentInfo, p.N, s.opts.BaseURL+docURL(doc.ID, "", p.N)),
			Permalink: "#p" + strconv.Itoa(p.N),
		}
		if v.Paged {
			pv.Permalink = docURL(doc.ID, q, p.N)
		}
		for _, o := range p.SimilarElsewhere {
			label := o.Title
			if label == "" {
				label = o.Doc
			}
			label = fmt.Sprintf("《%s》第%d段", label, o.Paragraph)
			if o.Date != "" {
				label += "（" + chineseDate(o.Date) + "）"
			}
			pv.Elsewhere = append(pv.Elsewhere, elsewhereLink{URL: docURL(o.Doc, "", o.Paragraph), Label: label,
				CompareURL: compareURL(doc.ID, o.Doc), Percent: int(o.Similarity*100 + 0.5)})
		}
		if p.Section != "" && p.Section != prev {
			pv.Section = p.Section
			pv.SectionAnchor = "s" + strconv.Itoa(len(v.Sections)+1)
			v.Sections = append(v.Sections, sectionLink{Label: p.Section, Anchor: pv.SectionAnchor})
		}
		prev = p.Section
		v.Paragraph = append(v.Paragraph, pv)
	}
	return s.render(w, r, http.StatusOK, tmplDoc, v)
}

// citation is the reference copied by the "复制引用" button:
// 《标题》（2019年6月14日，比什凯克），第12段。http://host/docs/id#p12
func citation(d search.DocumentInfo, n int, link string) string {
	var b strings.Builder
	title := d.Title
	if title == "" {
		title = d.ID
	}
	b.WriteString("《" + title + "》")
	var meta []string
	if d.Date != "" {
		meta = append(meta, chineseDate(d.Date))
	}
	if d.Place != "" {
		meta = append(meta, d.Place)
	}
	if len(meta) > 0 {
		b.WriteString("（" + strings.Join(meta, "，") + "）")
	}
	fmt.Fprintf(&b, "，第%d段。%s", n, link)
	return b.String()
}

// chineseDate writes "2019-06-14" as "2019年6月14日" (and "2019-06" as
// "2019年6月"); anything else is returned unchanged.
func chineseDate(iso string) string { return export.ChineseDate(iso) }

// formatMillis formats d in milliseconds, e.g. "12" or "0.4".
func formatMillis(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms < 10 {
		return strconv.FormatFloat(ms, 'f', 1, 64)
	}
	return strconv.FormatFloat(ms, 'f', 0, 64)
}

// truncate shortens s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
