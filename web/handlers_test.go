package web_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

const bishkek = "2019-bishkek-declaration"

// qs escapes a query parameter value as the pages do.
func qs(s string) string { return url.QueryEscape(s) }

func TestPages(t *testing.T) {
	ts := startServer(t, bundledEngine(t), web.Options{})
	long := strings.Repeat("a", 1001)
	tests := []struct {
		name   string
		path   string
		status int
		want   []string
		unwant []string
	}{
		{
			name: "home", path: "/", status: 200,
			want: []string{`<input id="q" name="q" type="search" value=""`, " autofocus>", `<label for="q"`, "检索语法", `"三股势力"`, "上海合作组织", "doc:", "year:", "section:", "lang:", "date:"},
		},
		{
			name: "search with results", path: "/search?q=" + qs("阿富汗"), status: 200,
			want: []string{
				`value="阿富汗"`,
				"找到 <strong>2</strong> 个段落",
				"毫秒",
				"<mark>阿富汗</mark>",
				`<a href="/docs/` + bishkek + `?q=` + qs("阿富汗") + `#p28">上海合作组织成员国元首理事会比什凯克宣言</a>`,
				"2019年6月14日", "比什凯克", "第28段", "第27段",
			},
			unwant: []string{" autofocus>", `rel="next"`},
		},
		{
			name: "partial matches", path: "/search?q=" + qs("联合国安理会改革"), status: 200,
			want: []string{
				"没有段落包含全部检索词；<strong>", "个段落包含部分检索词",
				`<li class="hit partial">`, "以下段落只包含部分检索词",
				"缺少：<s>改革</s>", "<mark>联合国安理会</mark>",
			},
			unwant: []string{`<li class="hit">`, "<s>联合国安理会</s>"},
		},
		{
			name: "full then partial matches", path: "/search?q=" + qs("上合组织怎么看阿富汗问题"), status: 200,
			want: []string{
				"<strong>1</strong> 个段落包含全部检索词，另有", `<li class="hit">`, `<li class="hit partial">`, "以下段落只包含部分检索词",
			},
			unwant: []string{"<s>怎么</s>", "<s>看</s>"},
		},
		{
			name: "no results", path: "/search?q=" + qs("企鹅"), status: 200,
			want:   []string{"没有找到与「企鹅」相符的段落", `value="企鹅"`},
			unwant: []string{`class="hit"`, "<mark>"},
		},
		{
			name: "empty query shows the help", path: "/search?q=", status: 200,
			want: []string{"检索语法", `maxlength="1000"`},
		},
		{
			name: "filters alone show the help and keep the filters", path: "/search?year=2019&sort=date", status: 200,
			want: []string{"检索语法", `<input type="hidden" name="year" value="2019">`, `<input type="hidden" name="sort" value="date">`},
		},
		{
			name: "bad query", path: "/search?q=" + qs(`"上海合作`), status: 400,
			want:   []string{"查询有误", "引号不成对：这个 &#34; 没有对应的结束引号。（第 1 个字符处）", `value="&#34;上海合作"`, "检索语法"},
			unwant: []string{"unbalanced quote"},
		},
		{
			name: "bad page", path: "/search?q=x&page=abc", status: 400,
			want: []string{"查询有误", "参数 page 应为 1 到 100 之间的整数。"},
		},
		{
			name: "bad sort", path: "/search?q=x&sort=title", status: 400,
			want: []string{"排序方式只能是相关度（relevance）或日期（date）。"},
		},
		{
			name: "query too long", path: "/search?q=" + long, status: 400,
			want: []string{"检索式过长：1001 个字符，最多 1000 个。"},
		},
		{
			name: "facet links add a filter", path: "/search?q=" + qs("阿富汗"), status: 200,
			want: []string{
				"<h2>文件</h2>", "<h2>年份</h2>",
				`<a href="/search?doc=` + bishkek + `&amp;q=` + qs("阿富汗") + `"><span class="label">上海合作组织成员国元首理事会比什凯克宣言</span> <span class="n">2</span></a>`,
				`<a href="/search?q=` + qs("阿富汗") + `&amp;year=2019"><span class="label">2019</span> <span class="n">2</span></a>`,
			},
		},
		{
			name: "a selected facet removes its filter", path: "/search?q=" + qs("阿富汗") + "&year=2019", status: 200,
			want: []string{
				`<li class="on"><a href="/search?q=` + qs("阿富汗") + `" aria-current="true"`,
				`<input type="hidden" name="year" value="2019">`,
				`aria-label="取消筛选 年份：2019"`,
			},
		},
		{
			name: "filter with no match", path: "/search?q=" + qs("阿富汗") + "&year=2018", status: 200,
			want: []string{"没有找到"},
		},
		{
			name: "first page", path: "/search?q=" + qs("合作"), status: 200,
			want: []string{
				`<span aria-current="page">1</span>`,
				`<a href="/search?page=2&amp;q=` + qs("合作") + `" rel="next">下一页</a>`,
				"显示第 1–10 条",
			},
			unwant: []string{`rel="prev"`},
		},
		{
			name: "second page", path: "/search?q=" + qs("合作") + "&page=2", status: 200,
			want: []string{
				`<a href="/search?q=` + qs("合作") + `" rel="prev">上一页</a>`,
				`<span aria-current="page">2</span>`,
				"显示第 11–20 条",
			},
		},
		{
			name: "sort by date", path: "/search?q=" + qs("合作") + "&sort=date", status: 200,
			want: []string{
				`<a href="/search?q=` + qs("合作") + `">相关度</a> <span aria-current="true">日期</span>`,
				`<input type="hidden" name="sort" value="date">`,
				`href="/search?page=2&amp;q=` + qs("合作") + `&amp;sort=date"`,
			},
		},
		{
			name: "document", path: "/docs/" + bishkek, status: 200,
			want: []string{
				"<h1>上海合作组织成员国元首理事会比什凯克宣言</h1>",
				`<div class="para" id="p1">`,
				`<div class="para" id="p76">`,
				`<a class="pn" href="#p12" aria-label="第12段（永久链接）">12</a>`,
				"共 76 段",
				"复制引用",
			},
			unwant: []string{"<mark>", "返回"},
		},
		{
			name: "document with the query highlighted", path: "/docs/" + bishkek + "?q=" + qs("阿富汗"), status: 200,
			want: []string{
				"<mark>阿富汗</mark>联络组",
				`<a href="/search?q=` + qs("阿富汗") + `">← 返回「阿富汗」的检索结果</a>`,
				`value="阿富汗"`,
			},
		},
		{
			name: "document with a bad query", path: "/docs/" + bishkek + "?q=" + qs(`"阿富汗`), status: 200,
			want:   []string{"检索式有误，未作高亮。", `id="p28"`},
			unwant: []string{"<mark>"},
		},
		{
			name: "unknown document", path: "/docs/no-such-document", status: 404,
			want: []string{"未找到该页面或文件", "not found"},
		},
		{
			name: "unknown page", path: "/nowhere", status: 404,
			want: []string{"<!DOCTYPE html>", "未找到该页面或文件"},
		},
		{
			name: "static asset", path: "/static/app.js", status: 200,
			want: []string{"navigator.clipboard"},
		},
		{
			name: "no static listing", path: "/static/", status: 404,
		},
		{
			name: "unknown static asset", path: "/static/nope.css", status: 404,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, http.MethodGet, ts.URL+tc.path)
			if r.status != tc.status {
				t.Errorf("status = %d, want %d", r.status, tc.status)
			}
			checkBody(t, r.body, tc.want, tc.unwant)
		})
	}
}

