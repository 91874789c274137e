// Package bench measures scosearch at scale (issue 7): it indexes a large
// corpus with scosearch and with bleve's own cjk analyzer as a baseline,
// loads a real server on 127.0.0.1 with a fixed query mix and compares it to
// a brute-force substring scan, measures start-up, growth and shards, and
// writes a Markdown report. Builds re-execute the running program as
// "scosearch bench --child ...", the queries and start-up parts as
// "scosearch serve": the server users run, in its own process.
// See BENCHMARKS.md for the figures of a run.
package bench

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/scosearch/scosearch"
	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/corpus"
	"github.com/scosearch/scosearch/index/zh"
	"github.com/scosearch/scosearch/internal/archive"
	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// Bounds of the bench command's work.
const (
	benchChildLimit = time.Hour // one child build
)

// Sections returns the parts of a report, in order.
func Sections() []string { return []string{"index", "queries", "chars", "startup", "growth", "shards"} }

// Config is what a benchmark run does; the bench command fills it from its
// flags.
type Config struct {
	Corpus, Archive, Out, Work  string
	Index                       string // existing whole-corpus index, or ""
	Sections                    map[string]bool
	Shards                      []int
	Fractions                   []int // denominators: 8 means 1/8 of the files
	Queries1, QueriesConcurrent int   // queries sent with 1 and with Clients clients
	Clients                     int
	MaxLoad                     time.Duration // bound of each load run
	Isolate                     bool          // builds in child processes
	CPUProfile                  string
	Baseline                    bool // the cjk indexing baseline
	Keep                        bool
	Logger                      *slog.Logger
	Version                     string // of the program, for the report
}

// ParseSections parses a comma-separated list of Sections.
func ParseSections(s string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !slices.Contains(Sections(), p) {
			return nil, fmt.Errorf("--sections: unknown part %q (want some of %s)", p, strings.Join(Sections(), ","))
		}
		out[p] = true
	}
	return out, nil
}

// ParseInts parses a comma-separated list of integers in [lo, hi].
func ParseInts(s string, lo, hi int) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < lo || n > hi {
			return nil, fmt.Errorf("%q is not between %d and %d", p, lo, hi)
		}
		out = append(out, n)
	}
	return out, nil
}

// Run runs the parts of c and writes the report to w.
func Run(ctx context.Context, c Config, w io.Writer) error {
	work := c.Work
	if work == "" {
		d, err := os.MkdirTemp("", "scosearch-bench-")
		if err != nil {
			return fmt.Errorf("working directory: %w", err)
		}
		work = d
		if !c.Keep {
			defer os.RemoveAll(d)
		}
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return fmt.Errorf("working directory: %w", err)
	}
	corpusDir := c.Corpus
	corpusName := corpusDir
	if corpusDir == "" {
		corpusDir = filepath.Join(work, "corpus")
		c.Logger.Info("unpacking", "archive", c.Archive)
		if err := archive.Unpack(c.Archive, corpusDir); err != nil {
			return err
		}
		corpusName = filepath.Base(c.Archive) + " (unpacked)"
	}
	docs, problems, err := corpus.ReadDir(corpusDir, corpus.Options{})
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		return fmt.Errorf("corpus %q has no document", corpusDir)
	}
	text := textBytes(docs)
	paragraphs := 0
	for _, d := range docs {
		paragraphs += len(d.Paragraphs)
	}

	fmt.Fprintf(w, "# scosearch bench\n\n## Machine\n\n")
	machineTable(w, c.Version)
	fmt.Fprintf(w, "\nCorpus: %s: %d documents, %d paragraphs, %.1f MB of paragraph text, %d files skipped.\n",
		corpusName, len(docs), paragraphs, mb(text), len(problems))
	fmt.Fprintf(w, "Command: `scosearch bench %s`\n", strings.Join(os.Args[min(2, len(os.Args)):], " "))

	b := &bencher{c: c, work: work, corpusDir: corpusDir, docs: docs, textBytes: text, w: w}
	if c.Index != "" {
		x, err := index.Open(c.Index, index.OpenOptions{ReadOnly: true})
		if err != nil {
			return err
		}
		m, dir := x.Meta(), x.Dir()
		if err := x.Close(); err != nil {
			return err
		}
		disk, err := dirSize(dir)
		if err != nil {
			return err
		}
		b.fullIndex = c.Index
		b.fullBuild = &buildStat{Documents: len(m.Documents), Paragraphs: m.Paragraphs, Bytes: text, DiskBytes: disk, Dir: dir}
		fmt.Fprintf(w, "Whole-corpus index given with --index %s (%d shard(s), built %s): its build is not timed here.\n", c.Index, m.Shards, m.Built.Format(time.RFC3339))
	}
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"index", b.indexing},
		{"queries", b.queries},
		{"chars", b.chars},
		{"startup", b.startup},
		{"growth", b.growth},
		{"shards", b.shardsPart},
	}
	for _, s := range steps {
		if !c.Sections[s.name] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted: %w", err)
		}
		c.Logger.Info("bench: part", "name", s.name)
		if err := s.run(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	fmt.Fprintf(w, "\nLoad average at the end: %s\n", loadAvg())
	return nil
}

// bencher carries what the parts share.
type bencher struct {
	c         Config
	work      string
	corpusDir string
	docs      []corpus.Document
	textBytes int64
	w         io.Writer

	fullIndex string     // scosearch index of the whole corpus (1 shard)
	fullBuild *buildStat // its build
	mix       []benchQuery
}

// buildStat are the figures of one build.
type buildStat struct {
	Took       time.Duration `json:"took"`
	Documents  int           `json:"documents"`
	Paragraphs int           `json:"paragraphs"`
	Bytes      int64         `json:"bytes"`    // paragraph text indexed
	PeakRSS    int64         `json:"peak_rss"` // bytes
	DiskBytes  int64         `json:"disk"`     // index size on disk
	Dir        string        `json:"dir"`      // generation (scosearch) or index directory (cjk)
	RSSSource  string        `json:"rss_from"` // "rusage" or "VmHWM"
	CPU        time.Duration `json:"cpu"`      // user + system CPU time of the build
}

func (s *buildStat) mbps() float64 { return mb(s.Bytes) / max(s.Took.Seconds(), 1e-9) }

// procCPU is the user + system CPU time of process pid so far, from
// /proc/PID/stat (0 if unknown).
func procCPU(pid string) time.Duration {
	data, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

// build indexes corpusDir into indexDir with kind "build" (scosearch) or
// "cjk" (the baseline), in a child process when c.Isolate.
func (b *bencher) build(ctx context.Context, kind, corpusDir, indexDir string, shards int, profile string) (*buildStat, error) {
	if !b.c.Isolate {
		st, err := runBuild(ctx, kind, corpusDir, indexDir, shards, 0, profile)
		if err != nil {
			return nil, err
		}
		st.RSSSource = "VmHWM of the bench process (cumulative)"
		return st, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, benchChildLimit)
	defer cancel()
	args := []string{"bench", "--child", kind, "--corpus", corpusDir, "--child-index", indexDir, "--child-shards", strconv.Itoa(shards)}
	if profile != "" {
		args = append(args, "--cpuprofile", profile)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("child %s build: %w: %s", kind, err, lastLines(errOut.String(), 5))
	}
	var st buildStat
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		return nil, fmt.Errorf("child %s build: bad output %q: %w", kind, lastLines(out.String(), 3), err)
	}
	if rss, ok := childPeakRSS(cmd.ProcessState); ok {
		st.PeakRSS = rss
		st.RSSSource = "rusage of the child"
	}
	return &st, nil
}

