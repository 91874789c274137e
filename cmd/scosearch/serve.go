package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

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
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "scosearch serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))

	if _, err := index.Current(*indexDir); errors.Is(err, index.ErrNotFound) {
		if code := buildFirstIndex(ctx, *corpusDir, *indexDir, log, stderr); code != exitOK {
			return code
		}
	}
	start := time.Now()
	engine, err := search.Open(*indexDir)
	if err != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
		if errors.Is(err, index.ErrIncompatible) || errors.Is(err, index.ErrDamaged) {
			fmt.Fprintf(stderr, "scosearch serve: rebuild it with: scosearch reindex --full --index %s\n", *indexDir)
		}
		return exitFailure
	}
	defer engine.Close()

	srv, err := web.New(engine, web.Options{Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
		return exitFailure
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
		return exitFailure
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "index", *indexDir, "open_ms", time.Since(start).Milliseconds())

	go watchIndex(ctx, engine, *reload, log)
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// buildFirstIndex builds the index of a fresh installation.
func buildFirstIndex(ctx context.Context, corpusDir, indexDir string, log *slog.Logger, stderr io.Writer) int {
	dir, cleanup, err := corpusPath(corpusDir)
	if err != nil {
		fmt.Fprintf(stderr, "scosearch serve: %v\n", err)
		return exitFailure
	}
	defer cleanup()
	log.Info("no index yet: building it", "index", indexDir, "corpus", orDash(corpusDir))
	rep, err := index.Build(ctx, dir, indexDir, index.BuildOptions{Logger: log, Progress: newProgressReporter(stderr)})
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

// watchIndex swaps in a new index generation written by reindex: on SIGHUP
// at once, and every interval otherwise. It stops with ctx.
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
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		case <-tick:
		}
		swapped, err := engine.Reload()
		if err != nil {
			log.Error("reload index", "err", err)
			continue
		}
		if swapped {
			log.Info("swapped in a new index generation")
		}
	}
}
