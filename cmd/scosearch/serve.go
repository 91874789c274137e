package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/scosearch/scosearch"
	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	indexDir := fs.String("index", defaultIndexDir(), "index directory (built from --corpus if there is none)")
	corpusDir := fs.String("corpus", "", "corpus to build the index from when there is none (default: the bundled corpus)")
	reload := fs.Duration("reload-interval", 2*time.Second, "how often to look for an index swapped in by reindex (0: only on SIGHUP)")
	watch := fs.Bool("watch", false, "reindex the --corpus directory in the background when its files change")
	noCache := fs.Bool("no-cache", false, "answer every search from the index: the result and facet caches off, for benchmarks")
	maxSearches := fs.Int("max-searches", web.DefaultMaxSearches(), "requests searching at once; the others wait their turn (default: the CPUs Go runs on)")
	baseURL := fs.String("base-url", "", "public address of the site, e.g. https://sco.example.org, for the links of copied citations (default: http:// and the listen address)")
	env := bindEnv(fs)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	fromEnv, err := env.apply(os.LookupEnv)
	if err != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "scosearch serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if *maxSearches < 1 {
		fmt.Fprintf(stderr, "scosearch serve: --max-searches must be at least 1\n")
		return exitUsage
	}
	if _, err := web.ParseBaseURL(*baseURL); err != nil {
		fmt.Fprintf(stderr, "scosearch serve: --base-url: %v\n", strings.TrimPrefix(err.Error(), "base URL "))
		return exitUsage
	}
	if err := checkWatch(*watch, *corpusDir, *indexDir); err != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	log.Info("configuration", "addr", *addr, "index", *indexDir, "corpus", orBundled(*corpusDir),
		"reload_interval", *reload, "watch", *watch, "no_cache", *noCache, "max_searches", *maxSearches, "base_url", *baseURL, "from_env", strings.Join(fromEnv, ","), "version", version())

	meta, err := index.CurrentMeta(*indexDir)
	switch {
	case errors.Is(err, index.ErrNotFound):
		log.Info("no index yet: building it", "index", *indexDir, "corpus", orBundled(*corpusDir))
		if code := buildIndex(ctx, *corpusDir, *indexDir, log, stderr); code != exitOK {
			return code
		}
	case errors.Is(err, index.ErrIncompatible) && rebuildable(meta, *corpusDir):
		// An index of an earlier version of scosearch, of the corpus
		// served: rebuild it rather than refuse to start (the old
		// generation stays current until the new one is complete).
		log.Warn("the index was built by another version of scosearch: rebuilding it", "index", *indexDir, "corpus", orBundled(*corpusDir), "reason", err)
		if code := buildIndex(ctx, *corpusDir, *indexDir, log, stderr); code != exitOK {
			return code
		}
	}
	// Listen at once and open the index meanwhile: loading the Chinese
	// dictionary takes seconds, and a request that comes first waits for
	// it (bounded by the server's search timeout) instead of being refused.
	start := time.Now()
	engine := newPendingEngine()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
		return exitFailure
	}
	if *baseURL == "" {
		*baseURL = listenBaseURL(ln.Addr(), log)
	}
	srv, err := web.New(engine, web.Options{Logger: log, BaseURL: *baseURL, MaxSearches: *maxSearches})
	if err != nil {
		ln.Close()
		fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
		return exitFailure
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watched := make(chan struct{})
	if *watch {
		w, err := newCorpusWatcher(*corpusDir, *indexDir, log, func() { reloadNow(engine, log) })
		if err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
			return exitFailure
		}
		engine.watch = w
		go func() { w.run(ctx); close(watched) }()
	} else {
		close(watched)
	}
	opts := []search.Option{search.WithLogger(log)}
	if *noCache {
		opts = append(opts, search.WithoutCache())
	}
	opened := make(chan error, 1)
	go func() {
		e, err := search.Open(*indexDir, opts...)
		if err != nil {
			engine.fail(err)
			opened <- err
			cancel() // stop serving: there is nothing to serve
			return
		}
		engine.ready(e)
		log.Info("index open", "index", *indexDir, "generation", e.Generation(), "open_ms", time.Since(start).Milliseconds())
		go watchIndex(ctx, e, *reload, log)
		opened <- nil
	}()
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "index", *indexDir)

	serveErr := srv.Serve(ctx, ln)
	cancel()
	<-watched // a build in progress stops and cleans up
	openErr := <-opened
	if e := engine.get(); e != nil {
		if err := e.Close(); err != nil {
			log.Warn("close index", "err", err)
		}
	}
	if openErr != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", openErr)
		if errors.Is(openErr, index.ErrIncompatible) || errors.Is(openErr, index.ErrDamaged) {
			fmt.Fprintf(stderr, "scosearch serve: rebuild it with: scosearch reindex --full --index %s\n", *indexDir)
		}
		return exitFailure
	}
	if serveErr != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", serveErr)
		return exitFailure
	}
	return exitOK
}

