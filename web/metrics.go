package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/scosearch/scosearch/search"
)

// metrics are what GET /metrics reports, in the Prometheus text format.
// Each Server has its own registry: no global state, and two servers in
// one process (the tests) count apart.
//
//	scosearch_http_requests_total{route,method,code}      requests answered, by mux route template
//	scosearch_http_request_duration_seconds{route}        their latency
//	scosearch_search_duration_seconds                     time in the Searcher's Search (pages and API)
//	scosearch_render_duration_seconds{template}           time executing a page template
//	scosearch_search_timeouts_total                       requests whose work outlived SearchTimeout
//	scosearch_http_waiting                                requests waiting for their turn to search (admit.go)
//	scosearch_http_busy_total                             requests that waited SearchTimeout and got 503
//	scosearch_result_cache_hits_total, _misses_total      the engine's result cache
//	scosearch_index_info{generation}                      1, naming the generation searched
//	scosearch_index_documents, scosearch_index_paragraphs
//	scosearch_index_built_timestamp_seconds               when that generation was built
//	scosearch_index_reloads_total{outcome}                swapped or failed reloads
//	scosearch_index_reload_duration_seconds{outcome}      their time (a summary: _sum and _count)
//	scosearch_health{status}                              1 for the current status, 0 for the others
//
// plus the Go runtime's and the process's own (go_*, process_*).
type metrics struct {
	registry *prometheus.Registry
	handler  http.Handler
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	search   prometheus.Histogram
	render   *prometheus.HistogramVec
	timeouts prometheus.Counter
	waiting  prometheus.Gauge
	busy     prometheus.Counter
}

// latencyBuckets run from a cached answer (under a millisecond) to the
// search timeout (10 s).
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// unmatchedRoute is the route label of requests no route matched (404,
// 405, redirects to a clean path): never the raw path, which a client
// chooses.
const unmatchedRoute = "unmatched"

func newMetrics(s *Server, log *slog.Logger) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scosearch_http_requests_total",
			Help: "HTTP requests answered, by route template (" + unmatchedRoute + " when none matched), method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "scosearch_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route template.",
			Buckets: latencyBuckets,
		}, []string{"route"}),
		search: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "scosearch_search_duration_seconds",
			Help:    "Time spent in the search engine by the searches of the pages and the API (answers from the result cache included, bad queries not).",
			Buckets: latencyBuckets,
		}),
		render: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "scosearch_render_duration_seconds",
			Help:    "Time to execute a page template, by template.",
			Buckets: latencyBuckets,
		}, []string{"template"}),
		timeouts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scosearch_search_timeouts_total",
			Help: "Requests whose work on the index outlived the search timeout (answered 503).",
		}),
		waiting: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "scosearch_http_waiting",
			Help: "Requests waiting for their turn to search (at most MaxSearches search at once).",
		}),
		busy: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scosearch_http_busy_total",
			Help: "Requests that waited the search timeout for their turn and were answered 503.",
		}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.search, m.render, m.timeouts, m.waiting, m.busy,
		engineCollector{s},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector())
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
	})
	return m
}

// routeKey is the context key of the *string where the router's
// middleware writes the route template the request matched.
type routeKey struct{}

// countRequests counts each request by route, method and status and
// observes its latency. It wraps the router (from outside, so that 404
// and 405 answers count too) and learns the route from nameRoute.
func (s *Server) countRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := unmatchedRoute
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, &route))
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		method := r.Method
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPost:
		default:
			method = "other" // bounded: the method is the client's choice
		}
		s.metrics.requests.WithLabelValues(route, method, httpCode(rec.status)).Inc()
		s.metrics.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// nameRoute is the router's middleware that tells countRequests the
// template of the route matched ("/docs/{doc:.+}"), never the raw path.
func nameRoute(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			if route := mux.CurrentRoute(r); route != nil {
				if t, err := route.GetPathTemplate(); err == nil {
					*p = t
				}
			}
		}
		h.ServeHTTP(w, r)
	})
}

func httpCode(status int) string { return strconv.Itoa(status) }

// runSearch is the Searcher's Search, timed for
// scosearch_search_duration_seconds.
func (s *Server) runSearch(ctx context.Context, req search.Request) (*search.Result, error) {
	start := time.Now()
	res, err := s.searcher.Search(ctx, req)
	if !errors.Is(err, search.ErrBadQuery) {
		s.metrics.search.Observe(time.Since(start).Seconds())
	}
	return res, err
}

