package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/scosearch/scosearch/search"
)

// docsPage is the data of docs.tmpl: the documents of the index.
type docsPage struct {
	Title     string
	Q         string
	Params    params
	Autofocus bool

	Total     int // documents in the index
	Shown     []docRow
	ByTitle   bool
	SortDate  string // addresses of the two orders, filters kept
	SortTitle string
	Years     []docsFilter
	Langs     []docsFilter
	Year      string // the filters in force
	Lang      string
	ClearURL  string // all documents, order kept
}

type docRow struct {
	URL, Title, Date, Place, Lang, LangName string
	Paragraphs                              int
	Translations                            []docLink
}

type docLink struct {
	URL, Label, Lang string
}

type docsFilter struct {
	Label    string
	URL      string // selects it, or removes it when Selected
	Count    int
	Selected bool
}

// docsQuery are the parameters of /docs.
type docsQuery struct {
	Sort, Year, Lang string
}

func (q docsQuery) url() string {
	v := url.Values{}
	if q.Sort == "title" {
		v.Set("sort", "title")
	}
	if q.Year != "" {
		v.Set("year", q.Year)
	}
	if q.Lang != "" {
		v.Set("lang", q.Lang)
	}
	if len(v) == 0 {
		return "/docs"
	}
	return "/docs?" + v.Encode()
}

// langNames names the languages of the corpus on the pages.
var langNames = map[string]string{"zh": "中文", "ru": "俄文", "en": "英文"}

func langName(code string) string {
	if n, ok := langNames[code]; ok {
		return n
	}
	return code
}