// listenBaseURL is the base URL of citations when --base-url is not
// given: http:// and the address listened on, or none (citations hold the
// path only) when that is every interface (":8080", "0.0.0.0:8080"), which
// is no address a reader can use.
func listenBaseURL(addr net.Addr, log *slog.Logger) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		log.Warn("listening on every interface: citations hold the path only; give --base-url for absolute links", "addr", addr.String())
		return ""
	}
	return "http://" + tcp.String()
}

// pendingEngine is the web server's Searcher while the index opens: its
// methods wait for the engine (or the request's end), then delegate. It
// reports its web.Health: starting until the index is open, then the
// engine's own (degraded while the latest reload failed).
type pendingEngine struct {
	done   chan struct{}
	engine *search.Engine
	err    error
	watch  *corpusWatcher // serve --watch; set before serving
}

func newPendingEngine() *pendingEngine { return &pendingEngine{done: make(chan struct{})} }

func (p *pendingEngine) ready(e *search.Engine) { p.engine = e; close(p.done) }
func (p *pendingEngine) fail(err error)         { p.err = err; close(p.done) }

// get returns the engine once opened, or nil.
func (p *pendingEngine) get() *search.Engine {
	select {
	case <-p.done:
		return p.engine
	default:
		return nil
	}
}

func (p *pendingEngine) wait(ctx context.Context) (*search.Engine, error) {
	select {
	case <-p.done:
		if p.err != nil {
			return nil, p.err
		}
		return p.engine, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pendingEngine) Search(ctx context.Context, req search.Request) (*search.Result, error) {
	e, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	return e.Search(ctx, req)
}

func (p *pendingEngine) Documents(ctx context.Context) ([]search.DocumentInfo, error) {
	e, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	return e.Documents(ctx)
}

func (p *pendingEngine) DocumentPage(ctx context.Context, id, query string, from, size int) (*search.Document, error) {
	e, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	return e.DocumentPage(ctx, id, query, from, size)
}

// Examples are the engine's frequent formulations, for the home page.
func (p *pendingEngine) Examples(ctx context.Context, n int) ([]search.Suggestion, error) {
	e, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	return e.Examples(ctx, n)
}

// Health is starting until the index is open, unavailable if it failed
// to open, degraded while the engine keeps an older generation because the
// latest reload failed (search.Engine.Health: a damaged or unreadable new
// generation) or the corpus of serve --watch needs attention (its last
// reindex failed or skipped files), and ok otherwise.
func (p *pendingEngine) Health(ctx context.Context) web.Health {
	select {
	case <-p.done:
	default:
		return web.Health{Status: web.HealthStarting, Reason: "opening the index"}
	}
	if p.err != nil {
		return web.Health{Status: web.HealthUnavailable, Reason: "the index could not be opened"}
	}
	eh := p.engine.Health()
	h := web.Health{Status: web.HealthOK, Generation: web.GenerationName(eh.Generation)}
	if eh.Status == search.HealthDegraded {
		h.Status = web.HealthDegraded
		h.Reason = "a newer index generation could not be opened; the previous one is searched (see the server log)"
	}
	if r := p.watch.degraded(); r != "" {
		h.Status = web.HealthDegraded
		h.Reason = strings.TrimPrefix(h.Reason+"; "+r, "; ")
	}
	return h
}

// Stats are the engine's counters once it is open (for /metrics), zero
// before.
func (p *pendingEngine) Stats() search.Stats {
	if e := p.get(); e != nil {
		return e.Stats()
	}
	return search.Stats{}
}

func (p *pendingEngine) Trends(ctx context.Context, query string) (*search.Trends, error) {
	e, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	return e.Trends(ctx, query)
}

func (p *pendingEngine) Compare(ctx context.Context, a, b string) (*search.Comparison, error) {
	e, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	return e.Compare(ctx, a, b)
}

func (p *pendingEngine) Suggest(ctx context.Context, prefix string, n int) ([]search.Suggestion, error) {
	e, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	return e.Suggest(ctx, prefix, n)
}

// rebuildable reports whether serve may rebuild an incompatible index
// from corpusDir: when the corpus is given, or when the index holds the
// bundled corpus's documents and no others (an index of the user's own
// corpus, served without --corpus, is never replaced by the bundled one).
func rebuildable(m index.Meta, corpusDir string) bool {
	if corpusDir != "" {
		return true
	}
	bundled, err := bundledSources()
	if err != nil || len(m.Documents) == 0 {
		return false
	}
	for _, d := range m.Documents {
		if !bundled[d.Source] {
			return false
		}
	}
	return true
}

// buildIndex builds (or rebuilds) the index of corpusDir (the bundled
// corpus for "") for serve.
func buildIndex(ctx context.Context, corpusDir, indexDir string, log *slog.Logger, stderr io.Writer) int {
	src, err := corpusSource(corpusDir)
	if err != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
		return exitFailure
	}
	rep, err := index.Build(ctx, src.dir, indexDir, index.BuildOptions{Logger: log, Progress: newProgressReporter(stderr), CorpusFS: src.fsys})
	if err != nil {
		fmt.Fprintf(stderr, "scosearch serve: build the index: %v\n", err)
		return exitFailure
	}
	for _, p := range rep.Problems {
		log.Warn("skipped a corpus file", "path", p.Path, "reason", p.Err)
	}
	log.Info("index built", "documents", rep.Documents, "paragraphs", rep.Paragraphs, "took", rep.Took.Round(time.Millisecond))
	return exitOK
}

