package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// The indexes are built once per test binary (building loads the gse
// dictionary) into a directory that TestMain removes.
var (
	tmpRoot string

	enginesOnce sync.Once
	engines     struct {
		bundled, hostile *search.Engine
		err              error
	}
)

func TestMain(m *testing.M) {
	root, err := os.MkdirTemp("", "scosearch-web-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tmpRoot = root
	code := m.Run()
	for _, e := range []*search.Engine{engines.bundled, engines.hostile} {
		if e != nil {
			_ = e.Close() // the directory goes next anyway
		}
	}
	if err := os.RemoveAll(root); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// hostileDocID is the document of the hostile corpus: its id has a slash,
// its title and text contain <script>.
const hostileDocID = "刑法/刑法修正案（七）"

var hostileFiles = map[string]string{
	hostileDocID + ".zh.txt": `---
title: 危险<script>alert("title")</script>标题
date: 2020-01-02
place: 杜尚别
---

第一章 总则

第一条 本段包含<script>alert(1)</script>脚本标签，以及阿富汗问题和&amp;实体。

第二条 第二段文字，没有危险内容。

第二章 附则

第三条 本修正案自公布之日起施行。
`,
	// A near-copy of the first paragraph above, to be collapsed with it.
	"2021-copy.zh.txt": `---
title: 副本
date: 2021-03-04
---

第一条 本段包含<script>alert(1)</script>脚本标签，以及阿富汗问题和&amp;实体。
`,
}

func buildEngines() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	open := func(corpusDir, name string) (*search.Engine, error) {
		dir := filepath.Join(tmpRoot, name)
		if _, err := index.Build(ctx, corpusDir, dir, index.BuildOptions{}); err != nil {
			return nil, fmt.Errorf("build %s: %w", name, err)
		}
		return search.Open(dir)
	}
	engines.bundled, engines.err = open(filepath.Join("..", "testdata", "corpus"), "bundled")
	if engines.err != nil {
		return
	}
	hostileCorpus := filepath.Join(tmpRoot, "hostile-corpus")
	for name, text := range hostileFiles {
		p := filepath.Join(hostileCorpus, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			engines.err = err
			return
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			engines.err = err
			return
		}
	}
	engines.hostile, engines.err = open(hostileCorpus, "hostile")
}

// bundledEngine is a search.Engine over testdata/corpus.
func bundledEngine(t testing.TB) *search.Engine {
	t.Helper()
	enginesOnce.Do(buildEngines)
	if engines.err != nil {
		t.Fatal(engines.err)
	}
	return engines.bundled
}

// hostileEngine is a search.Engine over hostileFiles.
func hostileEngine(t testing.TB) *search.Engine {
	t.Helper()
	enginesOnce.Do(buildEngines)
	if engines.err != nil {
		t.Fatal(engines.err)
	}
	return engines.hostile
}

// startServer serves s on 127.0.0.1, port 0, until the test ends.
func startServer(t testing.TB, s web.Searcher, opts web.Options) *httptest.Server {
	t.Helper()
	srv, err := web.New(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

type response struct {
	status int
	header http.Header
	body   string
}

// do sends one request and reads the whole answer.
func do(t testing.TB, method, url string) response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// checkBody reports the wanted substrings missing from body and the
// unwanted ones present.
func checkBody(t testing.TB, body string, want, unwant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
	for _, u := range unwant {
		if strings.Contains(body, u) {
			t.Errorf("body contains %q", u)
		}
	}
	if t.Failed() {
		t.Logf("body:\n%s", truncate(body, 6000))
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
