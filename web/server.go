// Package web serves scosearch over HTTP: server-rendered search and document
// pages (html/template, assets embedded with go:embed) that work without
// JavaScript and are enhanced by it, and a small JSON API.
//
// The package depends on a Searcher interface, not on bleve: search.Engine
// satisfies it, and so can a fake in tests.
//
// Routes:
//
//	GET /                       search box, what the corpus holds, example searches, syntax help
//	GET /docs?sort=&year=&lang= every document, sortable and filterable
//	GET /search?q=&page=&sort=&doc=&year=&section=&lang=
//	GET /docs/{doc}?q=&p=&from=&size=
//	                            a document, a window of paragraphs at a time,
//	                            paragraphs anchored #p{n}
//	GET /api/search             same parameters plus size and from; JSON
//	POST /api/search            the same as a JSON object in the body
//	GET /api/search/export?format=csv|jsonl|ris|bibtex&max=
//	                            every hit of a search (all pages, up to a cap) as a file
//	GET /api/docs               the documents of the index; JSON
//	GET /api/docs/{doc}         a window of a document's paragraphs; JSON
//	GET /api/suggest?q=&n=      completions of the query typed so far; JSON
//	GET /trends?q=              the timeline of a formulation: a bar chart by year
//	GET /api/trends?q=          the same as JSON (trends.go)
//	GET /compare?a=&b=          two documents side by side, paragraphs aligned, a redline
//	GET /api/compare?a=&b=      the same as JSON (compare.go)
//	GET /api/openapi.json       the OpenAPI 3.1 description of the JSON API
//	GET /healthz                {"status":"ok"|"starting"|"degraded"|..., "generation":...}
//	GET /readyz                 200 when an index is open and searchable
//	GET /metrics                Prometheus metrics (metrics.go)
//	GET /static/...             embedded CSS, JavaScript, icon
package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/scosearch/scosearch/search"
)

// Searcher is what the web server needs from a search engine.
// *search.Engine implements it. A Searcher that can tell whether it is
// ready implements HealthReporter too.
type Searcher interface {
	Search(ctx context.Context, req search.Request) (*search.Result, error)
	Documents(ctx context.Context) ([]search.DocumentInfo, error)
	DocumentPage(ctx context.Context, id, query string, from, size int) (*search.Document, error)
	Suggest(ctx context.Context, prefix string, n int) ([]search.Suggestion, error)
}

// Options configure a Server. The zero value of every field has a default.
type Options struct {
	// Logger receives one line per request and the internals of errors.
	// nil discards them.
	Logger *slog.Logger
	// MaxQueryLen is the longest query accepted, in characters (runes);
	// longer ones get 400. Default DefaultMaxQueryLen.
	MaxQueryLen int
	// MaxURILen is the longest request URI accepted, in bytes; longer ones
	// get 414. Default DefaultMaxURILen.
	MaxURILen int
	// MaxBodyBytes caps request bodies (the API takes none); larger
	// declared bodies get 413. Default DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// PageSize is the number of hits per result page. Default DefaultPageSize.
	PageSize int
	// SearchTimeout bounds the work of one request on the Searcher.
	// Default DefaultSearchTimeout.
	SearchTimeout time.Duration
	// ShutdownTimeout bounds how long Serve waits for in-flight requests
	// after its context is cancelled. Default DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// MaxSearches is the most requests doing search work at once (pages
	// and the API); the others wait their turn, see admit.go. Default
	// DefaultMaxSearches().
	MaxSearches int
	// BaseURL, e.g. "https://sco.example.org", begins the absolute links
	// of copied citations (see ParseBaseURL). Default: none, a citation
	// holds the path only. The links of the pages are relative, and
	// nothing is ever taken from the request's Host header.
	BaseURL string
}

