package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/internal/bench"
)

// runBench is the bench subcommand: flags and exit codes around
// internal/bench, which measures and writes the report.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("bench", "", stderr)
	c := bench.Config{Version: version()}
	fs.StringVar(&c.Corpus, "corpus", "", "corpus directory to benchmark (default: unpack --archive)")
	fs.StringVar(&c.Archive, "archive", filepath.Join("..", "shared", "bench", "laws-zh-2f4c5c2.tar.gz"), "corpus archive (.tar.gz) unpacked to a temporary directory when --corpus is not given")
	fs.StringVar(&c.Out, "out", "", "also write the Markdown report to this file")
	fs.StringVar(&c.Index, "index", "", "an existing scosearch index of the whole corpus (1 shard) to query instead of building one (its build is not timed)")
	fs.StringVar(&c.Work, "work", "", "working directory for indexes (default: a new temporary directory, removed at the end)")
	sections := fs.String("sections", strings.Join(bench.Sections(), ","), "comma-separated parts to run: "+strings.Join(bench.Sections(), ","))
	shards := fs.String("shards", "1,2,4", "shard counts to compare (the first is the reference)")
	fractions := fs.String("fractions", "8,4,2", "growth: index 1/N of the files for each N (the whole corpus comes from the index part)")
	fs.IntVar(&c.Queries1, "queries", 400, "queries sent by one client (bounded by --max-load too)")
	fs.IntVar(&c.QueriesConcurrent, "queries-concurrent", 2000, "queries sent by the concurrent clients together")
	fs.IntVar(&c.Clients, "clients", 16, "concurrent clients")
	fs.DurationVar(&c.MaxLoad, "max-load", 60*time.Second, "time bound of each load run")
	fs.BoolVar(&c.Isolate, "isolate", true, "run each build in a child process (exact peak RSS); false builds in this process")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of the full scosearch build to this file")
	fs.BoolVar(&c.Baseline, "baseline", true, "also index with bleve's cjk analyzer as the baseline")
	fs.BoolVar(&c.Keep, "keep", false, "keep the working directory")
	verbose := fs.Bool("v", false, "log progress to stderr")
	quality := fs.Bool("quality", false, "measure search quality instead: the judged queries of --judged against scosearch and a bigram BM25 baseline (bleve cjk)")
	judged := fs.String("judged", filepath.Join("testdata", "searches.json"), "quality: the judged queries")
	judgedCorpus := fs.String("judged-corpus", "laws", "quality: run the judged queries whose \"corpus\" is this")
	cjkIndex := fs.String("cjk-index", "", "quality: an existing baseline index to query instead of building one")
	reuse := fs.Bool("reuse", false, "quality: keep the unpacked corpus and both indexes in --work and reuse them on later runs")
	jsonOut := fs.Bool("json", false, "quality: write the report as JSON")
	child := fs.String("child", "", "internal: run one build (build or cjk) and print its figures as JSON")
	childIndex := fs.String("child-index", "", "internal: index directory of a child build")
	childShards := fs.Int("child-shards", 1, "internal: shards of a child build")
	childBatch := fs.Int("child-batch", 0, "internal: paragraphs per batch of a child scosearch build (0: the default)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "scosearch bench: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if *child != "" {
		if *child == "build" {
			batchGC() // as reindex does; the cjk baseline keeps Go's default
		}
		if err := bench.Child(ctx, *child, c.Corpus, *childIndex, *childShards, *childBatch, c.CPUProfile, stdout); err != nil {
			fmt.Fprintf(stderr, "scosearch bench: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	c.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if *quality {
		if *reuse && c.Work == "" {
			fmt.Fprintf(stderr, "scosearch bench: --reuse needs --work DIR\n")
			return exitUsage
		}
		qc := bench.QualityConfig{Corpus: c.Corpus, Archive: c.Archive, Work: c.Work, Judged: *judged, JudgedCorpus: *judgedCorpus,
			Index: c.Index, CJKIndex: *cjkIndex, Reuse: *reuse, Keep: c.Keep, Isolate: c.Isolate, JSON: *jsonOut, Logger: c.Logger, Version: c.Version}
		return writeReport(stdout, stderr, c.Out, func(w io.Writer) error { return bench.Quality(ctx, qc, w) })
	}
	var err error
	if c.Sections, err = bench.ParseSections(*sections); err != nil {
		fmt.Fprintf(stderr, "scosearch bench: %v\n", err)
		return exitUsage
	}
	if c.Shards, err = bench.ParseInts(*shards, 1, index.MaxShards); err != nil || len(c.Shards) == 0 {
		fmt.Fprintf(stderr, "scosearch bench: --shards %q: want counts from 1 to %d\n", *shards, index.MaxShards)
		return exitUsage
	}
	if c.Fractions, err = bench.ParseInts(*fractions, 1, 1024); err != nil {
		fmt.Fprintf(stderr, "scosearch bench: --fractions %q: want denominators such as 8,4,2\n", *fractions)
		return exitUsage
	}
	if c.Queries1 < 1 || c.QueriesConcurrent < 1 || c.Clients < 1 || c.Clients > 256 || c.MaxLoad <= 0 {
		fmt.Fprintf(stderr, "scosearch bench: --queries, --queries-concurrent, --clients (at most 256) and --max-load must be positive\n")
		return exitUsage
	}
	return writeReport(stdout, stderr, c.Out, func(w io.Writer) error { return bench.Run(ctx, c, w) })
}

// writeReport runs a benchmark writing its report to a buffer, then writes
// the report to stdout (also what there is of it after a failure) and to
// the file out when not "".
func writeReport(stdout, stderr io.Writer, out string, run func(io.Writer) error) int {
	var report bytes.Buffer
	if err := run(&report); err != nil {
		stdout.Write(report.Bytes())
		fmt.Fprintf(stderr, "scosearch bench: %v\n", err)
		return exitFailure
	}
	if _, err := stdout.Write(report.Bytes()); err != nil {
		return exitFailure
	}
	if out != "" {
		if err := os.WriteFile(out, report.Bytes(), 0o644); err != nil {
			fmt.Fprintf(stderr, "scosearch bench: %v\n", err)
			return exitFailure
		}
	}
	return exitOK
}
