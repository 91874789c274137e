package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startServe runs serve with args until the test ends and returns its
// base URL and log.
func startServe(t *testing.T, args ...string) (base string, stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), io.Discard, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("serve exited with %d after interrupt:\n%s", code, stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30 s of the interrupt")
		}
	})
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		select {
		case code := <-done:
			done <- code
			t.Fatalf("serve exited with %d:\n%s", code, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if m := servingRE.FindStringSubmatch(stderr.String()); m != nil {
			return m[1], stderr
		}
	}
	t.Fatalf("serve did not start within 60 s:\n%s", stderr.String())
	return "", nil
}

// watchClient asks a served index.
type watchClient struct {
	t      *testing.T
	base   string
	stderr *syncBuffer
	http   *http.Client
}

func (c watchClient) total(q string) int {
	c.t.Helper()
	resp, err := c.http.Get(c.base + "api/search?q=" + q)
	if err != nil {
		c.t.Fatalf("search %s: %v", q, err)
	}
	defer resp.Body.Close()
	var r struct{ Total int }
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != http.StatusOK {
		c.t.Fatalf("search %s: status %d, %v", q, resp.StatusCode, err)
	}
	return r.Total
}

// health returns the HTTP status and body of /healthz or /readyz.
func (c watchClient) health(path string) (int, struct{ Status, Reason string }) {
	c.t.Helper()
	var h struct{ Status, Reason string }
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		c.t.Fatalf("%s: %v", path, err)
	}
	return resp.StatusCode, h
}

