package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/scosearch/scosearch/search"
)

// runTrends is `scosearch trends [--index DIR] [--json] QUERY...`: the
// timeline of a formulation, the paragraphs matching the whole query by
// year, with the first and last appearance; with --json, the object of
// /api/trends. Exit status 0 (also with no match), 2 for a bad query or
// usage, 1 for other errors.
func runTrends(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("trends", "QUERY\n\nThe paragraphs matching the whole query (the query language of search), year by year.", stderr)
	indexDir := fs.String("index", defaultIndexDir(), "index directory")
	asJSON := fs.Bool("json", false, "print one JSON object: {query, total, occurrences, years, documents, first, last}")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	q := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(q) == "" {
		fmt.Fprintln(stderr, "scosearch trends: no query")
		fs.Usage()
		return exitUsage
	}
	engine, err := search.Open(*indexDir)
	if err != nil {
		fmt.Fprintf(stderr, "scosearch trends: %v\n", err)
		if errors.Is(err, search.ErrIndexNotFound) {
			fmt.Fprintf(stderr, "scosearch trends: build the index first: scosearch reindex --index %s\n", *indexDir)
		}
		return exitFailure
	}
	defer engine.Close()
	t, err := engine.Trends(ctx, q)
	if errors.Is(err, search.ErrBadQuery) {
		fmt.Fprintf(stderr, "scosearch trends: %v\n", err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "scosearch trends: %v\n", err)
		return exitFailure
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		err = enc.Encode(struct {
			*search.Trends
			TookMS float64 `json:"took_ms"`
		}{t, float64(t.Took.Microseconds()) / 1000})
	} else {
		err = printTrends(stdout, t)
	}
	if err != nil {
		fmt.Fprintf(stderr, "scosearch trends: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// printTrends prints a Trends for people: a summary, a line per year with
// a bar, the first and last appearance.
func printTrends(w io.Writer, t *search.Trends) error {
	ew := &errWriter{w: w}
	occ := func(n *int) string {
		if n == nil {
			return "-"
		}
		return fmt.Sprint(*n)
	}
	ew.printf("%s: %d paragraphs in %d documents, %s occurrences.\n", t.Query, t.Total, len(t.Documents), occ(t.Occurrences))
	most := 0
	for _, y := range t.Years {
		most = max(most, y.Paragraphs)
	}
	ew.printf("%-6s %10s %11s %9s %7s\n", "year", "paragraphs", "occurrences", "documents", "of")
	for _, y := range t.Years {
		bar := ""
		if most > 0 {
			bar = strings.Repeat("#", (y.Paragraphs*30+most-1)/most)
		}
		ew.printf("%-6s %10d %11s %9d %7d  %s\n", y.Year, y.Paragraphs, occ(y.Occurrences), y.Documents, y.Corpus, bar)
	}
	if t.Undated > 0 {
		ew.printf("undated: %d paragraphs\n", t.Undated)
	}
	for _, a := range []struct {
		label string
		a     *search.Appearance
	}{{"first", t.First}, {"last", t.Last}} {
		if a.a != nil {
			ew.printf("%s: %s %s, paragraph %d (%s-p%d)\n", a.label, a.a.Date, a.a.Title, a.a.Paragraph, a.a.Doc, a.a.Paragraph)
		}
	}
	return ew.err
}
