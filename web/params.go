package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scosearch/scosearch/search"
)

// maxFilterLen bounds the doc, year, section and lang parameters, in bytes.
const maxFilterLen = 512

// params are the parameters of /search and /api/search.
type params struct {
	Q    string
	Sort string // "" (relevance) or search.SortDate
	// Filters holds the filter parameters (doc, year, section, lang: the
	// search.FilterFields that are Param), read through Filters.Filter;
	// its other fields are unused.
	Filters search.Request
	Page    int // 1-based, pages only
	Size    int // API only; 0 means the engine's default
	From    int // API only
	// NoCollapse lists near-identical paragraphs as separate hits
	// (collapse=false).
	NoCollapse bool
}

// parseParams reads and checks the parameters of a search request. Every
// problem is a 400 with a message that names the parameter.
func (s *Server) parseParams(v url.Values, api bool) (params, error) {
	p := params{Q: strings.TrimSpace(v.Get("q")), Page: 1}
	for _, f := range paramFilters() {
		*p.Filters.Filter(f.Name) = strings.TrimSpace(v.Get(f.Name))
	}
	if !utf8.ValidString(p.Q) {
		return p.validUTF8(), badParameter("parameter q is not valid UTF-8", "检索式含有无法识别的字符（不是有效的 UTF-8）。")
	}
	if n := utf8.RuneCountInString(p.Q); n > s.opts.MaxQueryLen {
		return p, badParameter(fmt.Sprintf("query too long: %d characters, at most %d", n, s.opts.MaxQueryLen), fmt.Sprintf("检索式过长：%d 个字符，最多 %d 个。", n, s.opts.MaxQueryLen))
	}
	for _, f := range paramFilters() {
		value := *p.Filters.Filter(f.Name)
		if !utf8.ValidString(value) {
			return p.validUTF8(), badParameter(fmt.Sprintf("parameter %s is not valid UTF-8", f.Name), fmt.Sprintf("参数 %s 含有无法识别的字符。", f.Name))
		}
		if len(value) > maxFilterLen {
			return p, badParameter(fmt.Sprintf("parameter %s too long: at most %d bytes", f.Name, maxFilterLen), fmt.Sprintf("参数 %s 过长：最多 %d 字节。", f.Name, maxFilterLen))
		}
	}

	switch c := strings.TrimSpace(v.Get("collapse")); c {
	case "", "true", "1":
	case "false", "0":
		p.NoCollapse = true
	default:
		return p, badParameter(fmt.Sprintf("parameter collapse must be true or false, not %q", c), "参数 collapse 只能是 true 或 false。")
	}

	switch srt := v.Get("sort"); srt {
	case "", search.SortRelevance:
	case search.SortDate:
		p.Sort = search.SortDate
	default:
		return p, badParameter(fmt.Sprintf("parameter sort must be %q or %q, not %q", search.SortRelevance, search.SortDate, srt), "排序方式只能是相关度（relevance）或日期（date）。")
	}

	var err error
	if api {
		if p.Size, err = intParam(v, "size", 0, 0); err != nil {
			return p, err
		}
		if p.From, err = intParam(v, "from", 0, 0); err != nil {
			return p, err
		}
		return p, nil
	}
	if p.Page, err = intParam(v, "page", 1, maxPage); err != nil {
		return p, err
	}
	if p.Page == 0 {
		p.Page = 1
	}
	return p, nil
}

// paramFilters returns the filter fields that are parameters of the pages
// and the API, in the order of search.FilterFields.
func paramFilters() []search.FilterField {
	var out []search.FilterField
	for _, f := range search.FilterFields() {
		if f.Param {
			out = append(out, f)
		}
	}
	return out
}

// filterParam is a filter parameter and its value.
type filterParam struct{ Name, Value string }

// SetFilters returns the filter parameters with a value, for the hidden
// fields of the search form.
func (p params) SetFilters() []filterParam {
	var out []filterParam
	for _, f := range paramFilters() {
		if v := *p.Filters.Filter(f.Name); v != "" {
			out = append(out, filterParam{f.Name, v})
		}
	}
	return out
}

// validUTF8 returns p with invalid UTF-8 in its text parameters replaced
// by U+FFFD: the error page echoes them back in the search form.
func (p params) validUTF8() params {
	p.Q = strings.ToValidUTF8(p.Q, "\uFFFD")
	for _, f := range paramFilters() {
		v := p.Filters.Filter(f.Name)
		*v = strings.ToValidUTF8(*v, "\uFFFD")
	}
	return p
}