// eventually polls cond for up to 20 s (the watcher waits 1 s of quiet,
// then builds); what says what was awaited.
func (c watchClient) eventually(what string, cond func() bool) {
	c.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	c.t.Fatalf("not within 20 s: %s\n%s", what, c.stderr.String())
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWatchServe: serve --watch makes a file dropped into the corpus
// folder searchable within seconds, also in a subdirectory created later,
// and a deleted one disappear, without --reload-interval (0: the watcher
// reloads itself). A file it cannot read leaves the good documents served
// and makes /healthz say degraded, naming no path, until it is removed.
func TestWatchServe(t *testing.T) {
	corpusDir, indexDir := t.TempDir(), filepath.Join(t.TempDir(), "index")
	writeFile(t, filepath.Join(corpusDir, "2019-a.zh.txt"), "上海合作组织成员国元首理事会会议在比什凯克举行。\n")
	base, stderr := startServe(t, "--index", indexDir, "--corpus", corpusDir, "--watch", "--reload-interval", "0")
	c := watchClient{t: t, base: base, stderr: stderr, http: &http.Client{Timeout: 10 * time.Second}}
	const afghanistan = "%E9%98%BF%E5%AF%8C%E6%B1%97" // 阿富汗
	if n := c.total(afghanistan); n != 0 {
		t.Fatalf("阿富汗 before any change: %d hits", n)
	}

	writeFile(t, filepath.Join(corpusDir, "2020-b.zh.txt"), "阿富汗问题联络组于2020年1月1日举行会议。\n")
	c.eventually("a dropped file is searchable", func() bool { return c.total(afghanistan) == 1 })

	// A directory created after serve started, with a file in a
	// directory inside it.
	writeFile(t, filepath.Join(corpusDir, "new", "deeper", "2021-c.zh.txt"), "成员国支持阿富汗和平进程。\n")
	c.eventually("a file in a new subdirectory is searchable", func() bool { return c.total(afghanistan) == 2 })
	// A later file there: the new directories are watched too.
	writeFile(t, filepath.Join(corpusDir, "new", "deeper", "2022-d.zh.txt"), "阿富汗局势。\n")
	c.eventually("a later file in the new subdirectory is searchable", func() bool { return c.total(afghanistan) == 3 })

	if err := os.Remove(filepath.Join(corpusDir, "2020-b.zh.txt")); err != nil {
		t.Fatal(err)
	}
	c.eventually("a deleted file disappears", func() bool { return c.total(afghanistan) == 2 })
	if code, h := c.health("healthz"); code != http.StatusOK || h.Status != "ok" {
		t.Errorf("healthz with a clean corpus: %d %+v", code, h)
	}

	// Binary garbage named .txt: skipped, the rest still served.
	writeFile(t, filepath.Join(corpusDir, "garbage.txt"), "\x00\x01\x02\xff\xfe binary \x00\x00")
	c.eventually("healthz says degraded for a skipped file", func() bool {
		code, h := c.health("healthz")
		return code == http.StatusServiceUnavailable && h.Status == "degraded" && strings.Contains(h.Reason, "1 file of the watched corpus was skipped")
	})
	if code, h := c.health("readyz"); code != http.StatusOK || h.Status != "degraded" || strings.Contains(h.Reason, "garbage") {
		t.Errorf("readyz with a skipped file: %d %+v (ready, no path)", code, h)
	}
	if n := c.total(afghanistan); n != 2 {
		t.Errorf("阿富汗 with a skipped file: %d hits, want 2", n)
	}
	if !strings.Contains(stderr.String(), "skipped a corpus file") || !strings.Contains(stderr.String(), "garbage.txt") {
		t.Errorf("the skipped file is not logged:\n%s", stderr.String())
	}
	if err := os.Remove(filepath.Join(corpusDir, "garbage.txt")); err != nil {
		t.Fatal(err)
	}
	c.eventually("healthz ok once the file is gone", func() bool {
		code, h := c.health("healthz")
		return code == http.StatusOK && h.Status == "ok"
	})
	if n := strings.Count(stderr.String(), "watch corpus: skipped a corpus file"); n != 1 {
		t.Errorf("the skipped file was logged %d times, want once:\n%s", n, stderr.String())
	}
}

// TestWatchBuildErrors: a failed background reindex is logged once per
// distinct error, makes health degraded, and a later successful build
// clears it; the index built before stays current.
func TestWatchBuildErrors(t *testing.T) {
	corpusDir, indexDir := t.TempDir(), t.TempDir()
	doc := filepath.Join(corpusDir, "2019-a.zh.txt")
	writeFile(t, doc, "上海合作组织成员国元首理事会会议在比什凯克举行。\n")
	var logs syncBuffer
	w, err := newCorpusWatcher(corpusDir, indexDir, slog.New(slog.NewTextHandler(&logs, nil)), func() {})
	if err != nil {
		t.Fatal(err)
	}
	defer w.fw.Close()
	ctx := context.Background()
	if err := w.build(ctx); err != nil || w.degraded() != "" {
		t.Fatalf("first build: %v, %q", err, w.degraded())
	}
	if err := os.Remove(doc); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := w.build(ctx); err == nil || !strings.Contains(err.Error(), "no document to index") {
			t.Fatalf("build of an empty corpus: %v", err)
		}
	}
	if r := w.degraded(); !strings.Contains(r, "could not be reindexed") {
		t.Errorf("health after a failed build: %q", r)
	}
	if n := strings.Count(logs.String(), "reindex failed"); n != 1 {
		t.Errorf("the same error was logged %d times, want once:\n%s", n, logs.String())
	}
	writeFile(t, doc, "上海合作组织成员国元首理事会会议在比什凯克举行。\n")
	if err := w.build(ctx); err != nil || w.degraded() != "" {
		t.Errorf("build after the repair: %v, %q", err, w.degraded())
	}
}

// TestWatchNeedsCorpus: --watch (or SCOSEARCH_WATCH) without --corpus is a
// usage error (the bundled corpus is inside the binary), and so is an
// index inside the watched corpus.
func TestWatchNeedsCorpus(t *testing.T) {
	index := t.TempDir()
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--index", index, "--watch"}, io.Discard, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--watch needs --corpus") {
		t.Errorf("--watch without --corpus: exit %d\n%s", code, stderr.String())
	}
	corpus := t.TempDir()
	stderr.Reset()
	code = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--corpus", corpus, "--index", filepath.Join(corpus, "index"), "--watch"}, io.Discard, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "is inside the corpus") {
		t.Errorf("--watch with the index inside the corpus: exit %d\n%s", code, stderr.String())
	}
	t.Setenv("SCOSEARCH_WATCH", "true")
	stderr.Reset()
	code = run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--index", index}, io.Discard, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--watch needs --corpus") {
		t.Errorf("SCOSEARCH_WATCH=true without --corpus: exit %d\n%s", code, stderr.String())
	}
}
