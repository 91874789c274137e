package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// apiCase is one real request to the server and the status it must get.
type apiCase struct {
	name        string
	method      string
	path        string
	contentType string // of body
	body        string
	status      int
	// valid: the request itself conforms to the description (error
	// cases send requests that do not: they are checked on the answer only).
	valid bool
	// contains: substrings the answer must hold, to be sure the parts of
	// the description they exercise are checked (partial hits, similar).
	contains []string
}

// failingSearcher answers every request with err, and reports health.
type failingSearcher struct {
	err    error
	health web.Health
}

func (f failingSearcher) Search(context.Context, search.Request) (*search.Result, error) {
	return nil, f.err
}
func (f failingSearcher) Documents(context.Context) ([]search.DocumentInfo, error) { return nil, f.err }
func (f failingSearcher) DocumentPage(context.Context, string, string, int, int) (*search.Document, error) {
	return nil, f.err
}
func (f failingSearcher) Suggest(context.Context, string, int) ([]search.Suggestion, error) {
	return nil, f.err
}
func (f failingSearcher) Health(context.Context) web.Health                      { return f.health }
func (f failingSearcher) Trends(context.Context, string) (*search.Trends, error) { return nil, f.err }
func (f failingSearcher) Compare(context.Context, string, string) (*search.Comparison, error) {
	return nil, f.err
}
func (f failingSearcher) Parallel(context.Context, string, string) (*search.Parallel, error) {
	return nil, f.err
}

