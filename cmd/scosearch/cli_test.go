package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
)

func TestSplitArgs(t *testing.T) {
	newFS := func() *flag.FlagSet {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.Int("size", 10, "")
		fs.Bool("json", false, "")
		fs.String("index", "", "")
		return fs
	}
	tests := []struct {
		args              []string
		flags, positional []string
	}{
		{[]string{"阿富汗", "--json"}, []string{"--json"}, []string{"阿富汗"}},
		{[]string{"--size", "5", "a", "-json", "b", "--index=x"}, []string{"--size", "5", "-json", "--index=x"}, []string{"a", "b"}},
		{[]string{"a", "--size", "-1"}, []string{"--size", "-1"}, []string{"a"}},
		{[]string{"上合", "-阿富汗", "-", "-2019", `-"三股势力"`, "-year:2019"}, nil, []string{"上合", "-阿富汗", "-", "-2019", `-"三股势力"`, "-year:2019"}},
		{[]string{"a", "--jsno", "-h"}, []string{"--jsno", "-h"}, []string{"a"}},
		{[]string{"a", "--", "--json", "-abc"}, nil, []string{"a", "--json", "-abc"}},
		{[]string{"--json=false", "---x", "--=x"}, []string{"--json=false"}, []string{"---x", "--=x"}},
		{[]string{"a", "--size"}, []string{"--size"}, []string{"a"}},
	}
	for _, tc := range tests {
		flags, positional := splitArgs(newFS(), tc.args)
		if diff := cmp.Diff(tc.flags, flags); diff != "" {
			t.Errorf("%q: flags (-want +got):\n%s", tc.args, diff)
		}
		if diff := cmp.Diff(tc.positional, positional); diff != "" {
			t.Errorf("%q: arguments (-want +got):\n%s", tc.args, diff)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 999: "999 B", 1000: "1.00 KB", 23_300: "23.3 KB", 999_499: "999 KB", 999_500: "1.00 MB",
		58_300_000: "58.3 MB", 1_500_000_000: "1.50 GB",
	} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPrintReportRate(t *testing.T) {
	tests := []struct {
		bytes int64
		took  time.Duration
		want  string
	}{
		// A small input is timed mostly loading the dictionary: no rate.
		{23_300, 4 * time.Second, "Analysed 23.3 KB of text.\n"},
		{58_300_000, 90 * time.Second, "Analysed 58.3 MB of text at 648 KB/s.\n"},
		{0, time.Second, ""},
	}
	for _, tc := range tests {
		var b strings.Builder
		printReport(&b, &index.Report{Bytes: tc.bytes, Took: tc.took, Dir: "idx"})
		line := ""
		for l := range strings.SplitSeq(b.String(), "\n") {
			if strings.HasPrefix(l, "Analysed") {
				line = l + "\n"
			}
		}
		if line != tc.want {
			t.Errorf("%d bytes in %v: %q, want %q", tc.bytes, tc.took, line, tc.want)
		}
		if strings.Contains(b.String(), "0.00 MB") {
			t.Errorf("report says 0.00 MB:\n%s", b.String())
		}
	}
}

// stutters reports a message that says the same context twice in a row,
// as "read corpus: read corpus: stat x".
func stutters(msg string) bool {
	for line := range strings.SplitSeq(msg, "\n") {
		parts := strings.Split(line, ": ")
		for i := 1; i < len(parts); i++ {
			if strings.TrimSpace(parts[i]) != "" && parts[i] == parts[i-1] {
				return true
			}
		}
	}
	return false
}

func TestErrorsDoNotStutter(t *testing.T) {
	if !stutters("scosearch reindex: read corpus: read corpus: stat x: no such file") {
		t.Fatal("stutters misses a stutter")
	}
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	file := filepath.Join(dir, "file.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"reindex", "--corpus", missing, "--index", filepath.Join(dir, "idx")},
		{"reindex", "--corpus", file, "--index", filepath.Join(dir, "idx")},
		{"reindex", "--check", "--corpus", missing},
		{"search", "--index", missing, "x"},
		{"serve", "--base-url", "https://a.org/?x", "--index", missing},
	} {
		code, out, errOut := runCmd(args...)
		if code == exitOK || errOut == "" || stutters(out+errOut) {
			t.Errorf("%q: exit %d:\n%s%s", args, code, out, errOut)
		}
	}
	// The library's own messages, which the commands print.
	_, err := index.Build(context.Background(), missing, filepath.Join(dir, "idx"), index.BuildOptions{})
	if err == nil || stutters(err.Error()) || strings.Count(err.Error(), "read corpus") != 1 {
		t.Errorf("index.Build of a missing corpus: %v", err)
	}
}
