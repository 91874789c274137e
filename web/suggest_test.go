package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// TestAPISuggest: /api/suggest on a real server and index answers with the
// engine's suggestions; bad parameters get 400 with a message.
func TestAPISuggest(t *testing.T) {
	e := bundledEngine(t)
	ts := startServer(t, e, web.Options{})
	engineSays := func(prefix string, n int) []search.Suggestion {
		t.Helper()
		s, err := e.Suggest(context.Background(), prefix, n)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	type answer struct {
		Query       string              `json:"query"`
		Suggestions []search.Suggestion `json:"suggestions"`
	}
	for _, tc := range []struct {
		name   string
		path   string
		status int
		want   answer // for 200
		error  string // for 400
	}{
		{name: "prefix", path: "/api/suggest?q=" + qs("上合") + "&n=8", status: 200, want: answer{"上合", engineSays("上合", 8)}},
		{name: "default n", path: "/api/suggest?q=" + qs("上"), status: 200, want: answer{"上", engineSays("上", 0)}},
		{name: "n=1", path: "/api/suggest?q=" + qs("上合") + "&n=1", status: 200, want: answer{"上合", []search.Suggestion{{Text: "上合组织", Count: 41}}}},
		{name: "traditional", path: "/api/suggest?q=" + qs("上海合作組"), status: 200, want: answer{"上海合作組", engineSays("上海合作組", 0)}},
		{name: "words before", path: "/api/suggest?q=" + qs("阿富汗 合"), status: 200, want: answer{"阿富汗 合", []search.Suggestion{{Text: "阿富汗 合作", Count: 2}}}},
		{name: "empty", path: "/api/suggest?q=", status: 200, want: answer{"", []search.Suggestion{}}},
		{name: "no q", path: "/api/suggest", status: 200, want: answer{"", []search.Suggestion{}}},
		{name: "trailing space", path: "/api/suggest?q=" + qs("上合 "), status: 200, want: answer{"上合 ", []search.Suggestion{}}},
		{name: "n too large", path: "/api/suggest?q=x&n=21", status: 400, error: "parameter n must be a whole number from 1 to 20"},
		{name: "n zero", path: "/api/suggest?q=x&n=0", status: 400, error: "parameter n must be a whole number from 1 to 20"},
		{name: "n not a number", path: "/api/suggest?q=x&n=ten", status: 400, error: "parameter n must be a whole number"},
		{name: "invalid UTF-8", path: "/api/suggest?q=%E4%B8%8A%FF", status: 400, error: "prefix is not valid UTF-8"},
		{name: "too long", path: "/api/suggest?q=" + strings.Repeat("x", search.MaxSuggestRunes+1), status: 400, error: "prefix too long: 51 characters, at most 50"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, http.MethodGet, ts.URL+tc.path)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d; body %s", r.status, tc.status, truncate(r.body, 300))
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if tc.status != 200 {
				if cc := r.header.Get("Cache-Control"); cc != "no-cache" {
					t.Errorf("error with Cache-Control %q, want no-cache", cc)
				}
				var body map[string]any
				if err := json.Unmarshal([]byte(r.body), &body); err != nil {
					t.Fatal(err)
				}
				wantError(tc.error)(t, body)
				return
			}
			if cc := r.header.Get("Cache-Control"); cc != "max-age=60" {
				t.Errorf("Cache-Control %q, want max-age=60", cc)
			}
			var got answer
			dec := json.NewDecoder(strings.NewReader(r.body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("%v: %s", err, r.body)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tc.want.Suggestions != nil && len(tc.want.Suggestions) == 0 && !strings.Contains(r.body, `"suggestions":[]`) {
				t.Errorf("no suggestions should be [], body %s", r.body)
			}
		})
	}

	// The JSON keys are text and count.
	r := do(t, http.MethodGet, ts.URL+"/api/suggest?q="+qs("上合")+"&n=1")
	if !strings.Contains(r.body, `{"query":"上合","suggestions":[{"text":"上合组织","count":41}]}`) {
		t.Errorf("body %s", r.body)
	}
	// Only GET and HEAD.
	if r := do(t, http.MethodPost, ts.URL+"/api/suggest?q=x"); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", r.status)
	}
}

// TestAPISuggestFault: an engine failure is a 500 whose details stay in
// the log.
func TestAPISuggestFault(t *testing.T) {
	ts := startServer(t, &faultySearcher{}, web.Options{})
	r := do(t, http.MethodGet, ts.URL+"/api/suggest?q=x")
	if r.status != http.StatusInternalServerError || strings.Contains(r.body, "secret") || !strings.Contains(r.body, `"error":"internal error"`) {
		t.Errorf("status %d, body %s; want 500 internal error without details", r.status, r.body)
	}
}

// TestSuggestMarkup: without JavaScript the search box is a plain search
// box in a GET form (app.js makes it a combobox); the empty listbox it
// will fill is hidden.
func TestSuggestMarkup(t *testing.T) {
	ts := startServer(t, bundledEngine(t), web.Options{})
	for _, path := range []string{"/", "/search?q=" + qs("上合组织"), "/docs/" + bishkek} {
		r := do(t, http.MethodGet, ts.URL+path)
		checkBody(t, r.body,
			[]string{`<form class="searchform" role="search" action="/search" method="get"`, `<input id="q" name="q" type="search"`, `<ul id="q-suggest" class="suggest" role="listbox" aria-label="检索建议" hidden></ul>`},
			[]string{`role="combobox"`, `aria-expanded`})
	}
}
