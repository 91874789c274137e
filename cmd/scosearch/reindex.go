package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/scosearch/scosearch"
	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/corpus"
)

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("reindex", "", stderr)
	corpusDir := fs.String("corpus", "", "corpus directory of .txt, .md, .docx, .html and .pdf documents (default: the bundled corpus)")
	indexDir := fs.String("index", defaultIndexDir(), "index directory")
	full := fs.Bool("full", false, "re-analyse every document, even unchanged ones")
	reread := fs.Bool("reread", false, "read every corpus file, even those whose size and modification and change times are unchanged since the last reindex")
	check := fs.Bool("check", false, "validate the corpus and print what would be indexed; write nothing")
	shards := fs.Int("shards", 1, fmt.Sprintf("split the index into N shards searched as one (1 to %d)", index.MaxShards))
	quiet := fs.Bool("quiet", false, "no progress output, only the summary and errors")
	env := bindEnv(fs, "corpus", "index") // the same index as serve's
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	batchGC()
	if _, err := env.apply(os.LookupEnv); err != nil {
		fmt.Fprintf(stderr, "scosearch reindex: %v\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "scosearch reindex: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if *shards < 1 || *shards > index.MaxShards {
		fmt.Fprintf(stderr, "scosearch reindex: --shards %d is not between 1 and %d\n", *shards, index.MaxShards)
		return exitUsage
	}
	src, err := corpusSource(*corpusDir)
	if err != nil {
		fmt.Fprintf(stderr, "scosearch reindex: %v\n", err)
		return exitFailure
	}

	if *check {
		return checkCorpus(src, stdout, stderr)
	}

	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts := index.BuildOptions{Full: *full, Reread: *reread, Shards: *shards, Logger: logger, CorpusFS: src.fsys}
	if !*quiet {
		opts.Progress = newProgressReporter(stderr)
	}
	rep, err := index.Build(ctx, src.dir, *indexDir, opts)
	if err != nil {
		fmt.Fprintf(stderr, "\nscosearch reindex: %v\n", err)
		fmt.Fprintf(stderr, "scosearch reindex: nothing was swapped; the previous index (if any) is unchanged.\n")
		return exitFailure
	}
	printReport(stdout, rep)
	return skippedStatus(rep.Problems)
}

// source is the corpus to read: a directory, or the bundled corpus, read
// in place from the binary (fsys set, dir naming it in messages).
type source struct {
	dir  string
	fsys fs.FS
}

// corpusSource returns the corpus named by --corpus: the directory dir, or
// the bundled corpus when dir is "".
func corpusSource(dir string) (source, error) {
	if dir == "" {
		return source{dir: "the bundled corpus", fsys: scosearch.BundledCorpus()}, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return source{}, fmt.Errorf("corpus: %w", err)
	}
	if !st.IsDir() {
		return source{}, fmt.Errorf("corpus: %q is not a directory", dir)
	}
	return source{dir: dir}, nil
}

// checkCorpus lists what reindex would index and skip, writing nothing,
// and exits as reindex would for the same corpus: 1 when there is no
// document to index, 3 when files would be skipped, 0 otherwise.
func checkCorpus(src source, stdout, stderr io.Writer) int {
	docs, problems, err := index.ReadCorpus(src.dir, index.BuildOptions{CorpusFS: src.fsys})
	paragraphs := 0
	for _, d := range docs {
		paragraphs += len(d.Paragraphs)
		fmt.Fprintf(stdout, "ok    %s\t%s\t%s\t%s\t%d paragraphs\t%s\n", d.Source, d.ID, d.Lang, orDash(d.Date), len(d.Paragraphs), d.Title)
	}
	for _, p := range problems {
		fmt.Fprintf(stdout, "skip  %s\t%v\n", p.Path, p.Err)
	}
	if err != nil {
		fmt.Fprintf(stderr, "scosearch reindex --check: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "\n%d documents, %d paragraphs would be indexed; %d files skipped. Nothing was written.\n", len(docs), paragraphs, len(problems))
	return skippedStatus(problems)
}

// skippedStatus is the exit status of a reindex that indexed the good
// documents: exitSkipped when files were skipped, so that a script or a
// cron job notices them.
func skippedStatus(problems []corpus.Problem) int {
	if len(problems) > 0 {
		return exitSkipped
	}
	return exitOK
}

func printReport(w io.Writer, r *index.Report) {
	if r.Unchanged {
		read := ""
		if r.Read < r.Files {
			read = fmt.Sprintf("; %d of %d files read, the others unchanged since the last reindex", r.Read, r.Files)
		}
		fmt.Fprintf(w, "Nothing changed: the index holds these %d documents, %d paragraphs already (checked in %s%s).\n",
			r.Documents, r.Paragraphs, r.Took.Round(time.Millisecond), read)
		printProblems(w, r)
		fmt.Fprintf(w, "Index: %s\n", r.Dir)
		return
	}
	mode := "incremental"
	if r.Full {
		mode = "full"
	}
	if r.FullReason != "" {
		fmt.Fprintf(w, "Full build: %s.\n", r.FullReason)
	}
	fmt.Fprintf(w, "Indexed %d documents, %d paragraphs (%s build: %d analysed, %d unchanged, %d removed) in %s.\n",
		r.Documents, r.Paragraphs, mode, r.Analysed, r.Reused, r.Removed, r.Took.Round(time.Millisecond))
	if r.Bytes > 0 {
		// The rate only means something for a large input: a small one is
		// timed mostly loading the dictionary.
		rate := ""
		if s := r.Took.Seconds(); s > 0 && r.Bytes >= minRateBytes {
			rate = " at " + formatBytes(int64(float64(r.Bytes)/s)) + "/s"
		}
		fmt.Fprintf(w, "Analysed %s of text%s.\n", formatBytes(r.Bytes), rate)
	}
	printProblems(w, r)
	fmt.Fprintf(w, "Index: %s\n", r.Dir)
}

func printProblems(w io.Writer, r *index.Report) {
	if len(r.Problems) > 0 {
		fmt.Fprintf(w, "Skipped %d files:\n", len(r.Problems))
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s: %v\n", p.Path, p.Err)
		}
	}
}

// newProgressReporter shows a progress bar per stage (reading the corpus,
// indexing) on a terminal, and plain log lines (at most one every few
// seconds per stage) otherwise.
func newProgressReporter(w io.Writer) func(index.Progress) {
	f, isFile := w.(*os.File)
	if isFile && term.IsTerminal(int(f.Fd())) {
		var bar *progressbar.ProgressBar
		stage := ""
		return func(p index.Progress) {
			if p.Stage != stage {
				if bar != nil {
					_ = bar.Finish()
					fmt.Fprintln(w)
				}
				bar, stage = nil, p.Stage
			}
			if p.Stage != "read" && p.Stage != "index" {
				return
			}
			if bar == nil {
				bar = progressbar.NewOptions64(p.TotalBytes,
					progressbar.OptionSetWriter(w),
					progressbar.OptionShowBytes(true),
					progressbar.OptionSetWidth(30),
					progressbar.OptionThrottle(100*time.Millisecond),
					progressbar.OptionShowElapsedTimeOnFinish(),
					progressbar.OptionSetPredictTime(true),
				)
			}
			if p.Stage == "read" {
				bar.Describe(fmt.Sprintf("reading files %d/%d", p.Documents, p.TotalDocuments))
			} else {
				bar.Describe(fmt.Sprintf("indexing documents %d/%d, paragraphs %d", p.Documents, p.TotalDocuments, p.Paragraphs))
			}
			_ = bar.Set64(p.Bytes)
		}
	}
	var last time.Time
	stage := ""
	start := time.Now()
	return func(p index.Progress) {
		done := p.TotalDocuments > 0 && p.Documents >= p.TotalDocuments
		if p.Stage == stage && time.Since(last) < 3*time.Second && !done {
			return
		}
		if p.Stage != stage {
			start = time.Now()
		}
		stage, last = p.Stage, time.Now()
		rate := int64(float64(p.Bytes) / max(time.Since(start).Seconds(), 1e-3))
		switch p.Stage {
		case "read":
			fmt.Fprintf(w, "reindex: reading files %d/%d, %s of %s\n", p.Documents, p.TotalDocuments, formatBytes(p.Bytes), formatBytes(p.TotalBytes))
		case "index":
			fmt.Fprintf(w, "reindex: indexing documents %d/%d, paragraphs %d, %s of %s, %s/s\n",
				p.Documents, p.TotalDocuments, p.Paragraphs, formatBytes(p.Bytes), formatBytes(p.TotalBytes), formatBytes(rate))
		default:
			fmt.Fprintf(w, "reindex: %s, %d paragraphs\n", p.Stage, p.Paragraphs)
		}
	}
}

// minRateBytes is the least text for which printReport gives a rate.
const minRateBytes = 1 << 20

// formatBytes writes n in B, KB, MB or GB (powers of 1000), with three
// significant digits at most: "512 B", "24.1 KB", "58.3 MB".
func formatBytes(n int64) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	v, u := float64(n), 0
	for v >= 999.5 && u < len(units)-1 {
		v /= 1000
		u++
	}
	switch {
	case u == 0:
		return fmt.Sprintf("%d B", n)
	case v < 9.995:
		return fmt.Sprintf("%.2f %s", v, units[u])
	case v < 99.95:
		return fmt.Sprintf("%.1f %s", v, units[u])
	default:
		return fmt.Sprintf("%.0f %s", v, units[u])
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
