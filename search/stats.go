package search

import (
	"errors"
	"sync/atomic"
	"time"
)

// Stats is a snapshot of what an Engine has done since Open, for
// monitoring (serve's /metrics): the generation it searches, how often the
// result cache answered, and the outcome of Reloads. Counters only grow.
type Stats struct {
	// Generation is the generation directory searched ("" once the Engine
	// is closed); Built, Documents and Paragraphs describe it.
	Generation            string
	Built                 time.Time
	Documents, Paragraphs int

	// CacheHits counts searches answered from the result cache,
	// CacheMisses those that searched the index (none with WithoutCache).
	CacheHits, CacheMisses uint64

	// Swaps counts the Reloads that swapped in a new generation and
	// SwapTime the time they took (opening and verifying it);
	// FailedReloads and FailedReloadTime the Reloads that returned an
	// error (each attempt, also the repeated ones of a generation known
	// to be damaged). Reloads that found nothing new are not counted.
	Swaps, FailedReloads       uint64
	SwapTime, FailedReloadTime time.Duration
}

// Stats returns the Engine's counters and a description of the generation
// it searches. It does no I/O.
func (e *Engine) Stats() Stats {
	st := e.stats.snapshot()
	g, err := e.acquire()
	if err != nil {
		return st
	}
	defer e.release(g)
	m := g.idx.Meta()
	st.Generation, st.Built = g.idx.Dir(), m.Built
	st.Documents, st.Paragraphs = len(m.Documents), m.Paragraphs
	return st
}

// engineStats are the counters behind Stats, updated without locks.
type engineStats struct {
	hits, misses         atomic.Uint64
	swaps, failed        atomic.Uint64
	swapNanos, failNanos atomic.Int64
}

// cached records a lookup in the result cache.
func (s *engineStats) cached(hit bool) {
	if hit {
		s.hits.Add(1)
	} else {
		s.misses.Add(1)
	}
}

// reloaded records the outcome of a Reload that started at start; it is
// deferred with pointers to Reload's results.
func (s *engineStats) reloaded(start time.Time, swapped *bool, err *error) {
	d := int64(time.Since(start))
	switch {
	case *swapped: // even if closing the old generation then failed
		s.swaps.Add(1)
		s.swapNanos.Add(d)
	case *err != nil && !errors.Is(*err, ErrClosed):
		s.failed.Add(1)
		s.failNanos.Add(d)
	}
}

func (s *engineStats) snapshot() Stats {
	return Stats{
		CacheHits:        s.hits.Load(),
		CacheMisses:      s.misses.Load(),
		Swaps:            s.swaps.Load(),
		FailedReloads:    s.failed.Load(),
		SwapTime:         time.Duration(s.swapNanos.Load()),
		FailedReloadTime: time.Duration(s.failNanos.Load()),
	}
}
