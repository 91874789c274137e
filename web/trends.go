package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scosearch/scosearch/search"
)

// Trender is implemented by a Searcher that draws the timeline of a
// formulation; *search.Engine does. Without it /trends and /api/trends
// are 404.
type Trender interface {
	Trends(ctx context.Context, query string) (*search.Trends, error)
}

// trendsQuery reads and checks the q parameter of /trends and /api/trends.
func (s *Server) trendsQuery(v url.Values) (string, error) {
	q := strings.TrimSpace(v.Get("q"))
	if !utf8.ValidString(q) {
		return strings.ToValidUTF8(q, "\uFFFD"), badParameter("parameter q is not valid UTF-8", "检索式含有无法识别的字符（不是有效的 UTF-8）。")
	}
	if n := utf8.RuneCountInString(q); n > s.opts.MaxQueryLen {
		return "", badParameter(fmt.Sprintf("query too long: %d characters, at most %d", n, s.opts.MaxQueryLen), fmt.Sprintf("检索式过长：%d 个字符，最多 %d 个。", n, s.opts.MaxQueryLen))
	}
	return q, nil
}

// trends runs the timeline of q on the Searcher.
func (s *Server) trends(ctx context.Context, q string) (*search.Trends, error) {
	t, ok := s.searcher.(Trender)
	if !ok {
		return nil, errNotFound
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.SearchTimeout)
	defer cancel()
	return t.Trends(ctx, q)
}

// apiTrends is the answer of /api/trends: search.Trends and the time taken.
type apiTrends struct {
	*search.Trends
	TookMS float64 `json:"took_ms"`
}

func (s *Server) handleAPITrends(w http.ResponseWriter, r *http.Request) error {
	q, err := s.trendsQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if q == "" {
		return badParameter("parameter q is required: the formulation whose timeline to draw", "请输入要查看年度分布的提法（参数 q）。")
	}
	t, err := s.trends(r.Context(), q)
	if err != nil {
		return err // not wrapped: a bad query's message goes to the user as is
	}
	writeJSON(w, http.StatusOK, apiTrends{Trends: t, TookMS: float64(t.Took.Microseconds()) / 1000})
	return nil
}

// trendsPage is the data of trends.tmpl.
type trendsPage struct {
	Title     string
	Q         string
	Params    params
	Autofocus bool
	Error     string
	T         *search.Trends
	SearchURL string
	TookMS    string
	// Counted: the occurrences were counted (see search.TrendsTextLimit).
	Counted     bool
	Occurrences int
	Chart       *barChart
	Years       []yearRow
	Docs        []trendDocRow
	First, Last *appearanceView
}

type yearRow struct {
	Year                          string
	Paragraphs, Documents, Corpus int
	Occurrences                   string // "—" when not counted
	SearchURL                     string // the year's matches
}

type trendDocRow struct {
	URL, Title, Date string
	Paragraphs       int
	Occurrences      string
}

type appearanceView struct {
	URL, Title, Date string
	Paragraph        int
}

// barChart is an SVG bar chart drawn on the server: coordinates in the
// units of its viewBox, which the page scales to its width.
type barChart struct {
	Width, Height int
	Baseline      int // y of the axis
	Bars          []bar
	Max           int
	Label         string // its accessible name
}

type bar struct {
	X, Y, W, H int
	Value      int
	Year       string
	ShowYear   bool // a year label under it (every few years when many)
	ShowValue  bool
	LabelX     int // the centre of the bar
	URL        string
	Title      string // the tooltip: 2019年：12段
}

// Chart geometry, in viewBox units.
const (
	chartStep   = 28 // a year's width
	chartBar    = 20
	chartPlot   = 140 // the tallest bar
	chartTop    = 18  // room for the value above it
	chartBottom = 22  // room for the year under the axis
	chartMinW   = 320
)