// handleDocs is GET /docs?sort=date|title&year=&lang=: every document with
// its date, place, language, paragraphs and translations, newest first or
// by title (pinyin order), filtered by year and language with links.
func (s *Server) handleDocs(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := docsQuery{Sort: strings.TrimSpace(v.Get("sort")), Year: strings.TrimSpace(v.Get("year")), Lang: strings.ToLower(strings.TrimSpace(v.Get("lang")))}
	switch q.Sort {
	case "", "date":
		q.Sort = ""
	case "title":
	default:
		return badParameter(fmt.Sprintf("parameter sort must be \"date\" or \"title\", not %q", q.Sort), "排序方式只能是日期（date）或标题（title）。")
	}
	if q.Year != "" {
		if y, err := strconv.Atoi(q.Year); err != nil || len(q.Year) != 4 || y < 0 {
			return badParameter(fmt.Sprintf("parameter year must be four digits, not %q", q.Year), "参数 year 应为四位数字的年份。")
		}
	}
	if len(q.Lang) > 16 {
		return badParameter("parameter lang too long", "参数 lang 过长。")
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	docs, err := s.searcher.Documents(ctx)
	if err != nil {
		return fmt.Errorf("list documents: %w", err)
	}
	return s.render(w, r, http.StatusOK, tmplDocs, newDocsPage(docs, q))
}

func newDocsPage(docs []search.DocumentInfo, q docsQuery) docsPage {
	p := docsPage{Title: "全部文件 - 上合组织文件检索", Total: len(docs), ByTitle: q.Sort == "title", Year: q.Year, Lang: q.Lang}
	date, title := q, q
	date.Sort, title.Sort = "", "title"
	p.SortDate, p.SortTitle = date.url(), title.url()
	p.ClearURL = docsQuery{Sort: q.Sort}.url()

	trans := translations(docs)
	years, langs := map[string]int{}, map[string]int{}
	for _, d := range docs {
		y := docYear(d)
		l := d.Lang
		// Each filter's counts are those of the documents the other one keeps.
		if q.Lang == "" || l == q.Lang {
			years[y]++
		}
		if q.Year == "" || y == q.Year {
			langs[l]++
		}
		if (q.Year != "" && y != q.Year) || (q.Lang != "" && l != q.Lang) {
			continue
		}
		row := docRow{URL: docPath(d.ID), Title: cmp.Or(d.Title, d.ID), Date: chineseDate(d.Date), Place: d.Place, Lang: d.Lang, LangName: langName(d.Lang), Paragraphs: d.Paragraphs}
		for _, t := range trans[d.ID] {
			row.Translations = append(row.Translations, docLink{URL: docPath(t.ID), Label: langName(t.Lang), Lang: t.Lang})
		}
		p.Shown = append(p.Shown, row)
	}

	byDate := map[string]string{}
	for _, d := range docs {
		byDate[docPath(d.ID)] = d.Date
	}
	if p.ByTitle {
		col := collate.New(language.SimplifiedChinese)
		slices.SortStableFunc(p.Shown, func(a, b docRow) int {
			return cmp.Or(col.CompareString(a.Title, b.Title), strings.Compare(a.URL, b.URL))
		})
	} else {
		slices.SortStableFunc(p.Shown, func(a, b docRow) int {
			return cmp.Or(strings.Compare(byDate[b.URL], byDate[a.URL]), strings.Compare(a.URL, b.URL))
		})
	}

	for _, y := range sortedKeys(years, true) {
		f := q
		selected := q.Year == y
		f.Year = y
		if selected {
			f.Year = ""
		}
		label := y
		if y == "" {
			continue // undated documents: listed, not a filter
		}
		p.Years = append(p.Years, docsFilter{Label: label, URL: f.url(), Count: years[y], Selected: selected})
	}
	for _, l := range sortedKeys(langs, false) {
		f := q
		selected := q.Lang == l
		f.Lang = l
		if selected {
			f.Lang = ""
		}
		if l == "" {
			continue
		}
		p.Langs = append(p.Langs, docsFilter{Label: langName(l), URL: f.url(), Count: langs[l], Selected: selected})
	}
	return p
}

func docYear(d search.DocumentInfo) string {
	if len(d.Date) >= 4 {
		return d.Date[:4]
	}
	return ""
}

// sortedKeys returns m's keys, descending or ascending.
func sortedKeys(m map[string]int, desc bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if desc {
		slices.Reverse(keys)
	}
	return keys
}

// translations maps each document id to its other language versions
// (search.DocumentInfo.Translations).
func translations(docs []search.DocumentInfo) map[string][]search.DocumentInfo {
	byID := make(map[string]search.DocumentInfo, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	out := map[string][]search.DocumentInfo{}
	for _, d := range docs {
		for _, t := range d.Translations {
			if o, ok := byID[t]; ok {
				out[d.ID] = append(out[d.ID], o)
			}
		}
	}
	return out
}

// homeView is what the home page shows of the corpus.
type homeView struct {
	Documents, Paragraphs int
	FirstYear, LastYear   string
	Latest                []docRow
	Examples              []exampleLink
}

type exampleLink struct {
	Text, URL string
	Count     int
}

// examplesSource is a Searcher that can offer frequent formulations of
// its corpus (*search.Engine can).
type examplesSource interface {
	Examples(ctx context.Context, n int) ([]search.Suggestion, error)
}

// homeLatest and homeExamples are how many documents and example searches
// the home page shows.
const homeLatest, homeExamples = 5, 8

// home describes the corpus for the home page. It fails soft: an index
// that is not open yet gives no description, and the page its search box.
func (s *Server) home(ctx context.Context) *homeView {
	docs, err := s.searcher.Documents(ctx)
	if err != nil || len(docs) == 0 {
		if err != nil {
			s.log.Warn("home page: list documents", "err", err)
		}
		return nil
	}
	h := &homeView{Documents: len(docs)}
	for _, d := range docs {
		h.Paragraphs += d.Paragraphs
		if y := docYear(d); y != "" {
			if h.FirstYear == "" || y < h.FirstYear {
				h.FirstYear = y
			}
			if y > h.LastYear {
				h.LastYear = y
			}
		}
	}
	latest := slices.Clone(docs)
	slices.SortStableFunc(latest, func(a, b search.DocumentInfo) int { return strings.Compare(b.Date, a.Date) })
	for _, d := range latest[:min(homeLatest, len(latest))] {
		h.Latest = append(h.Latest, docRow{URL: docPath(d.ID), Title: cmp.Or(d.Title, d.ID), Date: chineseDate(d.Date), Place: d.Place, LangName: langName(d.Lang)})
	}
	if ex, ok := s.searcher.(examplesSource); ok {
		words, err := ex.Examples(ctx, homeExamples)
		if err != nil {
			s.log.Warn("home page: examples", "err", err)
		}
		for _, w := range words {
			h.Examples = append(h.Examples, exampleLink{Text: w.Text, URL: params{Q: w.Text, Page: 1}.url(), Count: w.Count})
		}
	}
	return h
}