func TestCitationButton(t *testing.T) {
	// No base URL: the citation holds the path, never the request's host.
	ts := startServer(t, bundledEngine(t), web.Options{})
	r := do(t, http.MethodGet, ts.URL+"/docs/"+bishkek+"?q="+qs("阿富汗"))
	want := `data-citation="《上海合作组织成员国元首理事会比什凯克宣言》（2019年6月14日，比什凯克），第12段。/docs/` + bishkek + `#p12"`
	checkBody(t, r.body, []string{want}, []string{ts.URL, "127.0.0.1"})

	ts = startServer(t, bundledEngine(t), web.Options{BaseURL: "https://sco.example.org/"})
	r = do(t, http.MethodGet, ts.URL+"/docs/"+bishkek)
	checkBody(t, r.body, []string{`第3段。https://sco.example.org/docs/` + bishkek + `#p3"`}, nil)
}

// A hostile Host header, or none (HTTP/1.0), never reaches a link.
func TestCitationIgnoresHost(t *testing.T) {
	for _, base := range []string{"", "https://sco.example.org"} {
		ts := startServer(t, bundledEngine(t), web.Options{BaseURL: base})
		addr := strings.TrimPrefix(ts.URL, "http://")
		for _, req := range []string{
			"GET /docs/" + bishkek + " HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
			"GET /docs/" + bishkek + " HTTP/1.0\r\n\r\n",
		} {
			c, err := net.DialTimeout("tcp", addr, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			_ = c.SetDeadline(time.Now().Add(30 * time.Second))
			if _, err := io.WriteString(c, req); err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(c)
			c.Close()
			if err != nil {
				t.Fatal(err)
			}
			body := string(b)
			if !strings.Contains(body, " 200 OK") {
				t.Fatalf("%q: %s", req, truncate(body, 300))
			}
			want := `第3段。` + base + `/docs/` + bishkek + `#p3"`
			checkBody(t, body, []string{want}, []string{"evil.example", "http:///", "http://127.0.0.1"})
		}
	}
}

func TestParseBaseURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"https://sco.example.org", "https://sco.example.org"},
		{"https://sco.example.org/", "https://sco.example.org"},
		{"http://127.0.0.1:8080/sco/", "http://127.0.0.1:8080/sco"},
	} {
		if got, err := web.ParseBaseURL(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseBaseURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"sco.example.org", "ftp://sco.example.org", "https://", "https://a.org/?x=1", "https://a.org/#f", "https://u:p@a.org", "https://a.org/%zz", "javascript:alert(1)"} {
		if got, err := web.ParseBaseURL(bad); err == nil {
			t.Errorf("ParseBaseURL(%q) = %q, want an error", bad, got)
		}
		if _, err := web.New(bundledEngine(t), web.Options{BaseURL: bad}); err == nil {
			t.Errorf("New with BaseURL %q: no error", bad)
		}
	}
}

