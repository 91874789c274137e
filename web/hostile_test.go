package web_test

// Hostile clients (issue 8): bad queries, slow connections and load, over a
// real server on 127.0.0.1 built by Server.Serve / NewHTTPServer.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// serveReal serves s with Server.Serve (the production http.Server) on
// 127.0.0.1, port 0, until the test ends, and returns its base URL.
func serveReal(t *testing.T, s web.Searcher) string {
	t.Helper()
	srv, err := web.New(s, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("Serve did not return after shutdown")
		}
	})
	return "http://" + ln.Addr().String()
}

// maxHostileBody bounds every answer to a hostile request.
const maxHostileBody = 1 << 20

// hostileQueries are the q values of TestHostileQueries, by kind.
func hostileQueries() map[string][]string {
	deep := func(n int) string { return strings.Repeat("(", n) + "上合组织" + strings.Repeat(")", n) }
	terms := func(n int, word string) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = fmt.Sprintf("%s%d", word, i)
		}
		return strings.Join(ws, " ")
	}
	return map[string][]string{
		"huge": {
			strings.Repeat("上合组织 ", 100<<10/13), // 100 KB
			strings.Repeat("x", 100<<10),
			strings.Repeat("反", 1001),
			strings.Repeat("a", 1001),
		},
		"deep parentheses": {deep(9), deep(100), deep(500), strings.Repeat("(", 900), strings.Repeat(")", 900), "(上合 OR (组织 -(" + strings.Repeat("(", 50)},
		"many terms":       {terms(65, "t"), terms(300, "w"), terms(3000, "a"), strings.Repeat("上 OR ", 150) + "合", strings.Repeat("-a ", 300) + "b", strings.Repeat(`"上合" `, 200)},
		"wildcards":        {"*", "**", "?", "*:*", "上*", "*合作*", strings.Repeat("*", 999), "_all:*", "text:*"},
		"regexp and fuzzy bombs": {
			"/(a+)+$/", "/.*.*.*.*.*.*.*.*=/", "/[a-z]{1000}/", "上合~2", "上合组织~99",
			"a~ b~ c~ d~ e~", strings.Repeat("a?", 400), "+a^100000000", "a AND NOT b OR c^-1",
		},
		"control characters": {"\x00", "上合\x00组织", "\x1b[31m上合", "\r\n\r\nX-Injected: 1", "\t\v\f", "\u202e合上\u202c", "\u200b\ufeff", "\x7f"},
		"invalid UTF-8":      {"\xff\xfe", "上合\xc3\x28", "\xed\xa0\x80", "\xe4\xb8", string([]byte{0xc0, 0xaf})},
		"quotes and syntax": {`"`, `"上合组织`, `上合"组织""`, `""`, `"""`, `-`, `--上合`, `-"上合"`, `OR`, `AND OR NOT`, `doc:`, `year:abc`,
			`date:2019..2018`, `date:....`, `year:` + strings.Repeat("9", 500), `doc:"` + strings.Repeat("x", 400) + `"`, `:`, `\`, `\"`, `上合)`, `(`},
	}
}

// hostileParams are other parameters of TestHostileQueries, with q=上合组织.
var hostileParams = []string{
	"size=1000000", "size=-1", "size=0", "size=101", "size=99999999999999999999999", "size=1e9", "size=abc",
	"from=-1", "from=10001", "from=999999999999", "from=99999999999999999999999", "from=9999&size=100",
	"page=0", "page=-5", "page=101", "page=1000000000", "page=abc", "sort=random", "sort=" + strings.Repeat("x", 5000),
	"doc=" + strings.Repeat("x", 600), "year=" + url.QueryEscape("\xff"), "section=%00", "lang=*", "q=%ff%fe",
}

