package search

import (
	"errors"
	"sync"
	"time"

	"github.com/scosearch/scosearch/index"
)

// Health statuses.
const (
	// HealthOK: the Engine serves the current generation of its index.
	HealthOK = "ok"
	// HealthDegraded: the Engine keeps serving an older generation because
	// the current one (or the CURRENT file) could not be opened, for
	// example because it is damaged. Searches still work; a reindex
	// (reindex --full when the error says so) repairs it.
	HealthDegraded = "degraded"
)

// Health is what Engine.Health reports.
type Health struct {
	Status     string    // HealthOK or HealthDegraded
	Generation string    // the generation directory being served
	Current    string    // the generation CURRENT names, if it is not the one served ("" if unknown)
	Err        error     // why the current generation is not served; nil when ok
	Since      time.Time // when Err was first seen
}

// Health tells whether the Engine serves the current generation of its
// index, or keeps an older one because the last Reload failed. It does no
// I/O: it reports what the last Reload found.
func (e *Engine) Health() Health {
	h := Health{Status: HealthOK, Generation: e.Generation()}
	e.health.mu.Lock()
	defer e.health.mu.Unlock()
	if e.health.err != nil {
		h.Status, h.Current, h.Err, h.Since = HealthDegraded, e.health.gen, e.health.err, e.health.since
	}
	return h
}

// healthState records the outcome of the last Reload.
type healthState struct {
	mu    sync.Mutex
	gen   string // the generation that failed to open ("" if CURRENT is unreadable)
	err   error
	since time.Time
}

// failed records that generation gen could not be opened.
func (h *healthState) failed(gen string, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err == nil || h.gen != gen {
		h.since = time.Now()
	}
	h.gen, h.err = gen, err
}

// ok records that the current generation is the one served.
func (h *healthState) ok() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gen, h.err = "", nil
}

// known returns the error of generation gen if it failed for good: a
// damaged or incompatible generation never changes (a reindex writes a new
// one), so Reload does not open it again every interval. Other errors,
// such as a lock held for a moment, are retried.
func (h *healthState) known(gen string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil && h.gen == gen && (errors.Is(h.err, index.ErrDamaged) || errors.Is(h.err, index.ErrIncompatible)) {
		return h.err
	}
	return nil
}
