package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/corpus"
	"github.com/scosearch/scosearch/internal/archive"
	"github.com/scosearch/scosearch/search"
)

// The quality benchmark ("scosearch bench --quality"): the judged queries
// of one corpus in a searches.json file, run against scosearch (the default
// request: relevance, collapsing on, top MetricDepth) and against a bigram
// BM25 baseline over the same paragraphs (bleve's cjk analyzer, scorch, a
// match query whose bigrams are ORed), scored with the metrics of
// metrics.go per engine, per kind of query and overall.

// Bounds of a quality run.
const (
	qualityQueryTimeout = 30 * time.Second // one search of one engine
	maxJudgedBytes      = 16 << 20         // the judged queries file
)

// QualityConfig is what a quality run does; the bench command fills it
// from its flags.
type QualityConfig struct {
	Corpus, Archive, Work string
	Judged                string // searches.json: the judged queries
	JudgedCorpus          string // run the entries whose "corpus" is this
	Index                 string // existing scosearch index, or "" to build one
	CJKIndex              string // existing baseline index, or "" to build one
	// Reuse keeps the unpacked corpus and both indexes in Work
	// (quality-corpus, quality-sco, quality-cjk) and reuses them when
	// present.
	Reuse   bool
	Keep    bool // keep Work when it is a new temporary directory
	Isolate bool // builds in child processes
	JSON    bool // write the report as JSON instead of Markdown
	Logger  *slog.Logger
	Version string // of the program
}

// JudgedQuery is one entry of searches.json as the quality benchmark reads
// it (other fields of the file are for the search tests).
type JudgedQuery struct {
	Query  string   `json:"query"`
	Expect []string `json:"expect"`
	Kind   string   `json:"kind"`
	Corpus string   `json:"corpus"`
	Note   string   `json:"note,omitempty"`
}

// LoadJudged reads the judged queries of corpusName from a searches.json
// file. Entries without expectations cannot be scored and are left out;
// an entry without a kind gets "other".
func LoadJudged(path, corpusName string) ([]JudgedQuery, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("judged queries: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxJudgedBytes+1))
	if err != nil {
		return nil, fmt.Errorf("judged queries %q: %w", path, err)
	}
	if len(data) > maxJudgedBytes {
		return nil, fmt.Errorf("judged queries %q: larger than %d bytes", path, maxJudgedBytes)
	}
	var all []JudgedQuery
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, fmt.Errorf("judged queries %q: %w", path, err)
	}
	var out []JudgedQuery
	for _, q := range all {
		if q.Corpus != corpusName || len(q.Expect) == 0 {
			continue
		}
		if q.Kind == "" {
			q.Kind = "other"
		}
		out = append(out, q)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("judged queries %q: no entry with \"corpus\": %q and expectations", path, corpusName)
	}
	return out, nil
}

// Engine names in the quality report.
const (
	engineSco  = "scosearch"
	engineBase = "baseline"
)

// EngineResult is what one engine returned for one judged query.
type EngineResult struct {
	Scores
	Total uint64   `json:"total"` // matching paragraphs
	Top   []string `json:"top"`   // ids of the first MetricDepth hits (the first id of a collapsed hit)
	Error string   `json:"error,omitempty"`
}

// QueryResult is one judged query with both engines' results.
type QueryResult struct {
	Query    string       `json:"query"`
	Kind     string       `json:"kind"`
	Relevant int          `json:"relevant"` // judged paragraphs
	Units    int          `json:"units"`    // of them with distinct texts: the ideal ranking's length
	Sco      EngineResult `json:"scosearch"`
	Base     EngineResult `json:"baseline"`
}

// QualityReport is the whole result of a quality run (the JSON output).
type QualityReport struct {
	Date       string                        `json:"date"`
	Commit     string                        `json:"commit"`
	Version    string                        `json:"version"`
	Go         string                        `json:"go"`
	CPUs       int                           `json:"cpus"`
	LoadStart  string                        `json:"load_start"`
	LoadEnd    string                        `json:"load_end"`
	Corpus     string                        `json:"corpus"`
	Documents  int                           `json:"documents"`
	Paragraphs int                           `json:"paragraphs"`
	Judged     string                        `json:"judged"`
	JudgedFor  string                        `json:"judged_corpus"`
	ScoIndex   string                        `json:"scosearch_index"`
	CJKIndex   string                        `json:"baseline_index"`
	Builds     []string                      `json:"builds,omitempty"` // what was built in this run, with times
	Missing    []string                      `json:"missing,omitempty"`
	Results    []QueryResult                 `json:"results"`
	Summary    map[string]map[string]Summary `json:"summary"` // engine → kind (and "all") → means
}

