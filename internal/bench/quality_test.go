package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuality runs the quality benchmark on the bundled corpus with a few
// judged queries, builds both indexes, then runs again reusing them.
func TestQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two indexes")
	}
	dir := t.TempDir()
	judged := filepath.Join(dir, "searches.json")
	const p = "2019-bishkek-declaration-p"
	entries := `[
 {"query": "阿富汗", "expect": ["` + p + `27", "` + p + `28"], "kind": "keyword", "corpus": "bundled"},
 {"query": "\"乔蓬阿塔\"", "expect": ["` + p + `42", "` + p + `46"], "kind": "phrase", "corpus": "bundled"},
 {"query": "zzqqxx", "expect": ["` + p + `1", "no-such-doc-p1"], "kind": "keyword", "corpus": "bundled"},
 {"query": "禁毒", "expect": ["` + p + `39"], "corpus": ""},
 {"query": "合作", "expect": [], "corpus": "bundled"}
]`
	if err := os.WriteFile(judged, []byte(entries), 0o644); err != nil {
		t.Fatal(err)
	}
	c := QualityConfig{
		Corpus: filepath.Join("..", "..", "testdata", "corpus"), Work: filepath.Join(dir, "work"),
		Judged: judged, JudgedCorpus: "bundled", Reuse: true, JSON: true, Version: "test",
	}
	var out bytes.Buffer
	if err := Quality(context.Background(), c, &out); err != nil {
		t.Fatalf("Quality: %v", err)
	}
	var rep QualityReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, out.String())
	}
	if len(rep.Results) != 3 {
		t.Fatalf("%d results, want 3 (other corpora and entries without expectations left out)", len(rep.Results))
	}
	byQuery := map[string]QueryResult{}
	for _, r := range rep.Results {
		byQuery[r.Query] = r
	}
	if r := byQuery["阿富汗"]; r.Sco.Rank != 1 || r.Base.Rank != 1 || r.Sco.NDCG != 1 || r.Base.NDCG != 1 {
		t.Errorf("阿富汗: scosearch %+v, baseline %+v: want both relevant paragraphs first in both", r.Sco, r.Base)
	}
	if r := byQuery[`"乔蓬阿塔"`]; r.Sco.NDCG != 1 || r.Sco.Total != 2 {
		t.Errorf("phrase: scosearch %+v, want exactly the two paragraphs", r.Sco)
	}
	if r := byQuery["zzqqxx"]; !r.Sco.Zero || !r.Base.Zero || r.Sco.Success || r.Relevant != 2 {
		t.Errorf("zzqqxx: %+v, want no hit in either engine", r)
	}
	if len(rep.Missing) != 1 || !strings.HasPrefix(rep.Missing[0], "no-such-doc-p1") {
		t.Errorf("missing %v, want the one unknown id", rep.Missing)
	}
	all := rep.Summary[engineSco]["all"]
	if all.Queries != 3 || all.Zero != 1.0/3 || rep.Summary[engineBase]["keyword"].Queries != 2 {
		t.Errorf("summary %+v", rep.Summary)
	}
	if rep.Paragraphs == 0 || rep.Commit == "" || rep.LoadStart == "" || len(rep.Builds) != 2 || strings.Contains(rep.Builds[0], "reused") {
		t.Errorf("report header: %+v, want counts, commit, load and two builds", rep)
	}

	// Again, reusing both indexes, as Markdown.
	c.JSON = false
	out.Reset()
	if err := Quality(context.Background(), c, &out); err != nil {
		t.Fatalf("Quality, reusing: %v", err)
	}
	md := out.String()
	for _, want := range []string{
		"# scosearch search quality", "| git commit |", "| load average |", "scosearch index reused", "baseline index reused",
		"| keyword | 2 | scosearch |", "| all | 3 | baseline |", "## Queries where scosearch returns nothing", "| zzqqxx |", "not paragraphs of this corpus",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown report lacks %q:\n%s", want, md)
		}
	}

	c.JudgedCorpus = "none"
	if err := Quality(context.Background(), c, &out); err == nil || !strings.Contains(err.Error(), "no entry") {
		t.Errorf("no judged query for the corpus: err %v, want a clear error", err)
	}
}
