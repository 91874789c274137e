package deploy

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The binary is built once per test run, static (CGO_ENABLED=0) as the
// Dockerfile builds it, into a directory any user may read.
var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

func buildBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		if binary.dir, binary.err = os.MkdirTemp("", "scosearch-deploy-"); binary.err != nil {
			return
		}
		if binary.err = os.Chmod(binary.dir, 0o755); binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "scosearch")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", binary.path, "../cmd/scosearch")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		binary.out, binary.err = cmd.CombinedOutput()
	})
	if binary.err != nil {
		t.Fatalf("go build (CGO_ENABLED=0): %v\n%s", binary.err, binary.out)
	}
	return binary.path
}

// unitEntry is one Key=Value line of a systemd unit.
type unitEntry struct{ section, key, value string }

// parseUnit reads a systemd unit file: sections, Key=Value lines (keys
// may repeat), comments; anything else is an error.
func parseUnit(t *testing.T, path string) []unitEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []unitEntry
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[' && line[len(line)-1] == ']':
			section = line[1 : len(line)-1]
		case section != "" && strings.Contains(line, "="):
			k, v, _ := strings.Cut(line, "=")
			out = append(out, unitEntry{section, strings.TrimSpace(k), strings.TrimSpace(v)})
		default:
			t.Errorf("%s:%d: not a section or Key=Value: %q", path, n, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// values returns the values of key in section, in order.
func values(entries []unitEntry, section, key string) []string {
	var out []string
	for _, e := range entries {
		if e.section == section && e.key == key {
			out = append(out, e.value)
		}
	}
	return out
}

// serveVariables are the SCOSEARCH_* variables serve -h names, and
// reindex's.
func helpVariables(t *testing.T, command string) []string {
	t.Helper()
	out, err := exec.Command(buildBinary(t), "help", command).CombinedOutput()
	if err != nil {
		t.Fatalf("scosearch help %s: %v\n%s", command, err, out)
	}
	vars := regexp.MustCompile(`\[\$(SCOSEARCH_[A-Z_]+)\]`).FindAllStringSubmatch(string(out), -1)
	var names []string
	for _, m := range vars {
		names = append(names, m[1])
	}
	if len(names) == 0 {
		t.Fatalf("scosearch help %s names no variable:\n%s", command, out)
	}
	return names
}

// envAssignments returns the NAME=value pairs of Environment= lines.
func envAssignments(entries []unitEntry) map[string]string {
	out := make(map[string]string)
	for _, v := range values(entries, "Service", "Environment") {
		for _, kv := range strings.Fields(v) {
			k, val, _ := strings.Cut(strings.Trim(kv, `"`), "=")
			out[k] = val
		}
	}
	return out
}

func TestSystemdUnits(t *testing.T) {
	for _, tc := range []struct {
		file, command, execStart string
	}{
		{"scosearch.service", "serve", "/usr/local/bin/scosearch serve"},
		{"scosearch-reindex.service", "reindex", "/usr/local/bin/scosearch reindex --quiet"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			u := parseUnit(t, tc.file)
			one := func(section, key, want string) {
				t.Helper()
				if got := values(u, section, key); len(got) != 1 || got[0] != want {
					t.Errorf("[%s] %s = %q, want %q", section, key, got, want)
				}
			}
			one("Service", "ExecStart", tc.execStart)
			one("Service", "DynamicUser", "yes")
			one("Service", "StateDirectory", "scosearch")
			one("Service", "NoNewPrivileges", "yes")
			one("Service", "ProtectSystem", "strict")
			one("Service", "ProtectHome", "yes")
			one("Service", "CapabilityBoundingSet", "")
			if tc.command == "serve" {
				one("Service", "Restart", "on-failure")
				one("Service", "ExecReload", "/bin/kill -HUP $MAINPID")
				one("Install", "WantedBy", "multi-user.target")
			}

			// Its variables are flags the command knows, and the index
			// lies under a path it may write.
			known := helpVariables(t, tc.command)
			env := envAssignments(u)
			for k := range env {
				if !slices.Contains(known, k) {
					t.Errorf("Environment=%s: scosearch %s knows no such variable (it knows %v)", k, tc.command, known)
				}
			}
			idx := env["SCOSEARCH_INDEX"]
			if idx == "" {
				t.Fatal("no SCOSEARCH_INDEX")
			}
			writable := false
			for _, p := range values(u, "Service", "ReadWritePaths") {
				writable = writable || strings.HasPrefix(idx+"/", strings.TrimRight(p, "/")+"/")
			}
			if !writable {
				t.Errorf("SCOSEARCH_INDEX=%s is not under ReadWritePaths %q", idx, values(u, "Service", "ReadWritePaths"))
			}
			if want := "/var/lib/" + values(u, "Service", "StateDirectory")[0]; !strings.HasPrefix(idx, want+"/") {
				t.Errorf("SCOSEARCH_INDEX=%s is not in the state directory %s", idx, want)
			}
		})
	}

	// systemd's own check, on copies whose ExecStart is the built binary
	// (verify wants an executable there). It exits 0 on unknown keys and
	// bad values, so any output is a failure.
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed: the units were checked by parsing only (apt-get install systemd)")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	var paths []string
	for _, name := range []string{"scosearch.service", "scosearch-reindex.service"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(b), "/usr/local/bin/scosearch", bin)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, sa, append([]string{"verify"}, paths...)...).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// dockerfile returns the instructions of the Dockerfile, continuation