// Quality runs the quality benchmark and writes its report to w.
func Quality(ctx context.Context, c QualityConfig, w io.Writer) error {
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	rep := &QualityReport{
		Date:      time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		Commit:    gitCommit(ctx),
		Version:   c.Version,
		Go:        runtime.Version(),
		CPUs:      runtime.NumCPU(),
		LoadStart: loadAvg(),
		Judged:    c.Judged,
		JudgedFor: c.JudgedCorpus,
	}
	judged, err := LoadJudged(c.Judged, c.JudgedCorpus)
	if err != nil {
		return err
	}
	work := c.Work
	if work == "" {
		if c.Reuse {
			return errors.New("reusing indexes needs a working directory (--work)")
		}
		d, err := os.MkdirTemp("", "scosearch-quality-")
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

	corpusDir, name, err := qualityCorpus(c, work)
	if err != nil {
		return err
	}
	rep.Corpus = name
	c.Logger.Info("quality: reading the corpus", "dir", corpusDir)
	texts, err := readJudgedCorpus(corpusDir, judged, rep)
	if err != nil {
		return err
	}

	b := &bencher{c: Config{Isolate: c.Isolate}}
	scoDir, cjkDir := c.Index, c.CJKIndex
	if scoDir == "" {
		scoDir = filepath.Join(work, "quality-sco")
		if c.Reuse && exists(filepath.Join(scoDir, "CURRENT")) {
			rep.Builds = append(rep.Builds, "scosearch index reused from "+scoDir)
		} else {
			c.Logger.Info("quality: building the scosearch index", "dir", scoDir)
			st, err := b.build(ctx, "build", corpusDir, scoDir, 1, "")
			if err != nil {
				return err
			}
			rep.Builds = append(rep.Builds, fmt.Sprintf("scosearch index built in %.0f s (%d paragraphs)", st.Took.Seconds(), st.Paragraphs))
		}
	}
	if cjkDir == "" {
		cjkDir = filepath.Join(work, "quality-cjk")
		if c.Reuse && exists(filepath.Join(cjkDir, "index_meta.json")) {
			rep.Builds = append(rep.Builds, "baseline index reused from "+cjkDir)
		} else {
			// Built beside and renamed, so that an interrupted build is
			// never reused.
			tmp := cjkDir + ".tmp"
			if err := errors.Join(os.RemoveAll(tmp), os.RemoveAll(cjkDir)); err != nil {
				return fmt.Errorf("baseline index: %w", err)
			}
			c.Logger.Info("quality: building the baseline index", "dir", cjkDir)
			st, err := b.build(ctx, "cjk", corpusDir, tmp, 1, "")
			if err != nil {
				return err
			}
			if err := os.Rename(tmp, cjkDir); err != nil {
				return fmt.Errorf("baseline index: %w", err)
			}
			rep.Builds = append(rep.Builds, fmt.Sprintf("baseline index built in %.0f s (%d paragraphs)", st.Took.Seconds(), st.Paragraphs))
		}
	}
	rep.ScoIndex, rep.CJKIndex = scoDir, cjkDir

	engine, err := search.Open(scoDir)
	if err != nil {
		return err
	}
	defer engine.Close()
	base, err := bleve.OpenUsing(cjkDir, map[string]interface{}{"read_only": true, "bolt_timeout": "1s"})
	if err != nil {
		return fmt.Errorf("open baseline index %q: %w", cjkDir, err)
	}
	defer base.Close()

	c.Logger.Info("quality: running the judged queries", "queries", len(judged))
	for _, q := range judged {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted: %w", err)
		}
		unit := Units(q.Expect, func(id string) (string, bool) { t, ok := texts[id]; return t, ok })
		units := map[int]bool{}
		for _, u := range unit {
			units[u] = true
		}
		rep.Results = append(rep.Results, QueryResult{
			Query: q.Query, Kind: q.Kind, Relevant: len(unit), Units: len(units),
			Sco:  runSco(ctx, engine, q.Query, unit),
			Base: runBaseline(ctx, base, q.Query, unit),
		})
	}
	rep.Summary = summarizeResults(rep.Results)
	rep.LoadEnd = loadAvg()
	if c.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	writeQualityReport(w, rep)
	return nil
}

// qualityCorpus returns the corpus directory (unpacking the archive into
// work when no directory is given) and its name for the report.
func qualityCorpus(c QualityConfig, work string) (dir, name string, err error) {
	if c.Corpus != "" {
		return c.Corpus, c.Corpus, nil
	}
	dir = filepath.Join(work, "quality-corpus")
	name = filepath.Base(c.Archive) + " (unpacked)"
	if c.Reuse && exists(dir) {
		return dir, name, nil
	}
	tmp := dir + ".tmp"
	if err := errors.Join(os.RemoveAll(tmp), os.RemoveAll(dir)); err != nil {
		return "", "", fmt.Errorf("corpus directory: %w", err)
	}
	c.Logger.Info("quality: unpacking", "archive", c.Archive)
	if err := archive.Unpack(c.Archive, tmp); err != nil {
		return "", "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return "", "", fmt.Errorf("corpus directory: %w", err)
	}
	return dir, name, nil
}

