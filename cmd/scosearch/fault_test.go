package main

// Faults of a real reindex process (issue 8): kill -9 at several points and
// a full disk must leave the previous index servable; exit codes are 0, 1
// and 2. The tests run the scosearch binary, built once by TestMain.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/scosearch/scosearch/index"
)

// faultBinary is the scosearch binary built by TestMain ("" if the build
// failed: the tests that need it fail with faultBuildErr). testRoot is a
// directory for what the tests share, removed by TestMain.
var (
	faultBinary   string
	faultBuildErr error
	testRoot      string
)

// asMainEnv, set to 1 in the environment of the test binary, makes it run
// as the scosearch command (main) instead of the tests.
const asMainEnv = "SCOSEARCH_TEST_AS_MAIN"

// longTests reports whether the long versions of the fault tests run
// (SCOSEARCH_LONG=1, for a nightly run): more kill points on a larger
// corpus. The default run keeps the package within a few minutes on a
// loaded machine: every process of the binary loads the dictionary,
// seconds of CPU.
func longTests() bool { return os.Getenv("SCOSEARCH_LONG") == "1" }

func TestMain(m *testing.M) {
	// Run as the scosearch command when a test asks: bench re-executes
	// its own program ("serve" for the queries part), which in a test is
	// this test binary.
	if os.Getenv(asMainEnv) == "1" {
		main()
	}
	dir, err := os.MkdirTemp("", "scosearch-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testRoot = dir
	bin := filepath.Join(dir, "scosearch")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput()
	cancel()
	if err != nil {
		faultBuildErr = fmt.Errorf("go build: %v\n%s", err, out)
	} else {
		faultBinary = bin
	}
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func needBinary(t *testing.T) string {
	t.Helper()
	if faultBinary == "" {
		t.Fatal(faultBuildErr)
	}
	return faultBinary
}

// faultCorpusDir writes a corpus of docs copies of the bundled declaration,
// each paragraph numbered so that every copy differs: about 24 KB and 79
// paragraphs per copy.
func faultCorpusDir(t *testing.T, docs int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "2019-bishkek-declaration.zh.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var paras []string
	for _, p := range strings.Split(string(b), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, p)
		}
	}
	dir := t.TempDir()
	for i := 0; i < docs; i++ {
		var sb strings.Builder
		for j, p := range paras {
			fmt.Fprintf(&sb, "（%d-%d）%s\n\n", i, j, p)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("d%03d.zh.txt", i)), []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// reindexCmd returns the command of a reindex of corpusDir into indexDir.
func reindexCmd(ctx context.Context, bin, corpusDir, indexDir string, extra ...string) *exec.Cmd {
	args := append([]string{"reindex", "--corpus", corpusDir, "--index", indexDir}, extra...)
	return exec.CommandContext(ctx, bin, args...)
}

// servable opens the index at indexDir read-only as serve would, checks
// that it is the generation want (if not "") and holds paragraphs
// paragraphs (if not 0), and searches it.
func servable(t *testing.T, indexDir, want string, paragraphs int) {
	t.Helper()
	gen, err := index.Current(indexDir)
	if err != nil {
		t.Fatalf("the previous index is gone: %v", err)
	}
	if want != "" && gen != want {
		t.Errorf("current generation changed: %s, want %s", filepath.Base(gen), filepath.Base(want))
	}
	x, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatalf("the previous index cannot be opened: %v", err)
	}
	defer x.Close()
	if n, err := x.Bleve().DocCount(); err != nil || (paragraphs > 0 && n != uint64(paragraphs)) {
		t.Errorf("index holds %d paragraphs (%v), want %d", n, err, paragraphs)
	}
	q := bleve.NewMatchPhraseQuery("上合组织")
	q.SetField(index.FieldBigram)
	res, err := x.Bleve().Search(bleve.NewSearchRequest(q))
	if err != nil || res.Total == 0 {
		t.Errorf("search of the previous index: %d hits, %v", resTotal(res), err)
	}
}

func resTotal(r *bleve.SearchResult) uint64 {
	if r == nil {
		return 0
	}
	return r.Total
}

// killAt starts a full reindex and kills it with SIGKILL when stop says so
// (after a delay, or on a line of its progress output). It reports whether
// the process was killed (false: it finished first) and its output.
func killAt(t *testing.T, bin, corpusDir, indexDir string, delay time.Duration, onLine string) (killed bool, output string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := reindexCmd(ctx, bin, corpusDir, indexDir, "--full")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		out  strings.Builder
		seen = make(chan struct{})
		once sync.Once
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			out.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if onLine != "" && strings.Contains(sc.Text(), onLine) {
				once.Do(func() { close(seen) })
			}
		}
	}()
	var trigger <-chan time.Time
	if delay > 0 {
		trigger = time.After(delay)
	}
	select {
	case <-trigger:
	case <-seen:
	case <-done: // finished (or failed) before the kill point
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			killed = true
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if !killed && err != nil {
		t.Fatalf("reindex failed before it was killed: %v\n%s", err, out.String())
	}
	return killed, out.String()
}