// Child is the child process of one build ("scosearch bench --child"): it
// runs the build and writes its figures as JSON to stdout.
func Child(ctx context.Context, kind, corpusDir, indexDir string, shards, batch int, profile string, stdout io.Writer) error {
	st, err := runBuild(ctx, kind, corpusDir, indexDir, shards, batch, profile)
	if err != nil {
		return fmt.Errorf("child %s: %w", kind, err)
	}
	return json.NewEncoder(stdout).Encode(st)
}

// runBuild runs one build in this process.
func runBuild(ctx context.Context, kind, corpusDir, indexDir string, shards, batch int, profile string) (st *buildStat, err error) {
	cpu0 := cpuTime()
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	switch kind {
	case "build":
		rep, err := index.Build(ctx, corpusDir, indexDir, index.BuildOptions{Full: true, Shards: shards, BatchSize: batch})
		if err != nil {
			return nil, err
		}
		st = &buildStat{Took: rep.Took, Documents: rep.Documents, Paragraphs: rep.Paragraphs, Bytes: rep.Bytes, Dir: rep.Dir}
	case "cjk":
		st, err = buildCJK(ctx, corpusDir, indexDir)
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown build kind %q", kind)
	}
	st.DiskBytes, err = dirSize(st.Dir)
	if err != nil {
		return nil, err
	}
	st.PeakRSS = procStatusBytes("self", "VmHWM")
	st.CPU = cpuTime() - cpu0
	return st, nil
}

// cjkParagraph is what the baseline indexes of a paragraph.
type cjkParagraph struct {
	Doc  string `json:"doc"`
	Text string `json:"text"`
}

// buildCJK is the baseline: the same paragraphs, bleve's cjk analyzer on
// one stored text field with term vectors, a keyword doc field, scorch,
// BM25, batches of 1,000.
func buildCJK(ctx context.Context, corpusDir, indexDir string) (*buildStat, error) {
	start := time.Now()
	docs, _, err := corpus.ReadDir(corpusDir, corpus.Options{})
	if err != nil {
		return nil, err
	}
	dm := bleve.NewDocumentStaticMapping()
	kw := bleve.NewKeywordFieldMapping()
	dm.AddFieldMappingsAt("doc", kw)
	txt := bleve.NewTextFieldMapping()
	txt.Analyzer = cjk.AnalyzerName
	dm.AddFieldMappingsAt("text", txt)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = dm
	m.DefaultAnalyzer = cjk.AnalyzerName
	m.ScoringModel = bleveindex.BM25Scoring
	idx, err := bleve.NewUsing(indexDir, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create cjk index: %w", err)
	}
	st := &buildStat{Dir: indexDir, Documents: len(docs)}
	batch := idx.NewBatch()
	for _, d := range docs {
		for _, p := range d.Paragraphs {
			if err := batch.Index(index.ParagraphID(d.ID, p.N), cjkParagraph{Doc: d.ID, Text: p.Text}); err != nil {
				idx.Close()
				return nil, fmt.Errorf("cjk index: %w", err)
			}
			st.Paragraphs++
			st.Bytes += int64(len(p.Text))
			if batch.Size() >= index.DefaultBatchSize {
				if err := ctx.Err(); err != nil {
					idx.Close()
					return nil, err
				}
				if err := idx.Batch(batch); err != nil {
					idx.Close()
					return nil, fmt.Errorf("cjk index: %w", err)
				}
				batch.Reset()
			}
		}
	}
	if err := idx.Batch(batch); err != nil {
		idx.Close()
		return nil, fmt.Errorf("cjk index: %w", err)
	}
	n, err := idx.DocCount()
	if err != nil || n != uint64(st.Paragraphs) {
		idx.Close()
		return nil, fmt.Errorf("cjk index: %d paragraphs counted, %d indexed (%v)", n, st.Paragraphs, err)
	}
	if err := idx.Close(); err != nil {
		return nil, fmt.Errorf("cjk index: %w", err)
	}
	st.Took = time.Since(start)
	return st, nil
}

// ---- Part 2: indexing ----

func (b *bencher) indexing(ctx context.Context) error {
	w := b.w
	fmt.Fprintf(w, "\n## Indexing\n\nLoad average before: %s. Builds run %s.\n\n", loadAvg(), b.isolation())
	full, err := b.build(ctx, "build", b.corpusDir, filepath.Join(b.work, "index-1"), 1, b.c.CPUProfile)
	if err != nil {
		return err
	}
	b.fullIndex, b.fullBuild = filepath.Join(b.work, "index-1"), full
	var base *buildStat
	if b.c.Baseline {
		if base, err = b.build(ctx, "cjk", b.corpusDir, filepath.Join(b.work, "cjk"), 1, ""); err != nil {
			return err
		}
	}
	bundledDir, cleanup, err := scosearch.ExtractBundledCorpus()
	if err != nil {
		return err
	}
	defer cleanup()
	bundled, err := b.build(ctx, "build", bundledDir, filepath.Join(b.work, "index-bundled"), 1, "")
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "| build | paragraphs | text MB | wall s | MB/s | CPU s | MB per CPU s | peak RSS MB | index MB | index / text |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	row := func(name string, s *buildStat) {
		fmt.Fprintf(w, "| %s | %d | %.2f | %.1f | %.2f | %.1f | %.2f | %.0f | %.1f | %.2f |\n", name, s.Paragraphs, mb(s.Bytes),
			s.Took.Seconds(), s.mbps(), s.CPU.Seconds(), mb(s.Bytes)/max(s.CPU.Seconds(), 1e-9), mb(s.PeakRSS), mb(s.DiskBytes), float64(s.DiskBytes)/float64(max(s.Bytes, 1)))
	}
	row("scosearch (words + bigrams)", full)
	if base != nil {
		row("baseline: bleve cjk", base)
	}
	row("scosearch, bundled corpus", bundled)
	fmt.Fprintf(w, "\nPeak RSS from the %s.\n\n", full.RSSSource)
	fmt.Fprintf(w, "| goal | figure | met |\n|---|---|---|\n")
	if base != nil {
		r := full.Took.Seconds() / max(base.Took.Seconds(), 1e-9)
		rc := full.CPU.Seconds() / max(base.CPU.Seconds(), 1e-9)
		fmt.Fprintf(w, "| time ≤ 1.5× cjk baseline | %.2f× wall, %.2f× CPU | %s |\n", r, rc, met(r <= 1.5))
	}
	fmt.Fprintf(w, "| peak RSS < 1.5 GB | %.0f MB | %s |\n", mb(full.PeakRSS), met(full.PeakRSS < 1500e6))
	r := float64(full.DiskBytes) / float64(max(full.Bytes, 1))
	fmt.Fprintf(w, "| index < 4× text | %.2f× | %s |\n", r, met(r < 4))
	if b.c.CPUProfile != "" {
		fmt.Fprintf(w, "\nCPU profile of the full build: `%s` (`go tool pprof -top %s`).\n", b.c.CPUProfile, b.c.CPUProfile)
	}
	return nil
}

