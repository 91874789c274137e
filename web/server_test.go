package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// faultySearcher injects faults that a real index cannot be made to raise
// on demand: a panic, an unavailable index, an internal error, a slow search.
type faultySearcher struct {
	search  func(ctx context.Context) (*search.Result, error)
	started chan struct{} // closed when a search starts, if not nil
}

func (f *faultySearcher) Search(ctx context.Context, _ search.Request) (*search.Result, error) {
	if f.started != nil {
		close(f.started)
	}
	return f.search(ctx)
}

func (f *faultySearcher) Documents(context.Context) ([]search.DocumentInfo, error) {
	return nil, fmt.Errorf("list: %w", search.ErrIndexNotFound)
}

func (f *faultySearcher) Suggest(context.Context, string, int) ([]search.Suggestion, error) {
	return nil, errors.New("read segment 7 of /secret/path: checksum mismatch")
}

func (f *faultySearcher) DocumentPage(context.Context, string, string, int, int) (*search.Document, error) {
	return nil, errors.New("read segment 7 of /secret/path: checksum mismatch")
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
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

func TestFaults(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	panicking := &faultySearcher{search: func(context.Context) (*search.Result, error) { panic("boom in the engine") }}
	ts := startServer(t, panicking, web.Options{Logger: logger})

	tests := []struct {
		path    string
		status  int
		want    string
		wantLog string
	}{
		{"/search?q=x", 500, "服务器内部错误", `panic="boom in the engine"`},
		{"/api/search?q=x", 500, `{"error":"internal error"}`, `panic="boom in the engine"`},
		{"/api/docs", 503, `{"error":"index unavailable"}`, ""},
		{"/docs/x", 500, "internal error", "checksum mismatch"},
		{"/api/docs/x", 500, `{"error":"internal error"}`, "checksum mismatch"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			r := do(t, http.MethodGet, ts.URL+tc.path)
			if r.status != tc.status {
				t.Errorf("status = %d, want %d", r.status, tc.status)
			}
			checkBody(t, r.body, []string{tc.want}, []string{"secret", "goroutine", "boom"})
			if r.header.Get("Content-Security-Policy") == "" {
				t.Error("no security headers on an error")
			}
			if tc.wantLog != "" && !strings.Contains(logs.String(), tc.wantLog) {
				t.Errorf("log lacks %q:\n%s", tc.wantLog, logs.String())
			}
		})
	}
}

func TestRequestLog(t *testing.T) {
	var logs syncBuffer
	ts := startServer(t, bundledEngine(t), web.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	r := do(t, http.MethodGet, ts.URL+"/docs/no-such-document")
	line := ""
	for l := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(l, "msg=request") {
			line = l
		}
	}
	for _, want := range []string{"method=GET", "path=/docs/no-such-document", "status=404", "duration=", fmt.Sprintf("bytes=%d", len(r.body))} {
		if !strings.Contains(line, want) {
			t.Errorf("request log line lacks %q: %q", want, line)
		}
	}
}

func TestBodyTooLarge(t *testing.T) {
	ts := startServer(t, bundledEngine(t), web.Options{MaxBodyBytes: 1000})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/api/search", strings.NewReader(strings.Repeat("x", 5000)))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", resp.StatusCode)
	}
}

// Serve stops on cancellation, after finishing the request in flight.
func TestServeGracefulShutdown(t *testing.T) {
	release := make(chan struct{})
	slow := &faultySearcher{
		started: make(chan struct{}),
		search: func(ctx context.Context) (*search.Result, error) {
			select {
			case <-release:
				return &search.Result{Total: 0}, nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		},
	}
	srv, err := web.New(slow, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()

	type result struct {
		status int
		err    error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/api/search?q=x")
		if err != nil {
			got <- result{err: err}
			return
		}
		resp.Body.Close()
		got <- result{status: resp.StatusCode}
	}()

	bound := time.After(30 * time.Second) // only against a hang
	select {
	case <-slow.started:
	case <-bound:
		t.Fatal("the request never reached the searcher")
	}
	cancel() // shut down while the request is in flight
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v before the in-flight request finished", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)

	select {
	case r := <-got:
		if r.err != nil || r.status != http.StatusOK {
			t.Errorf("in-flight request: status %d, err %v; want 200", r.status, r.err)
		}
	case <-bound:
		t.Fatal("the in-flight request never finished")
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	case <-bound:
		t.Fatal("Serve did not return after shutdown")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

// A 100 KB query through a server made by NewHTTPServer gets the
// application's clear 414, not the http package's bare 431.
func TestHugeQueryOverRealServer(t *testing.T) {
	base := serveReal(t, bundledEngine(t))
	for _, path := range []string{"/search?q=", "/api/search?q="} {
		r := do(t, http.MethodGet, base+path+strings.Repeat("x", 100<<10))
		if r.status != http.StatusRequestURITooLong || !strings.Contains(r.body, "request URI too long") {
			t.Errorf("%s: status %d, body %q; want 414 with a message", path, r.status, truncate(r.body, 200))
		}
	}
}

func TestNewHTTPServerTimeouts(t *testing.T) {
	hs := web.NewHTTPServer("127.0.0.1:0", http.NotFoundHandler())
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 {
		t.Errorf("unset limits: %+v", hs)
	}
	if hs.WriteTimeout < web.DefaultSearchTimeout {
		t.Errorf("WriteTimeout %v is shorter than a search may take (%v)", hs.WriteTimeout, web.DefaultSearchTimeout)
	}
}

func TestNewRejectsNil(t *testing.T) {
	if _, err := web.New(nil, web.Options{}); err == nil {
		t.Error("New(nil) returned no error")
	}
}
