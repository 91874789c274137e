package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

const bundledCorpus = "../../testdata/corpus"

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpAndUsage(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		output string // a part of stdout+stderr
	}{
		{nil, exitUsage, "Commands:"},
		{[]string{"help"}, exitOK, "reindex"},
		{[]string{"--help"}, exitOK, "serve"},
		{[]string{"help", "serve"}, exitOK, "-addr"},
		{[]string{"help", "reindex"}, exitOK, "-full"},
		{[]string{"serve", "-h"}, exitOK, "-corpus"},
		{[]string{"reindex", "-h"}, exitOK, "-check"},
		{[]string{"help", "-h"}, exitOK, "Commands:"},
		{[]string{"help", "--help"}, exitOK, "Commands:"},
		{[]string{"help", "help"}, exitOK, "Commands:"},
		{[]string{"search", "-h"}, exitOK, `"--" ends them`},
		{[]string{"serve", "-h"}, exitOK, "-base-url"},
		{[]string{"serve", "--base-url", "ftp://x"}, exitUsage, `--base-url: "ftp://x": want an http:// or https:// URL`},
		{[]string{"version", "extra", "-h"}, exitOK, "Usage: scosearch version"},
		{[]string{"help", "nope"}, exitUsage, `unknown command "nope"`},
		{[]string{"nope"}, exitUsage, `unknown command "nope"`},
		{[]string{"version"}, exitOK, "scosearch "},
		{[]string{"serve", "--nope"}, exitUsage, "flag provided but not defined"},
		{[]string{"serve", "extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"reindex", "--shards", "0"}, exitUsage, "--shards 0"},
		{[]string{"reindex", "extra"}, exitUsage, `unexpected argument "extra"`},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runCmd(tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.output) {
				t.Errorf("exit %d, output:\n%s%s\nwant exit %d and %q", code, out, errOut, tc.code, tc.output)
			}
		})
	}
}

func TestReindex(t *testing.T) {
	indexDir := t.TempDir()
	code, out, errOut := runCmd("reindex", "--corpus", bundledCorpus, "--index", indexDir)
	if code != exitOK || !strings.Contains(out, "Indexed 1 documents, 76 paragraphs (full build") {
		t.Fatalf("first reindex: exit %d\n%s%s", code, out, errOut)
	}
	// Not a terminal: progress comes as plain lines.
	if !strings.Contains(errOut, "reindex: indexing documents 1/1, paragraphs 76") {
		t.Errorf("no progress lines on stderr:\n%s", errOut)
	}
	first, _ := index.Current(indexDir)
	code, out, errOut = runCmd("reindex", "--corpus", bundledCorpus, "--index", indexDir, "--quiet")
	if code != exitOK || !strings.Contains(out, "Nothing changed: the index holds these 1 documents, 76 paragraphs already") || errOut != "" {
		t.Errorf("second reindex: exit %d\n%s%s", code, out, errOut)
	}
	before, _ := index.Current(indexDir)
	if before != first {
		t.Errorf("an unchanged reindex wrote generation %s (was %s)", before, first)
	}

	// Failures exit 1 and swap nothing.
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "empty.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, corpusDir := range []string{empty, filepath.Join(empty, "missing"), filepath.Join(empty, "empty.txt")} {
		code, out, errOut = runCmd("reindex", "--corpus", corpusDir, "--index", indexDir, "--quiet")
		if code != exitFailure || out != "" || errOut == "" {
			t.Errorf("reindex of %s: exit %d\n%s%s, want exit 1 with a message", corpusDir, code, out, errOut)
		}
	}
	if after, _ := index.Current(indexDir); after != before {
		t.Errorf("a failed reindex swapped the index: %s -> %s", before, after)
	}
}