// Defaults of Options.
const (
	DefaultMaxQueryLen = search.MaxQueryRunes
	// DefaultMaxURILen admits the longest query and filters the
	// parameters allow, percent-encoded (12 bytes for a 4-byte character),
	// in a paging link: 12×1,000 + 4×3×512 + change < 20 KB.
	DefaultMaxURILen       = 20 << 10
	DefaultMaxBodyBytes    = 64 << 10
	DefaultPageSize        = 10
	DefaultSearchTimeout   = 10 * time.Second
	DefaultShutdownTimeout = 15 * time.Second

	// maxPage bounds paging on the pages: deep pages are of no use to a
	// reader and cost the engine.
	maxPage = 100
)

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.MaxQueryLen <= 0 {
		o.MaxQueryLen = DefaultMaxQueryLen
	}
	if o.MaxURILen <= 0 {
		o.MaxURILen = DefaultMaxURILen
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	if o.SearchTimeout <= 0 {
		o.SearchTimeout = DefaultSearchTimeout
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
	if o.MaxSearches <= 0 {
		o.MaxSearches = DefaultMaxSearches()
	}
	return o
}

// Server is the scosearch web application. Create it with New.
type Server struct {
	searcher Searcher
	opts     Options
	log      *slog.Logger
	pages    *pages
	handler  http.Handler
	metrics  *metrics
	admitter *admitter
}

// New returns a Server answering from s. It fails only if the embedded
// templates or assets are broken, which the tests catch.
func New(s Searcher, opts Options) (*Server, error) {
	if s == nil {
		return nil, errors.New("web: nil Searcher")
	}
	opts = opts.withDefaults()
	p, err := loadPages(opts.MaxQueryLen)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if opts.BaseURL, err = ParseBaseURL(opts.BaseURL); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	srv := &Server{searcher: s, opts: opts, log: opts.Logger, pages: p, admitter: newAdmitter(opts.MaxSearches)}
	srv.metrics = newMetrics(srv, opts.Logger)
	srv.handler = srv.middleware(srv.routes())
	return srv, nil
}

// Handler returns the application's handler, middleware included.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() *mux.Router {
	r := mux.NewRouter()
	get := []string{http.MethodGet, http.MethodHead}

	// Pages.
	r.Handle("/", s.page(s.handleHome)).Methods(get...)
	r.Handle("/search", s.page(s.handleSearch)).Methods(get...)
	r.Handle("/docs", s.page(s.handleDocs)).Methods(get...)
	r.Handle("/docs/{doc:.+}/parallel/{other:.+}", s.page(s.handleParallel)).Methods(get...)
	r.Handle("/docs/{doc:.+}", s.page(s.handleDoc)).Methods(get...)
	r.Handle("/trends", s.page(s.handleTrends)).Methods(get...)
	r.Handle("/compare", s.page(s.handleCompare)).Methods(get...)

	// JSON API.
	// (No mux subrouter: it answers 404 instead of 405 to a wrong method.)
	r.Handle("/api/search", s.api(s.handleAPISearch)).Methods(get...)
	r.Handle("/api/search", s.api(s.handleAPISearchPost)).Methods(http.MethodPost)
	r.Handle("/api/search/export", s.api(s.handleAPIExport)).Methods(get...)
	r.Handle("/api/docs", s.api(s.handleAPIDocs)).Methods(get...)
	r.Handle("/api/docs/{doc:.+}/parallel/{other:.+}", s.api(s.handleAPIParallel)).Methods(get...)
	r.Handle("/api/docs/{doc:.+}", s.api(s.handleAPIDoc)).Methods(get...)
	r.Handle("/api/suggest", s.api(s.handleAPISuggest)).Methods(get...)
	r.Handle("/api/trends", s.api(s.handleAPITrends)).Methods(get...)
	r.Handle("/api/compare", s.api(s.handleAPICompare)).Methods(get...)
	r.Handle("/api/openapi.json", s.light(s.handleOpenAPI)).Methods(get...)
	r.Handle("/healthz", s.light(s.handleHealthz)).Methods(get...)
	r.Handle("/readyz", s.light(s.handleReadyz)).Methods(get...)
	r.HandleFunc("/metrics", s.handleMetrics).Methods(get...)

	// Assets.
	r.PathPrefix("/static/").Handler(s.static()).Methods(get...)

	r.Use(nameRoute) // for the metrics: requests by route template
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, errNotFound)
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		allow := "GET, HEAD"
		if r.URL.Path == "/api/search" {
			allow += ", POST"
		}
		w.Header().Set("Allow", allow)
		s.serveError(w, r, errMethod)
	})
	return r
}

// NewHTTPServer returns an http.Server for h on addr with timeouts against
// slow clients and a cap on header size. The caller listens and shuts down,
// or uses Server.Serve which does both.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20, // long URIs reach the handler and get a clear 414
	}
}

// Serve answers requests on ln until ctx is cancelled, then shuts down
// gracefully: it stops accepting connections and waits for in-flight
// requests, at most Options.ShutdownTimeout. It returns nil after a clean
// shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := NewHTTPServer(ln.Addr().String(), s.Handler())
	hs.ErrorLog = slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "addr", ln.Addr().String())
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close() // in-flight requests outlived the timeout: cut them
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	return nil
}

// ParseBaseURL checks a base URL for citations: empty, or an absolute
// http or https URL with a host and no query or fragment, such as
// "https://sco.example.org" or "https://example.org/sco/". It returns it
// without the trailing slash.
func ParseBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("base URL %q: %w", raw, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("base URL %q: want an http:// or https:// URL", raw)
	case u.Host == "" || u.User != nil:
		return "", fmt.Errorf("base URL %q: want a host and no user name", raw)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.HasSuffix(raw, "#"):
		return "", fmt.Errorf("base URL %q: want no query or fragment", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}
