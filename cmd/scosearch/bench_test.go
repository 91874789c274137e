package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBenchSmoke runs the bench command on the bundled corpus with a few
// queries, in process, and checks the report has its sections. It asserts
// no timing.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds several indexes")
	}
	t.Setenv(asMainEnv, "1") // the queries part runs this binary as "serve"
	var out, errOut bytes.Buffer
	reportFile := filepath.Join(t.TempDir(), "report.md")
	code := run(context.Background(), []string{"bench",
		"--corpus", filepath.Join("..", "..", "testdata", "corpus"),
		"--work", t.TempDir(),
		"--out", reportFile,
		"--sections", "index,queries,growth,shards",
		"--isolate=false", "--shards", "1,2", "--fractions", "2",
		"--queries", "20", "--queries-concurrent", "40", "--clients", "4", "--max-load", "20s",
	}, &out, &errOut)
	if code != exitOK {
		t.Fatalf("bench exited %d: %s\n%s", code, errOut.String(), out.String())
	}
	report := out.String()
	for _, want := range []string{
		"# scosearch bench", "## Machine", "| Go | go1.",
		"## Indexing", "| scosearch (words + bigrams) |", "| baseline: bleve cjk |", "| scosearch, bundled corpus |", "| index < 4× text |",
		"## Queries", "| 1 client |", "| 4 clients |", "| baseline: scan, per query of the mix |", "| 1 client p50 ≤ 5 ms |",
		"`scosearch serve --no-cache` as a child process", "| CPU of serve per query, ms (/proc, 10 ms ticks) |", "| garbage collections of serve |", "Memory of serve after the load runs: RSS ",
		"### Where the time of a common query goes",
		"## Growth", "| 1/2 |", "| all |",
		"## Shards", "| 2 |",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The load generator must report no failed request on a healthy server.
	for _, line := range strings.Split(report, "\n") {
		if strings.HasPrefix(line, "| 1 client |") || strings.HasPrefix(line, "| 4 clients |") {
			if cells := strings.Split(line, "|"); len(cells) < 4 || strings.TrimSpace(cells[3]) != "0" {
				t.Errorf("errors in load line %q", line)
			}
		}
	}
	if strings.Contains(report, "Differences:") {
		t.Errorf("sharded results differ from one shard:\n%s", report)
	}
	saved, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(report, string(saved)); diff != "" {
		t.Errorf("--out file differs from stdout (-stdout +file):\n%s", diff)
	}
}

func TestBenchFlags(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"bench", "--sections", "nope"}, exitUsage},
		{[]string{"bench", "--shards", "0"}, exitUsage},
		{[]string{"bench", "--fractions", "x"}, exitUsage},
		{[]string{"bench", "--clients", "0"}, exitUsage},
		{[]string{"bench", "extra"}, exitUsage},
		{[]string{"bench", "-h"}, exitOK},
		{[]string{"bench", "--quality", "--reuse"}, exitUsage},
		{[]string{"bench", "--quality", "--judged", "no-such-file.json"}, exitFailure},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			if got := run(context.Background(), tc.args, &out, &errOut); got != tc.want {
				t.Errorf("exit %d, want %d; stderr: %s", got, tc.want, errOut.String())
			}
		})
	}
}
