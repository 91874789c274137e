package web

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/scosearch/scosearch/index/zh"
	"github.com/scosearch/scosearch/search"
)

// Comparer is implemented by a Searcher that compares two documents;
// *search.Engine does. Without it /compare and /api/compare are 404.
type Comparer interface {
	Compare(ctx context.Context, a, b string) (*search.Comparison, error)
}

// compareParams reads the a and b parameters of /compare and /api/compare.
func compareParams(v url.Values) (a, b string, err error) {
	a, b = strings.TrimSpace(v.Get("a")), strings.TrimSpace(v.Get("b"))
	for _, p := range []struct{ name, value string }{{"a", a}, {"b", b}} {
		switch {
		case p.value == "":
			return a, b, badParameter(fmt.Sprintf("parameter %s is required: the id of a document to compare", p.name), fmt.Sprintf("缺少参数 %s：要比较的文件。", p.name))
		case !utf8.ValidString(p.value) || len(p.value) > maxFilterLen:
			return "", "", badParameter(fmt.Sprintf("parameter %s is not a document id", p.name), fmt.Sprintf("参数 %s 不是文件编号。", p.name))
		}
	}
	return a, b, nil
}

// compare runs the comparison of a and b on the Searcher.
func (s *Server) compare(ctx context.Context, a, b string) (*search.Comparison, error) {
	c, ok := s.searcher.(Comparer)
	if !ok {
		return nil, errNotFound
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.SearchTimeout)
	defer cancel()
	return c.Compare(ctx, a, b)
}

