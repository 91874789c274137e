package zh

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenInputs are the tricky texts whose tokens are pinned in
// testdata/tokens/<analyzer>.json.
var goldenInputs = []struct{ name, text string }{
	{"empty", ""},
	{"lone punctuation", "，"},
	{"punctuation only", "。、“”《》 ,.!"},
	{"repeated words", "合作合作，合作。"},
	{"overlapping sub-words", "上海合作组织成员国"},
	{"abbreviation", "上合组织地区反恐怖机构"},
	{"out-of-vocabulary name", "乔蓬阿塔会议在乔蓬阿塔举行"},
	{"full-width", "ＳＣＯ２０１９年，Ｓｈａｎｇｈａｉ"},
	{"traditional", "上海合作組織成員國"},
	{"mixed", "2019年6月14日SCO峰会在Bishkek举行(第19次)"},
	{"line-break space", "举办国际艺术 节和比赛"},
	{"single character", "国"},
	{"single latin", "A"},
	{"supplementary", "𠀀丝"},
	{"invalid utf-8", "上合\xff组织\xe4\xb8"},
}

var goldenAnalyzers = []string{AnalyzerWord, AnalyzerWordQuery, AnalyzerBigram, AnalyzerBigramQuery, AnalyzerChar}

type namedAnalyzer struct {
	name string
	analysis.Analyzer
}

// tok is the pinned part of a bleve token.
type tok struct {
	Term     string
	Start    int
	End      int
	Position int
}

func analyzer(t testing.TB, name string) analysis.Analyzer {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(name)
	if err != nil {
		t.Fatalf("analyzer %s: %v", name, err)
	}
	return a
}

func toks(ts analysis.TokenStream) []tok {
	out := []tok{}
	for _, t := range ts {
		out = append(out, tok{string(t.Term), t.Start, t.End, t.Position})
	}
	return out
}

func TestGoldenTokens(t *testing.T) {
	for _, name := range goldenAnalyzers {
		t.Run(name, func(t *testing.T) {
			a := analyzer(t, name)
			path := filepath.Join("testdata", "tokens", name+".json")
			got := map[string][]tok{}
			for _, in := range goldenInputs {
				got[in.name] = toks(a.Analyze([]byte(in.text)))
				checkTokens(t, in.text, a.Analyze([]byte(in.text)))
			}
			if *update {
				b, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden file (run go test -update): %v", err)
			}
			var want map[string][]tok
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for _, in := range goldenInputs {
				if diff := cmp.Diff(want[in.name], got[in.name]); diff != "" {
					t.Errorf("%s %q (-want +got):\n%s", in.name, in.text, diff)
				}
			}
		})
	}
}

// checkTokens checks the invariants every token stream must keep: offsets
// in range and on rune starts of text, positions from 1 and
// non-decreasing, and the term derived from the source text it spans
// (folded for words and single characters, Key for bigrams).
func checkTokens(t testing.TB, text string, ts analysis.TokenStream) {
	t.Helper()
	starts := map[int]bool{len(text): true}
	for i := range text {
		starts[i] = true
	}
	prev := 1
	for _, tk := range ts {
		if tk.Start < 0 || tk.Start >= tk.End || tk.End > len(text) {
			t.Fatalf("%q: token %q offsets [%d,%d) out of range", text, tk.Term, tk.Start, tk.End)
		}
		if !starts[tk.Start] || !starts[tk.End] {
			t.Fatalf("%q: token %q offsets [%d,%d) not on rune boundaries", text, tk.Term, tk.Start, tk.End)
		}
		if tk.Position < prev {
			t.Fatalf("%q: token %q position %d after %d", text, tk.Term, tk.Position, prev)
		}
		prev = tk.Position
		src := text[tk.Start:tk.End]
		switch tk.Type {
		case analysis.Double:
			if ExactKey(src) != string(tk.Term) {
				t.Fatalf("%q: bigram %q spans %q, ExactKey %q", text, tk.Term, src, ExactKey(src))
			}
		default:
			if Fold(src) != string(tk.Term) {
				t.Fatalf("%q: token %q spans %q, Fold %q", text, tk.Term, src, Fold(src))
			}
		}
	}
}

// TestBigramPositionsOnly: the index-side bigram analyzer gives the terms,
// positions and types of AnalyzerBigram, with offsets 0.
func TestBigramPositionsOnly(t *testing.T) {
	full, pos := analyzer(t, AnalyzerBigram), analyzer(t, AnalyzerBigramPositions)
	for _, in := range goldenInputs {
		want := full.Analyze([]byte(in.text))
		got := pos.Analyze([]byte(in.text))
		if len(got) != len(want) {
			t.Errorf("%s: %d tokens, AnalyzerBigram gives %d", in.name, len(got), len(want))
			continue
		}
		for i := range want {
			w := *want[i]
			w.Start, w.End = 0, 0
			if g := *got[i]; string(g.Term) != string(w.Term) || g.Position != w.Position || g.Type != w.Type || g.Start != 0 || g.End != 0 {
				t.Errorf("%s: token %d = %+v, want %+v", in.name, i, g, w)
			}
		}
	}
}