// A document whose title and text hold <script> shows them as text on
// every page and in the API.
func TestScriptShownAsText(t *testing.T) {
	ts := startServer(t, hostileEngine(t), web.Options{})
	docPath := "/docs/" + strings.ReplaceAll(url.PathEscape(hostileDocID), "%2F", "/")
	tests := []struct {
		name string
		path string
		want []string
	}{
		{"results", "/search?q=" + qs("阿富汗"), []string{
			"本段包含&lt;script&gt;alert(1)&lt;/script&gt;脚本标签",
			"危险&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;标题",
			"&amp;amp;实体",
			"另有 1 个相似段落",
		}},
		{"document", docPath + "?q=" + qs("阿富汗"), []string{
			"<title>危险&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;标题</title>",
			"本段包含&lt;script&gt;alert(1)&lt;/script&gt;脚本标签，以及<mark>阿富汗</mark>问题",
			`<h2 class="section" id="s1">第一章 总则</h2>`,
			`<h2 class="section" id="s2">第二章 附则</h2>`,
			`<li><a href="#s2">第二章 附则</a></li>`,
		}},
		{"document by its unescaped path", "/docs/" + hostileDocID, []string{"本段包含&lt;script&gt;"}},
		{"search API", "/api/search?q=" + qs("阿富汗"), []string{`\u003cscript\u003ealert(1)\u003c/script\u003e`}},
		{"document API", "/api/docs/" + hostileDocID, []string{`"id":"刑法/刑法修正案（七）"`, `\u0026lt;script\u0026gt;alert(1)\u0026lt;/script\u0026gt;`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, http.MethodGet, ts.URL+tc.path)
			if r.status != http.StatusOK {
				t.Errorf("status = %d, want 200", r.status)
			}
			checkBody(t, r.body, tc.want, []string{"<script>alert", "<script>"})
		})
	}
}