// readJudgedCorpus reads the corpus and returns the text, without white
// space, of every paragraph some judged query expects; it fills in the
// report's corpus counts and the expected ids the corpus does not have.
func readJudgedCorpus(dir string, judged []JudgedQuery, rep *QualityReport) (map[string]string, error) {
	docs, _, err := corpus.ReadDir(dir, corpus.Options{})
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("corpus %q has no document", dir)
	}
	want := map[string]bool{}
	for _, q := range judged {
		for _, id := range q.Expect {
			want[id] = true
		}
	}
	rep.Documents = len(docs)
	texts := make(map[string]string, len(want))
	for _, d := range docs {
		rep.Paragraphs += len(d.Paragraphs)
		for _, p := range d.Paragraphs {
			if id := index.ParagraphID(d.ID, p.N); want[id] {
				texts[id] = strings.Join(strings.Fields(p.Text), "")
			}
		}
	}
	for _, q := range judged {
		for _, id := range q.Expect {
			if _, ok := texts[id]; !ok {
				rep.Missing = append(rep.Missing, fmt.Sprintf("%s (query %s)", id, q.Query))
			}
		}
	}
	return texts, nil
}

// runSco runs a query as the search page does: the default request
// (relevance, near-identical paragraphs collapsed), first MetricDepth hits.
func runSco(ctx context.Context, e *search.Engine, q string, unit map[string]int) EngineResult {
	ctx, cancel := context.WithTimeout(ctx, qualityQueryTimeout)
	defer cancel()
	res, err := e.Search(ctx, search.Request{Query: q, Size: MetricDepth})
	if err != nil {
		return EngineResult{Scores: Score(nil, unit), Error: err.Error()}
	}
	hits := make([][]string, len(res.Hits))
	r := EngineResult{Total: res.Total, Top: []string{}}
	for i, h := range res.Hits {
		hits[i] = append([]string{h.ID}, h.Similar...)
		r.Top = append(r.Top, h.ID)
	}
	r.Scores = Score(hits, unit)
	return r
}

// runBaseline runs a query on the baseline: its text through the cjk
// analyzer (quotes and other punctuation are dropped by its tokenizer), the
// bigrams ORed, BM25, first MetricDepth hits.
func runBaseline(ctx context.Context, idx bleve.Index, q string, unit map[string]int) EngineResult {
	ctx, cancel := context.WithTimeout(ctx, qualityQueryTimeout)
	defer cancel()
	mq := query.NewMatchQuery(q)
	mq.SetField("text")
	mq.Analyzer = cjk.AnalyzerName
	mq.SetOperator(query.MatchQueryOperatorOr)
	res, err := idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(mq, MetricDepth, 0, false))
	if err != nil {
		return EngineResult{Scores: Score(nil, unit), Error: err.Error()}
	}
	hits := make([][]string, len(res.Hits))
	r := EngineResult{Total: res.Total, Top: []string{}}
	for i, h := range res.Hits {
		hits[i] = []string{h.ID}
		r.Top = append(r.Top, h.ID)
	}
	r.Scores = Score(hits, unit)
	return r
}

// summarizeResults averages per engine, per kind and over all ("all").
func summarizeResults(results []QueryResult) map[string]map[string]Summary {
	per := map[string]map[string][]Scores{engineSco: {}, engineBase: {}}
	for _, r := range results {
		for _, k := range []string{r.Kind, "all"} {
			per[engineSco][k] = append(per[engineSco][k], r.Sco.Scores)
			per[engineBase][k] = append(per[engineBase][k], r.Base.Scores)
		}
	}
	out := map[string]map[string]Summary{}
	for e, kinds := range per {
		out[e] = map[string]Summary{}
		for k, s := range kinds {
			out[e][k] = Summarize(s)
		}
	}
	return out
}