func (s *Server) handleAPICompare(w http.ResponseWriter, r *http.Request) error {
	a, b, err := compareParams(r.URL.Query())
	if err != nil {
		return err
	}
	c, err := s.compare(r.Context(), a, b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// comparePage is the data of compare.tmpl.
type comparePage struct {
	Title     string
	Q         string
	Params    params
	Autofocus bool
	C         *search.Comparison
	AURL      string
	BURL      string
	SwapURL   string
	ADate     string
	BDate     string
	Rows      []compareRow
}

// compareRow is one aligned pair: A's paragraph and B's, as redline HTML.
type compareRow struct {
	Status, Label string
	ANum, BNum    int
	AURL, BURL    string
	AHTML, BHTML  template.HTML
	Similarity    int // percent
}

var statusLabels = map[string]string{
	search.PairSame: "相同", search.PairChanged: "改动", search.PairAdded: "新增", search.PairRemoved: "删除",
}

func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) error {
	a, b, err := compareParams(r.URL.Query())
	if err != nil {
		return err
	}
	c, err := s.compare(r.Context(), a, b)
	if err != nil {
		return err
	}
	v := comparePage{
		Title: "比较：" + titleOf(c.A) + " 与 " + titleOf(c.B), C: c,
		AURL: docPath(c.A.ID), BURL: docPath(c.B.ID), SwapURL: compareURL(c.B.ID, c.A.ID),
		ADate: chineseDate(c.A.Date), BDate: chineseDate(c.B.Date),
	}
	for _, p := range c.Pairs {
		row := compareRow{Status: p.Status, Label: statusLabels[p.Status], Similarity: int(p.Similarity*100 + 0.5)}
		if p.A != nil {
			row.ANum, row.AURL = *p.A, docURL(c.A.ID, "", *p.A)
		}
		if p.B != nil {
			row.BNum, row.BURL = *p.B, docURL(c.B.ID, "", *p.B)
		}
		row.AHTML, row.BHTML = redline(p)
		v.Rows = append(v.Rows, row)
	}
	return s.render(w, r, http.StatusOK, tmplCompare, v)
}

// redline returns the two sides of a pair as HTML: A's text with its
// deletions in <del>, B's with its insertions in <ins>; a paragraph alone
// is wholly deleted or inserted. Every text is escaped.
func redline(p search.ParagraphPair) (a, b template.HTML) {
	esc := template.HTMLEscapeString
	switch p.Status {
	case search.PairAdded:
		return "", template.HTML("<ins>" + esc(p.BText) + "</ins>")
	case search.PairRemoved:
		return template.HTML("<del>" + esc(p.AText) + "</del>"), ""
	case search.PairSame:
		return template.HTML(esc(p.AText)), template.HTML(esc(p.BText))
	}
	var sa, sb strings.Builder
	for _, d := range p.Diff {
		switch d.Op {
		case search.DiffEqual:
			sa.WriteString(esc(d.Text))
			sb.WriteString(esc(d.Text))
		case search.DiffDelete:
			sa.WriteString("<del>" + esc(d.Text) + "</del>")
		case search.DiffInsert:
			sb.WriteString("<ins>" + esc(d.Text) + "</ins>")
		}
	}
	return template.HTML(sa.String()), template.HTML(sb.String())
}

func titleOf(d search.DocumentInfo) string {
	if d.Title != "" {
		return d.Title
	}
	return d.ID
}

// compareURL is the address of the comparison of a with b.
func compareURL(a, b string) string {
	return "/compare?" + url.Values{"a": {a}, "b": {b}}.Encode()
}

// compareLink is a document offered for comparison on a document page.
type compareLink struct {
	ID, Label string
	Selected  bool
}

// maxCompareLinks bounds the documents a document page offers.
const maxCompareLinks = 30

// compareCandidates returns the documents to offer for comparison with
// d: those of its language, the most similar titles first (the same kind
// of document: other declarations for a declaration), then the nearest in
// date; the latest earlier one of nearly the most similar title is
// selected (last year's declaration).
func compareCandidates(d search.DocumentInfo, docs []search.DocumentInfo) []compareLink {
	type cand struct {
		doc search.DocumentInfo
		sim float64
	}
	var cs []cand
	for _, o := range docs {
		if o.ID == d.ID || o.Lang != d.Lang {
			continue
		}
		cs = append(cs, cand{o, titleSimilarity(d.Title, o.Title)})
	}
	gap := func(o search.DocumentInfo) string { return dateGap(d.Date, o.Date) }
	slices.SortStableFunc(cs, func(x, y cand) int {
		if x.sim != y.sim {
			if x.sim > y.sim {
				return -1
			}
			return 1
		}
		return strings.Compare(gap(x.doc), gap(y.doc))
	})
	cs = cs[:min(len(cs), maxCompareLinks)]
	var out []compareLink
	chosen := -1
	for i, c := range cs {
		label := titleOf(c.doc)
		if c.doc.Date != "" {
			label += "（" + chineseDate(c.doc.Date) + "）"
		}
		out = append(out, compareLink{ID: c.doc.ID, Label: label})
		// the latest earlier one among the titles nearly as similar as the
		// most similar: place names differ in length (青岛, 撒马尔罕)
		if c.doc.Date != "" && c.doc.Date < d.Date && c.sim >= cs[0].sim-0.15 && (chosen < 0 || c.doc.Date > cs[chosen].doc.Date) {
			chosen = i
		}
	}
	if chosen < 0 && len(out) > 0 {
		chosen = 0
	}
	if chosen >= 0 {
		out[chosen].Selected = true
	}
	return out
}

// titleSimilarity is the Dice coefficient of the bigrams of two titles
// with their place names and dates left in: 上海合作组织成员国元首理事会
// 比什凯克宣言 and …撒马尔罕宣言 score high, a communiqué lower.
func titleSimilarity(a, b string) float64 {
	bi := func(s string) map[string]bool {
		rs := []rune(zh.Key(s))
		m := map[string]bool{}
		for i := 0; i+1 < len(rs); i++ {
			m[string(rs[i:i+2])] = true
		}
		return m
	}
	x, y := bi(a), bi(b)
	if len(x)+len(y) == 0 {
		return 0
	}
	n := 0
	for k := range x {
		if y[k] {
			n++
		}
	}
	// rounded to tenths, so that near-equal titles sort by date
	return math.Round(20*float64(n)/float64(len(x)+len(y))) / 10
}

// dateGap orders dates by their distance from d (a sortable key): the
// same length of ISO dates compare as strings.
func dateGap(d, o string) string {
	if d == "" || o == "" {
		return "~"
	}
	var dn, on int
	fmt.Sscanf(strings.ReplaceAll(d, "-", ""), "%d", &dn)
	fmt.Sscanf(strings.ReplaceAll(o, "-", ""), "%d", &on)
	g := dn - on
	if g < 0 {
		g = -g
	}
	return fmt.Sprintf("%012d", g)
}
