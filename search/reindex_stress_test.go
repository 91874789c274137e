package search_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
)

// stressReindexes is how many incremental reindexes
// TestReindexWhileServing runs: 200 by default, more with
// SCOSEARCH_STRESS_REINDEXES=N.
func stressReindexes(t *testing.T) int {
	if s := os.Getenv("SCOSEARCH_STRESS_REINDEXES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("SCOSEARCH_STRESS_REINDEXES=%q: want a positive number", s)
		}
		return n
	}
	return 200
}

// countingHandler counts the log records at Warn and above.
type countingHandler struct {
	n    *atomic.Int64
	mu   *sync.Mutex
	msgs *[]string
}

func (h countingHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (h countingHandler) Handle(_ context.Context, r slog.Record) error {
	h.n.Add(1)
	var sb strings.Builder
	sb.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&sb, " %s=%v", a.Key, a.Value); return true })
	h.mu.Lock()
	*h.msgs = append(*h.msgs, sb.String())
	h.mu.Unlock()
	return nil
}
func (h countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h countingHandler) WithGroup(string) slog.Handler      { return h }

// TestReindexWhileServing runs hundreds of incremental reindexes of a
// small corpus, each changing one document, while an Engine searches and
// reloads without pause. Every reindex must be incremental (the previous
// generation copied, never a fallback to a full build), every search and
// reload must succeed, and the last change must be searchable at the end.
func TestReindexWhileServing(t *testing.T) {
	n := stressReindexes(t)
	const docs = 6
	corpusDir, indexDir := t.TempDir(), t.TempDir()
	write := func(d, version int) {
		t.Helper()
		text := fmt.Sprintf("上海合作组织第%d号文件，版本v%d。\n\n成员国加强合作，维护地区和平。\n\n第三段，文件%d的结尾。\n", d, version, d)
		if err := os.WriteFile(filepath.Join(corpusDir, fmt.Sprintf("doc%d.zh.txt", d)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for d := 0; d < docs; d++ {
		write(d, 0)
	}
	var warnings atomic.Int64
	var mu sync.Mutex
	var msgs []string
	log := slog.New(countingHandler{n: &warnings, mu: &mu, msgs: &msgs})
	if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{Logger: log}); err != nil {
		t.Fatalf("first Build: %v", err)
	}
	engine, err := search.Open(indexDir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer engine.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var searches, searchErrs, reloads, swaps, reloadErrs atomic.Int64
	var firstErr atomic.Value
	note := func(err error) { firstErr.CompareAndSwap(nil, err.Error()) }
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				res, err := engine.Search(ctx, search.Request{Query: "成员国 合作", Size: 3})
				searches.Add(1)
				if err == nil && res.Complete != docs {
					err = fmt.Errorf("search found %d paragraphs holding every word, want %d", res.Complete, docs)
				}
				if err != nil && ctx.Err() == nil {
					searchErrs.Add(1)
					note(err)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			swapped, err := engine.Reload()
			reloads.Add(1)
			if swapped {
				swaps.Add(1)
			}
			if err != nil {
				reloadErrs.Add(1)
				note(err)
			}
			time.Sleep(time.Millisecond)
		}
	}()

	start := time.Now()
	var buildErrs, notIncremental int
	for i := 1; i <= n; i++ {
		write(i%docs, i)
		rep, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{Logger: log})
		switch {
		case err != nil:
			buildErrs++
			t.Errorf("reindex %d: %v", i, err)
		case rep.Full || rep.Reused != docs-1 || rep.Analysed != 1:
			notIncremental++
			t.Errorf("reindex %d: full %v, %d reused, %d analysed; want an incremental build reusing %d", i, rep.Full, rep.Reused, rep.Analysed, docs-1)
		}
	}
	took := time.Since(start)
	cancel()
	wg.Wait()

	if _, err := engine.Reload(); err != nil {
		t.Errorf("final Reload: %v", err)
	}
	res, err := engine.Search(context.Background(), search.Request{Query: fmt.Sprintf(`"版本v%d"`, n)})
	if err != nil || res.Total != 1 {
		t.Errorf("search for the last change: %v, %v; want 1 hit", res, err)
	}
	t.Logf("%d incremental reindexes in %s; %d searches, %d reloads (%d swaps) meanwhile", n, took.Round(time.Millisecond), searches.Load(), reloads.Load(), swaps.Load())
	mu.Lock()
	for _, m := range msgs {
		t.Errorf("logged: %s", m)
	}
	mu.Unlock()
	if buildErrs+notIncremental > 0 || searchErrs.Load()+reloadErrs.Load() > 0 || warnings.Load() > 0 {
		t.Errorf("%d reindex errors, %d not incremental, %d search errors, %d reload errors, %d warnings; first: %v",
			buildErrs, notIncremental, searchErrs.Load(), reloadErrs.Load(), warnings.Load(), firstErr.Load())
	}
}