// reloadNow swaps in the generation a watched build has just written,
// without waiting for the reload interval.
func reloadNow(p *pendingEngine, log *slog.Logger) {
	e := p.get()
	if e == nil {
		return // still opening: it opens the current generation
	}
	if _, err := e.Reload(); err != nil {
		log.Error("reload index after reindexing the watched corpus: still serving the previous generation", "err", err)
	}
}

// watchIndex swaps in a new index generation written by reindex: on SIGHUP
// at once, and every interval otherwise, telling report the outcome of
// each attempt (nil: success or nothing new). It stops with ctx.
func watchIndex(ctx context.Context, engine *search.Engine, interval time.Duration, log *slog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	var tick <-chan time.Time
	if interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		tick = t.C
	}
	lastErr := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		case <-tick:
		}
		swapped, err := engine.Reload()
		if err != nil {
			// Once per problem, not every interval: the Engine keeps
			// serving the generation it has (Engine.Health says degraded).
			if msg := err.Error(); msg != lastErr {
				log.Error("reload index: still serving the previous generation", "generation", engine.Generation(), "err", err)
				lastErr = msg
			}
			continue
		}
		lastErr = ""
		if swapped {
			log.Info("swapped in a new index generation")
		}
	}
}

func (p *pendingEngine) Parallel(ctx context.Context, a, b string) (*search.Parallel, error) {
	e, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	return e.Parallel(ctx, a, b)
}

func (p *pendingEngine) Document(ctx context.Context, id, q string) (*search.Document, error) {
	e, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	return e.Document(ctx, id, q)
}

func (p *pendingEngine) Neighbours(ctx context.Context, paragraphID string, before, after int) ([]search.Paragraph, error) {
	e, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	return e.Neighbours(ctx, paragraphID, before, after)
}

// bundledSources returns the paths of the bundled corpus's files, as
// documents record their Source.
func bundledSources() (map[string]bool, error) {
	out := map[string]bool{}
	err := fs.WalkDir(scosearch.BundledCorpus(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out[p] = true
		}
		return nil
	})
	return out, err
}