// TestOpenAPI loads /api/openapi.json from a real server, checks that it
// is a valid OpenAPI 3.1 document, and validates real requests and
// answers of every operation against it, errors included (with every
// status it lists but 500 and 503 from the bundled index, and those from
// failing searchers): the description cannot drift from the server.
func TestOpenAPI(t *testing.T) {
	ctx := context.Background()
	ts := startServer(t, bundledEngine(t), web.Options{})
	r := do(t, "GET", ts.URL+"/api/openapi.json")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/openapi.json: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if home := do(t, "GET", ts.URL+"/"); !strings.Contains(home.body, `href="/api/openapi.json"`) {
		t.Error("the page footer does not link the description")
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(r.body))
	if err != nil {
		t.Fatalf("load the description: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("the description is invalid: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}

	q := url.QueryEscape
	const docID = "2019-bishkek-declaration"
	cases := []apiCase{
		{name: "search", method: "GET", path: "/api/search?q=" + q("阿富汗"), status: 200, valid: true, contains: []string{`"match":"all"`}},
		{name: "search partial", method: "GET", path: "/api/search?q=" + q("上合组织 火星") + "&size=50&sort=relevance", status: 200, valid: true,
			contains: []string{`"match":"partial"`, `"missing":["火星"]`, `"similar":[`}},
		{name: "search filters", method: "GET", path: "/api/search?q=" + q("强调 合作") + "&doc=" + docID + "&year=2019&lang=zh&collapse=false&sort=date&from=2&size=5", status: 200, valid: true},
		{name: "search no hits", method: "GET", path: "/api/search?q=" + q(`"火星探测"`), status: 200, valid: true, contains: []string{`"hits":[]`}},
		{name: "search bad query", method: "GET", path: "/api/search?q=" + q(`"阿富汗`), status: 400, valid: true, contains: []string{`"code":"unbalanced_quote"`, `"at":1`}},
		{name: "search empty query", method: "GET", path: "/api/search?q=", status: 400, valid: true, contains: []string{`"code":"empty_query"`}},
		{name: "search bad size", method: "GET", path: "/api/search?q=x&size=many", status: 400, contains: []string{`"code":"bad_parameter"`}},
		{name: "search too large a size", method: "GET", path: "/api/search?q=x&size=500", status: 400, contains: []string{`"code":"bad_size"`}},
		{name: "search URI too long", method: "GET", path: "/api/search?q=" + strings.Repeat("a", 21<<10), status: 414},

		{name: "post", method: "POST", path: "/api/search", contentType: "application/json", body: `{"q": "阿富汗", "size": 5, "collapse": false}`, status: 200, valid: true},
		{name: "post partial", method: "POST", path: "/api/search", contentType: "application/json", body: `{"q": "阿富汗 改革"}`, status: 200, valid: true,
			contains: []string{`"missing":["改革"]`}},
		{name: "post bad query", method: "POST", path: "/api/search", contentType: "application/json", body: `{"q": "上合 OR"}`, status: 400, valid: true, contains: []string{`"code":`}},
		{name: "post unknown field", method: "POST", path: "/api/search", contentType: "application/json", body: `{"q": "x", "colapse": false}`, status: 400, contains: []string{`"code":"bad_parameter"`}},
		{name: "post empty body", method: "POST", path: "/api/search", contentType: "application/json", status: 400},
		{name: "post too large", method: "POST", path: "/api/search", contentType: "application/json", body: `{"q": "` + strings.Repeat("a", 65<<10) + `"}`, status: 413},
		{name: "post not JSON", method: "POST", path: "/api/search", contentType: "text/plain", body: "q=阿富汗", status: 415},

		{name: "docs", method: "GET", path: "/api/docs", status: 200, valid: true, contains: []string{docID}},
		{name: "doc", method: "GET", path: "/api/docs/" + docID, status: 200, valid: true},
		{name: "doc window", method: "GET", path: "/api/docs/" + docID + "?q=" + q("成员国") + "&from=10&size=10", status: 200, valid: true, contains: []string{`"prev":`, `"next":`, `\u003cmark\u003e`}},
		{name: "doc paragraph", method: "GET", path: "/api/docs/" + docID + "?p=12&size=5", status: 200, valid: true},
		{name: "doc unknown", method: "GET", path: "/api/docs/no-such-document", status: 404, valid: true},
		{name: "doc paragraph beyond", method: "GET", path: "/api/docs/" + docID + "?p=100000", status: 404, valid: true},
		{name: "doc p and from", method: "GET", path: "/api/docs/" + docID + "?p=2&from=5", status: 400, valid: true, contains: []string{`"code":"bad_parameter"`}},
		{name: "doc bad size", method: "GET", path: "/api/docs/" + docID + "?size=0", status: 400, contains: []string{`"code":"bad_parameter"`}},
		{name: "doc translations", method: "GET", path: "/api/docs/" + docID + "?size=1", status: 200, valid: true, contains: []string{`"translations":[]`}},
		{name: "parallel", method: "GET", path: "/api/docs/" + docID + "/parallel/" + docID, status: 200, valid: true, contains: []string{`"pairs":[{"a":[1],"b":[1]}`}},
		{name: "parallel unknown", method: "GET", path: "/api/docs/" + docID + "/parallel/nope", status: 404, valid: true},
		{name: "parallel bad id", method: "GET", path: "/api/docs/" + docID + "/parallel/" + strings.Repeat("x", 600), status: 400, valid: true, contains: []string{`"code":"bad_parameter"`}},

		{name: "suggest", method: "GET", path: "/api/suggest?q=" + q("上合") + "&n=5", status: 200, valid: true, contains: []string{`"count":`}},
		{name: "suggest nothing", method: "GET", path: "/api/suggest?q=", status: 200, valid: true},
		{name: "suggest bad n", method: "GET", path: "/api/suggest?q=x&n=99", status: 400, contains: []string{`"code":"bad_parameter"`}},
		{name: "suggest too long", method: "GET", path: "/api/suggest?q=" + strings.Repeat("合", 60), status: 400},

		{name: "export csv", method: "GET", path: "/api/search/export?format=csv&q=" + q("阿富汗"), status: 200, valid: true, contains: []string{"阿富汗"}},
		{name: "export jsonl", method: "GET", path: "/api/search/export?format=jsonl&max=2&q=" + q("合作"), status: 200, valid: true, contains: []string{`"match":`}},
		{name: "export ris", method: "GET", path: "/api/search/export?format=ris&q=" + q("阿富汗"), status: 200, valid: true, contains: []string{"TY  -"}},
		{name: "export bibtex", method: "GET", path: "/api/search/export?format=bibtex&q=" + q("阿富汗"), status: 200, valid: true, contains: []string{"@misc"}},
		{name: "export bad query", method: "GET", path: "/api/search/export?format=csv&q=" + q(`"阿富汗`), status: 400, valid: true, contains: []string{`"code":"unbalanced_quote"`}},
		{name: "export bad format", method: "GET", path: "/api/search/export?format=xls&q=x", status: 400, contains: []string{`"code":"bad_parameter"`}},

		{name: "trends", method: "GET", path: "/api/trends?q=" + q("阿富汗"), status: 200, valid: true, contains: []string{`"first":{`}},
		{name: "trends none", method: "GET", path: "/api/trends?q=" + q(`"火星探测"`), status: 200, valid: true, contains: []string{`"first":null`}},
		{name: "trends bad query", method: "GET", path: "/api/trends?q=" + q(`"阿富汗`), status: 400, valid: true, contains: []string{`"code":"unbalanced_quote"`}},
		{name: "compare", method: "GET", path: "/api/compare?a=" + docID + "&b=" + docID, status: 200, valid: true, contains: []string{`"status":"same"`}},
		{name: "compare unknown", method: "GET", path: "/api/compare?a=" + docID + "&b=nope", status: 404, valid: true},
		{name: "compare missing b", method: "GET", path: "/api/compare?a=" + docID, status: 400, contains: []string{`"code":"bad_parameter"`}},

		{name: "healthz", method: "GET", path: "/healthz", status: 200, valid: true, contains: []string{`"status":"ok"`}},
		{name: "readyz", method: "GET", path: "/readyz", status: 200, valid: true},
		{name: "openapi", method: "GET", path: "/api/openapi.json", status: 200, valid: true},
	}
	// The export formats are text: validated as strings.
	for _, ct := range []string{"application/jsonl", "application/x-research-info-systems", "application/x-bibtex"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	exercised := make(map[string]bool) // "GET /api/search 200"
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkAgainstDescription(t, doc, router, ts.URL, tc, exercised)
		})
	}

	// 503 and 500: searchers that fail.
	for _, f := range []struct {
		status int
		s      failingSearcher
	}{
		{503, failingSearcher{err: search.ErrIndexNotFound, health: web.Health{Status: web.HealthUnavailable, Reason: "the index could not be opened"}}},
		{500, failingSearcher{err: errors.New("disk on fire"), health: web.Health{Status: web.HealthDegraded, Generation: "gen-x", Reason: "a newer index generation could not be opened"}}},
	} {
		fts := startServer(t, f.s, web.Options{})
		for _, tc := range []apiCase{
			{method: "GET", path: "/api/search?q=x"},
			{method: "POST", path: "/api/search", contentType: "application/json", body: `{"q":"x"}`},
			{method: "GET", path: "/api/docs"},
			{method: "GET", path: "/api/docs/x"},
			{method: "GET", path: "/api/suggest?q=x"},
			{method: "GET", path: "/api/search/export?format=csv&q=x"},
			{method: "GET", path: "/api/trends?q=x"},
			{method: "GET", path: "/api/compare?a=x&b=y"},
			{method: "GET", path: "/api/docs/x/parallel/y"},
		} {
			tc.name, tc.status, tc.valid = fmt.Sprintf("%d %s %s", f.status, tc.method, tc.path), f.status, true
			t.Run(tc.name, func(t *testing.T) { checkAgainstDescription(t, doc, router, fts.URL, tc, exercised) })
		}
		health := apiCase{method: "GET", path: "/healthz", status: 503, valid: true}
		ready := apiCase{method: "GET", path: "/readyz", status: 503, valid: true}
		if f.s.health.Status == web.HealthDegraded {
			ready.status = 200 // degraded still answers
		}
		for _, tc := range []apiCase{health, ready} {
			tc.name = fmt.Sprintf("%d %s %s", f.status, tc.method, tc.path)
			t.Run(tc.name, func(t *testing.T) { checkAgainstDescription(t, doc, router, fts.URL, tc, exercised) })
		}
	}

	// Every operation and every status it lists was seen.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for status := range op.Responses.Map() {
				if key := method + " " + path + " " + status; !exercised[key] {
					t.Errorf("no test answer for %s", key)
				}
			}
		}
	}

	// Errors outside any operation (no route, wrong method) have the
	// Error schema too.
	errSchema := doc.Components.Schemas["Error"].Value
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/api/nothing", 404},
		{"DELETE", "/api/search", 405},
		{"PUT", "/api/docs", 405},
	} {
		resp := send(t, ts.URL, apiCase{method: tc.method, path: tc.path})
		var v any
		if resp.status != tc.status || json.Unmarshal([]byte(resp.body), &v) != nil {
			t.Errorf("%s %s: %d %q, want %d and JSON", tc.method, tc.path, resp.status, resp.body, tc.status)
			continue
		}
		if err := errSchema.VisitJSON(v); err != nil {
			t.Errorf("%s %s: the answer %s is no Error: %v", tc.method, tc.path, resp.body, err)
		}
	}
}

