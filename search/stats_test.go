package search_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
)

// TestStats: the counters move with what the Engine does: a repeated
// search is a cache hit, a reindex swapped in is a swap and changes the
// generation and its counts, a CURRENT naming nothing is a failed reload.
func TestStats(t *testing.T) {
	ctx := context.Background()
	corpusDir, indexDir := t.TempDir(), t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(corpusDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.zh.txt", "上海合作组织成员国元首理事会会议在比什凯克举行。\n\n成员国加强安全合作。\n")
	if _, err := index.Build(ctx, corpusDir, indexDir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	engine, err := search.Open(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()

	st := engine.Stats()
	if st.Generation != engine.Generation() || st.Documents != 1 || st.Paragraphs != 2 || st.Built.IsZero() {
		t.Errorf("Stats of a fresh engine = %+v; want its generation, 1 document, 2 paragraphs, a build time", st)
	}
	if st.CacheHits != 0 || st.CacheMisses != 0 || st.Swaps != 0 || st.FailedReloads != 0 {
		t.Errorf("counters of a fresh engine = %+v, want zero", st)
	}

	for range 3 {
		if _, err := engine.Search(ctx, search.Request{Query: "成员国"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := engine.Search(ctx, search.Request{Query: "成员国", From: 1}); err != nil {
		t.Fatal(err)
	}
	if st = engine.Stats(); st.CacheMisses != 2 || st.CacheHits != 2 {
		t.Errorf("after 3 searches of one request and 1 of another: misses %d, hits %d; want 2 and 2", st.CacheMisses, st.CacheHits)
	}
	// A bad query never reaches the cache.
	if _, err := engine.Search(ctx, search.Request{Query: `"成员国`}); !errors.Is(err, search.ErrBadQuery) {
		t.Fatalf("unbalanced quote: %v", err)
	}
	if st2 := engine.Stats(); st2.CacheMisses != st.CacheMisses || st2.CacheHits != st.CacheHits {
		t.Errorf("a bad query moved the cache counters: %+v", st2)
	}

	if swapped, err := engine.Reload(); swapped || err != nil {
		t.Fatalf("Reload with nothing new: %v, %v", swapped, err)
	}
	if st = engine.Stats(); st.Swaps != 0 || st.FailedReloads != 0 {
		t.Errorf("a Reload that found nothing new was counted: %+v", st)
	}

	first := engine.Generation()
	write("b.zh.txt", "外长理事会会议在莫斯科举行，通过联合公报。\n")
	if _, err := index.Build(ctx, corpusDir, indexDir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	if swapped, err := engine.Reload(); !swapped || err != nil {
		t.Fatalf("Reload of a new generation: %v, %v", swapped, err)
	}
	st = engine.Stats()
	if st.Swaps != 1 || st.SwapTime <= 0 || st.FailedReloads != 0 {
		t.Errorf("after a swap: %+v; want 1 swap with its time", st)
	}
	if st.Generation == first || st.Documents != 2 || st.Paragraphs != 3 {
		t.Errorf("after a swap: generation %s (was %s), %d documents, %d paragraphs; want the new one, 2 and 3",
			filepath.Base(st.Generation), filepath.Base(first), st.Documents, st.Paragraphs)
	}

	if err := os.WriteFile(filepath.Join(indexDir, "CURRENT"), []byte("nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := engine.Reload(); err == nil {
			t.Fatal("Reload with a CURRENT naming nothing succeeded")
		}
	}
	if st = engine.Stats(); st.FailedReloads != 2 || st.Swaps != 1 || st.Paragraphs != 3 {
		t.Errorf("after 2 failed reloads: %+v; want 2 failures, still 1 swap and the same generation", st)
	}

	if err := engine.Close(); err != nil {
		t.Fatal(err)
	}
	if st = engine.Stats(); st.Generation != "" || st.Swaps != 1 {
		t.Errorf("Stats of a closed engine = %+v; want no generation, the counters kept", st)
	}
}