// TestHostileQueries sends every hostile query and parameter to the pages
// and the JSON API: each gets a 4xx with a message, or a 200 with at most
// a page of hits, never a 5xx, within a bounded size and time.
func TestHostileQueries(t *testing.T) {
	base := serveReal(t, bundledEngine(t))
	client := &http.Client{Timeout: 60 * time.Second}
	type outcome struct{ tried, rejected, answered int }
	counts := map[string]*outcome{}
	var slowest time.Duration
	check := func(kind, path string) {
		t.Helper()
		o := counts[kind]
		if o == nil {
			o = &outcome{}
			counts[kind] = o
		}
		o.tried++
		start := time.Now()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Errorf("%s: %s: %v", kind, truncate(path, 120), err)
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxHostileBody+1))
		if d := time.Since(start); d > slowest {
			slowest = d
		}
		if err != nil {
			t.Errorf("%s: %s: reading the answer: %v", kind, truncate(path, 120), err)
			return
		}
		if len(body) > maxHostileBody {
			t.Errorf("%s: %s: answer larger than %d bytes", kind, truncate(path, 120), maxHostileBody)
		}
		if !utf8.Valid(body) {
			t.Errorf("%s: %s: status %d, the answer is not valid UTF-8", kind, truncate(path, 120), resp.StatusCode)
		}
		api := strings.HasPrefix(path, "/api/")
		switch {
		case resp.StatusCode >= 500:
			t.Errorf("%s: %s: status %d, body %s", kind, truncate(path, 120), resp.StatusCode, truncate(string(body), 300))
		case resp.StatusCode >= 400:
			o.rejected++
			if api {
				var e struct{ Error string }
				if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
					t.Errorf("%s: %s: status %d without a JSON error message: %s", kind, truncate(path, 120), resp.StatusCode, truncate(string(body), 300))
				}
			} else if len(body) == 0 {
				t.Errorf("%s: %s: status %d with an empty page", kind, truncate(path, 120), resp.StatusCode)
			}
		case resp.StatusCode == http.StatusOK:
			o.answered++
			if api {
				var r struct{ Hits []json.RawMessage }
				if err := json.Unmarshal(body, &r); err != nil {
					t.Errorf("%s: %s: 200 with a bad JSON body: %v", kind, truncate(path, 120), err)
				} else if len(r.Hits) > search.MaxSize {
					t.Errorf("%s: %s: %d hits, more than MaxSize", kind, truncate(path, 120), len(r.Hits))
				}
			}
		default:
			t.Errorf("%s: %s: unexpected status %d", kind, truncate(path, 120), resp.StatusCode)
		}
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for kind, qs := range hostileQueries() {
		for _, q := range qs {
			for _, path := range []string{"/api/search?q=", "/search?q=", "/docs/2019-bishkek-declaration?q="} {
				check(kind, path+url.QueryEscape(q))
			}
			// The same query sent raw where it can be: percent-encoding
			// only what would break the request line.
			raw := strings.NewReplacer("%", "%25", " ", "%20", "#", "%23", "&", "%26", "+", "%2B", "\x00", "%00",
				"\r", "%0D", "\n", "%0A", "\t", "%09", "\v", "%0B", "\f", "%0C", "\x7f", "%7F", "\x1b", "%1B").Replace(q)
			if !strings.ContainsFunc(raw, func(r rune) bool { return r < 0x20 }) {
				check(kind, "/api/search?q="+raw)
			}
		}
	}
	for _, p := range hostileParams {
		for _, path := range []string{"/api/search?q=" + url.QueryEscape("上合组织") + "&", "/search?q=" + url.QueryEscape("上合组织") + "&"} {
			check("parameters", path+p)
		}
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	total := 0
	for kind, o := range counts {
		total += o.tried
		t.Logf("%-24s %3d requests: %3d rejected with 4xx, %3d answered 200", kind, o.tried, o.rejected, o.answered)
	}
	t.Logf("%d hostile requests, slowest answer %s, heap in use %d MB -> %d MB", total, slowest.Round(time.Millisecond), before.HeapInuse>>20, after.HeapInuse>>20)
}