// intParam parses parameter name as an integer in [lo, hi] (no upper
// bound when hi is 0); absent means 0.
func intParam(v url.Values, name string, lo, hi int) (int, error) {
	raw := strings.TrimSpace(v.Get(name))
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || (hi > 0 && n > hi) {
		if hi > 0 {
			return 0, badParameter(fmt.Sprintf("parameter %s must be a whole number from %d to %d", name, lo, hi), fmt.Sprintf("参数 %s 应为 %d 到 %d 之间的整数。", name, lo, hi))
		}
		return 0, badParameter(fmt.Sprintf("parameter %s must be a whole number of at least %d", name, lo), fmt.Sprintf("参数 %s 应为不小于 %d 的整数。", name, lo))
	}
	return n, nil
}

// request turns page parameters into a search.Request of pageSize hits.
func (p params) request(pageSize int) search.Request {
	r := p.Filters
	r.Query, r.Size, r.From, r.Sort, r.NoCollapse = p.Q, pageSize, (p.Page-1)*pageSize, p.Sort, p.NoCollapse
	return r
}

// apiRequest turns API parameters into a search.Request.
func (p params) apiRequest() search.Request {
	r := p.Filters
	r.Query, r.Size, r.From, r.Sort, r.NoCollapse = p.Q, p.Size, p.From, p.Sort, p.NoCollapse
	return r
}

// url is the /search address of p, with default values left out.
func (p params) url() string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", p.Q)
	for _, f := range paramFilters() {
		set(f.Name, *p.Filters.Filter(f.Name))
	}
	if p.NoCollapse {
		v.Set("collapse", "false")
	}
	set("sort", p.Sort)
	if p.Page > 1 {
		v.Set("page", strconv.Itoa(p.Page))
	}
	if len(v) == 0 {
		return "/search"
	}
	return "/search?" + v.Encode()
}

// docPath is the path of document doc's page, each segment of its id
// escaped (ids may hold slashes).
func docPath(doc string) string {
	segs := strings.Split(doc, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return "/docs/" + strings.Join(segs, "/")
}

// docURL is the address of document doc, with the query to highlight and
// the paragraph to land on (n > 0). A paragraph beyond the first window of
// search.DefaultDocumentPage paragraphs adds p=n, which opens the window
// that holds it; the short form /docs/{doc}#p12 serves the others.
func docURL(doc, q string, n int) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if n > search.DefaultDocumentPage {
		v.Set("p", strconv.Itoa(n))
	}
	u := docPath(doc)
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	if n > 0 {
		u += "#p" + strconv.Itoa(n)
	}
	return u
}

// docParams are the parameters of /docs/{doc} and /api/docs/{doc}.
type docParams struct {
	Q    string
	From int // paragraphs before the window
	Size int // paragraphs in the window
	P    int // the paragraph asked for with p=, 0 if none
}

// parseDocParams reads q, from, size and p (the paragraph whose window to
// show, instead of from). A bad q is an error for the API; the page drops
// it, as it only highlights.
func (s *Server) parseDocParams(v url.Values, api bool) (docParams, error) {
	var p docParams
	p.Q = strings.TrimSpace(v.Get("q"))
	if !utf8.ValidString(p.Q) {
		if api {
			return p, badParameter("parameter q is not valid UTF-8", "检索式含有无法识别的字符（不是有效的 UTF-8）。")
		}
		p.Q = ""
	}
	if n := utf8.RuneCountInString(p.Q); n > s.opts.MaxQueryLen {
		if api {
			return p, badParameter(fmt.Sprintf("query too long: %d characters, at most %d", n, s.opts.MaxQueryLen), fmt.Sprintf("检索式过长：%d 个字符，最多 %d 个。", n, s.opts.MaxQueryLen))
		}
		p.Q = ""
	}
	var err error
	if p.Size, err = intParam(v, "size", 1, search.MaxDocumentPage); err != nil {
		return p, err
	}
	if p.Size == 0 {
		p.Size = search.DefaultDocumentPage
	}
	if p.From, err = intParam(v, "from", 0, 0); err != nil {
		return p, err
	}
	if p.P, err = intParam(v, "p", 1, 0); err != nil {
		return p, err
	}
	if p.P > 0 {
		if strings.TrimSpace(v.Get("from")) != "" {
			return p, badParameter("give parameter p (a paragraph) or from, not both", "参数 p（段落）和 from 只能给一个。")
		}
		p.From = (p.P - 1) / p.Size * p.Size
	}
	return p, nil
}

// windowURL is the address (under prefix "/docs" or "/api/docs") of the
// window of document doc from offset from, with p's query and size.
func (p docParams) windowURL(prefix, doc string, from int) string {
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	if from > 0 {
		v.Set("from", strconv.Itoa(from))
	}
	if p.Size != search.DefaultDocumentPage {
		v.Set("size", strconv.Itoa(p.Size))
	}
	u := prefix + strings.TrimPrefix(docPath(doc), "/docs")
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}
