package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/scosearch/scosearch/web"
)

// longChineseQuery is a query of exactly web.DefaultMaxQueryLen characters,
// nearly all Chinese, that matches the paragraphs with 合作 (more than a
// page of them): 合作 without a long phrase that is nowhere.
func longChineseQuery(t *testing.T) string {
	t.Helper()
	const filler = "阿富汗问题联络组会议"
	var b strings.Builder
	b.WriteString(`合作 -"`)
	for utf8.RuneCountInString(b.String()) < web.DefaultMaxQueryLen-1 {
		b.WriteString(filler)
	}
	q := string([]rune(b.String())[:web.DefaultMaxQueryLen-1]) + `"`
	if n := utf8.RuneCountInString(q); n != web.DefaultMaxQueryLen {
		t.Fatalf("query of %d characters", n)
	}
	return q
}

// post sends body to path with Content-Type ct (none if "").
func post(t *testing.T, url, ct, body string) response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// A query of the documented 1,000 characters, Chinese (9 bytes each in
// a URL), works through GET and POST and in the paging links of its
// results, over a server made by NewHTTPServer.
func TestLongChineseQuery(t *testing.T) {
	base := serveReal(t, bundledEngine(t))
	q := longChineseQuery(t)
	if len(qs(q)) < 8<<10 {
		t.Fatalf("the escaped query is only %d bytes", len(qs(q)))
	}

	var apiTotal float64
	r := do(t, http.MethodGet, base+"/api/search?q="+qs(q))
	var res map[string]any
	if err := json.Unmarshal([]byte(r.body), &res); r.status != 200 || err != nil {
		t.Fatalf("GET /api/search: status %d, %v: %s", r.status, err, truncate(r.body, 300))
	}
	apiTotal, _ = res["total"].(float64)
	if apiTotal <= 10 {
		t.Fatalf("GET /api/search: total %v, want more than a page", apiTotal)
	}

	body, _ := json.Marshal(map[string]any{"q": q, "size": 5, "from": 5})
	r = post(t, base+"/api/search", "application/json", string(body))
	res = nil
	if err := json.Unmarshal([]byte(r.body), &res); r.status != 200 || err != nil {
		t.Fatalf("POST /api/search: status %d, %v: %s", r.status, err, truncate(r.body, 300))
	}
	if hits, _ := res["hits"].([]any); res["total"] != apiTotal || len(hits) != 5 {
		t.Errorf("POST /api/search: total %v with %d hits, want %v with 5", res["total"], len(hits), apiTotal)
	}

	r = do(t, http.MethodGet, base+"/search?q="+qs(q))
	if r.status != 200 {
		t.Fatalf("GET /search: status %d: %s", r.status, truncate(r.body, 300))
	}
	m := nextRE.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no next page link:\n%s", truncate(r.body, 3000))
	}
	next := html.UnescapeString(m[1])
	r = do(t, http.MethodGet, base+next)
	if r.status != 200 || !strings.Contains(r.body, "显示第 11–") {
		t.Errorf("next page (%d bytes of URL): status %d: %s", len(next), r.status, truncate(r.body, 500))
	}

	// One more character is the query's limit, not the URL's.
	r = do(t, http.MethodGet, base+"/api/search?q="+qs(q+"合"))
	if r.status != 400 || !strings.Contains(r.body, "query too long: 1001 characters") {
		t.Errorf("1,001 characters: status %d: %s", r.status, truncate(r.body, 300))
	}
}

func TestSearchPost(t *testing.T) {
	ts := startServer(t, bundledEngine(t), web.Options{MaxBodyBytes: 4096})
	get := do(t, http.MethodGet, ts.URL+"/api/search?q="+qs("合作")+"&size=3&from=2&sort=date&year=2019&collapse=false")
	if get.status != 200 {
		t.Fatalf("GET: %d", get.status)
	}
	tests := []struct {
		name, ct, body string
		status         int
		want           string // the whole body (the GET's answer) or a part of the error
	}{
		{"same answer as GET", "application/json", `{"q": "合作", "size": 3, "from": 2, "sort": "date", "year": "2019", "collapse": false}`, 200, ""},
		{"no content type", "", `{"q": "合作", "size": 3, "from": 2, "sort": "date", "year": "2019", "collapse": false}`, 200, ""},
		{"charset", "application/json; charset=utf-8", `{"q": "合作", "size": 3, "from": 2, "sort": "date", "year": "2019", "collapse": false}`, 200, ""},
		{"bad query", "application/json", `{"q": "\"合作"}`, 400, "unbalanced quote"},
		{"bad size", "application/json", `{"q": "合作", "size": 0.5}`, 400, "not a search object"},
		{"bad sort", "application/json", `{"q": "合作", "sort": "title"}`, 400, "parameter sort"},
		{"unknown field", "application/json", `{"q": "合作", "page": 2}`, 400, `unknown field "page"`},
		{"not JSON", "application/json", `q=合作`, 400, "not a search object"},
		{"two objects", "application/json", `{"q": "合作"} {"q": "x"}`, 400, "one JSON object"},
		{"empty", "application/json", ``, 400, "empty request body"},
		{"form", "application/x-www-form-urlencoded", `q=x`, 415, "application/json"},
		{"too large", "application/json", `{"q": "` + strings.Repeat("合", 2000) + `"}`, 413, "too large"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := post(t, ts.URL+"/api/search", tc.ct, tc.body)
			if r.status != tc.status {
				t.Errorf("status %d, want %d: %s", r.status, tc.status, truncate(r.body, 300))
			}
			if tc.status == 200 {
				var a, b map[string]any
				_ = json.Unmarshal([]byte(get.body), &a)
				if err := json.Unmarshal([]byte(r.body), &b); err != nil {
					t.Fatal(err)
				}
				delete(a, "took_ms")
				delete(b, "took_ms")
				if a == nil || len(a["hits"].([]any)) != 3 {
					t.Fatalf("GET answer %v", a)
				}
				for _, k := range []string{"total", "hits", "facets"} {
					ja, _ := json.Marshal(a[k])
					jb, _ := json.Marshal(b[k])
					if string(ja) != string(jb) {
						t.Errorf("%s differs from GET's:\nPOST %s\nGET  %s", k, truncate(string(jb), 300), truncate(string(ja), 300))
					}
				}
				return
			}
			wantError(tc.want)(t, jsonBody(t, r.body))
		})
	}
	// The other methods are still refused, naming POST as allowed.
	r := do(t, http.MethodPut, ts.URL+"/api/search")
	if r.status != 405 || r.header.Get("Allow") != "GET, HEAD, POST" {
		t.Errorf("PUT: status %d, Allow %q", r.status, r.header.Get("Allow"))
	}
}

func jsonBody(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, truncate(s, 300))
	}
	return m
}
