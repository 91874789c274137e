package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/search/export"
	"github.com/scosearch/scosearch/web"
)

// runSearch is `scosearch search [flags] QUERY...`: it prints the ranked
// hits of QUERY (the words of the command line joined by spaces), readably
// or, with --json, as one search.JSONResult object; with --format, every
// hit (all pages, up to --max) as CSV, JSON Lines, RIS or BibTeX. Exit status 0 with
// results or none, 2 for a bad query or usage, 1 for other errors.
func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("search", "QUERY\n\nFlags may come before or after the words of the query; \"--\" ends them\n(scosearch search -- -abc 上合 searches for 上合 without abc).", stderr)
	indexDir := fs.String("index", defaultIndexDir(), "index directory")
	size := fs.Int("size", search.DefaultSize, fmt.Sprintf("hits per page (1 to %d)", search.MaxSize))
	from := fs.Int("from", 0, "offset of the first hit, for paging")
	sortBy := fs.String("sort", search.SortRelevance, `order: "relevance" or "date" (newest first)`)
	asJSON := fs.Bool("json", false, "print one JSON object: {total, took_ms, hits, facets}")
	noCollapse := fs.Bool("no-collapse", false, "list near-identical paragraphs as separate hits")
	format := fs.String("format", "", "export every hit (all pages, up to --max) as csv, jsonl, ris or bibtex")
	maxHits := fs.Int("max", export.DefaultMaxHits, fmt.Sprintf("with --format: the most hits exported (1 to %d)", export.MaxHits))
	baseURL := fs.String("base-url", "http://127.0.0.1:8080", "with --format: the address of scosearch serve that exported links point to")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	var f export.Format
	if *format != "" {
		var err error
		if f, err = export.ParseFormat(*format); err != nil {
			fmt.Fprintf(stderr, "scosearch search: --%v\n", err)
			return exitUsage
		}
		if *asJSON {
			fmt.Fprintln(stderr, "scosearch search: give --json or --format, not both")
			return exitUsage
		}
		if *maxHits < 1 || *maxHits > export.MaxHits {
			fmt.Fprintf(stderr, "scosearch search: --max %d: want 1 to %d\n", *maxHits, export.MaxHits)
			return exitUsage
		}
		if *baseURL, err = web.ParseBaseURL(*baseURL); err != nil {
			fmt.Fprintf(stderr, "scosearch search: --%v\n", err)
			return exitUsage
		}
	}
	q := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(q) == "" {
		fmt.Fprintln(stderr, "scosearch search: no query")
		fs.Usage()
		return exitUsage
	}

	engine, err := search.Open(*indexDir)
	if err != nil {
		fmt.Fprintf(stderr, "scosearch search: %v\n", err)
		if errors.Is(err, search.ErrIndexNotFound) {
			fmt.Fprintf(stderr, "scosearch search: build the index first: scosearch reindex --index %s\n", *indexDir)
		}
		return exitFailure
	}
	defer engine.Close()

	if f != "" {
		return exportSearch(ctx, engine, search.Request{Query: q, Sort: *sortBy, NoCollapse: *noCollapse}, f, *maxHits, *baseURL, stdout, stderr)
	}

	res, err := engine.Search(ctx, search.Request{
		Query: q, Size: *size, From: *from, Sort: *sortBy, NoCollapse: *noCollapse,
	})
	if errors.Is(err, search.ErrBadQuery) {
		fmt.Fprintf(stderr, "scosearch search: %v\n", err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "scosearch search: %v\n", err)
		return exitFailure
	}

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(search.NewJSONResult(res)); err != nil {
			fmt.Fprintf(stderr, "scosearch search: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	if err := printHits(stdout, res, *from, isTerminal(stdout)); err != nil {
		fmt.Fprintf(stderr, "scosearch search: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// exportSearch writes every hit of req, at most maxHits, in format f, with
// links to baseURL; a note on stderr says when there were more.
func exportSearch(ctx context.Context, engine *search.Engine, req search.Request, f export.Format, maxHits int, baseURL string, stdout, stderr io.Writer) int {
	c, err := export.Collect(ctx, engine, req, maxHits)
	if errors.Is(err, search.ErrBadQuery) {
		fmt.Fprintf(stderr, "scosearch search: %v\n", err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "scosearch search: %v\n", err)
		return exitFailure
	}
	link := func(h search.Hit) string { return baseURL + web.ParagraphPath(h.Doc, h.Paragraph) }
	if err := export.Write(stdout, f, c.Hits, export.Options{Link: link}); err != nil {
		fmt.Fprintf(stderr, "scosearch search: %v\n", err)
		return exitFailure
	}
	if c.Truncated {
		fmt.Fprintf(stderr, "scosearch search: exported the first %d of %d hits (--max %d)\n", len(c.Hits), c.Total-min(c.Collapsed, c.Total), maxHits)
	}
	return exitOK
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// ANSI escapes for highlighted matches on a terminal.
const (
	ansiMatch = "\x1b[1;31m" // bold red
	ansiDim   = "\x1b[2m"
	ansiReset = "\x1b[0m"
)

// printHits prints a Result for people: a summary line, then per hit its
// rank, title, date, section, paragraph number, score and snippets.
func printHits(w io.Writer, res *search.Result, from int, colour bool) error {
	ew := &errWriter{w: w}
	switch {
	case res.Total == 0:
		ew.printf("No results for %s (%.1f ms).\n", res.Query, tookMS(res))
		return ew.err
	case len(res.Hits) == 0:
		ew.printf("%d results for %s, none from %d on (%.1f ms).\n", res.Total, res.Query, from+1, tookMS(res))
		return ew.err
	}
	ew.printf("%d results for %s (%.1f ms), %d to %d:\n", res.Total, res.Query, tookMS(res), from+1, from+len(res.Hits))
	if res.Complete < res.Total {
		ew.printf("%d hold every word of the query; the others hold some, and say which they lack.\n", res.Complete)
	}
	for i, h := range res.Hits {
		meta := []string{h.Title}
		if h.Date != "" {
			meta = append(meta, h.Date)
		}
		if h.Section != "" {
			meta = append(meta, "section "+h.Section)
		}
		meta = append(meta, fmt.Sprintf("¶%d", h.Paragraph))
		ew.printf("\n%d. %s  (score %.3f, %s)\n", from+i+1, strings.Join(meta, " · "), h.Score, h.ID)
		if h.Match == search.MatchPartial && len(h.Missing) > 0 {
			ew.printf("   lacks: %s\n", strings.Join(h.Missing, ", "))
		}
		for _, s := range h.Snippets {
			ew.printf("   %s\n", plainSnippet(s, colour))
		}
		if len(h.Similar) > 0 {
			line := fmt.Sprintf("   + %d near-identical: %s", len(h.Similar), strings.Join(h.Similar, ", "))
			if colour {
				line = ansiDim + line + ansiReset
			}
			ew.printf("%s\n", line)
		}
	}
	return ew.err
}

func tookMS(res *search.Result) float64 { return float64(res.Took.Microseconds()) / 1000 }

// plainSnippet turns an HTML snippet into terminal text: matches in bold
// colour on a terminal, in [brackets] otherwise.
func plainSnippet(s string, colour bool) string {
	open, close := "[", "]"
	if colour {
		open, close = ansiMatch, ansiReset
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "<mark>")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "</mark>")
		if j < 0 {
			break
		}
		b.WriteString(html.UnescapeString(s[:i]))
		b.WriteString(open)
		b.WriteString(html.UnescapeString(s[i+len("<mark>") : i+j]))
		b.WriteString(close)
		s = s[i+j+len("</mark>"):]
	}
	b.WriteString(html.UnescapeString(s))
	return b.String()
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