func (b *bencher) isolation() string {
	if b.c.Isolate {
		return "in child processes (peak RSS from their rusage)"
	}
	return "in the bench process (peak RSS is its VmHWM so far)"
}

// ensureFullIndex builds the whole-corpus index if the index part did not.
func (b *bencher) ensureFullIndex(ctx context.Context) error {
	if b.fullIndex != "" {
		return nil
	}
	dir := filepath.Join(b.work, "index-1")
	st, err := b.build(ctx, "build", b.corpusDir, dir, 1, "")
	if err != nil {
		return err
	}
	b.fullIndex, b.fullBuild = dir, st
	return nil
}

// ---- Part 3: queries ----

// benchQuery is one query of the mix and what the scan baseline does for it.
type benchQuery struct {
	Class string // word, phrase, filtered, rare, common
	Q     string // the query string sent to /api/search
	Keys  []string
	Doc   string // filter: doc id (sent as doc=)
	Year  string // filter: year (sent as year=, unless InQuery)
	// InQuery: the filter is written in Q (year:Y), not sent as a parameter.
	InQuery bool
}

// String is the query as shown in the report.
func (q benchQuery) String() string {
	s := q.Q
	if q.Doc != "" {
		s += " [doc=" + q.Doc + "]"
	}
	if q.Year != "" && !q.InQuery {
		s += " [year=" + q.Year + "]"
	}
	return s
}

// values are the URL parameters of q for /api/search.
func (q benchQuery) values() url.Values {
	v := url.Values{"q": {q.Q}}
	if q.Doc != "" {
		v.Set("doc", q.Doc)
	}
	if q.Year != "" && !q.InQuery {
		v.Set("year", q.Year)
	}
	return v
}

// request is q as a search.Request.
func (q benchQuery) request() search.Request {
	r := search.Request{Query: q.Q, Doc: q.Doc}
	if !q.InQuery {
		r.Year = q.Year
	}
	return r
}

// queryMix builds the fixed mix. The filters are taken from the corpus
// (its largest document, its most frequent year) so the same mix works on
// any corpus.
func queryMix(docs []corpus.Document) []benchQuery {
	bigDoc, years := "", map[string]int{}
	most := -1
	for _, d := range docs {
		if len(d.Paragraphs) > most {
			bigDoc, most = d.ID, len(d.Paragraphs)
		}
		if len(d.Date) >= 4 {
			years[d.Date[:4]] += len(d.Paragraphs)
		}
	}
	topYear, n := "", 0
	for y, c := range years {
		if c > n || c == n && y < topYear {
			topYear, n = y, c
		}
	}
	q := func(class, s string, keys ...string) benchQuery {
		return benchQuery{Class: class, Q: s, Keys: keys}
	}
	mix := []benchQuery{
		q("word", "合同", "合同"),
		q("word", "劳动者", "劳动者"),
		q("word", "知识产权", "知识产权"),
		q("word", "环境保护", "环境保护"),
		q("word", "人民法院 判决", "人民法院", "判决"),
		q("phrase", `"不可抗力"`, "不可抗力"),
		q("phrase", `"正当防卫"`, "正当防卫"),
		q("phrase", `"个人信息"`, "个人信息"),
		q("phrase", `"上海合作组织"`, "上海合作组织"),
		q("rare", "见义勇为", "见义勇为"),
		q("rare", `"无人驾驶"`, "无人驾驶"),
		q("rare", "比什凯克", "比什凯克"),
		q("rare", `"网络安全审查"`, "网络安全审查"),
		q("common", "国家", "国家"),
		q("common", "人民", "人民"),
	}
	// Filters go as the API's doc= and year= parameters: document ids of
	// the laws corpus hold parentheses, which the query language reads as
	// grouping.
	if bigDoc != "" {
		mix = append(mix, benchQuery{Class: "filtered", Q: "规定", Keys: []string{"规定"}, Doc: bigDoc})
	}
	if topYear != "" {
		mix = append(mix, benchQuery{Class: "filtered", Q: "国家", Keys: []string{"国家"}, Year: topYear})
		mix = append(mix, benchQuery{Class: "filtered", Q: "国家 year:" + topYear, Keys: []string{"国家"}, Year: topYear, InQuery: true})
	}
	for i := range mix {
		for j, k := range mix[i].Keys {
			mix[i].Keys[j] = zh.Key(k)
		}
	}
	return mix
}

// scanner is the brute-force baseline: every paragraph's zh.Key in memory.
type scanner struct {
	keys  []string
	docs  []string
	years []string
}

func newScanner(docs []corpus.Document) *scanner {
	s := &scanner{}
	for _, d := range docs {
		year := ""
		if len(d.Date) >= 4 {
			year = d.Date[:4]
		}
		for _, p := range d.Paragraphs {
			s.keys = append(s.keys, zh.Key(p.Text))
			s.docs = append(s.docs, d.ID)
			s.years = append(s.years, year)
		}
	}
	return s
}

// scan counts the paragraphs containing every key of q, within its filters.
func (s *scanner) scan(q benchQuery) int {
	n := 0
	for i, k := range s.keys {
		if q.Doc != "" && s.docs[i] != q.Doc || q.Year != "" && s.years[i] != q.Year {
			continue
		}
		ok := true
		for _, key := range q.Keys {
			if !strings.Contains(k, key) {
				ok = false
				break
			}
		}
		if ok {
			n++
		}
	}
	return n
}

// loadResult is the outcome of one load run.
type loadResult struct {
	lat      []time.Duration // all, sorted
	byQuery  map[int][]time.Duration
	errors   int
	took     time.Duration
	sent     int
	firstErr string
}

func (r *loadResult) qps() float64 { return float64(r.sent) / max(r.took.Seconds(), 1e-9) }