func writeQualityReport(w io.Writer, rep *QualityReport) {
	fmt.Fprintf(w, "# scosearch search quality\n\n| | |\n|---|---|\n")
	fmt.Fprintf(w, "| date | %s |\n| git commit | %s |\n| program | %s |\n| Go | %s, %d logical CPUs |\n", rep.Date, rep.Commit, rep.Version, rep.Go, rep.CPUs)
	fmt.Fprintf(w, "| load average | %s at the start, %s at the end |\n", rep.LoadStart, rep.LoadEnd)
	fmt.Fprintf(w, "| corpus | %s: %d documents, %d paragraphs |\n", rep.Corpus, rep.Documents, rep.Paragraphs)
	kinds := map[string]bool{}
	count := map[string]int{}
	for _, r := range rep.Results {
		kinds[r.Kind] = true
		count[r.Kind]++
	}
	order := sortedKinds(kinds)
	var byKind []string
	for _, k := range order {
		byKind = append(byKind, fmt.Sprintf("%d %s", count[k], k))
	}
	fmt.Fprintf(w, "| judged queries | %d from %s (`\"corpus\": %q`): %s |\n", len(rep.Results), rep.Judged, rep.JudgedFor, strings.Join(byKind, ", "))
	fmt.Fprintf(w, "| scosearch | index %s; default request (relevance, collapsing on), top %d |\n", rep.ScoIndex, MetricDepth)
	fmt.Fprintf(w, "| baseline | index %s: bleve `cjk` analyzer (bigrams), BM25 (scorch), match query with the bigrams ORed, top %d |\n", rep.CJKIndex, MetricDepth)
	for _, b := range rep.Builds {
		fmt.Fprintf(w, "| build | %s |\n", b)
	}
	if len(rep.Missing) > 0 {
		fmt.Fprintf(w, "\n**%d judged ids are not paragraphs of this corpus** (they can never be found):\n\n", len(rep.Missing))
		for _, m := range rep.Missing {
			fmt.Fprintf(w, "- %s\n", m)
		}
	}

	fmt.Fprintf(w, "\n## Metrics\n\nAt a cut-off of %d hits, binary relevance; relevant paragraphs with the same text, or collapsed into one hit, count once (so collapsing neither helps nor hurts). Success@k: share of queries with a relevant hit in the top k; zero: share of queries with no hit at all.\n\n", MetricDepth)
	fmt.Fprintf(w, "| kind | queries | engine | MRR@10 | nDCG@10 | success@1 | success@10 | zero results |\n|---|---:|---|---:|---:|---:|---:|---:|\n")
	for _, k := range append(order, "all") {
		for _, e := range []string{engineSco, engineBase} {
			s := rep.Summary[e][k]
			fmt.Fprintf(w, "| %s | %d | %s | %.3f | %.3f | %.0f %% | %.0f %% | %.0f %% |\n", k, s.Queries, e, s.MRR, s.NDCG, 100*s.Success1, 100*s.Success, 100*s.Zero)
		}
	}
	better, worseN, tie := 0, 0, 0
	var bad []QueryResult
	for _, r := range rep.Results {
		switch {
		case worse(r.Sco.Scores, r.Base.Scores):
			worseN++
		case worse(r.Base.Scores, r.Sco.Scores):
			better++
		default:
			tie++
		}
		if r.Sco.Zero || worse(r.Sco.Scores, r.Base.Scores) {
			bad = append(bad, r)
		}
	}
	fmt.Fprintf(w, "\nPer query (first relevant rank, then nDCG): scosearch better on %d, worse on %d, equal on %d.\n", better, worseN, tie)

	fmt.Fprintf(w, "\n## Queries where scosearch returns nothing or ranks worse than the baseline\n\n")
	if len(bad) == 0 {
		fmt.Fprintf(w, "None.\n")
	} else {
		qualityTable(w, bad)
	}
	fmt.Fprintf(w, "\n## Every query\n\n")
	qualityTable(w, rep.Results)
}

// qualityTable lists query results: the rank of the first relevant hit
// ("–" for none in the top MetricDepth), the number of hits and nDCG.
func qualityTable(w io.Writer, rs []QueryResult) {
	fmt.Fprintf(w, "| query | kind | relevant | scosearch rank | hits | nDCG | baseline rank | hits | nDCG | scosearch first hit |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rs {
		first := ""
		if len(r.Sco.Top) > 0 {
			first = r.Sco.Top[0]
		}
		if r.Sco.Error != "" {
			first = "error: " + r.Sco.Error
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %d | %.2f | %s | %d | %.2f | %s |\n", mdCell(r.Query), r.Kind, r.Relevant,
			rankCell(r.Sco.Rank), r.Sco.Total, r.Sco.NDCG, rankCell(r.Base.Rank), r.Base.Total, r.Base.NDCG, mdCell(first))
	}
}

func rankCell(r int) string {
	if r == 0 {
		return "–"
	}
	return fmt.Sprint(r)
}

// mdCell makes s safe inside a Markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// gitCommit names the commit of the working directory's repository, with
// "+ uncommitted changes" when tracked files differ from it, or says why it
// is unknown. The code measured is the binary's; run it from its tree.
func gitCommit(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown (git rev-parse: " + err.Error() + ")"
	}
	commit := strings.TrimSpace(string(out))
	st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output()
	if err == nil && len(strings.TrimSpace(string(st))) > 0 {
		commit += " + uncommitted changes"
	}
	return commit
}
