package main

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeNoCache serves with --no-cache: searches are answered, and
// every one searches the index (the result cache counts neither a hit nor
// a miss, where a cached serve counts a miss and then a hit for the same
// query asked twice).
func TestServeNoCache(t *testing.T) {
	base, stderr := startServe(t, "--index", filepath.Join(t.TempDir(), "index"), "--reload-interval", "0", "--no-cache")
	c := watchClient{t: t, base: base, stderr: stderr, http: &http.Client{Timeout: 30 * time.Second}}
	for range 2 {
		if n := c.total("%E9%98%BF%E5%AF%8C%E6%B1%97"); n != 2 { // 阿富汗
			t.Errorf("阿富汗: %d hits, want 2", n)
		}
	}
	resp, err := c.http.Get(base + "metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics: status %d, %v", resp.StatusCode, err)
	}
	for _, want := range []string{"scosearch_result_cache_hits_total 0\n", "scosearch_result_cache_misses_total 0\n"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q:\n%s", want, truncateMetrics(string(body)))
		}
	}
	if !strings.Contains(stderr.String(), "no_cache=true") {
		t.Errorf("serve's configuration line does not say no_cache=true:\n%s", stderr.String())
	}
}