// load sends up to n queries of mix (round robin) from clients goroutines to
// base/api/search, stopping after maxDur.
func load(ctx context.Context, client *http.Client, base string, mix []benchQuery, clients, n int, maxDur time.Duration) *loadResult {
	ctx, cancel := context.WithTimeout(ctx, maxDur)
	defer cancel()
	var next atomic.Int64
	var mu sync.Mutex
	res := &loadResult{byQuery: map[int][]time.Duration{}}
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				qi := i % len(mix)
				t0 := time.Now()
				_, err := apiSearch(ctx, client, base, mix[qi])
				d := time.Since(t0)
				if ctx.Err() != nil && err != nil {
					return // the time bound, not an error of the server
				}
				mu.Lock()
				res.sent++
				if err != nil {
					res.errors++
					if res.firstErr == "" {
						res.firstErr = err.Error()
					}
				} else {
					res.lat = append(res.lat, d)
					res.byQuery[qi] = append(res.byQuery[qi], d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.took = time.Since(start)
	slices.Sort(res.lat)
	for _, l := range res.byQuery {
		slices.Sort(l)
	}
	return res
}

// apiResult is the part of the /api/search answer the bench reads.
type apiResult struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		ID  string `json:"id"`
		Doc string `json:"doc"`
	} `json:"hits"`
}

func apiSearch(ctx context.Context, client *http.Client, base string, q benchQuery) (*apiResult, error) {
	return getJSON(ctx, client, base+"/api/search?"+q.values().Encode())
}

// getJSON gets u and reads the answer as an apiResult; any status but 200
// is an error.
func getJSON(ctx context.Context, client *http.Client, u string) (*apiResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d: %s", u, resp.StatusCode, lastLines(string(body), 1))
	}
	var r apiResult
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return &r, nil
}

// server is an in-process scosearch server on 127.0.0.1:0.
type server struct {
	engine *search.Engine
	base   string
	client *http.Client
	stop   func()
}

func startServer(ctx context.Context, indexDir string, opts ...search.Option) (*server, error) {
	engine, err := search.Open(indexDir, opts...)
	if err != nil {
		return nil, err
	}
	srv, err := web.New(engine, web.Options{})
	if err != nil {
		engine.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		engine.Close()
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(sctx, ln)
	}()
	tr := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}
	s := &server{engine: engine, base: "http://" + ln.Addr().String(), client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
	s.stop = func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
		}
		tr.CloseIdleConnections()
		engine.Close()
	}
	return s, nil
}

