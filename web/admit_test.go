package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// gateSearcher is the bundled engine whose searches first wait for a
// value on gate, whatever their context says (a search overrunning its
// timeout), and say on entered that they began.
type gateSearcher struct {
	*search.Engine
	entered chan struct{}
	gate    chan struct{}
}

func (g gateSearcher) Search(ctx context.Context, req search.Request) (*search.Result, error) {
	g.entered <- struct{}{}
	<-g.gate
	return g.Engine.Search(ctx, req)
}

// TestAdmission: with MaxSearches 1, a request waits while a search runs,
// and runs once it ends; one that waits longer than SearchTimeout gets 503
// "busy" with Retry-After; health checks and metrics never wait.
func TestAdmission(t *testing.T) {
	g := gateSearcher{bundledEngine(t), make(chan struct{}, 1), make(chan struct{})}
	ts := startServer(t, g, web.Options{MaxSearches: 1, SearchTimeout: 2 * time.Second})

	first := make(chan response, 1)
	go func() { first <- do(t, "GET", ts.URL+"/api/search?q=阿富汗") }()
	<-g.entered // the search holds the one turn
	second := make(chan response, 1)
	go func() { second <- do(t, "GET", ts.URL+"/api/docs") }()
	deadline := time.Now().Add(10 * time.Second)
	for scrape(t, ts.URL)["scosearch_http_waiting"] != 1 { // /metrics did not wait
		if time.Now().After(deadline) {
			t.Fatal("the second request never waited for its turn")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if r := do(t, "GET", ts.URL+"/healthz"); r.status != 200 {
		t.Errorf("/healthz while a search runs: %d, want 200", r.status)
	}
	select {
	case r := <-second:
		t.Fatalf("the second request was answered (%d) while the first searched", r.status)
	default:
	}
	g.gate <- struct{}{}
	if r := <-first; r.status != 200 {
		t.Errorf("first: %d, want 200", r.status)
	}
	if r := <-second; r.status != 200 || !strings.Contains(r.body, `"documents"`) {
		t.Errorf("second, after its turn: %d %s", r.status, truncate(r.body, 200))
	}

	// Waiting longer than the search timeout: 503 busy.
	ts = startServer(t, g, web.Options{MaxSearches: 1, SearchTimeout: 100 * time.Millisecond})
	go func() { first <- do(t, "GET", ts.URL+"/api/search?q=阿富汗") }()
	<-g.entered
	r := do(t, "GET", ts.URL+"/api/search?q=上海")
	if r.status != 503 || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, `"code":"busy"`) {
		t.Errorf("a request that waited too long: %d, Retry-After %q, %s", r.status, r.header.Get("Retry-After"), truncate(r.body, 200))
	}
	if p := do(t, "GET", ts.URL+"/search?q=上海"); p.status != 503 || !strings.Contains(p.body, "检索请求过多") {
		t.Errorf("the page that waited too long: %d %s", p.status, truncate(p.body, 300))
	}
	g.gate <- struct{}{}
	<-first
	if got := scrape(t, ts.URL)["scosearch_http_busy_total"]; got != 2 {
		t.Errorf("scosearch_http_busy_total = %v, want 2", got)
	}
}
