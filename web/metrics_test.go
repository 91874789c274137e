package web_test

import (
	"bufio"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// scrape reads /metrics and returns each series ("name{labels}" as the
// server prints it, labels sorted by name) with its value.
func scrape(t *testing.T, base string) map[string]float64 {
	t.Helper()
	r := do(t, "GET", base+"/metrics")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s\n%s", r.status, r.header.Get("Content-Type"), truncate(r.body, 2000))
	}
	out := make(map[string]float64)
	sc := bufio.NewScanner(strings.NewReader(r.body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if i < 0 || err != nil {
			t.Fatalf("bad metrics line %q", line)
		}
		out[line[:i]] = v
	}
	return out
}

// tinyIndex builds a two-paragraph corpus into a new index and returns
// the corpus and index directories.
func tinyIndex(t *testing.T) (corpusDir, indexDir string) {
	t.Helper()
	corpusDir, indexDir = t.TempDir(), t.TempDir()
	writeCorpusFile(t, corpusDir, "a.zh.txt", "上海合作组织成员国元首理事会会议在比什凯克举行。\n\n成员国加强安全合作，共同应对阿富汗问题。\n")
	if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	return corpusDir, indexDir
}

func writeCorpusFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMetrics scrapes /metrics of a real server before and after
// requests, a reindex swapped in and a failed reload, and checks that the
// counters move as they should, by route template, never by raw path.
func TestMetrics(t *testing.T) {
	corpusDir, indexDir := tinyIndex(t)
	engine, err := search.Open(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	ts := startServer(t, engine, web.Options{})

	m := scrape(t, ts.URL)
	gen := web.GenerationName(engine.Generation())
	for series, want := range map[string]float64{
		`scosearch_index_info{generation="` + gen + `"}`:   1,
		`scosearch_index_documents`:                        1,
		`scosearch_index_paragraphs`:                       2,
		`scosearch_health{status="ok"}`:                    1,
		`scosearch_health{status="starting"}`:              0,
		`scosearch_result_cache_hits_total`:                0,
		`scosearch_result_cache_misses_total`:              0,
		`scosearch_index_reloads_total{outcome="swapped"}`: 0,
		`scosearch_index_reloads_total{outcome="failed"}`:  0,
		`scosearch_search_timeouts_total`:                  0,
		`scosearch_search_duration_seconds_count`:          0,
	} {
		if got, ok := m[series]; !ok || got != want {
			t.Errorf("fresh server: %s = %v (present %v), want %v", series, got, ok, want)
		}
	}
	if built := m["scosearch_index_built_timestamp_seconds"]; time.Since(time.Unix(int64(built), 0)) > time.Hour {
		t.Errorf("built timestamp %v is not the build of a minute ago", built)
	}
	if _, ok := m["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}

	q := url.QueryEscape("阿富汗")
	for _, path := range []string{
		"/api/search?q=" + q, "/api/search?q=" + q, // a miss, then a hit
		"/search?q=" + q,        // same request as the API's default page: a hit
		"/api/search?q=%22" + q, // a bad query: 400, not timed
		"/docs/a", "/docs/a?p=2",
		"/no/such/page", "/api/nothing-here",
	} {
		do(t, "GET", ts.URL+path)
	}
	m = scrape(t, ts.URL)
	for series, want := range map[string]float64{
		`scosearch_http_requests_total{code="200",method="GET",route="/api/search"}`:    2,
		`scosearch_http_requests_total{code="400",method="GET",route="/api/search"}`:    1,
		`scosearch_http_requests_total{code="200",method="GET",route="/search"}`:        1,
		`scosearch_http_requests_total{code="200",method="GET",route="/docs/{doc:.+}"}`: 2,
		`scosearch_http_requests_total{code="404",method="GET",route="unmatched"}`:      2,
		`scosearch_http_requests_total{code="200",method="GET",route="/metrics"}`:       1,
		`scosearch_http_request_duration_seconds_count{route="/api/search"}`:            3,
		`scosearch_search_duration_seconds_count`:                                       3,
		`scosearch_render_duration_seconds_count{template="search.tmpl"}`:               1,
		`scosearch_render_duration_seconds_count{template="doc.tmpl"}`:                  2,
		`scosearch_render_duration_seconds_count{template="error.tmpl"}`:                1,
		`scosearch_result_cache_misses_total`:                                           1,
		`scosearch_result_cache_hits_total`:                                             2,
	} {
		if got := m[series]; got != want {
			t.Errorf("after the requests: %s = %v, want %v", series, got, want)
		}
	}
	for series := range m {
		if strings.Contains(series, "/no/such") || strings.Contains(series, "nothing-here") || strings.Contains(series, `"/docs/a"`) {
			t.Errorf("a raw path is a label: %s", series)
		}
	}

	// A reindex swapped in: a new generation, its counts, one swap.
	writeCorpusFile(t, corpusDir, "b.zh.txt", "外长理事会会议在莫斯科举行，通过联合公报。\n")
	if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if swapped, err := engine.Reload(); !swapped || err != nil {
		t.Fatalf("Reload: %v, %v", swapped, err)
	}
	// A CURRENT naming nothing: a failed reload; the generation stays.
	if err := os.WriteFile(filepath.Join(indexDir, "CURRENT"), []byte("garbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := engine.Reload(); err == nil {
		t.Fatal("Reload of a garbage CURRENT succeeded")
	}
	m = scrape(t, ts.URL)
	gen2 := web.GenerationName(engine.Generation())
	for series, want := range map[string]float64{
		`scosearch_index_info{generation="` + gen2 + `"}`:                  1,
		`scosearch_index_documents`:                                        2,
		`scosearch_index_paragraphs`:                                       3,
		`scosearch_index_reloads_total{outcome="swapped"}`:                 1,
		`scosearch_index_reloads_total{outcome="failed"}`:                  1,
		`scosearch_index_reload_duration_seconds_count{outcome="swapped"}`: 1,
	} {
		if got := m[series]; got != want {
			t.Errorf("after a swap and a failed reload: %s = %v, want %v", series, got, want)
		}
	}
	if gen2 == gen {
		t.Errorf("generation %s did not change", gen)
	}
	if _, ok := m[`scosearch_index_info{generation="`+gen+`"}`]; ok {
		t.Errorf("the old generation %s is still reported", gen)
	}
	if m[`scosearch_index_reload_duration_seconds_sum{outcome="swapped"}`] <= 0 {
		t.Error("a swap took no time")
	}
}

// blockingSearcher is the bundled engine whose searches wait for the end
// of their context: every search times out.
type blockingSearcher struct{ *search.Engine }

func (b blockingSearcher) Search(ctx context.Context, req search.Request) (*search.Result, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestMetricsTimeouts: a search that outlives SearchTimeout is a 503 and
// counts in scosearch_search_timeouts_total; a client that leaves does not.
func TestMetricsTimeouts(t *testing.T) {
	ts := startServer(t, blockingSearcher{bundledEngine(t)}, web.Options{SearchTimeout: 20 * time.Millisecond})
	for _, path := range []string{"/api/search?q=x", "/search?q=x"} {
		if r := do(t, "GET", ts.URL+path); r.status != 503 {
			t.Errorf("GET %s: %d, want 503", path, r.status)
		}
	}
	m := scrape(t, ts.URL)
	if got := m["scosearch_search_timeouts_total"]; got != 2 {
		t.Errorf("scosearch_search_timeouts_total = %v, want 2", got)
	}
	if got := m[`scosearch_http_requests_total{code="503",method="GET",route="/search"}`]; got != 1 {
		t.Errorf("503s of /search = %v, want 1", got)
	}
}