// StatsReporter is implemented by a Searcher that counts what it does:
// *search.Engine, and serve's searcher. /metrics reports these counters.
type StatsReporter interface {
	Stats() search.Stats
}

// engineCollector reports the Searcher's Stats and the Server's Health at
// each scrape.
type engineCollector struct{ s *Server }

var (
	descCacheHits = prometheus.NewDesc("scosearch_result_cache_hits_total",
		"Searches answered from the search engine's result cache.", nil, nil)
	descCacheMisses = prometheus.NewDesc("scosearch_result_cache_misses_total",
		"Searches that were not in the result cache and searched the index.", nil, nil)
	descIndexInfo = prometheus.NewDesc("scosearch_index_info",
		"The index generation searched (always 1).", []string{"generation"}, nil)
	descDocuments = prometheus.NewDesc("scosearch_index_documents",
		"Documents in the index generation searched.", nil, nil)
	descParagraphs = prometheus.NewDesc("scosearch_index_paragraphs",
		"Paragraphs in the index generation searched.", nil, nil)
	descBuilt = prometheus.NewDesc("scosearch_index_built_timestamp_seconds",
		"When the index generation searched was built (Unix time).", nil, nil)
	descReloads = prometheus.NewDesc("scosearch_index_reloads_total",
		"Reloads that swapped in a new index generation (outcome swapped) or failed to (outcome failed; the previous generation is still searched).",
		[]string{"outcome"}, nil)
	descReloadTime = prometheus.NewDesc("scosearch_index_reload_duration_seconds",
		"Time of the reloads that swapped in a generation (opening and verifying it) or failed.",
		[]string{"outcome"}, nil)
	descHealth = prometheus.NewDesc("scosearch_health",
		"1 for the server's current status (as /healthz reports it), 0 for the others.", []string{"status"}, nil)
)

func (c engineCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descCacheHits, descCacheMisses, descIndexInfo, descDocuments,
		descParagraphs, descBuilt, descReloads, descReloadTime, descHealth} {
		ch <- d
	}
}

func (c engineCollector) Collect(ch chan<- prometheus.Metric) {
	h := c.s.health(context.Background())
	for _, status := range []string{HealthStarting, HealthOK, HealthDegraded, HealthUnavailable} {
		v := 0.0
		if h.Status == status {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(descHealth, prometheus.GaugeValue, v, status)
	}
	sr, ok := c.s.searcher.(StatsReporter)
	if !ok {
		return
	}
	st := sr.Stats()
	ch <- prometheus.MustNewConstMetric(descCacheHits, prometheus.CounterValue, float64(st.CacheHits))
	ch <- prometheus.MustNewConstMetric(descCacheMisses, prometheus.CounterValue, float64(st.CacheMisses))
	ch <- prometheus.MustNewConstMetric(descReloads, prometheus.CounterValue, float64(st.Swaps), "swapped")
	ch <- prometheus.MustNewConstMetric(descReloads, prometheus.CounterValue, float64(st.FailedReloads), "failed")
	ch <- prometheus.MustNewConstSummary(descReloadTime, st.Swaps, st.SwapTime.Seconds(), nil, "swapped")
	ch <- prometheus.MustNewConstSummary(descReloadTime, st.FailedReloads, st.FailedReloadTime.Seconds(), nil, "failed")
	if st.Generation == "" {
		return // not open yet, or closed
	}
	ch <- prometheus.MustNewConstMetric(descIndexInfo, prometheus.GaugeValue, 1, GenerationName(st.Generation))
	ch <- prometheus.MustNewConstMetric(descDocuments, prometheus.GaugeValue, float64(st.Documents))
	ch <- prometheus.MustNewConstMetric(descParagraphs, prometheus.GaugeValue, float64(st.Paragraphs))
	if !st.Built.IsZero() {
		ch <- prometheus.MustNewConstMetric(descBuilt, prometheus.GaugeValue, float64(st.Built.UnixNano())/1e9)
	}
}

// handleMetrics serves the metrics in the Prometheus text format.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	s.metrics.handler.ServeHTTP(w, r)
}
