package web

import (
	"context"
	"net/http"
	"runtime"
	"strconv"

	"golang.org/x/sync/semaphore"
)

// Admission. A search is CPU work: with more of them running at once than
// there are cores, each runs slower by their number, and a costly one (a
// common word, 30 ms alone) takes that many times longer: on the laws
// corpus with 16 clients on 2 cores, a 99th percentile of about 200 ms.
// So at most Options.MaxSearches requests do search work at once, the
// others wait their turn, first come first served (semaphore.Weighted
// serves its waiters in order), for at most SearchTimeout; one that waits
// longer is answered 503 "server busy" with Retry-After. Health checks,
// metrics, the OpenAPI document and the static assets never wait.

// DefaultMaxSearches is MaxSearches when not set: the number of CPUs Go
// runs on (GOMAXPROCS).
func DefaultMaxSearches() int { return runtime.GOMAXPROCS(0) }

// errBusy answers a request that waited SearchTimeout for its turn.
var errBusy = &userError{status: http.StatusServiceUnavailable, msg: "server busy: too many searches at once, try again", code: "busy", zh: "检索请求过多，请稍后再试"}

// admitter lets at most n requests through at once.
type admitter struct {
	slots *semaphore.Weighted
	n     int
}

func newAdmitter(n int) *admitter {
	return &admitter{slots: semaphore.NewWeighted(int64(n)), n: n}
}

// admit wraps h: it runs once a slot is free.
func (s *Server) admit(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.wait(r.Context()); err != nil {
			if r.Context().Err() != nil {
				return // the client left while waiting: nobody to answer
			}
			s.metrics.busy.Inc()
			w.Header().Set("Retry-After", strconv.Itoa(1))
			s.serveError(w, r, errBusy)
			return
		}
		defer s.admitter.slots.Release(1)
		h.ServeHTTP(w, r)
	})
}

// wait takes a turn: at once if one is free (whatever the context says),
// else within SearchTimeout.
func (s *Server) wait(ctx context.Context) error {
	if s.admitter.slots.TryAcquire(1) {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.SearchTimeout)
	defer cancel()
	s.metrics.waiting.Inc()
	defer s.metrics.waiting.Dec()
	return s.admitter.slots.Acquire(ctx, 1)
}