// lines joined, comments dropped.
func dockerfile(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	cur := ""
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") || (line == "" && cur == "") {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur += strings.TrimSuffix(line, "\\") + " "
			continue
		}
		if cur+line != "" {
			out = append(out, strings.Join(strings.Fields(cur+line), " "))
		}
		cur = ""
	}
	return out
}

func TestDockerfile(t *testing.T) {
	lines := dockerfile(t)
	has := func(re string) []string {
		t.Helper()
		m := regexp.MustCompile(re)
		for _, l := range lines {
			if s := m.FindStringSubmatch(l); s != nil {
				return s
			}
		}
		t.Errorf("the Dockerfile has no line matching %s", re)
		return nil
	}

	// A build stage with a Go at least as new as go.mod's, building the
	// command static.
	if m := has(`^FROM golang:(\d+\.\d+)\S* AS build$`); m != nil {
		gomod, err := os.ReadFile("../go.mod")
		if err != nil {
			t.Fatal(err)
		}
		want := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
		if want == nil || versionLess(m[1], string(want[1])) {
			t.Errorf("builder Go %s is older than go.mod's %s", m[1], want)
		}
	}
	has(`^ENV CGO_ENABLED=0$`)
	has(`^RUN go build .* \./cmd/scosearch$`)
	has(`^COPY --from=build /out/scosearch /usr/local/bin/scosearch$`)

	// A non-root user.
	if m := has(`^USER (\S+)$`); m != nil {
		if u, _, _ := strings.Cut(m[1], ":"); u == "root" || u == "0" {
			t.Errorf("USER %s is root", m[1])
		}
	}
	// The index on a volume, the health check on /readyz of the address served.
	env := map[string]string{}
	for _, l := range lines {
		if strings.HasPrefix(l, "ENV ") {
			for _, kv := range strings.Fields(strings.TrimPrefix(l, "ENV ")) {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
		}
	}
	known := helpVariables(t, "serve")
	for k := range env {
		if strings.HasPrefix(k, "SCOSEARCH_") && !slices.Contains(known, k) {
			t.Errorf("ENV %s: serve knows no such variable", k)
		}
	}
	if m := has(`^VOLUME \["(\S+)"\]$`); m != nil && !strings.HasPrefix(env["SCOSEARCH_INDEX"], m[1]+"/") {
		t.Errorf("SCOSEARCH_INDEX=%q is not on the VOLUME %s", env["SCOSEARCH_INDEX"], m[1])
	}
	_, port, _ := strings.Cut(env["SCOSEARCH_ADDR"], ":")
	has(`^EXPOSE ` + regexp.QuoteMeta(port) + `$`)
	has(`^HEALTHCHECK .*CMD .*http://127\.0\.0\.1:` + regexp.QuoteMeta(port) + `/(readyz|healthz)`)
	has(`^ENTRYPOINT \["scosearch"\]$`)
	has(`^CMD \["serve"\]$`)
}

func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(pa), len(pb)) {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

// TestServesAsNobody runs the static binary as the unprivileged user
// nobody, as the units and the container do: it builds its index in a
// directory it owns from the bundled corpus, answers /readyz and a search,
// and stops cleanly on SIGTERM.
func TestServesAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("not root: cannot switch to user nobody (CI runs as root)")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("no user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	bin := buildBinary(t)

	state := filepath.Join(binary.dir, "state") // binary.dir is 0755
	if err := os.Mkdir(state, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(state, uid, gid); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = []string{"HOME=/nonexistent", "PATH=/usr/bin:/bin",
		"SCOSEARCH_ADDR=127.0.0.1:0", "SCOSEARCH_INDEX=" + filepath.Join(state, "index")}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	// The log, read as it comes, gives the address.
	var logMu sync.Mutex
	var log strings.Builder
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/)`)
		for sc.Scan() {
			logMu.Lock()
			log.WriteString(sc.Text() + "\n")
			logMu.Unlock()
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
	}()
	logged := func() string { logMu.Lock(); defer logMu.Unlock(); return log.String() }
	var base string
	select {
	case base = <-urls:
	case <-ctx.Done():
		t.Fatalf("serve as nobody did not start:\n%s", logged())
	}

	client := &http.Client{Timeout: 10 * time.Second}
	get := func(path string) (int, string) {
		resp, err := client.Get(base + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	ready := false
	for i := 0; i < 600 && !ready; i++ {
		code, _ := get("readyz")
		ready = code == 200
		if !ready {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !ready {
		t.Fatalf("/readyz never 200:\n%s", logged())
	}
	if code, body := get("api/search?q=%E9%98%BF%E5%AF%8C%E6%B1%97"); code != 200 || !strings.Contains(body, `"total":2`) { // 阿富汗
		t.Errorf("search as nobody: %d %s", code, body)
	}
	cur, err := os.Stat(filepath.Join(state, "index", "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	if st := cur.Sys().(*syscall.Stat_t); int(st.Uid) != uid {
		t.Errorf("the index belongs to uid %d, want nobody's %d", st.Uid, uid)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v\n%s", err, logged())
	}
}
