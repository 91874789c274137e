package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scosearch/scosearch/index"
)

// oldFormat rewrites the current generation of indexDir as if an earlier
// version of scosearch had built it (format 1).
func oldFormat(t *testing.T, indexDir string) {
	t.Helper()
	gen, err := index.Current(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(gen, "scosearch.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["format"] = 1
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := index.CurrentMeta(indexDir); !strings.Contains(errString(err), "incompatible") {
		t.Fatalf("the index is not incompatible now: %v", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestServeRebuildsAnOldIndex: serve given an index of an earlier version
// rebuilds it from the corpus it serves and serves it; an old index of
// another corpus, served without --corpus, is left as it is and serve
// says how to rebuild it (the bundled corpus never replaces a user's).
func TestServeRebuildsAnOldIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	if code := run(context.Background(), []string{"reindex", "--quiet", "--index", dir}, io.Discard, io.Discard); code != exitOK {
		t.Fatalf("reindex: exit %d", code)
	}
	oldFormat(t, dir)
	base, stderr := startServe(t, "--index", dir)
	resp, err := http.Get(base + "api/search?q=%E9%98%BF%E5%AF%8C%E6%B1%97") // 阿富汗
	if err != nil {
		t.Fatal(err)
	}
	var res struct{ Total int }
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || res.Total != 2 {
		t.Errorf("after the rebuild: status %d, total %d, %v", resp.StatusCode, res.Total, err)
	}
	if !strings.Contains(stderr.String(), "rebuilding it") {
		t.Errorf("serve did not say it rebuilt the index:\n%s", stderr.String())
	}
	if _, err := index.CurrentMeta(dir); err != nil {
		t.Errorf("the index after serve: %v", err)
	}

	// An old index of another corpus, served without --corpus: kept.
	other := filepath.Join(t.TempDir(), "index")
	if code := run(context.Background(), []string{"reindex", "--quiet", "--corpus", "../../testdata/sco", "--index", other}, io.Discard, io.Discard); code != exitOK {
		t.Fatalf("reindex sco: exit %d", code)
	}
	oldFormat(t, other)
	before, err := index.Current(other)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var errOut strings.Builder
	if code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--index", other}, io.Discard, &errOut); code != exitFailure {
		t.Errorf("serve of an old index of another corpus: exit %d, want %d", code, exitFailure)
	}
	if !strings.Contains(errOut.String(), "reindex --full --index "+other) {
		t.Errorf("serve did not say how to rebuild it:\n%s", errOut.String())
	}
	if after, _ := index.Current(other); after != before {
		t.Errorf("the index of another corpus was replaced: %s -> %s", before, after)
	}
}