func (b *bencher) queries(ctx context.Context) error {
	if err := b.ensureFullIndex(ctx); err != nil {
		return err
	}
	w := b.w
	b.mix = append(queryMix(b.docs), distinctMix(b.docs, judgedQuestions(), mixPerClass)...)
	// The server users run, in its own process: the bench holds the whole
	// corpus for the scan baseline, and its heap must not weigh on the
	// server's garbage collector.
	s, err := startServe(ctx, b.fullIndex, "--no-cache")
	if err != nil {
		return err
	}
	defer s.stop()
	gogc := cmp.Or(procEnv(s.pid, "GOGC"), "unset (100)")
	fmt.Fprintf(w, "\n## Queries (uncached)\n\nLoad average before: %s. Server: `scosearch serve --no-cache` as a child process on %s (the engine's result and facet caches OFF), index of the whole corpus (1 shard). The child inherits the bench's environment, so `GOGC=200 scosearch bench ...` sets GOGC for it too (its GOGC: %s); its log, a line per request, goes to a temporary file. %d distinct queries (a fixed set and about %d drawn from the corpus per class, fixed seed); each load run is bounded by %d queries and %s.\n\n",
		loadAvg(), s.base, gogc, len(b.mix), mixPerClass, b.c.Queries1, b.c.MaxLoad)

	// The first request of each query, after one warm-up query that loads
	// the gse dictionary; totals recorded.
	totals := make([]uint64, len(b.mix))
	cold := make([]time.Duration, len(b.mix))
	if _, err := apiSearch(ctx, s.client, s.base, benchQuery{Q: "上海合作组织成员国元首理事会"}); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	for i, q := range b.mix {
		t0 := time.Now()
		r, err := apiSearch(ctx, s.client, s.base, q)
		if err != nil {
			return fmt.Errorf("first request: %w", err)
		}
		cold[i] = time.Since(t0)
		totals[i] = r.Total
	}

	// Baseline: the brute-force scan, timed per query (median of 3).
	sc := newScanner(b.docs)
	scanMed := make([]time.Duration, len(b.mix))
	scanHits := make([]int, len(b.mix))
	for i, q := range b.mix {
		var ds []time.Duration
		for range 3 {
			t0 := time.Now()
			scanHits[i] = sc.scan(q)
			ds = append(ds, time.Since(t0))
		}
		slices.Sort(ds)
		scanMed[i] = ds[len(ds)/2]
	}

	// CPU of serve (from /proc) and of the bench, the client, per run.
	// and its garbage collector's work, from its /metrics.
	cpu0, serve0, gc0 := cpuTime(), procCPU(s.pid), goMetrics(ctx, s)
	one := load(ctx, s.client, s.base, b.mix, 1, max(b.c.Queries1, len(b.mix)), b.c.MaxLoad)
	cpu1, serve1, gc1 := cpuTime(), procCPU(s.pid), goMetrics(ctx, s)
	many := load(ctx, s.client, s.base, b.mix, b.c.Clients, b.c.QueriesConcurrent, b.c.MaxLoad)
	cpu2, serve2, gc2 := cpuTime(), procCPU(s.pid), goMetrics(ctx, s)
	rss, rssAnon, rssFile, hwm := procStatusBytes(s.pid, "VmRSS"), procStatusBytes(s.pid, "RssAnon"), procStatusBytes(s.pid, "RssFile"), procStatusBytes(s.pid, "VmHWM")
	loadAfter := loadAvg()
	s.stop() // before diagnose opens its own engine

	// Per class: the engine (1 client) beside the scan of the same queries.
	fmt.Fprintf(w, "| class | queries | 1 client p50 ms | p99 ms | max ms | scan p50 ms | scan p50 / engine p50 |\n|---|---:|---:|---:|---:|---:|---:|\n")
	classes := append([]string{}, mixClasses...)
	for _, q := range b.mix {
		if !slices.Contains(classes, q.Class) {
			classes = append(classes, q.Class)
		}
	}
	var rareRatios, rarePhraseRatios []float64
	slowestClass, slowestRatio := "", 0.0
	for _, class := range classes {
		var lat, scans []time.Duration
		n := 0
		for i, q := range b.mix {
			if q.Class != class {
				continue
			}
			n++
			lat = append(lat, one.byQuery[i]...)
			scans = append(scans, scanMed[i])
			if totals[i] < 100 && len(one.byQuery[i]) > 0 {
				r := scanMed[i].Seconds() / max(pct(one.byQuery[i], 50).Seconds(), 1e-9)
				switch {
				case q.Class == "rare":
					rareRatios = append(rareRatios, r)
				case q.Class == "phrase":
					rarePhraseRatios = append(rarePhraseRatios, r)
				}
			}
		}
		if n == 0 {
			continue
		}
		slices.Sort(lat)
		slices.Sort(scans)
		ratio := pct(scans, 50).Seconds() / max(pct(lat, 50).Seconds(), 1e-9)
		if slowestClass == "" || ratio < slowestRatio {
			slowestClass, slowestRatio = class, ratio
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %.1f× |\n", class, n, ms(pct(lat, 50)), ms(pct(lat, 99)), ms(pct(lat, 100)), ms(pct(scans, 50)), ratio)
	}

	// The slowest queries, to see what costs.
	order := make([]int, len(b.mix))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, c int) int { return cmp.Compare(pct(one.byQuery[c], 50), pct(one.byQuery[a], 50)) })
	fmt.Fprintf(w, "\nThe 12 slowest queries (1 client):\n\n| query | class | hits | scan hits | p50 ms | first request ms | scan ms |\n|---|---|---:|---:|---:|---:|---:|\n")
	for _, i := range order[:min(12, len(order))] {
		q := b.mix[i]
		fmt.Fprintf(w, "| `%s` | %s | %d | %d | %s | %s | %s |\n", q, q.Class, totals[i], scanHits[i], ms(pct(one.byQuery[i], 50)), ms(cold[i]), ms(scanMed[i]))
	}

	var scanAll []time.Duration
	for i := range b.mix {
		scanAll = append(scanAll, scanMed[i])
	}
	slices.Sort(scanAll)
	fmt.Fprintf(w, "\n| load | queries | errors | p50 ms | p99 ms | max ms | q/s |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range []struct {
		name string
		r    *loadResult
	}{{"1 client", one}, {fmt.Sprintf("%d clients", b.c.Clients), many}} {
		fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s | %.0f |\n", r.name, r.r.sent, r.r.errors, ms(pct(r.r.lat, 50)), ms(pct(r.r.lat, 99)), ms(pct(r.r.lat, 100)), r.r.qps())
	}
	coldAll := slices.Clone(cold)
	slices.Sort(coldAll)
	fmt.Fprintf(w, "| first request of each query (1 client) | %d | 0 | %s | %s | %s | %.0f |\n", len(coldAll), ms(pct(coldAll, 50)), ms(pct(coldAll, 99)), ms(pct(coldAll, 100)),
		float64(len(coldAll))/max(sumDur(coldAll).Seconds(), 1e-9))
	fmt.Fprintf(w, "| baseline: scan, per query of the mix | %d | 0 | %s | %s | %s | %.0f |\n", len(scanAll), ms(pct(scanAll, 50)), ms(pct(scanAll, 99)), ms(pct(scanAll, 100)),
		float64(len(scanAll))/max(sumDur(scanAll).Seconds(), 1e-9))
	fmt.Fprintf(w, "\n| serve (child process) | 1 client | %d clients |\n|---|---:|---:|\n", b.c.Clients)
	perQuery := func(d time.Duration, n int) string {
		if n == 0 {
			return "–"
		}
		return ms(d / time.Duration(n))
	}
	fmt.Fprintf(w, "| CPU of serve per query, ms (/proc, 10 ms ticks) | %s | %s |\n", perQuery(serve1-serve0, one.sent), perQuery(serve2-serve1, many.sent))
	fmt.Fprintf(w, "| CPU of the bench (the client) per query, ms | %s | %s |\n", perQuery(cpu1-cpu0, one.sent), perQuery(cpu2-cpu1, many.sent))
	if gc0 != nil && gc1 != nil && gc2 != nil {
		const cycles, pause, alloc = "go_gc_duration_seconds_count", "go_gc_duration_seconds_sum", "go_memstats_alloc_bytes_total"
		perQ := func(a, b map[string]float64, name string, n int, scale float64) string {
			return strconv.FormatFloat((b[name]-a[name])*scale/float64(max(n, 1)), 'f', 2, 64)
		}
		fmt.Fprintf(w, "| garbage collections of serve | %.0f | %.0f |\n", gc1[cycles]-gc0[cycles], gc2[cycles]-gc1[cycles])
		fmt.Fprintf(w, "| stop-the-world GC pauses of serve per query, ms | %s | %s |\n", perQ(gc0, gc1, pause, one.sent, 1e3), perQ(gc1, gc2, pause, many.sent, 1e3))
		fmt.Fprintf(w, "| allocated by serve per query, MB | %s | %s |\n", perQ(gc0, gc1, alloc, one.sent, 1e-6), perQ(gc1, gc2, alloc, many.sent, 1e-6))
	}
	fmt.Fprintf(w, "\nMemory of serve after the load runs: RSS %.0f MB, of which anonymous (Go heap and runtime) %.0f MB and file pages (mmapped index, binary) %.0f MB; peak RSS (VmHWM) %.0f MB. Load average after the load runs: %s.\n",
		mb(rss), mb(rssAnon), mb(rssFile), mb(hwm), loadAfter)
	if one.firstErr != "" || many.firstErr != "" {
		fmt.Fprintf(w, "\nFirst error: %s %s\n", one.firstErr, many.firstErr)
	}
	medRatio := pct(scanAll, 50).Seconds() / max(pct(one.lat, 50).Seconds(), 1e-9)
	fmt.Fprintf(w, "\n| goal (issue 13, uncached) | figure | met |\n|---|---|---|\n")
	fmt.Fprintf(w, "| 1 client p50 ≤ 5 ms | %s ms | %s |\n", ms(pct(one.lat, 50)), met(pct(one.lat, 50) <= 5*time.Millisecond))
	fmt.Fprintf(w, "| 1 client p99 ≤ 50 ms | %s ms | %s |\n", ms(pct(one.lat, 99)), met(pct(one.lat, 99) <= 50*time.Millisecond))
	fmt.Fprintf(w, "| no class slower than the scan (worst: %s) | %.1f× | %s |\n", slowestClass, slowestRatio, met(slowestRatio >= 1))
	fmt.Fprintf(w, "| ≥ 10× the scan at the median | %.1f× | %s |\n", medRatio, met(medRatio >= 10))
	if len(rareRatios) > 0 {
		slices.Sort(rareRatios)
		fmt.Fprintf(w, "| ≥ 100× the scan for rare queries (< 100 hits; median of %d) | %.0f× | %s |\n", len(rareRatios), rareRatios[len(rareRatios)/2], met(rareRatios[len(rareRatios)/2] >= 100))
	}
	if len(rarePhraseRatios) > 0 {
		// the quoted phrases of the mix (class phrase) that are rare
		slices.Sort(rarePhraseRatios)
		fmt.Fprintf(w, "| ≥ 100× the scan for rare quoted phrases (< 100 hits; median of %d) | %.0f× | %s |\n", len(rarePhraseRatios), rarePhraseRatios[len(rarePhraseRatios)/2], met(rarePhraseRatios[len(rarePhraseRatios)/2] >= 100))
	}
	fmt.Fprintf(w, "| %d clients ≥ 300 q/s, p99 ≤ 100 ms, 0 errors | %.0f q/s, p99 %s ms, %d errors | %s |\n", b.c.Clients, many.qps(), ms(pct(many.lat, 99)), many.errors,
		met(many.qps() >= 300 && pct(many.lat, 99) <= 100*time.Millisecond && many.errors == 0))
	return b.diagnose(ctx)
}