// send makes the request of tc and reads the whole answer.
func send(t *testing.T, base string, tc apiCase) response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, tc.method, base+tc.path, strings.NewReader(tc.body))
	if err != nil {
		t.Fatal(err)
	}
	if tc.contentType != "" {
		req.Header.Set("Content-Type", tc.contentType)
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

// checkAgainstDescription sends tc to the server at base and validates the
// request (if tc.valid) and the answer against doc, recording the
// operation and status in exercised.
func checkAgainstDescription(t *testing.T, doc *openapi3.T, router routers.Router, base string, tc apiCase, exercised map[string]bool) {
	t.Helper()
	ctx := context.Background()
	resp := send(t, base, tc)
	if resp.status != tc.status {
		t.Fatalf("%s %s: status %d, want %d\n%s", tc.method, truncate(tc.path, 200), resp.status, tc.status, truncate(resp.body, 500))
	}
	for _, c := range tc.contains {
		if !strings.Contains(resp.body, c) {
			t.Errorf("answer lacks %s:\n%s", c, truncate(resp.body, 2000))
		}
	}

	req, err := http.NewRequest(tc.method, base+tc.path, bytes.NewReader([]byte(tc.body)))
	if err != nil {
		t.Fatal(err)
	}
	if tc.contentType != "" {
		req.Header.Set("Content-Type", tc.contentType)
	}
	route, pathParams, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s: no operation of the description: %v", tc.method, truncate(tc.path, 200), err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: pathParams, Route: route,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if tc.valid {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			t.Errorf("the request does not conform to the description: %v", err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.status,
		Header:                 resp.header,
		Options:                in.Options,
	}
	out.SetBodyBytes([]byte(resp.body))
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("the answer does not conform to the description: %v\n%s", err, truncate(resp.body, 2000))
	}
	exercised[tc.method+" "+route.Path+" "+fmt.Sprint(resp.status)] = true
}