// TestSlowloris opens connections that send their headers one line every
// 100 ms. A server with NewHTTPServer's settings, its header timeout cut to
// test size, closes each of them, while normal requests keep being served.
func TestSlowloris(t *testing.T) {
	srv, err := web.New(bundledEngine(t), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := web.NewHTTPServer("127.0.0.1:0", srv.Handler())
	if hs.ReadHeaderTimeout <= 0 || hs.ReadHeaderTimeout > 30*time.Second {
		t.Fatalf("NewHTTPServer: ReadHeaderTimeout %v does not cut slow clients", hs.ReadHeaderTimeout)
	}
	hs.ReadHeaderTimeout = 500 * time.Millisecond // test size; the rest as in production
	hs.IdleTimeout = time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close() })
	addr := ln.Addr().String()

	const conns = 50
	const giveUp = 10 * time.Second // a connection still open by then was not cut
	var wg sync.WaitGroup
	var cut, open atomic.Int32
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				t.Errorf("dial: %v", err)
				return
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(giveUp))
			if _, err := fmt.Fprintf(c, "GET /api/search?q=%%E4%%B8%%8A HTTP/1.1\r\nHost: %s\r\n", addr); err != nil {
				cut.Add(1)
				return
			}
			// Trickle header lines; the server must close the connection.
			errc := make(chan error, 1)
			go func() {
				_, err := io.Copy(io.Discard, c) // returns when the server closes
				errc <- err
			}()
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for n := 0; ; n++ {
				select {
				case err := <-errc:
					var ne net.Error
					if errors.As(err, &ne) && ne.Timeout() {
						open.Add(1) // our own deadline: the server kept it open
					} else {
						cut.Add(1)
					}
					return
				case <-tick.C:
					if _, err := fmt.Fprintf(c, "X-Slow-%d: %d\r\n", n, n); err != nil {
						var ne net.Error
						if errors.As(err, &ne) && ne.Timeout() {
							open.Add(1)
						} else {
							cut.Add(1)
						}
						return
					}
				}
			}
		}(i)
	}

	// Meanwhile, ordinary clients are served.
	client := &http.Client{Timeout: 30 * time.Second}
	for i := 0; i < 20; i++ {
		resp, err := client.Get("http://" + addr + "/api/search?q=" + url.QueryEscape("上合组织"))
		if err != nil {
			t.Fatalf("a normal request during the slowloris attack: %v", err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("a normal request during the slowloris attack: status %d", resp.StatusCode)
		}
	}
	wg.Wait()
	t.Logf("slowloris: %d of %d connections cut by the server, %d still open after %s", cut.Load(), conns, open.Load(), giveUp)
	if open.Load() != 0 || cut.Load() != conns {
		t.Errorf("%d of %d slow connections were not cut by the server", conns-int(cut.Load()), conns)
	}

	// An idle keep-alive connection is closed too.
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(giveUp))
	fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("idle keep-alive connection: %v, want it closed by the server (EOF)", err)
	}
}

// loadIndex builds an index of the bundled corpus plus extra documents in
// a new directory of the test.
func loadIndex(t *testing.T) (indexDir, corpusDir string) {
	t.Helper()
	corpusDir = t.TempDir()
	if err := os.CopyFS(corpusDir, os.DirFS(filepath.Join("..", "testdata", "corpus"))); err != nil {
		t.Fatal(err)
	}
	indexDir = t.TempDir()
	if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	return indexDir, corpusDir
}

// loadStats counts the outcome of a load run.
type loadStats struct {
	requests, ok, client4xx, server5xx, dropped atomic.Int64
}

