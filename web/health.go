package web

import (
	"context"
	"net/http"
	"path/filepath"
)

// States of a Health.
const (
	// HealthStarting: no index is open yet (serve opens it after it starts
	// listening); requests wait for it.
	HealthStarting = "starting"
	// HealthOK: an index is open and searched.
	HealthOK = "ok"
	// HealthDegraded: an index is open and searched, but something needs
	// attention (Reason says what), e.g. a newer generation could not be
	// swapped in and the previous one is still served.
	HealthDegraded = "degraded"
	// HealthUnavailable: no index can be searched (it failed to open, or
	// the searcher is closed).
	HealthUnavailable = "unavailable"
)

// Health is the state of a Searcher, as /healthz and /readyz report it.
type Health struct {
	Status string `json:"status"` // one of the Health* states
	// Generation names the index generation searched, e.g.
	// "gen-20261124T173431.000000000-1a2b3c" (its directory's base name).
	Generation string `json:"generation,omitempty"`
	// Reason says why the status is not ok, in words for an operator
	// (details go to the log, not here: the endpoints are public).
	Reason string `json:"reason,omitempty"`
}

// searchable reports whether requests can be answered in this state.
func (h Health) searchable() bool { return h.Status == HealthOK || h.Status == HealthDegraded }

// HealthReporter is implemented by a Searcher that knows whether it is
// ready: serve's searcher, which opens the index in the background, says
// "starting" until it is open. Other checks (a damaged generation, a
// failed reload) report "degraded" with a Reason through it.
type HealthReporter interface {
	Health(ctx context.Context) Health
}

// health asks the Searcher for its Health. One that does not report it is
// ok once it exists (New has it); its generation comes from a
// Generation() method if it has one, as *search.Engine does.
func (s *Server) health(ctx context.Context) Health {
	if hr, ok := s.searcher.(HealthReporter); ok {
		return hr.Health(ctx)
	}
	h := Health{Status: HealthOK}
	if g, ok := s.searcher.(interface{ Generation() string }); ok {
		h.Generation = GenerationName(g.Generation())
	}
	return h
}

// GenerationName is the name of an index generation directory as Health
// reports it: its base name, not the server's path.
func GenerationName(dir string) string {
	if dir == "" {
		return ""
	}
	return filepath.Base(dir)
}

// handleHealthz answers 200 with the Health when it is ok, and 503 with it
// otherwise (starting, degraded, unavailable): monitoring alerts on
// anything but ok. Load balancers should use /readyz, which keeps a
// degraded server (still answering) in rotation.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	h := s.health(r.Context())
	status := http.StatusOK
	if h.Status != HealthOK {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, h)
	return nil
}

// handleReadyz answers 200 when an index is open and searchable (ok or
// degraded), 503 otherwise; the body is the Health.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	h := s.health(r.Context())
	status := http.StatusOK
	if !h.searchable() {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, h)
	return nil
}
