package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// scoEngine is a search.Engine over testdata/sco, the eleven documents of
// 2015-2024, built once per test binary.
var scoEng struct {
	once sync.Once
	e    *search.Engine
	err  error
}

func scoEngine(t testing.TB) *search.Engine {
	t.Helper()
	scoEng.once.Do(func() {
		dir := filepath.Join(tmpRoot, "sco")
		if _, scoEng.err = index.Build(context.Background(), filepath.Join("..", "testdata", "sco"), dir, index.BuildOptions{}); scoEng.err != nil {
			return
		}
		scoEng.e, scoEng.err = search.Open(dir)
	})
	if scoEng.err != nil {
		t.Fatal(scoEng.err)
	}
	return scoEng.e
}

// TestAPITrends: /api/trends answers the engine's timeline as JSON, and
// a bad or missing query is a 400 with its code.
func TestAPITrends(t *testing.T) {
	e := scoEngine(t)
	ts := startServer(t, e, web.Options{})
	const q = `"上海合作组织"`
	want, err := e.Trends(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, "GET", ts.URL+"/api/trends?q="+url.QueryEscape(q))
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var got struct {
		Query string `json:"query"`
		Total int    `json:"total"`
		Years []struct {
			Year                               string
			Paragraphs, Occurrences, Documents int
		} `json:"years"`
		Documents []struct {
			ID, Title, Date string
			Paragraphs      int
		} `json:"documents"`
		First struct {
			Doc, Date string
			Paragraph int
		} `json:"first"`
		Last *struct{ Doc string } `json:"last"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Query != q || got.Total != want.Total || len(got.Years) != len(want.Years) || len(got.Documents) != len(want.Documents) ||
		got.First.Doc != want.First.Doc || got.First.Paragraph != want.First.Paragraph || got.Last == nil || got.Last.Doc != want.Last.Doc {
		t.Errorf("answer %+v, engine %+v", got, want)
	}
	sum := 0
	for i, y := range got.Years {
		sum += y.Paragraphs
		if y.Year != want.Years[i].Year || y.Occurrences != *want.Years[i].Occurrences {
			t.Errorf("year %d: %+v, want %+v", i, y, want.Years[i])
		}
	}
	if sum != want.Total || want.Total == 0 {
		t.Errorf("years sum to %d, total %d", sum, want.Total)
	}
	for _, c := range []struct{ q, code string }{{"", "bad_parameter"}, {`"阿富汗`, "unbalanced_quote"}, {"foo:bar", "unknown_field"}} {
		r := do(t, "GET", ts.URL+"/api/trends?q="+url.QueryEscape(c.q))
		if r.status != 400 || !strings.Contains(r.body, `"code":"`+c.code+`"`) {
			t.Errorf("q=%q: %d %s, want 400 %s", c.q, r.status, r.body, c.code)
		}
	}
}

// TestTrendsPage: the page draws one bar per year as SVG with
// presentation attributes (no style attribute: the CSP forbids inline
// styles), the numbers as a table, and links the first appearance to its
// paragraph; the results page links to it.
func TestTrendsPage(t *testing.T) {
	e := scoEngine(t)
	ts := startServer(t, e, web.Options{})
	const q = "阿富汗"
	tr, err := e.Trends(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, "GET", ts.URL+"/trends?q="+url.QueryEscape(q))
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	firstURL := "/docs/" + tr.First.Doc + "?q=" + url.QueryEscape(q) + "#p" + itoa(tr.First.Paragraph)
	checkBody(t, r.body, []string{"<svg", `role="img"`, "<table", "<caption>各年份统计</caption>", `<th scope="row">`,
		`href="` + strings.ReplaceAll(firstURL, "&", "&amp;") + `"`, "首次出现", "「阿富汗」的年度分布"}, []string{` style="`, "<script>"})
	if n := strings.Count(r.body, `<rect class="chart-bar"`); n != len(tr.Years) {
		t.Errorf("%d bars, want %d (one a year)", n, len(tr.Years))
	}
	// the tallest bar is the year with the most paragraphs, drawn at full height
	hs := regexp.MustCompile(`class="chart-bar"[^>]* height="(\d+)"`).FindAllStringSubmatch(r.body, -1)
	maxH := 0
	for _, h := range hs {
		maxH = max(maxH, atoi(h[1]))
	}
	if maxH != 140 {
		t.Errorf("tallest bar %d, want 140", maxH)
	}

	res := do(t, "GET", ts.URL+"/search?q="+url.QueryEscape(q))
	checkBody(t, res.body, []string{`href="/trends?q=` + url.QueryEscape(q) + `"`, "看趋势"}, nil)

	for _, c := range []struct {
		q      string
		status int
		want   string
	}{{"", 200, `action="/trends"`}, {`"阿富汗`, 400, "查询有误"}, {`"火星探测"`, 200, "没有段落包含全部检索词"}} {
		r := do(t, "GET", ts.URL+"/trends?q="+url.QueryEscape(c.q))
		if r.status != c.status || !strings.Contains(r.body, c.want) {
			t.Errorf("/trends?q=%s: %d, want %d with %q", c.q, r.status, c.status, c.want)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