// mixPerClass is how many distinct queries of each class the mix draws.
const mixPerClass = 30

// judgedQuestions returns the question-style judged queries of
// testdata/searches.json (when the bench runs from the repository), for
// the question class of the mix.
func judgedQuestions() []string {
	data, err := os.ReadFile(filepath.Join("testdata", "searches.json"))
	if err != nil {
		return nil
	}
	var cases []struct{ Query, Kind string }
	if json.Unmarshal(data, &cases) != nil {
		return nil
	}
	var out []string
	for _, c := range cases {
		if c.Kind == "question" {
			out = append(out, c.Query)
		}
	}
	return out
}

// diagnose times the engine in process, without its caches, for common
// queries, beside the cheapest bleve request that could answer them (the
// word's exact-substring query alone, zh.SubstringQuery as the engine
// builds it: 10 hits, no fields, no facets), to show how far the engine's
// own work is from bleve's floor.
func (b *bencher) diagnose(ctx context.Context) error {
	w := b.w
	e, err := search.Open(b.fullIndex, search.WithoutCache())
	if err != nil {
		return err
	}
	defer e.Close()
	x, err := index.Open(b.fullIndex, index.OpenOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer x.Close()
	fmt.Fprintf(w, "\n### Where the time of a common query goes (in process, no HTTP, caches off, median of 7, ms)\n\n")
	cols := []string{"Engine.Search", "NoCollapse", "date sort", "substring query alone, 10 hits"}
	fmt.Fprintf(w, "| query | hits | %s |\n|---|---:|%s\n", strings.Join(cols, " | "), strings.Repeat("---:|", len(cols)))
	for _, q := range []string{"国家", "人民", "合同", "见义勇为"} {
		var total uint64
		med := func(f func() error) (string, error) {
			var ds []time.Duration
			for range 7 {
				t0 := time.Now()
				if err := f(); err != nil {
					return "", err
				}
				ds = append(ds, time.Since(t0))
			}
			slices.Sort(ds)
			return ms(ds[len(ds)/2]), nil
		}
		engine := func(r search.Request) func() error {
			return func() error {
				res, err := e.Search(ctx, r)
				if err == nil {
					total = res.Total
				}
				return err
			}
		}
		substring := zh.SubstringQuery(index.FieldBigram, index.FieldChar, q)
		floor := func() error {
			_, err := x.Bleve().SearchInContext(ctx, bleve.NewSearchRequestOptions(substring, 10, 0, false))
			return err
		}
		cells := []func() error{
			engine(search.Request{Query: q}),
			engine(search.Request{Query: q, NoCollapse: true}),
			engine(search.Request{Query: q, Sort: search.SortDate}),
			floor,
		}
		var out []string
		for _, f := range cells {
			v, err := med(f)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		fmt.Fprintf(w, "| `%s` | %d | %s |\n", q, total, strings.Join(out, " | "))
	}
	return nil
}

// ---- Part 4: start-up ----

func (b *bencher) startup(ctx context.Context) error {
	if err := b.ensureFullIndex(ctx); err != nil {
		return err
	}
	w := b.w
	fmt.Fprintf(w, "\n## Start-up\n\nLoad average before: %s.\n\n", loadAvg())
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute) // start-up and the long load
	defer cancel()
	child, err := startServe(ctx, b.fullIndex)
	if err != nil {
		return err
	}
	defer child.stop()
	start, base, client, pid := child.started, child.base, child.client, child.pid
	healthz, err := firstAnswer(ctx, client, base+"/healthz")
	if err != nil {
		return err
	}
	tHealth := time.Since(start)
	cpuHealth := procCPU(pid)
	_ = healthz
	if _, err := apiSearch(ctx, client, base, benchQuery{Q: "国家"}); err != nil {
		return err
	}
	tSearch := time.Since(start)
	cpuSearch := procCPU(pid)
	rssAfterFirst := procStatusBytes(pid, "VmRSS")
	for _, q := range queryMix(b.docs) {
		if _, err := apiSearch(ctx, client, base, q); err != nil {
			return err
		}
	}
	// A long load of distinct requests, with serve's caches on as in use:
	// every query of the distinct mix, pages 1 to 3, by relevance and by
	// date, then the document page of its first hit.
	mix := append(queryMix(b.docs), distinctMix(b.docs, judgedQuestions(), mixPerClass)...)
	loadStart, requests := time.Now(), 0
	for _, q := range mix {
		for _, sort := range []string{"", "date"} {
			for from := 0; from < 30; from += 10 {
				v := q.values()
				v.Set("from", strconv.Itoa(from))
				if sort != "" {
					v.Set("sort", sort)
				}
				r, err := getJSON(ctx, client, base+"/api/search?"+v.Encode())
				if err != nil {
					return err
				}
				requests++
				if from == 0 && sort == "" && len(r.Hits) > 0 {
					if _, err := getJSON(ctx, client, base+"/api/docs/"+url.PathEscape(r.Hits[0].Doc)); err != nil {
						return err
					}
					requests++
				}
			}
		}
	}
	loadTook := time.Since(loadStart)
	time.Sleep(2 * time.Second)
	rssIdle := procStatusBytes(pid, "VmRSS")
	rssAnon, rssFile := procStatusBytes(pid, "RssAnon"), procStatusBytes(pid, "RssFile")
	hwm := procStatusBytes(pid, "VmHWM")
	fmt.Fprintf(w, "`scosearch serve` started as a child process on the whole-corpus index.\n\n")
	fmt.Fprintf(w, "| figure | value | goal | met |\n|---|---:|---|---|\n")
	fmt.Fprintf(w, "| start to first /healthz | %s ms | | |\n", ms(tHealth))
	fmt.Fprintf(w, "| start to first /api/search answered (`国家`) | %s ms | < 2 s | %s |\n", ms(tSearch), met(tSearch < 2*time.Second))
	fmt.Fprintf(w, "| CPU time of serve to first /healthz | %s ms | | |\n", ms(cpuHealth))
	fmt.Fprintf(w, "| CPU time of serve to first /api/search | %s ms | | |\n", ms(cpuSearch))
	fmt.Fprintf(w, "| RSS after the first search | %.0f MB | | |\n", mb(rssAfterFirst))
	fmt.Fprintf(w, "| distinct requests of the long load (searches: %d queries × 3 pages × 2 orders; document pages) | %d in %s s | | |\n", len(mix), requests, strconv.FormatFloat(loadTook.Seconds(), 'f', 1, 64))
	fmt.Fprintf(w, "| RSS idle, after the long load | %.0f MB | ≤ 400 MB | %s |\n", mb(rssIdle), met(rssIdle <= 400e6))
	fmt.Fprintf(w, "| of which anonymous (Go heap and runtime) | %.0f MB | | |\n", mb(rssAnon))
	fmt.Fprintf(w, "| of which file pages (mmapped index segments, binary) | %.0f MB | | |\n", mb(rssFile))
	fmt.Fprintf(w, "| peak RSS (VmHWM) | %.0f MB | | |\n", mb(hwm))
	return nil
}

// serveChild is "scosearch serve" run as a child process on 127.0.0.1:0:
// the server users run, in its own process, with its own heap and garbage
// collector. It inherits the bench's environment (GOGC, GOMEMLIMIT).
type serveChild struct {
	base    string // http://127.0.0.1:PORT
	pid     string
	started time.Time // just before the process started
	client  *http.Client
	stop    func() // interrupts serve and waits for it (kills it after 20 s); idempotent
}

// startServe starts the running program as "serve" on indexDir with the
// extra flags and returns once it listens (its "serving" log line, which
// holds the address). Its log (a line per request) goes to a temporary
// file, as to a log file or journal, not to a pipe the bench must drain:
// a full pipe would stall serve's requests on its logger. The child ends
// with ctx or stop.
func startServe(ctx context.Context, indexDir string, extra ...string) (*serveChild, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	logFile, err := os.CreateTemp("", "scosearch-bench-serve-*.log")
	if err != nil {
		return nil, fmt.Errorf("serve's log: %w", err)
	}
	logPath := logFile.Name()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--index", indexDir, "--reload-interval", "0"}, extra...)
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Stderr = logFile
	started := time.Now()
	err = cmd.Start()
	logFile.Close() // the child has its own descriptor
	if err != nil {
		os.Remove(logPath)
		return nil, fmt.Errorf("start serve: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	tr := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			tr.CloseIdleConnections()
			_ = cmd.Process.Signal(os.Interrupt)
			select {
			case <-exited:
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
			}
			os.Remove(logPath)
		})
	}
	// The address is in the "serving" log line.
	for {
		data, err := os.ReadFile(logPath)
		if err != nil {
			stop()
			return nil, fmt.Errorf("serve's log: %w", err)
		}
		if i := bytes.Index(data, []byte("url=http://")); i >= 0 {
			if f := strings.Fields(string(data[i+len("url="):])); len(f) > 0 && bytes.IndexByte(data[i:], '\n') >= 0 {
				return &serveChild{base: strings.TrimSuffix(f[0], "/"), pid: strconv.Itoa(cmd.Process.Pid), started: started,
					client: &http.Client{Transport: tr, Timeout: 30 * time.Second}, stop: stop}, nil
			}
		}
		select {
		case <-exited:
			stop()
			return nil, fmt.Errorf("serve exited without serving: %s", lastLines(string(data), 3))
		case <-ctx.Done():
			stop()
			return nil, fmt.Errorf("serve did not start: %w", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// goMetrics reads the unlabelled samples of serve's /metrics (the Go
// runtime's among them), or nil if it cannot.
func goMetrics(ctx context.Context, s *serveChild) map[string]float64 {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/metrics", nil)
	if err != nil {
		return nil
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(io.LimitReader(resp.Body, 4<<20))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 || strings.HasPrefix(f[0], "#") || strings.Contains(f[0], "{") {
			continue
		}
		if v, err := strconv.ParseFloat(f[1], 64); err == nil {
			out[f[0]] = v
		}
	}
	return out
}

// procEnv returns the value of the variable name in the environment
// process pid started with ("" if unset or unknown).
func procEnv(pid, name string) string {
	data, err := os.ReadFile(filepath.Join("/proc", pid, "environ"))
	if err != nil {
		return ""
	}
	for _, kv := range strings.Split(string(data), "\x00") {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// firstAnswer polls url until it answers 200, for at most ctx.
func firstAnswer(ctx context.Context, client *http.Client, u string) (time.Duration, error) {
	start := time.Now()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return 0, err
		}
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("%s never answered: %w", u, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// ---- Part 5: growth ----

func (b *bencher) growth(ctx context.Context) error {
	if err := b.ensureFullIndex(ctx); err != nil {
		return err
	}
	w := b.w
	fmt.Fprintf(w, "\n## Growth\n\nLoad average before: %s. Subsets: every N-th corpus file in sorted path order.\n\n", loadAvg())
	fmt.Fprintf(w, "| fraction | documents | paragraphs | text MB | build wall s | build CPU s | MB/s | peak RSS MB | index MB | cold p50 ms | cold max ms | repeated p50 ms | repeated p99 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	files, err := corpusFiles(b.corpusDir)
	if err != nil {
		return err
	}
	if b.mix == nil {
		b.mix = queryMix(b.docs)
	}
	type point struct {
		frac  string
		bytes int64
		took  time.Duration
		cpu   time.Duration
		p99   time.Duration
	}
	var pts []point
	row := func(frac string, dir string, st *buildStat) error {
		s, err := startServer(ctx, dir)
		if err != nil {
			return err
		}
		defer s.stop()
		if _, err := apiSearch(ctx, s.client, s.base, benchQuery{Q: "上海合作组织成员国元首理事会"}); err != nil {
			return err // loads the dictionary, outside the mix
		}
		var cold []time.Duration
		for _, q := range b.mix {
			t0 := time.Now()
			if _, err := apiSearch(ctx, s.client, s.base, q); err != nil {
				return err
			}
			cold = append(cold, time.Since(t0))
		}
		slices.Sort(cold)
		r := load(ctx, s.client, s.base, b.mix, 1, b.c.Queries1, b.c.MaxLoad)
		if st.Took == 0 { // the index was given with --index
			fmt.Fprintf(w, "| %s | %d | %d | %.2f | (not timed) | | | | %.1f | %s | %s | %s | %s |\n", frac, st.Documents, st.Paragraphs, mb(st.Bytes),
				mb(st.DiskBytes), ms(pct(cold, 50)), ms(pct(cold, 100)), ms(pct(r.lat, 50)), ms(pct(r.lat, 99)))
			return nil
		}
		fmt.Fprintf(w, "| %s | %d | %d | %.2f | %.1f | %.1f | %.2f | %.0f | %.1f | %s | %s | %s | %s |\n", frac, st.Documents, st.Paragraphs, mb(st.Bytes),
			st.Took.Seconds(), st.CPU.Seconds(), st.mbps(), mb(st.PeakRSS), mb(st.DiskBytes), ms(pct(cold, 50)), ms(pct(cold, 100)), ms(pct(r.lat, 50)), ms(pct(r.lat, 99)))
		pts = append(pts, point{frac, st.Bytes, st.Took, st.CPU, pct(cold, 100)})
		return nil
	}
	for _, n := range b.c.Fractions {
		if n == 1 {
			continue
		}
		var subset []string
		for i := 0; i < len(files); i += n {
			subset = append(subset, files[i])
		}
		dir := filepath.Join(b.work, fmt.Sprintf("corpus-1of%d", n))
		if err := linkFiles(b.corpusDir, dir, subset); err != nil {
			return err
		}
		idx := filepath.Join(b.work, fmt.Sprintf("index-1of%d", n))
		st, err := b.build(ctx, "build", dir, idx, 1, "")
		if err != nil {
			if strings.Contains(err.Error(), "no document") {
				fmt.Fprintf(w, "| 1/%d | (no document: skipped) |||||||||||\n", n)
				continue
			}
			return err
		}
		if err := row(fmt.Sprintf("1/%d", n), idx, st); err != nil {
			return err
		}
		os.RemoveAll(idx)
	}
	if err := row("all", b.fullIndex, b.fullBuild); err != nil {
		return err
	}
	if len(pts) >= 2 {
		a, z := pts[0], pts[len(pts)-1]
		sizeRatio := float64(z.bytes) / float64(max(a.bytes, 1))
		wall := z.took.Seconds() / max(a.took.Seconds(), 1e-9)
		cpu := z.cpu.Seconds() / max(a.cpu.Seconds(), 1e-9)
		fmt.Fprintf(w, "\nFrom %s to %s: text ×%.1f, build wall time ×%.1f (%s), build CPU time ×%.1f (%s), slowest cold query ×%.1f.\n", a.frac, z.frac, sizeRatio,
			wall, growthWord(wall, sizeRatio), cpu, growthWord(cpu, sizeRatio), z.p99.Seconds()/max(a.p99.Seconds(), 1e-9))
	}
	return nil
}

func growthWord(r, size float64) string {
	switch {
	case r > size*1.2:
		return "worse than linear"
	case r < size*0.8:
		return "better than linear"
	}
	return "about linear"
}

// corpusFiles lists the corpus files under dir, relative, sorted.
func corpusFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && corpus.IsCorpusFile(d.Name()) {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list corpus: %w", err)
	}
	sort.Strings(out)
	return out, nil
}

// linkFiles makes dst a corpus of the files rel of src (hard links, or
// copies across file systems), keeping their relative paths and so their ids.
func linkFiles(src, dst string, rel []string) error {
	for _, r := range rel {
		to := filepath.Join(dst, r)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		from := filepath.Join(src, r)
		if err := os.Link(from, to); err != nil {
			data, err := os.ReadFile(from)
			if err != nil {
				return err
			}
			if err := os.WriteFile(to, data, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// ---- Part 6: shards ----

func (b *bencher) shardsPart(ctx context.Context) error {
	w := b.w
	fmt.Fprintf(w, "\n## Shards\n\nLoad average before: %s. Each first page (10 hits, collapsing on) and total compared with %d shard(s).\n\n", loadAvg(), b.c.Shards[0])
	if b.mix == nil {
		b.mix = queryMix(b.docs)
	}
	fmt.Fprintf(w, "| shards | build wall s | build CPU s | peak RSS MB | index MB | 1 client p50 ms | p99 ms | totals identical to %d shard(s) | first pages identical |\n|---:|---:|---:|---:|---:|---:|---:|---|---|\n", b.c.Shards[0])
	type page struct {
		total uint64
		ids   []string
	}
	var ref []page
	var diffs []string
	for _, n := range b.c.Shards {
		var st *buildStat
		var dir string
		var err error
		if n == 1 && b.fullIndex != "" {
			st, dir = b.fullBuild, b.fullIndex
		} else {
			dir = filepath.Join(b.work, fmt.Sprintf("index-%d", n))
			if st, err = b.build(ctx, "build", b.corpusDir, dir, n, ""); err != nil {
				return err
			}
			if n == 1 {
				b.fullIndex, b.fullBuild = dir, st
			}
		}
		s, err := startServer(ctx, dir)
		if err != nil {
			return err
		}
		pages := make([]page, len(b.mix))
		for i, q := range b.mix {
			r, err := apiSearch(ctx, s.client, s.base, q)
			if err != nil {
				s.stop()
				return err
			}
			pages[i].total = r.Total
			for _, h := range r.Hits {
				pages[i].ids = append(pages[i].ids, h.ID)
			}
		}
		r := load(ctx, s.client, s.base, b.mix, 1, b.c.Queries1, b.c.MaxLoad)
		s.stop()
		same, samePages := "reference", "reference"
		if ref == nil {
			ref = pages
		} else {
			badTotals, bad := 0, 0
			for i := range pages {
				if pages[i].total != ref[i].total {
					badTotals++
				}
				if pages[i].total != ref[i].total || !slices.Equal(pages[i].ids, ref[i].ids) {
					bad++
					diffs = append(diffs, fmt.Sprintf("%d shards, `%s`: total %d vs %d, first page %v vs %v",
						n, b.mix[i], pages[i].total, ref[i].total, pages[i].ids, ref[i].ids))
				}
			}
			same = fmt.Sprintf("%d of %d", len(pages)-badTotals, len(pages))
			samePages = fmt.Sprintf("%d of %d", len(pages)-bad, len(pages))
		}
		timing := fmt.Sprintf("%.1f | %.1f | %.0f", st.Took.Seconds(), st.CPU.Seconds(), mb(st.PeakRSS))
		if st.Took == 0 {
			timing = "(not timed) | |"
		}
		fmt.Fprintf(w, "| %d | %s | %.1f | %s | %s | %s | %s |\n", n, timing, mb(st.DiskBytes),
			ms(pct(r.lat, 50)), ms(pct(r.lat, 99)), same, samePages)
		if n != 1 {
			os.RemoveAll(dir)
		}
	}
	if len(diffs) > 0 {
		fmt.Fprintf(w, "\nDifferences:\n\n")
		for _, d := range diffs[:min(len(diffs), 20)] {
			fmt.Fprintf(w, "- %s\n", d)
		}
	}
	return nil
}

// ---- helpers ----

func textBytes(docs []corpus.Document) int64 {
	var n int64
	for _, d := range docs {
		for _, p := range d.Paragraphs {
			n += int64(len(p.Text))
		}
	}
	return n
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("index size: %w", err)
	}
	return n, nil
}

// procStatusBytes reads a "kB" field of /proc/PID/status (0 if unknown).
func procStatusBytes(pid, field string) int64 {
	return procKB(filepath.Join("/proc", pid, "status"), field)
}

// procKB reads a "field: N kB" line of a /proc file as bytes (0 if unknown).
func procKB(path, field string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n * 1024
			}
		}
	}
	return 0
}

func machineTable(w io.Writer, version string) {
	cpu := "unknown"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := procMeminfo("MemTotal")
	fmt.Fprintf(w, "| | |\n|---|---|\n")
	fmt.Fprintf(w, "| date | %s |\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(w, "| CPU | %s, %d logical CPUs (GOMAXPROCS %d) |\n", cpu, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "| memory | %.1f GB |\n", float64(mem)/1e9)
	fmt.Fprintf(w, "| Go | %s %s/%s |\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "| scosearch | %s |\n", version)
	fmt.Fprintf(w, "| load average at start | %s |\n", loadAvg())
}

func procMeminfo(field string) int64 { return procKB("/proc/meminfo", field) }

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

func sumDur(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64)
}

func mb(n int64) float64 { return float64(n) / 1e6 }

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " / ")
}
