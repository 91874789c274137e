//go:build linux

package index_test

import (
	"context"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scosearch/scosearch/index"
)

// TestFullBuildWriteFails: when a full build cannot write (here a file
// size limit, as a full disk would) while it indexes or while it merges,
// Build fails with an error naming the stage, within bounded time, the
// current generation stays current and whole, nothing of the new one is
// left, and the next build succeeds. bleve's ForceMerge alone never
// returns on such an error: its merger retries the failing merge for
// ever.
func TestFullBuildWriteFails(t *testing.T) {
	for _, tc := range []struct {
		stage string // the limit is set as the build enters it
		limit uint64 // bytes
		want  string // in the error
	}{
		// the first segment written past the limit (the bolt root file
		// grows past 256 KB first)
		{"index", 32 << 10, "write batch"},
		// the segments are written: only the merge hits the limit
		{"merge", 16 << 10, "merge shard"},
	} {
		t.Run(tc.stage, func(t *testing.T) {
			corpusDir := copyCorpus(t, nil)
			indexDir := t.TempDir()
			first := build(t, corpusDir, indexDir, index.BuildOptions{Shards: 2})
			want := checkWhole(t, indexDir)

			var old syscall.Rlimit
			if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
				t.Fatal(err)
			}
			// a write past the limit fails with EFBIG instead of killing the process
			signal.Ignore(syscall.SIGXFSZ)
			defer signal.Reset(syscall.SIGXFSZ)
			restore := func() {
				if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
					t.Fatalf("restore the file size limit: %v", err)
				}
			}
			defer restore()
			done := make(chan error, 1)
			go func() {
				limited := false
				_, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{Full: true, Shards: 2, BatchSize: 5,
					Progress: func(p index.Progress) {
						if p.Stage == tc.stage && !limited {
							limited = true
							lim := syscall.Rlimit{Cur: tc.limit, Max: old.Max}
							if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
								t.Errorf("set a file size limit: %v", err)
							}
						}
					}})
				done <- err
			}()
			select {
			case err := <-done:
				restore()
				t.Logf("Build: %v", err)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("Build with the %s stage failing: error %v, want one with %q", tc.stage, err, tc.want)
				}
			case <-time.After(60 * time.Second):
				restore()
				t.Fatalf("Build still running 60 s after its %s stage failed", tc.stage)
			}

			if got := open(t, indexDir).Dir(); got != first.Dir {
				t.Errorf("current generation %s, want the earlier %s", got, first.Dir)
			}
			if got := checkWhole(t, indexDir); len(got) != len(want) {
				t.Errorf("after the failed build the index holds %d paragraphs, before %d", len(got), len(want))
			}
			gens, err := filepath.Glob(filepath.Join(indexDir, "gen-*"))
			if err != nil || len(gens) != 1 {
				t.Errorf("generations left: %v (%v), want only %s", gens, err, first.Dir)
			}
			rep := build(t, corpusDir, indexDir, index.BuildOptions{Full: true, Shards: 2})
			if rep.Paragraphs != len(want) {
				t.Errorf("the next full build holds %d paragraphs, want %d", rep.Paragraphs, len(want))
			}
		})
	}
}