// TestKillReindex kills a full reindex with SIGKILL at several points: after
// a delay from start-up, and as soon as it reports indexing, verifying and
// swapping (with SCOSEARCH_LONG=1: four delays and every stage, on a corpus
// twice as large). Each time the index in place (the previous one, or the
// new one when the kill came after the swap) opens read-only and answers a
// search, and the next reindex succeeds and leaves no leftovers.
func TestKillReindex(t *testing.T) {
	bin := needBinary(t)
	indexDir := t.TempDir()
	small := faultCorpusDir(t, 2)
	bigDocs := 12 // about 0.3 MB, 950 paragraphs: a second or more to index
	if longTests() {
		bigDocs = 24
	}
	big := faultCorpusDir(t, bigDocs)

	// The reindexes that are not killed run in this process: a process of
	// the binary costs a dictionary load.
	if _, err := index.Build(context.Background(), small, indexDir, index.BuildOptions{}); err != nil {
		t.Fatalf("first reindex: %v", err)
	}
	prev, err := index.Current(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	x, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	prevParagraphs := x.Meta().Paragraphs
	x.Close()

	type point struct {
		delay  time.Duration
		onLine string
	}
	points := []point{
		{time.Second, ""},
		{0, "reindex: indexing documents"},
		{0, "reindex: similar"},
		{0, "reindex: verify"},
		{0, "reindex: swap"},
	}
	if longTests() {
		points = append([]point{
			{200 * time.Millisecond, ""},
			{500 * time.Millisecond, ""},
			{2 * time.Second, ""},
			{0, "reindex: reading files"},
		}, points...)
	}
	var kills, finished int
	for _, p := range points {
		name := p.onLine
		if name == "" {
			name = "after " + p.delay.String()
		}
		t.Run(name, func(t *testing.T) {
			killed, output := killAt(t, bin, big, indexDir, p.delay, p.onLine)
			cur, err := index.Current(indexDir)
			if err != nil {
				t.Fatalf("after the kill: %v", err)
			}
			if cur == prev {
				servable(t, indexDir, prev, prevParagraphs)
			} else {
				servable(t, indexDir, cur, 0) // swapped before the kill: complete
			}
			if killed {
				kills++
			} else {
				finished++
				t.Logf("the reindex finished before the kill point; output:\n%s", output)
			}
			prev = cur
			if x, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true}); err == nil {
				prevParagraphs = x.Meta().Paragraphs
				x.Close()
			}
		})
	}
	t.Logf("%d reindex processes killed with SIGKILL, %d finished first", kills, finished)
	if kills == 0 {
		t.Error("no reindex was killed: the corpus is too small to test anything")
	}

	// A later reindex succeeds and removes what the killed ones left.
	code, out, errOut := runCmd("reindex", "--corpus", big, "--index", indexDir, "--quiet")
	if code != exitOK {
		t.Fatalf("reindex after the kills: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, fmt.Sprintf("Indexed %d documents", bigDocs)) && !strings.Contains(out, fmt.Sprintf("the index holds these %d documents", bigDocs)) {
		t.Errorf("reindex after the kills:\n%s", out)
	}
	servable(t, indexDir, "", 0)
	tmps, _ := filepath.Glob(filepath.Join(indexDir, "*.tmp"))
	if len(tmps) != 0 {
		t.Errorf("leftovers of the killed runs remain: %v", tmps)
	}
	code, out, errOut = runCmd("search", "--index", indexDir, "上合组织")
	if code != exitOK || !strings.Contains(out, "上合组织") {
		t.Errorf("scosearch search after the kills: exit %d\n%s%s", code, out, errOut)
	}
}

