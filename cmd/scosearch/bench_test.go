package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestBenchSmoke runs the bench command on the bundled corpus with a few
// queries, in process, and checks the report has its sections. It asserts
// no timing.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds several indexes")
	}
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

// tarGz writes a .tar.gz of the given entries (a name ending in / is a
// directory; a value starting with "->" a symbolic link).
func tarGz(t *testing.T, entries [][2]string) string {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e[0], Mode: 0o644, ModTime: time.Unix(0, 0)}
		switch {
		case strings.HasSuffix(e[0], "/"):
			h.Typeflag, h.Mode = tar.TypeDir, 0o755
		case strings.HasPrefix(e[1], "->"):
			h.Typeflag, h.Linkname = tar.TypeSymlink, e[1][2:]
		default:
			h.Typeflag, h.Size = tar.TypeReg, int64(len(e[1]))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := tw.Write([]byte(e[1])); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "a.tar.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUntarGz(t *testing.T) {
	tests := []struct {
		name    string
		entries [][2]string
		want    []string // files extracted, relative, sorted
		wantErr string
	}{
		{"files and dirs", [][2]string{{"./", ""}, {"./a/", ""}, {"./a/x.md", "一"}, {"b.txt", "二"}}, []string{"a/x.md", "b.txt"}, ""},
		{"parent path", [][2]string{{"../evil.md", "x"}}, nil, "unsafe path"},
		{"absolute path", [][2]string{{"/tmp/evil.md", "x"}}, nil, "unsafe path"},
		{"nested escape", [][2]string{{"a/../../evil.md", "x"}}, nil, "unsafe path"},
		{"symlink skipped", [][2]string{{"l.md", "->/etc/passwd"}, {"ok.md", "y"}}, []string{"ok.md"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			err := untarGz(tarGz(t, tc.entries), dir)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := corpusFiles(dir)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	ds := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		p    int
		want time.Duration
	}{{50, 5}, {99, 10}, {100, 10}, {1, 1}, {0, 1}}
	for _, tc := range tests {
		if got := pct(ds, tc.p); got != tc.want {
			t.Errorf("pct(%d) = %d, want %d", tc.p, got, tc.want)
		}
	}
	if got := pct(nil, 50); got != 0 {
		t.Errorf("pct(nil) = %d, want 0", got)
	}
}
