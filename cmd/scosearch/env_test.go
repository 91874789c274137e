package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBindEnv(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		names   []string // bound; all if nil
		addr    string
		reload  time.Duration
		used    []string
		wantErr string
	}{
		{name: "defaults", addr: "127.0.0.1:8080", reload: 2 * time.Second},
		{name: "from env", env: map[string]string{"SCOSEARCH_ADDR": ":9000", "SCOSEARCH_RELOAD_INTERVAL": "5s"},
			addr: ":9000", reload: 5 * time.Second, used: []string{"SCOSEARCH_ADDR", "SCOSEARCH_RELOAD_INTERVAL"}},
		{name: "flag wins", args: []string{"--addr", ":7000"}, env: map[string]string{"SCOSEARCH_ADDR": ":9000"},
			addr: ":7000", reload: 2 * time.Second},
		{name: "flag wins even if the variable is bad", args: []string{"--reload-interval=1s"}, env: map[string]string{"SCOSEARCH_RELOAD_INTERVAL": "soon"},
			addr: "127.0.0.1:8080", reload: time.Second},
		{name: "empty is unset", env: map[string]string{"SCOSEARCH_ADDR": ""}, addr: "127.0.0.1:8080", reload: 2 * time.Second},
		{name: "unbound", names: []string{"addr"}, env: map[string]string{"SCOSEARCH_RELOAD_INTERVAL": "5s"},
			addr: "127.0.0.1:8080", reload: 2 * time.Second},
		{name: "other variables", env: map[string]string{"SCOSEARCH_LONG": "1", "ADDR": ":1"}, addr: "127.0.0.1:8080", reload: 2 * time.Second},
		{name: "bad value", env: map[string]string{"SCOSEARCH_RELOAD_INTERVAL": "soon"},
			wantErr: `SCOSEARCH_RELOAD_INTERVAL="soon": invalid value for --reload-interval: time: invalid duration "soon"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var help bytes.Buffer
			fs := newFlagSet("serve", "", &help)
			addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
			reload := fs.Duration("reload-interval", 2*time.Second, "how often")
			env := bindEnv(fs, tc.names...)
			if code := parseFlags(fs, tc.args); code >= 0 {
				t.Fatalf("parse %q: exit %d\n%s", tc.args, code, help.String())
			}
			used, err := env.apply(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *addr != tc.addr || *reload != tc.reload || !slices.Equal(used, tc.used) {
				t.Errorf("addr %q, reload %v, used %q; want %q, %v, %q", *addr, *reload, used, tc.addr, tc.reload, tc.used)
			}
		})
	}
}

// TestServeHelpNamesVariables: serve -h names the variable of every flag.
func TestServeHelpNamesVariables(t *testing.T) {
	code, out, _ := runCmd("help", "serve")
	if code != exitOK {
		t.Fatalf("help serve: exit %d", code)
	}
	for _, v := range []string{"SCOSEARCH_ADDR", "SCOSEARCH_INDEX", "SCOSEARCH_CORPUS", "SCOSEARCH_RELOAD_INTERVAL", "SCOSEARCH_BASE_URL", "the command line wins"} {
		if !strings.Contains(out, v) {
			t.Errorf("serve -h does not mention %s:\n%s", v, out)
		}
	}
	if _, out, _ := runCmd("help", "reindex"); !strings.Contains(out, "[$SCOSEARCH_INDEX]") || strings.Contains(out, "SCOSEARCH_FULL") {
		t.Errorf("reindex -h: want SCOSEARCH_INDEX and SCOSEARCH_CORPUS only:\n%s", out)
	}
}

var configRE = regexp.MustCompile(`msg=configuration .*`)

// TestServeFromEnvironment runs serve configured by the environment only
// (a small corpus, a new index, the address, the base URL) but for a flag
// that wins over its variable; it logs the configuration in one line, and
// serves that corpus. A bad variable is a usage error naming it.
func TestServeFromEnvironment(t *testing.T) {
	corpusDir, indexDir := t.TempDir(), filepath.Join(t.TempDir(), "index")
	if err := os.WriteFile(filepath.Join(corpusDir, "only.zh.txt"), []byte("上海合作组织成员国加强安全合作。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SCOSEARCH_ADDR", "127.0.0.1:0")
	t.Setenv("SCOSEARCH_INDEX", indexDir)
	t.Setenv("SCOSEARCH_CORPUS", corpusDir)
	t.Setenv("SCOSEARCH_BASE_URL", "https://sco.example.org")
	t.Setenv("SCOSEARCH_RELOAD_INTERVAL", "soon")

	if code, _, errOut := runCmd("serve"); code != exitUsage || !strings.Contains(errOut, "SCOSEARCH_RELOAD_INTERVAL") {
		t.Errorf("serve with a bad SCOSEARCH_RELOAD_INTERVAL: exit %d, %q; want usage error naming it", code, errOut)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve", "--reload-interval", "1s"}, io.Discard, &stderr) }()
	var base string
	for deadline := time.Now().Add(60 * time.Second); base == "" && time.Now().Before(deadline); {
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d:\n%s", code, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if m := servingRE.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("serve did not start within 60 s:\n%s", stderr.String())
	}
	lines := configRE.FindAllString(stderr.String(), -1)
	if len(lines) != 1 {
		t.Fatalf("%d configuration lines, want 1:\n%s", len(lines), stderr.String())
	}
	for _, want := range []string{"addr=127.0.0.1:0", "index=" + indexDir, "corpus=" + corpusDir, "reload_interval=1s",
		"base_url=https://sco.example.org", "from_env=SCOSEARCH_ADDR,SCOSEARCH_BASE_URL,SCOSEARCH_CORPUS,SCOSEARCH_INDEX", "version="} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("configuration line lacks %s: %s", want, lines[0])
		}
	}

	client := &http.Client{Timeout: 10 * time.Second}
	get := func(path string) string {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d, %v", path, resp.StatusCode, err)
		}
		return string(b)
	}
	if docs := get("api/docs"); !strings.Contains(docs, `"id":"only"`) || strings.Contains(docs, "bishkek") {
		t.Errorf("serve does not search the corpus of SCOSEARCH_CORPUS: %s", docs)
	}
	if page := get("docs/only"); !strings.Contains(page, "https://sco.example.org/docs/only#p1") {
		t.Error("citations do not use SCOSEARCH_BASE_URL")
	}
	if m := get("metrics"); !strings.Contains(m, "scosearch_index_documents 1\n") || !strings.Contains(m, `scosearch_health{status="ok"} 1`) {
		t.Errorf("serve's /metrics lacks its index:\n%s", truncateMetrics(m))
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exited with %d:\n%s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s")
	}
}

// truncateMetrics keeps the scosearch_ lines of a scrape.
func truncateMetrics(m string) string {
	var keep []string
	for _, l := range strings.Split(m, "\n") {
		if strings.HasPrefix(l, "scosearch_") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