// runLoad sends n requests from clients concurrent clients and counts them.
func runLoad(t *testing.T, base string, n, clients int) *loadStats {
	t.Helper()
	paths := []string{
		"/api/search?q=" + url.QueryEscape("上合组织"),
		"/api/search?q=" + url.QueryEscape(`"比什凯克" -阿富汗`),
		"/api/search?q=" + url.QueryEscape("反恐 OR 禁毒") + "&sort=date",
		"/search?q=" + url.QueryEscape("成员国"),
		"/search?q=" + url.QueryEscape("安全 合作") + "&page=2",
		"/api/docs",
		"/docs/2019-bishkek-declaration?q=" + url.QueryEscape("上合"),
		"/healthz",
		"/api/search?q=" + url.QueryEscape("(("), // a 400 now and then
	}
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	st := &loadStats{}
	var next atomic.Int64
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var firstErrs []string
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				st.requests.Add(1)
				resp, err := client.Get(base + paths[i%int64(len(paths))])
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				switch {
				case err != nil:
					st.dropped.Add(1)
					errMu.Lock()
					if len(firstErrs) < 5 {
						firstErrs = append(firstErrs, err.Error())
					}
					errMu.Unlock()
				case resp.StatusCode >= 500:
					st.server5xx.Add(1)
				case resp.StatusCode >= 400:
					st.client4xx.Add(1)
				default:
					st.ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	for _, e := range firstErrs {
		t.Logf("dropped: %s", e)
	}
	return st
}

// TestLoad sends a few thousand requests from 50 concurrent clients, first
// on a steady index, then while a reindex and an Engine.Reload swap run in
// a loop: zero 5xx, zero dropped connections, and every swap succeeds.
func TestLoad(t *testing.T) {
	const clients, perPhase = 50, 2000
	indexDir, corpusDir := loadIndex(t)
	engine, err := search.Open(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	base := serveReal(t, engine)

	start := time.Now()
	st := runLoad(t, base, perPhase, clients)
	t.Logf("steady: %d requests from %d clients in %s: %d ok, %d 4xx, %d 5xx, %d dropped",
		st.requests.Load(), clients, time.Since(start).Round(time.Millisecond), st.ok.Load(), st.client4xx.Load(), st.server5xx.Load(), st.dropped.Load())
	if st.server5xx.Load() != 0 || st.dropped.Load() != 0 || st.requests.Load() != perPhase {
		t.Errorf("steady load: %d 5xx, %d dropped of %d", st.server5xx.Load(), st.dropped.Load(), st.requests.Load())
	}

	// The same load while reindexing and swapping in a loop. Each round
	// adds or removes a document, so every build makes a new generation.
	extra := filepath.Join(corpusDir, "extra.zh.txt")
	stop := make(chan struct{})
	var swaps, reindexErrs, reloadErrs int
	var swapErrs []string
	swapDone := make(chan struct{})
	go func() {
		defer close(swapDone)
		for round := 0; round < 1000; round++ {
			select {
			case <-stop:
				return
			default:
			}
			var err error
			if round%2 == 0 {
				err = os.WriteFile(extra, []byte(fmt.Sprintf("第%d轮：上合组织成员国加强合作。\n", round)), 0o644)
			} else {
				err = os.Remove(extra)
			}
			if err != nil {
				swapErrs = append(swapErrs, err.Error())
				return
			}
			if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
				reindexErrs++
				swapErrs = append(swapErrs, "reindex: "+err.Error())
				continue
			}
			swapped, err := engine.Reload()
			if err != nil {
				reloadErrs++
				swapErrs = append(swapErrs, "reload: "+err.Error())
				continue
			}
			if swapped {
				swaps++
			}
		}
	}()
	start = time.Now()
	st = runLoad(t, base, perPhase, clients)
	close(stop)
	select {
	case <-swapDone:
	case <-time.After(2 * time.Minute):
		t.Fatal("the reindex loop did not stop")
	}
	t.Logf("during reindex: %d requests from %d clients in %s: %d ok, %d 4xx, %d 5xx, %d dropped; %d swaps, %d reindex errors, %d reload errors",
		st.requests.Load(), clients, time.Since(start).Round(time.Millisecond), st.ok.Load(), st.client4xx.Load(), st.server5xx.Load(), st.dropped.Load(),
		swaps, reindexErrs, reloadErrs)
	for _, e := range swapErrs {
		t.Errorf("swap loop: %s", e)
	}
	if st.server5xx.Load() != 0 || st.dropped.Load() != 0 || st.requests.Load() != perPhase {
		t.Errorf("load during reindex: %d 5xx, %d dropped of %d", st.server5xx.Load(), st.dropped.Load(), st.requests.Load())
	}
	if swaps == 0 {
		t.Error("no swap happened during the load: the test proved nothing")
	}
}