// TestReindexDiskFull runs a full reindex with a file-size limit
// (RLIMIT_FSIZE via prlimit, or ulimit -f in sh): the write that crosses it
// fails like a full disk. The reindex must exit 1 with a clear message,
// keep the previous index, and leave nothing behind.
func TestReindexDiskFull(t *testing.T) {
	bin := needBinary(t)
	indexDir := t.TempDir()
	corpusDir := faultCorpusDir(t, 6)
	// Only the reindex on a full disk needs a process of its own.
	if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
		t.Fatalf("first reindex: %v", err)
	}
	prev, _ := index.Current(indexDir)
	x, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	prevParagraphs := x.Meta().Paragraphs
	x.Close()

	const limit = 64 << 10 // bytes per file: smaller than a segment of this corpus
	args := []string{"reindex", "--corpus", corpusDir, "--index", indexDir, "--full", "--quiet"}
	var cmd *exec.Cmd
	if p, err := exec.LookPath("prlimit"); err == nil {
		cmd = exec.Command(p, append([]string{fmt.Sprintf("--fsize=%d", limit), bin}, args...)...)
	} else if sh, err := exec.LookPath("sh"); err == nil {
		cmd = exec.Command(sh, append([]string{"-c", fmt.Sprintf(`ulimit -f %d && exec "$0" "$@"`, limit/512), bin}, args...)...)
	} else {
		t.Skip("neither prlimit nor sh: cannot limit the file size")
	}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailure {
		t.Fatalf("reindex on a full disk: %v, want exit status %d\n%s", err, exitFailure, out)
	}
	msg := string(out)
	if !strings.Contains(msg, "file too large") || !strings.Contains(msg, "nothing was swapped") {
		t.Errorf("reindex on a full disk: the message does not say what failed and that nothing was swapped:\n%s", msg)
	}
	servable(t, indexDir, prev, prevParagraphs)
	tmps, _ := filepath.Glob(filepath.Join(indexDir, "*.tmp"))
	if len(tmps) != 0 {
		t.Errorf("the failed reindex left %v", tmps)
	}
	// Space again: the reindex succeeds.
	if code, out, errOut := runCmd("reindex", "--corpus", corpusDir, "--index", indexDir, "--full", "--quiet"); code != exitOK {
		t.Fatalf("reindex with space again: exit %d\n%s%s", code, out, errOut)
	}
	servable(t, indexDir, "", prevParagraphs)
}

// TestReindexExitCodes checks the exit status of the real binary.
func TestReindexExitCodes(t *testing.T) {
	bin := needBinary(t)
	corpusDir := faultCorpusDir(t, 1)
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "blank.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	indexDir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		long bool // only with SCOSEARCH_LONG=1: it loads the dictionary again
	}{
		{"success", []string{"reindex", "--quiet", "--corpus", corpusDir, "--index", indexDir}, exitOK, false},
		{"incremental success", []string{"reindex", "--quiet", "--corpus", corpusDir, "--index", indexDir}, exitOK, true},
		{"no documents", []string{"reindex", "--quiet", "--corpus", empty, "--index", indexDir}, exitFailure, false},
		{"missing corpus", []string{"reindex", "--corpus", filepath.Join(empty, "nope"), "--index", indexDir}, exitFailure, false},
		{"unknown flag", []string{"reindex", "--nope"}, exitUsage, false},
		{"extra argument", []string{"reindex", "--index", indexDir, "extra"}, exitUsage, false},
		{"bad shards", []string{"reindex", "--shards", "0", "--index", indexDir}, exitUsage, false},
		{"no command", nil, exitUsage, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.long && !longTests() {
				t.Skip("set SCOSEARCH_LONG=1 to run it")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, bin, tc.args...).CombinedOutput()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Errorf("exit status %d, want %d; output:\n%s", code, tc.code, out)
			}
		})
	}
	servable(t, indexDir, "", 0) // the failures did not touch it
}