func TestAPI(t *testing.T) {
	ts := startServer(t, bundledEngine(t), web.Options{})
	tests := []struct {
		name   string
		method string
		path   string
		status int
		check  func(t *testing.T, body map[string]any)
	}{
		{
			name: "search", path: "/api/search?q=" + qs("阿富汗"), status: 200,
			check: func(t *testing.T, body map[string]any) {
				if diff := cmp.Diff([]string{"collapsed", "complete", "facets", "hits", "took_ms", "total"}, keys(body)); diff != "" {
					t.Errorf("top-level keys (-want +got):\n%s", diff)
				}
				if body["total"] != 2.0 {
					t.Errorf("total = %v, want 2", body["total"])
				}
				hits, _ := body["hits"].([]any)
				if len(hits) != 2 {
					t.Fatalf("%d hits, want 2", len(hits))
				}
				hit, _ := hits[0].(map[string]any)
				for _, k := range []string{"id", "doc", "title", "date", "place", "section", "paragraph", "score", "text", "snippets"} {
					if _, ok := hit[k]; !ok {
						t.Errorf("hit lacks %q: %v", k, hit)
					}
				}
				if hit["doc"] != bishkek || hit["date"] != "2019-06-14" {
					t.Errorf("hit = %v", hit)
				}
				facets, _ := body["facets"].(map[string]any)
				if diff := cmp.Diff([]string{"doc", "lang", "section", "year"}, keys(facets)); diff != "" {
					t.Errorf("facet keys (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "search with size and from", path: "/api/search?q=" + qs("合作") + "&size=3&from=3&sort=date", status: 200,
			check: func(t *testing.T, body map[string]any) {
				if hits, _ := body["hits"].([]any); len(hits) != 3 {
					t.Errorf("%d hits, want 3", len(hits))
				}
			},
		},
		{
			// The declaration's paragraphs 60 and 62 differ in two characters.
			name: "near-identical paragraphs collapsed", path: "/api/search?q=" + qs(`"交通运输领域多边合作"`), status: 200,
			check: func(t *testing.T, body map[string]any) {
				hits, _ := body["hits"].([]any)
				if len(hits) != 1 || body["total"] != 2.0 {
					t.Fatalf("%d hits of %v, want 1 hit standing for 2", len(hits), body["total"])
				}
				if sim, _ := hits[0].(map[string]any)["similar"].([]any); len(sim) != 1 {
					t.Errorf("similar = %v, want one id", sim)
				}
			},
		},
		{
			name: "collapse=false", path: "/api/search?q=" + qs(`"交通运输领域多边合作"`) + "&collapse=false", status: 200,
			check: func(t *testing.T, body map[string]any) {
				if hits, _ := body["hits"].([]any); len(hits) != 2 {
					t.Errorf("%d hits, want 2", len(hits))
				}
			},
		},
		{name: "bad collapse", path: "/api/search?q=x&collapse=maybe", status: 400, check: wantError("parameter collapse must be true or false")},
		{name: "bad query", path: "/api/search?q=" + qs(`"上海合作`), status: 400, check: wantCode("unbalanced quote", "unbalanced_quote", 1)},
		{name: "unknown field", path: "/api/search?q=" + qs(`阿富汗 foo:1`), status: 400, check: wantCode("unknown field", "unknown_field", 0)},
		{name: "empty query", path: "/api/search?q=", status: 400, check: wantError("empty query")},
		{name: "bad size", path: "/api/search?q=x&size=ten", status: 400, check: wantError("parameter size must be a whole number")},
		{name: "size over the limit", path: "/api/search?q=x&size=100000", status: 400, check: wantError("bad query")},
		{name: "from over the limit", path: "/api/search?q=x&from=99999999", status: 400, check: wantError("bad query")},
		{name: "query too long", path: "/api/search?q=" + strings.Repeat("x", 1001), status: 400, check: wantError("query too long")},
		{
			name: "documents", path: "/api/docs", status: 200,
			check: func(t *testing.T, body map[string]any) {
				docs, _ := body["documents"].([]any)
				if len(docs) != 1 {
					t.Fatalf("%d documents, want 1: %v", len(docs), body)
				}
				d, _ := docs[0].(map[string]any)
				want := map[string]any{"id": bishkek, "title": "上海合作组织成员国元首理事会比什凯克宣言", "date": "2019-06-14", "place": "比什凯克", "lang": "zh", "paragraphs": 76.0, "translations": []any{}}
				if diff := cmp.Diff(want, d); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "document", path: "/api/docs/" + bishkek + "?q=" + qs("阿富汗"), status: 200,
			check: func(t *testing.T, body map[string]any) {
				paras, _ := body["paragraph_list"].([]any)
				if body["id"] != bishkek || len(paras) != 76 {
					t.Fatalf("id %v, %d paragraphs; want %s, 76", body["id"], len(paras), bishkek)
				}
				p28, _ := paras[27].(map[string]any)
				if p28["n"] != 28.0 || !strings.Contains(p28["html"].(string), "<mark>阿富汗</mark>") {
					t.Errorf("paragraph 28 = %v", p28)
				}
			},
		},
		{name: "unknown document", path: "/api/docs/no-such-document", status: 404, check: wantError("not found")},
		{name: "unknown API route", path: "/api/nowhere", status: 404, check: wantError("not found")},
		{name: "health", path: "/healthz", status: 200, check: func(t *testing.T, body map[string]any) {
			gen, _ := body["generation"].(string)
			if body["status"] != "ok" || !strings.HasPrefix(gen, "gen-") || strings.Contains(gen, "/") || len(body) != 2 {
				t.Errorf("health %v, want status ok and the generation's name", body)
			}
		}},
		{name: "wrong method", method: http.MethodPut, path: "/api/search?q=x", status: 405, check: wantError("method not allowed")},
		{name: "wrong method on health", method: http.MethodDelete, path: "/healthz", status: 405, check: wantError("method not allowed")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			r := do(t, method, ts.URL+tc.path)
			if r.status != tc.status {
				t.Errorf("status = %d, want %d", r.status, tc.status)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			var body map[string]any
			if err := json.Unmarshal([]byte(r.body), &body); err != nil {
				t.Fatalf("body is not a JSON object: %v\n%s", err, truncate(r.body, 2000))
			}
			tc.check(t, body)
		})
	}
}

// wantError checks an {"error": "...", "code": ..., "at": ...} body whose
// error holds part.
func wantError(part string) func(t *testing.T, body map[string]any) {
	return func(t *testing.T, body map[string]any) {
		t.Helper()
		msg, _ := body["error"].(string)
		if !strings.Contains(msg, part) {
			t.Errorf("body = %v, want an error containing %q", body, part)
		}
		for k := range body {
			if k != "error" && k != "code" && k != "at" {
				t.Errorf("body = %v: unexpected key %q", body, k)
			}
		}
	}
}

// wantCode checks an error body with its stable code and position.
func wantCode(part, code string, at int) func(t *testing.T, body map[string]any) {
	return func(t *testing.T, body map[string]any) {
		t.Helper()
		wantError(part)(t, body)
		if body["code"] != code {
			t.Errorf("code = %v, want %q", body["code"], code)
		}
		if got, _ := body["at"].(float64); int(got) != at {
			t.Errorf("at = %v, want %d", body["at"], at)
		}
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestMethodNotAllowedPage(t *testing.T) {
	ts := startServer(t, bundledEngine(t), web.Options{})
	r := do(t, http.MethodPost, ts.URL+"/search?q=x")
	if r.status != http.StatusMethodNotAllowed {
		t.Errorf("status = %d, want 405", r.status)
	}
	if got := r.header.Get("Allow"); got != "GET, HEAD" {
		t.Errorf("Allow = %q", got)
	}
	checkBody(t, r.body, []string{"<!DOCTYPE html>", "不支持该请求方法"}, nil)

	r = do(t, http.MethodHead, ts.URL+"/search?q="+qs("阿富汗"))
	if r.status != http.StatusOK || r.body != "" {
		t.Errorf("HEAD: status %d, body %q; want 200 and no body", r.status, truncate(r.body, 100))
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := startServer(t, bundledEngine(t), web.Options{})
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
	}
	for _, tc := range []struct {
		method, path string
	}{
		{"GET", "/"},
		{"GET", "/search?q=" + qs("阿富汗")},
		{"GET", "/search?q=" + qs(`"`)},
		{"GET", "/docs/" + bishkek},
		{"GET", "/docs/nope"},
		{"GET", "/api/search?q=x"},
		{"GET", "/healthz"},
		{"GET", "/static/style.css"},
		{"GET", "/nowhere"},
		{"POST", "/"},
		{"GET", "/search?q=" + strings.Repeat("x", 9000)},
	} {
		t.Run(tc.method+" "+truncate(tc.path, 40), func(t *testing.T) {
			r := do(t, tc.method, ts.URL+tc.path)
			got := map[string]string{}
			for k := range want {
				got[k] = r.header.Get(k)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("status %d, headers (-want +got):\n%s", r.status, diff)
			}
		})
	}
}

// No page may carry inline script or style: the CSP would block it.
func TestNoInlineCode(t *testing.T) {
	ts := startServer(t, hostileEngine(t), web.Options{})
	for _, path := range []string{"/", "/search?q=" + qs("阿富汗"), "/search?q=" + qs(`"`), "/docs/" + hostileDocID, "/nowhere"} {
		r := do(t, http.MethodGet, ts.URL+path)
		body := r.body
		if n := strings.Count(body, "<script"); n != 1 || !strings.Contains(body, `<script src="/static/app.js?v=`) {
			t.Errorf("%s: %d <script> tags, want only the app.js one", path, n)
		}
		for _, bad := range []string{"<style", " style=", " onclick=", " onload=", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: page contains %q", path, bad)
			}
		}
	}
}

func TestRequestLimits(t *testing.T) {
	ts := startServer(t, bundledEngine(t), web.Options{MaxURILen: 2000})
	r := do(t, http.MethodGet, ts.URL+"/search?q="+strings.Repeat("x", 3000))
	if r.status != http.StatusRequestURITooLong {
		t.Errorf("long URI: status %d, want 414", r.status)
	}
	checkBody(t, r.body, []string{"网址过长", "request URI too long"}, nil)

	r = do(t, http.MethodGet, ts.URL+"/api/search?q="+strings.Repeat("x", 3000))
	if r.status != http.StatusRequestURITooLong || !strings.Contains(r.body, `"error":"request URI too long`) {
		t.Errorf("long API URI: status %d, body %s", r.status, truncate(r.body, 200))
	}
}

// Benchmarks of whole requests over HTTP on 127.0.0.1 (engine, template or
// JSON encoding, middleware and the loopback network), each repeated with
// the engine's caches off, so that every iteration searches.
func BenchmarkRequests(b *testing.B) {
	bundledEngine(b) // builds the index
	e, err := search.Open(filepath.Join(tmpRoot, "bundled"), search.WithoutCache())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	ts := startServer(b, e, web.Options{})
	for _, bc := range []struct{ name, path string }{
		{"SearchPage", "/search?q=" + qs("合作")},
		{"APISearch", "/api/search?q=" + qs("合作")},
		{"DocumentPage", "/docs/" + bishkek + "?q=" + qs("合作")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if r := do(b, http.MethodGet, ts.URL+bc.path); r.status != http.StatusOK {
					b.Fatalf("status %d", r.status)
				}
			}
		})
	}
}