func TestReindexCheck(t *testing.T) {
	corpusDir := t.TempDir()
	if err := os.CopyFS(corpusDir, os.DirFS(bundledCorpus)); err != nil {
		t.Fatal(err)
	}
	indexDir := filepath.Join(t.TempDir(), "index")
	code, out, _ := runCmd("reindex", "--check", "--corpus", corpusDir, "--index", indexDir)
	if code != exitOK || !strings.Contains(out, "2019-bishkek-declaration\tzh\t2019-06-14\t76 paragraphs\t上海合作组织成员国元首理事会比什凯克宣言") ||
		!strings.Contains(out, "1 documents, 76 paragraphs would be indexed; 0 files skipped") {
		t.Errorf("--check of a good corpus: exit %d\n%s", code, out)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "bad.txt"), []byte("\x00\x01\x02binary"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "notes.xlsx"), []byte("PK\x03\x04"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCmd("reindex", "--check", "--corpus", corpusDir, "--index", indexDir)
	if code != exitSkipped || !strings.Contains(out, "skip  bad.txt\tbinary file") ||
		!strings.Contains(out, "skip  notes.xlsx\tunsupported type .xlsx") || !strings.Contains(out, "2 files skipped") {
		t.Errorf("--check of a corpus with a binary file and a spreadsheet: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(indexDir); !os.IsNotExist(err) {
		t.Errorf("--check wrote to the index directory (stat: %v)", err)
	}

	// reindex indexes the good document, lists the same skipped files and
	// exits as --check did.
	rcode, rout, rerr := runCmd("reindex", "--quiet", "--corpus", corpusDir, "--index", indexDir)
	if rcode != code || !strings.Contains(rout, "Indexed 1 documents") || !strings.Contains(rout, "Skipped 2 files:") ||
		!strings.Contains(rout, "  notes.xlsx: unsupported type .xlsx") || !strings.Contains(rout, "  bad.txt: binary file") {
		t.Errorf("reindex of the same corpus: exit %d (--check: %d)\n%s%s", rcode, code, rout, rerr)
	}

	// A corpus with nothing to index fails both ways.
	none := t.TempDir()
	if err := os.WriteFile(filepath.Join(none, "notes.xlsx"), []byte("PK\x03\x04"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd("reindex", "--check", "--corpus", none, "--index", indexDir)
	rcode, _, rerr = runCmd("reindex", "--quiet", "--corpus", none, "--index", indexDir)
	if code != exitFailure || rcode != exitFailure || !strings.Contains(out, "skip  notes.xlsx\tunsupported type .xlsx") ||
		!strings.Contains(errOut, "no document to index") || !strings.Contains(rerr, "no document to index") {
		t.Errorf("corpus without documents: --check exit %d, reindex exit %d\n%s%s%s", code, rcode, out, errOut, rerr)
	}
}

var servingRE = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/)`)

// TestServe runs serve as a user does on a fresh machine: no index yet, so
// it builds one from the bundled corpus, serves, picks up a reindex, and
// shuts down cleanly when interrupted.
func TestServe(t *testing.T) {
	indexDir := filepath.Join(t.TempDir(), "index")
	base, stderr := startServe(t, "--index", indexDir, "--reload-interval", "100ms")
	if !strings.Contains(stderr.String(), "no index yet: building it") {
		t.Errorf("serve did not say it built the index:\n%s", stderr.String())
	}

	client := &http.Client{Timeout: 10 * time.Second}
	total := func(q string) int {
		t.Helper()
		resp, err := client.Get(base + "api/search?q=" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r struct{ Total int }
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("search %s: status %d, %v", q, resp.StatusCode, err)
		}
		return r.Total
	}
	if n := total("%E9%98%BF%E5%AF%8C%E6%B1%97"); n != 2 { // 阿富汗
		t.Errorf("阿富汗: %d hits, want 2", n)
	}

	// Every page and API of the engine is served through serve's
	// searcher (it forwards what the web server asks of an engine).
	for _, path := range []string{
		"trends?q=%E5%90%88%E4%BD%9C", "api/trends?q=%E5%90%88%E4%BD%9C", // 合作
		"compare?a=2019-bishkek-declaration&b=2019-bishkek-declaration",
		"api/compare?a=2019-bishkek-declaration&b=2019-bishkek-declaration",
		"api/suggest?q=%E4%B8%8A%E5%90%88", "docs", "api/docs/2019-bishkek-declaration", "metrics",
		"docs/2019-bishkek-declaration/parallel/2019-bishkek-declaration",
		"api/docs/2019-bishkek-declaration/parallel/2019-bishkek-declaration",
	} {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
	}

	// Ready once the index is open (the search above waited for it).
	for _, path := range []string{"healthz", "readyz"} {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		var h struct{ Status, Generation string }
		err = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || h.Status != "ok" || !strings.HasPrefix(h.Generation, "gen-") {
			t.Errorf("%s: status %d, %+v, %v", path, resp.StatusCode, h, err)
		}
	}

	// Citations link to the listen address, whatever the Host header says.
	req, err := http.NewRequest(http.MethodGet, base+"docs/2019-bishkek-declaration", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "evil.example"
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !strings.Contains(string(page), "第3段。"+base+"docs/2019-bishkek-declaration#p3") || strings.Contains(string(page), "evil.example") {
		t.Errorf("document page with Host: evil.example: status %d, %v; citations do not link to %s", resp.StatusCode, err, base)
	}

	// A reindex with a new document is picked up without a restart.
	corpusDir := t.TempDir()
	if err := os.CopyFS(corpusDir, os.DirFS(bundledCorpus)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "extra.zh.txt"), []byte("阿富汗问题联络组于2020年1月1日举行会议。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCmd("reindex", "--corpus", corpusDir, "--index", indexDir, "--quiet"); code != exitOK {
		t.Fatalf("reindex: exit %d\n%s%s", code, out, errOut)
	}
	swapped := false
	for i := 0; i < 100 && !swapped; i++ {
		swapped = total("%E9%98%BF%E5%AF%8C%E6%B1%97") == 3
		if !swapped {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !swapped {
		t.Errorf("serve did not pick up the reindexed corpus within 10 s:\n%s", stderr.String())
	}
	// startServe stops serve at the end and checks it exits cleanly.
}

// The Health of serve's searcher follows the opening of the index and the
// outcome of reloads.
func TestPendingEngineHealth(t *testing.T) {
	dir := searchCmdIndex(t)
	ctx := context.Background()
	p := newPendingEngine()
	if h := p.Health(ctx); h.Status != web.HealthStarting {
		t.Errorf("before the index is open: %+v", h)
	}
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if _, err := p.Search(short, search.Request{Query: "x"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a search while starting: %v, want the request's deadline", err)
	}
	e, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	p.ready(e)
	want := web.Health{Status: web.HealthOK, Generation: filepath.Base(e.Generation())}
	if h := p.Health(ctx); h != want {
		t.Errorf("open: %+v, want %+v", h, want)
	}
	// CURRENT names a generation that cannot be opened: the reload fails
	// and the engine keeps the one it has
	current := filepath.Join(dir, "CURRENT")
	saved, err := os.ReadFile(current)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.WriteFile(current, saved, 0o644) }) // the index is shared
	if err := os.WriteFile(current, []byte("gen-missing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Reload(); err == nil {
		t.Fatal("reload of a missing generation succeeded")
	}
	if h := p.Health(ctx); h.Status != web.HealthDegraded || h.Generation != want.Generation || h.Reason == "" || strings.Contains(h.Reason, "damaged") {
		t.Errorf("after a failed reload: %+v", h)
	}
	if err := os.WriteFile(current, saved, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Reload(); err != nil {
		t.Fatal(err)
	}
	if h := p.Health(ctx); h != want {
		t.Errorf("after a good reload: %+v, want %+v", h, want)
	}

	failed := newPendingEngine()
	failed.fail(errors.New("no index"))
	if h := failed.Health(ctx); h.Status != web.HealthUnavailable {
		t.Errorf("failed to open: %+v", h)
	}
}

// TestServeKeepsServingWhenNewGenerationDamaged: a new generation whose
// segment is damaged (its footer: zapx panicked and took serve down) is
// refused by the reload, logged once, and serve keeps answering from the
// previous one; reindex then rebuilds from scratch, saying why, and serve
// swaps that in.
func TestServeKeepsServingWhenNewGenerationDamaged(t *testing.T) {
	corpusDir, indexDir := t.TempDir(), t.TempDir()
	if err := os.CopyFS(corpusDir, os.DirFS(bundledCorpus)); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	base, stderr := startServe(t, "--index", indexDir, "--reload-interval", "50ms")
	client := &http.Client{Timeout: 10 * time.Second}
	total := func(q string) int {
		t.Helper()
		resp, err := client.Get(base + "api/search?q=" + q)
		if err != nil {
			t.Fatalf("search %s: %v\n%s", q, err, stderr.String())
		}
		defer resp.Body.Close()
		var r struct{ Total int }
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("search %s: status %d, %v", q, resp.StatusCode, err)
		}
		return r.Total
	}
	const afghanistan = "%E9%98%BF%E5%AF%8C%E6%B1%97" // 阿富汗
	if n := total(afghanistan); n != 2 {
		t.Fatalf("阿富汗: %d hits, want 2", n)
	}

	// A new generation, damaged before serve sees it.
	if err := os.WriteFile(filepath.Join(corpusDir, "extra.zh.txt"), []byte("阿富汗问题联络组于2020年1月1日举行会议。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Built aside and damaged there, then made current as reindex does,
	// so that serve never sees it whole.
	aside := t.TempDir()
	if _, err := index.Build(context.Background(), corpusDir, aside, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	gen, _ := index.Current(aside)
	zaps, _ := filepath.Glob(filepath.Join(gen, "shard-00", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segment file")
	}
	for _, z := range zaps {
		st, err := os.Stat(z)
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(z, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.WriteAt([]byte("\xde\xad\xbe\xef\xde\xad\xbe\xef"), st.Size()-20)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(gen, filepath.Join(indexDir, filepath.Base(gen))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(indexDir, "CURRENT.tmp"), []byte(filepath.Base(gen)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(indexDir, "CURRENT.tmp"), filepath.Join(indexDir, "CURRENT")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // 10 reload intervals
	if n := total(afghanistan); n != 2 {
		t.Errorf("阿富汗 with a damaged new generation: %d hits, want the previous generation's 2", n)
	}
	if c := strings.Count(stderr.String(), "still serving the previous generation"); c != 1 {
		t.Errorf("the refused generation was logged %d times, want once:\n%s", c, stderr.String())
	}

	code, out, errOut := runCmd("reindex", "--corpus", corpusDir, "--index", indexDir, "--quiet")
	if code != exitOK || !strings.Contains(out, "Full build: the current index cannot be reused") || !strings.Contains(out, "damaged") {
		t.Fatalf("reindex over the damaged generation: exit %d\n%s%s", code, out, errOut)
	}
	swapped := false
	for i := 0; i < 100 && !swapped; i++ {
		swapped = total(afghanistan) == 3
		if !swapped {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !swapped {
		t.Errorf("serve did not pick up the rebuilt index within 10 s:\n%s", stderr.String())
	}
}