// newBarChart draws the paragraphs of each year.
func newBarChart(q string, years []search.YearCount) *barChart {
	c := &barChart{Height: chartTop + chartPlot + chartBottom, Baseline: chartTop + chartPlot}
	for _, y := range years {
		c.Max = max(c.Max, y.Paragraphs)
	}
	c.Width = max(chartMinW, len(years)*chartStep)
	left := (c.Width - len(years)*chartStep) / 2
	// a year label is about as wide as a bar's step: every other one at
	// most, fewer when there are many, so that they never touch
	every := 1
	for (len(years)+every-1)/every > 7 {
		every++
	}
	for i, y := range years {
		h := 0
		if c.Max > 0 {
			h = (y.Paragraphs*chartPlot + c.Max - 1) / c.Max
		}
		x := left + i*chartStep + (chartStep-chartBar)/2
		c.Bars = append(c.Bars, bar{
			X: x, Y: c.Baseline - h, W: chartBar, H: h, Value: y.Paragraphs, Year: y.Year,
			ShowYear: i%every == 0, ShowValue: y.Paragraphs > 0 && len(years) <= 20,
			LabelX: x + chartBar/2, Title: fmt.Sprintf("%s年：%d段", y.Year, y.Paragraphs),
		})
	}
	c.Label = fmt.Sprintf("「%s」各年份的段落数柱状图，最多 %d 段", q, c.Max)
	return c
}

func (s *Server) handleTrends(w http.ResponseWriter, r *http.Request) error {
	q, err := s.trendsQuery(r.URL.Query())
	v := trendsPage{Title: "提法的年度分布 - 上合组织文件检索", Q: q, Params: params{Q: q, Page: 1}}
	if err != nil {
		status, msg := errorStatus(err)
		v.Error = chineseMessage(err, msg)
		return s.render(w, r, status, tmplTrends, v)
	}
	if q == "" {
		return s.render(w, r, http.StatusOK, tmplTrends, v)
	}
	t, err := s.trends(r.Context(), q)
	if err != nil {
		status, msg := errorStatus(err)
		if status != http.StatusBadRequest {
			return err
		}
		v.Error = chineseMessage(err, msg)
		return s.render(w, r, status, tmplTrends, v)
	}
	v.Title = "「" + q + "」的年度分布 - 上合组织文件检索"
	v.T, v.TookMS, v.SearchURL = t, formatMillis(t.Took), v.Params.url()
	v.Counted = t.Occurrences != nil
	if v.Counted {
		v.Occurrences = *t.Occurrences
	}
	occ := func(n *int) string {
		if n == nil {
			return "—"
		}
		return strconv.Itoa(*n)
	}
	v.Chart = newBarChart(q, t.Years)
	for i, y := range t.Years {
		row := yearRow{Year: y.Year, Paragraphs: y.Paragraphs, Documents: y.Documents, Corpus: y.Corpus, Occurrences: occ(y.Occurrences)}
		if y.Paragraphs > 0 {
			p := v.Params
			*p.Filters.Filter("year") = y.Year
			row.SearchURL = p.url()
			v.Chart.Bars[i].URL = row.SearchURL
		}
		v.Years = append(v.Years, row)
	}
	for _, d := range t.Documents {
		title := d.Title
		if title == "" {
			title = d.ID
		}
		v.Docs = append(v.Docs, trendDocRow{URL: docURL(d.ID, q, 0), Title: title, Date: chineseDate(d.Date), Paragraphs: d.Paragraphs, Occurrences: occ(d.Occurrences)})
	}
	view := func(a *search.Appearance) *appearanceView {
		if a == nil {
			return nil
		}
		title := a.Title
		if title == "" {
			title = a.Doc
		}
		return &appearanceView{URL: docURL(a.Doc, q, a.Paragraph), Title: title, Date: chineseDate(a.Date), Paragraph: a.Paragraph}
	}
	v.First, v.Last = view(t.First), view(t.Last)
	return s.render(w, r, http.StatusOK, tmplTrends, v)
}

// trendsURL is the address of the timeline of q.
func trendsURL(q string) string {
	return "/trends?" + url.Values{"q": {q}}.Encode()
}
