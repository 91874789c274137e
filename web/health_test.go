package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// reportingEngine is a real engine with the Health its test sets.
type reportingEngine struct {
	*search.Engine
	health web.Health
}

func (r *reportingEngine) Health(context.Context) web.Health { return r.health }

func TestHealthAndReadiness(t *testing.T) {
	e := bundledEngine(t)
	gen := web.GenerationName(e.Generation())
	tests := []struct {
		name           string
		searcher       web.Searcher
		health         web.Health // the body of both endpoints
		healthz, ready int
	}{
		{"engine without a report", e, web.Health{Status: "ok", Generation: gen}, 200, 200},
		{"starting", &reportingEngine{e, web.Health{Status: web.HealthStarting, Reason: "opening the index"}},
			web.Health{Status: "starting", Reason: "opening the index"}, 503, 503},
		{"ok", &reportingEngine{e, web.Health{Status: web.HealthOK, Generation: gen}},
			web.Health{Status: "ok", Generation: gen}, 200, 200},
		{"degraded", &reportingEngine{e, web.Health{Status: web.HealthDegraded, Generation: gen, Reason: "reload failed"}},
			web.Health{Status: "degraded", Generation: gen, Reason: "reload failed"}, 503, 200},
		{"unavailable", &reportingEngine{e, web.Health{Status: web.HealthUnavailable, Reason: "could not open"}},
			web.Health{Status: "unavailable", Reason: "could not open"}, 503, 503},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServer(t, tc.searcher, web.Options{})
			for path, status := range map[string]int{"/healthz": tc.healthz, "/readyz": tc.ready} {
				r := do(t, http.MethodGet, ts.URL+path)
				if r.status != status {
					t.Errorf("%s: status %d, want %d", path, r.status, status)
				}
				var got web.Health
				if err := json.Unmarshal([]byte(r.body), &got); err != nil {
					t.Fatalf("%s: %v: %s", path, err, r.body)
				}
				if diff := cmp.Diff(tc.health, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", path, diff)
				}
			}
		})
	}
}
