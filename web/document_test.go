package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// bigParagraphs is the length of the generated document of TestLargeDocument.
const bigParagraphs = 20000

// bigEngine indexes one document of bigParagraphs paragraphs, "big"; every
// thousandth paragraph mentions 乔蓬阿塔.
func bigEngine(t *testing.T) *search.Engine {
	t.Helper()
	corpusDir, indexDir := t.TempDir(), t.TempDir()
	var b strings.Builder
	b.WriteString("# 大文件\n\n")
	for n := 1; n <= bigParagraphs; n++ {
		place := "比什凯克"
		if n%1000 == 0 {
			place = "乔蓬阿塔"
		}
		fmt.Fprintf(&b, "第%d段：成员国代表在%s讨论了区域合作问题。\n\n", n, place)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "big.md"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := index.Build(ctx, corpusDir, indexDir, index.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Paragraphs != bigParagraphs {
		t.Fatalf("indexed %d paragraphs, want %d", rep.Paragraphs, bigParagraphs)
	}
	e, err := search.Open(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

var (
	paraIDRE = regexp.MustCompile(`<div class="para" id="p(\d+)">`)
	nextRE   = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
)

// paraRange returns the first and last paragraph numbers of a page and
// how many it shows.
func paraRange(body string) (first, last string, n int) {
	m := paraIDRE.FindAllStringSubmatch(body, -1)
	if len(m) == 0 {
		return "", "", 0
	}
	return m[0][1], m[len(m)-1][1], len(m)
}

// TestLargeDocument reads a 20,000-paragraph document a window at a time,
// on the page and in the API.
func TestLargeDocument(t *testing.T) {
	e := bigEngine(t)
	ts := startServer(t, e, web.Options{})

	t.Run("page", func(t *testing.T) {
		tests := []struct {
			name, path        string
			status            int
			first, last       string
			n                 int
			want, unwant      []string
			marks, maxBodyLen int
		}{
			{name: "first window", path: "/docs/big", status: 200, first: "1", last: "200", n: 200, want: []string{
				"共 20000 段", "本页第 1–200 段", `<a href="/docs/big?from=200" rel="next">下一页</a>`,
				`<a href="/docs/big?from=19800">最后一页</a>`, `data-paged="true"`,
				`第12段。/docs/big#p12"`, `<a class="pn" href="/docs/big#p12"`,
			}, unwant: []string{`rel="prev"`}},
			{name: "the window of a paragraph", path: "/docs/big?p=15000", status: 200, first: "14801", last: "15000", n: 200, want: []string{
				`<a href="/docs/big?from=14600" rel="prev">上一页</a>`, `<a href="/docs/big?from=15000" rel="next">下一页</a>`,
				`<a href="/docs/big">第一页</a>`,
				`第15000段。/docs/big?p=15000#p15000"`, `<a class="pn" href="/docs/big?p=15000#p15000"`,
			}},
			{name: "highlights in the window only", path: "/docs/big?p=15000&q=" + qs("乔蓬阿塔"), status: 200, first: "14801", last: "15000", n: 200, marks: 1, want: []string{
				"第15000段：成员国代表在<mark>乔蓬阿塔</mark>",
				`<a href="/docs/big?from=15000&amp;q=` + qs("乔蓬阿塔") + `" rel="next">`,
			}},
			{name: "from and size", path: "/docs/big?from=19990&size=1000", status: 200, first: "19991", last: "20000", n: 10, want: []string{
				`<a href="/docs/big?from=18990&amp;size=1000" rel="prev">`, `<a href="/docs/big?size=1000">第一页</a>`,
			}, unwant: []string{`rel="next"`}},
			{name: "largest window", path: "/docs/big?size=1000&from=5000", status: 200, first: "5001", last: "6000", n: 1000, maxBodyLen: 1 << 20},
			{name: "past the end", path: "/docs/big?from=20000", status: 200, want: []string{"此处没有段落", `<a href="/docs/big?from=19800" rel="prev">`}, unwant: []string{"第20001–"}},
			{name: "no such paragraph", path: "/docs/big?p=20001", status: 404, want: []string{"paragraph 20001 not found: the document has 20000"}},
			{name: "window too large", path: "/docs/big?size=1001", status: 400, want: []string{"参数 size 应为 1 到 1000 之间的整数。"}},
			{name: "p and from", path: "/docs/big?p=3&from=0", status: 400, want: []string{"参数 p（段落）和 from 只能给一个。"}},
			{name: "bad p", path: "/docs/big?p=0", status: 400, want: []string{"参数 p 应为不小于 1 的整数。"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := do(t, http.MethodGet, ts.URL+tc.path)
				if r.status != tc.status {
					t.Errorf("status %d, want %d", r.status, tc.status)
				}
				if first, last, n := paraRange(r.body); first != tc.first || last != tc.last || n != tc.n {
					t.Errorf("paragraphs %s to %s (%d), want %s to %s (%d)", first, last, n, tc.first, tc.last, tc.n)
				}
				if got := strings.Count(r.body, "<mark>"); got != tc.marks {
					t.Errorf("%d <mark>, want %d", got, tc.marks)
				}
				if tc.maxBodyLen > 0 && len(r.body) > tc.maxBodyLen {
					t.Errorf("page of %d bytes, want at most %d", len(r.body), tc.maxBodyLen)
				}
				checkBody(t, r.body, tc.want, tc.unwant)
			})
		}
	})

	t.Run("next links walk the document", func(t *testing.T) {
		path, pages := "/docs/big?size=1000", 0
		for path != "" && pages < 30 {
			r := do(t, http.MethodGet, ts.URL+path)
			pages++
			first, _, n := paraRange(r.body)
			if want := fmt.Sprint((pages-1)*1000 + 1); r.status != 200 || first != want || n != 1000 {
				t.Fatalf("page %d (%s): status %d, paragraphs from %s (%d), want from %s (1000)", pages, path, r.status, first, n, want)
			}
			path = ""
			if m := nextRE.FindStringSubmatch(r.body); m != nil {
				path = html.UnescapeString(m[1])
			}
		}
		if pages != bigParagraphs/1000 {
			t.Errorf("%d pages, want %d", pages, bigParagraphs/1000)
		}
	})

	t.Run("search results link to the window of the hit", func(t *testing.T) {
		r := do(t, http.MethodGet, ts.URL+"/search?q="+qs("乔蓬阿塔")+"&sort=date")
		checkBody(t, r.body, []string{
			`<a href="/docs/big?p=15000&amp;q=` + qs("乔蓬阿塔") + `#p15000">`,
		}, nil)
		r = do(t, http.MethodGet, ts.URL+"/docs/big?p=15000&q="+qs("乔蓬阿塔"))
		checkBody(t, r.body, []string{`<div class="para" id="p15000">`}, nil)
	})

	t.Run("API", func(t *testing.T) {
		type apiDoc struct {
			ID         string             `json:"id"`
			Paragraphs int                `json:"paragraphs"`
			Total      int                `json:"total"`
			From       int                `json:"from"`
			Size       int                `json:"size"`
			List       []search.Paragraph `json:"paragraph_list"`
			Prev, Next string
		}
		tests := []struct {
			path            string
			status          int
			from, size, n   int
			first           int
			prev, next, err string
		}{
			{path: "/api/docs/big", status: 200, size: 200, n: 200, first: 1, next: "/api/docs/big?from=200"},
			{path: "/api/docs/big?from=19900&size=1000", status: 200, from: 19900, size: 1000, n: 100, first: 19901, prev: "/api/docs/big?from=18900&size=1000"},
			{path: "/api/docs/big?p=1234&size=100&q=" + qs("合作"), status: 200, from: 1200, size: 100, n: 100, first: 1201,
				prev: "/api/docs/big?from=1100&q=" + qs("合作") + "&size=100", next: "/api/docs/big?from=1300&q=" + qs("合作") + "&size=100"},
			{path: "/api/docs/big?from=30000", status: 200, from: 30000, size: 200, n: 0, prev: "/api/docs/big?from=19800"},
			{path: "/api/docs/big?size=1001", status: 400, err: "parameter size"},
			{path: "/api/docs/big?from=-1", status: 400, err: "parameter from"},
			{path: "/api/docs/big?p=20001", status: 404, err: "paragraph 20001 not found"},
			{path: "/api/docs/big?q=" + qs(`"合作`), status: 400, err: "unbalanced quote"},
		}
		for _, tc := range tests {
			t.Run(tc.path, func(t *testing.T) {
				r := do(t, http.MethodGet, ts.URL+tc.path)
				if r.status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.status, tc.status, truncate(r.body, 300))
				}
				if tc.err != "" {
					var e struct{ Error string }
					if err := json.Unmarshal([]byte(r.body), &e); err != nil || !strings.Contains(e.Error, tc.err) {
						t.Errorf("body %s, want an error with %q", truncate(r.body, 300), tc.err)
					}
					return
				}
				var d apiDoc
				if err := json.Unmarshal([]byte(r.body), &d); err != nil {
					t.Fatal(err)
				}
				if d.ID != "big" || d.Total != bigParagraphs || d.Paragraphs != bigParagraphs || d.From != tc.from || d.Size != tc.size || len(d.List) != tc.n || d.List == nil {
					t.Errorf("id %s, total %d (%d), from %d, size %d, %d paragraphs; want from %d, size %d, %d paragraphs",
						d.ID, d.Total, d.Paragraphs, d.From, d.Size, len(d.List), tc.from, tc.size, tc.n)
				}
				if len(d.List) > 0 && (d.List[0].N != tc.first || d.List[len(d.List)-1].N != tc.first+tc.n-1) {
					t.Errorf("paragraphs %d to %d, want %d to %d", d.List[0].N, d.List[len(d.List)-1].N, tc.first, tc.first+tc.n-1)
				}
				if d.Prev != tc.prev || d.Next != tc.next {
					t.Errorf("prev %q next %q, want %q %q", d.Prev, d.Next, tc.prev, tc.next)
				}
			})
		}
	})

	// With JavaScript, a permalink to a paragraph of another window, as
	// /docs/big#p15000, opens that window.
	t.Run("browser follows a permalink to its window", func(t *testing.T) {
		if testing.Short() {
			t.Skip("browser test skipped with -short")
		}
		ctx := newBrowser(t, 60*time.Second)
		if err := chromedp.Do(ctx,
			chromedp.Navigate(ts.URL+"/docs/big?q="+qs("乔蓬阿塔")+"#p15000"),
			chromedp.WaitVisible(chromedp.CSS("#p15000 mark")),
		); err != nil {
			t.Fatal(err)
		}
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
		if err != nil {
			t.Fatal(err)
		}
		if want := ts.URL + "/docs/big?q=" + qs("乔蓬阿塔") + "&p=15000#p15000"; href != want {
			t.Errorf("URL %q, want %q", href, want)
		}
	})

	// The search timeout bounds a document request too.
	t.Run("timeout", func(t *testing.T) {
		ts := startServer(t, e, web.Options{SearchTimeout: time.Nanosecond})
		for _, path := range []string{"/docs/big?size=1000", "/api/docs/big?size=1000&q=" + qs("合作")} {
			r := do(t, http.MethodGet, ts.URL+path)
			if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "search timed out") {
				t.Errorf("%s: status %d, want 503 search timed out; %s", path, r.status, truncate(r.body, 200))
			}
		}
	})
}
