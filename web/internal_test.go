package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/search"
)

func TestChineseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2019-06-14", "2019年6月14日"},
		{"2019-06", "2019年6月"},
		{"2019", "2019年"},
		{"", ""},
		{"June 2019", "June 2019"},
		{"2019-xx-01", "2019-xx-01"},
		{"2019-01-02-03", "2019-01-02-03"},
	}
	for _, tc := range tests {
		if got := chineseDate(tc.in); got != tc.want {
			t.Errorf("chineseDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCitation(t *testing.T) {
	link := "http://h/docs/x#p12"
	tests := []struct {
		name string
		doc  search.DocumentInfo
		want string
	}{
		{"full", search.DocumentInfo{ID: "x", Title: "上海合作组织成员国元首理事会比什凯克宣言", Date: "2019-06-14", Place: "比什凯克"},
			"《上海合作组织成员国元首理事会比什凯克宣言》（2019年6月14日，比什凯克），第12段。http://h/docs/x#p12"},
		{"no place", search.DocumentInfo{ID: "x", Title: "宣言", Date: "2019-06-14"}, "《宣言》（2019年6月14日），第12段。http://h/docs/x#p12"},
		{"no metadata", search.DocumentInfo{ID: "x"}, "《x》，第12段。http://h/docs/x#p12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, citation(tc.doc, 12, link)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestURLs(t *testing.T) {
	tests := []struct{ got, want string }{
		{docURL("2019-bishkek-declaration", "", 0), "/docs/2019-bishkek-declaration"},
		{docURL("2019-bishkek-declaration", "阿富汗", 29), "/docs/2019-bishkek-declaration?q=%E9%98%BF%E5%AF%8C%E6%B1%97#p29"},
		{docURL("刑法/修正案 七", "a&b", 2), "/docs/%E5%88%91%E6%B3%95/%E4%BF%AE%E6%AD%A3%E6%A1%88%20%E4%B8%83?q=a%26b#p2"},
		{params{Page: 1}.url(), "/search"},
		{params{Q: "反恐", Filters: search.Request{Year: "2019"}, Sort: search.SortDate, Page: 3}.url(), "/search?page=3&q=%E5%8F%8D%E6%81%90&sort=date&year=2019"},
		{params{Q: "x", Filters: search.Request{Doc: "a/b"}, Page: 1}.url(), "/search?doc=a%2Fb&q=x"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestParseParams(t *testing.T) {
	s := &Server{opts: Options{}.withDefaults()}
	tests := []struct {
		query   string
		api     bool
		want    params
		wantErr string
	}{
		{"q=+反恐+&page=2&sort=date&doc=d&year=2019", false, params{Q: "反恐", Page: 2, Sort: "date", Filters: search.Request{Doc: "d", Year: "2019"}}, ""},
		{"q=x&sort=relevance", false, params{Q: "x", Page: 1}, ""},
		{"q=x&page=0", false, params{}, "parameter page must be a whole number from 1 to 100"},
		{"q=x&page=abc", false, params{}, "parameter page must be a whole number from 1 to 100"},
		{"q=x&page=101", false, params{}, "parameter page must be a whole number from 1 to 100"},
		{"q=x&sort=title", false, params{}, `parameter sort must be "relevance" or "date", not "title"`},
		{"q=x&size=20&from=40", true, params{Q: "x", Page: 1, Size: 20, From: 40}, ""},
		{"q=x&size=-1", true, params{}, "parameter size must be a whole number of at least 0"},
		{"q=x&from=1e3", true, params{}, "parameter from must be a whole number of at least 0"},
		{"q=%FF", false, params{}, "parameter q is not valid UTF-8"},
		{"q=x&doc=%FF", false, params{}, "parameter doc is not valid UTF-8"},
		{"q=" + url.QueryEscape(string(make([]byte, 1001))), false, params{}, "query too long: 1001 characters, at most 1000"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			v, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.parseParams(v, tc.api)
			if tc.wantErr != "" {
				status, msg := errorStatus(err)
				if status != http.StatusBadRequest || msg != tc.wantErr {
					t.Errorf("error = %d %q, want 400 %q", status, msg, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(params{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorStatus(t *testing.T) {
	tests := []struct {
		err    error
		status int
		msg    string
	}{
		{fmt.Errorf("search: %w", fmt.Errorf("%w: unbalanced quote", search.ErrBadQuery)), 400, "search: bad query: unbalanced quote"},
		{fmt.Errorf("document %q: %w", "x", search.ErrNotFound), 404, "not found"},
		{fmt.Errorf("open: %w", search.ErrIndexNotFound), 503, "index unavailable"},
		{search.ErrIndexLocked, 503, "index unavailable"},
		{fmt.Errorf("search: %w", context.DeadlineExceeded), 503, "search timed out"},
		{badParameter("parameter page must be ...", "参数 page ……"), 400, "parameter page must be ..."},
		{errMethod, 405, "method not allowed"},
		{errors.New("bleve: segment 0x12 corrupt at /var/lib/index"), 500, "internal error"},
	}
	for _, tc := range tests {
		status, msg := errorStatus(tc.err)
		if status != tc.status || msg != tc.msg {
			t.Errorf("errorStatus(%v) = %d %q, want %d %q", tc.err, status, msg, tc.status, tc.msg)
		}
	}
}

// TestChineseMessages: every query error code has a Chinese message, and
// the page says where the problem is.
func TestChineseMessages(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{`"上海合作`, "引号不成对：这个 \" 没有对应的结束引号。（第 1 个字符处）"},
		{`阿富汗 foo:bar`, "没有「foo」这个筛选字段"},
		{`year:19`, "年份「19」有误"},
		{`(禁毒`, "括号不成对：这个 ( 没有对应的括号。（第 1 个字符处）"},
		{`反* `, "不支持通配符 *（「反*」）"},
		{`-禁毒`, "检索式只有排除条件"},
		{`date:2019..2018`, "范围「2019..2018」有误"},
	} {
		err := search.Request{Query: tc.q}.Validate()
		if err == nil {
			t.Errorf("%s: no error", tc.q)
			continue
		}
		if got := chineseMessage(err, err.Error()); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want it to contain %q", tc.q, got, tc.want)
		}
	}
	for _, code := range search.QueryErrorCodes() {
		if _, ok := queryMessages[code]; !ok {
			t.Errorf("code %s has no Chinese message", code)
		}
	}
}

func TestNewHitView(t *testing.T) {
	h := search.Hit{
		ID: "d-p3", Doc: "d", Title: "", Date: "2019-06-14", Paragraph: 3,
		Text:     "纯文本<b>",
		Similar:  []string{"e/f-p7", "odd"},
		Snippets: nil,
	}
	got := newHitView(h, "反恐")
	want := hitView{
		URL: "/docs/d?q=%E5%8F%8D%E6%81%90#p3", Title: "d", Date: "2019年6月14日", Paragraph: 3,
		Text: "纯文本<b>", // escaped by the template, not here
		Similar: []similarLink{
			{URL: "/docs/e/f?q=%E5%8F%8D%E6%81%90#p7", Label: "e/f 第7段", Doc: "e/f", N: 7},
			{Label: "odd"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
