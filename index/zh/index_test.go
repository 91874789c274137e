package zh_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/go-cmp/cmp"
	"github.com/longbridgeapp/opencc"

	"github.com/scosearch/scosearch/index/zh"
)

// newIndex builds an on-disk scorch index in a temporary directory with
// one document type: "text" analysed with AnalyzerWord and the same text
// as "bigram" with AnalyzerBigram and as "char" with AnalyzerChar (as
// index/mapping.go does), holding
// texts under the ids of the map.
func newIndex(t *testing.T, texts map[string]string) bleve.Index {
	t.Helper()
	words := bleve.NewTextFieldMapping()
	words.Analyzer = zh.AnalyzerWord
	words.IncludeTermVectors = true
	bigrams := bleve.NewTextFieldMapping()
	bigrams.Name = "bigram"
	bigrams.Analyzer = zh.AnalyzerBigram
	bigrams.Store = false
	bigrams.IncludeTermVectors = true
	chars := bleve.NewTextFieldMapping()
	chars.Name = "char"
	chars.Analyzer = zh.AnalyzerChar
	chars.Store = false
	chars.IncludeTermVectors = false
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("text", words, bigrams, chars)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = dm
	m.DefaultAnalyzer = zh.AnalyzerWord

	idx, err := bleve.NewUsing(filepath.Join(t.TempDir(), "idx"), m, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatalf("create index: %v", err)
	}
	t.Cleanup(func() { idx.Close() })
	b := idx.NewBatch()
	for id, text := range texts {
		if err := b.Index(id, map[string]any{"text": text}); err != nil {
			t.Fatalf("batch %s: %v", id, err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatalf("index batch: %v", err)
	}
	return idx
}

// search returns the sorted ids of the documents matching q.
func search(t *testing.T, idx bleve.Index, q query.Query) []string {
	t.Helper()
	res, err := idx.Search(bleve.NewSearchRequestOptions(q, 10000, 0, false))
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	ids := []string{}
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

// phrase returns the sorted ids of the documents matching q as a phrase
// in field, analysed with analyzer; for field "bigram" and analyzer "",
// those matching zh.SubstringQuery.
func phrase(t *testing.T, idx bleve.Index, field, analyzer, q string) []string {
	t.Helper()
	var bq query.Query
	if analyzer == "" {
		bq = zh.SubstringQuery(field, "char", q)
	} else {
		mq := bleve.NewMatchPhraseQuery(q)
		mq.SetField(field)
		mq.Analyzer = analyzer
		bq = mq
	}
	return search(t, idx, bq)
}

func TestPhraseSearch(t *testing.T) {
	idx := newIndex(t, map[string]string{
		"sco":     "上海合作组织成员国领导人",
		"big":     "上海很大，合作组织也很多",
		"rats":    "上合组织地区反恐怖机构理事会",
		"summit":  "ＳＣＯ２０１９峰会在比什凯克举行",
		"trad":    "上海合作組織成員國",
		"chopon":  "乔蓬阿塔会议",
		"comma":   "和平、稳定与发展",
		"nothing": "无关的段落",
	})
	tests := []struct {
		field, analyzer, q string // analyzer "": zh.SubstringQuery
		want               []string
	}{
		// Words: the query analyzer has no sub-words, so a phrase of
		// 上海/合作/组织 cannot match 上海 and 合作组织 of "big".
		{"text", zh.AnalyzerWordQuery, "上海合作组织", []string{"sco", "trad"}},
		{"text", zh.AnalyzerWordQuery, "合作组织", []string{"big"}},
		{"text", zh.AnalyzerWordQuery, "比什凯克", []string{"summit"}},
		// Bigrams: any substring, after folding; punctuation counts
		// (full and half width alike), spaces do not.
		{"bigram", zh.AnalyzerBigramQuery, "上海合作组织", []string{"sco", "trad"}},
		{"bigram", zh.AnalyzerBigramQuery, "合作组织", []string{"big", "sco", "trad"}},
		{"bigram", zh.AnalyzerBigramQuery, "反恐", []string{"rats"}},
		{"bigram", zh.AnalyzerBigramQuery, "蓬阿", []string{"chopon"}},
		{"bigram", zh.AnalyzerBigramQuery, "上海合作組織", []string{"sco", "trad"}},
		{"bigram", zh.AnalyzerBigramQuery, "sco2019", []string{"summit"}},
		{"bigram", zh.AnalyzerBigramQuery, "SCO 2019", []string{"summit"}},
		{"bigram", zh.AnalyzerBigramQuery, "和平稳定", []string{}},
		{"bigram", zh.AnalyzerBigramQuery, "和平、稳定", []string{"comma"}},
		{"bigram", zh.AnalyzerBigramQuery, "和平,稳定", []string{}},
		{"bigram", zh.AnalyzerBigramQuery, "很大，合作", []string{"big"}},
		{"bigram", zh.AnalyzerBigramQuery, "很大,合作", []string{"big"}},
		{"bigram", zh.AnalyzerBigramQuery, "很大合作", []string{}},
		{"bigram", zh.AnalyzerBigramQuery, "上海很", []string{"big"}},
		{"bigram", zh.AnalyzerBigram, "上海合作组织", []string{"sco", "trad"}},
		// SubstringQuery: phrases, single characters (anywhere, also
		// last), nothing.
		{"bigram", "", "合作组织", []string{"big", "sco", "trad"}},
		{"bigram", "", "很", []string{"big"}},
		{"bigram", "", "國", []string{"sco", "trad"}},
		{"bigram", "", "会", []string{"chopon", "rats", "summit"}},
		{"bigram", "", "议", []string{"chopon"}},
		{"bigram", "", "ｏ", []string{"summit"}},
		{"bigram", "", ".", []string{}},
		{"bigram", "", "", []string{}},
		{"bigram", "", "《上海 合作》", []string{}},
		{"bigram", "", "上海 合作", []string{"sco", "trad"}},
		{"bigram", "", "，", []string{"big"}},
		{"bigram", zh.AnalyzerBigramQuery, "海合作组织成", []string{"sco", "trad"}},
		{"bigram", zh.AnalyzerBigramQuery, "组织理", nil},
	}
	for _, tc := range tests {
		t.Run(tc.field+"/"+tc.analyzer+"/"+tc.q, func(t *testing.T) {
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, phrase(t, idx, tc.field, tc.analyzer, tc.q)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// corpusParagraphs splits the bundled declaration on blank lines.
func corpusParagraphs(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "2019-bishkek-declaration.zh.txt"))
	if err != nil {
		t.Fatal(err)
	}
	paras := map[string]string{}
	for i, p := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras[fmt.Sprintf("p%03d", i)] = p
		}
	}
	return paras
}

// toFullWidth maps ASCII and a few Chinese punctuation marks to their
// full-width forms.
func toFullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r <= '~' {
			return r + 0xFEE0
		}
		return r
	}, s)
}

// TestRecall checks the promise of the bigram field on the bundled corpus:
// SubstringQuery(X) finds exactly the paragraphs T with
// strings.Contains(ExactKey(T), ExactKey(X)), for random substrings X of 2
// to 8 characters (and some of 1), punctuation included, some converted to
// traditional characters or full width.
func TestRecall(t *testing.T) {
	paras := corpusParagraphs(t)
	idx := newIndex(t, paras)
	ids := make([]string, 0, len(paras))
	for id := range paras {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	keys := map[string]string{}
	for id, p := range paras {
		keys[id] = zh.ExactKey(p)
	}
	s2t, err := opencc.New("s2t")
	if err != nil {
		t.Fatal(err)
	}

	const draws = 400
	rng := rand.New(rand.NewPCG(2019, 614))
	var queries, single, trad, full, punct, ownFound, tp, fp, fn, candidates int
	for range draws {
		id := ids[rng.IntN(len(ids))]
		runes := []rune(paras[id])
		n := 2 + rng.IntN(7)
		if rng.IntN(10) == 0 {
			n = 1
		}
		if len(runes) < n {
			continue
		}
		start := rng.IntN(len(runes) - n + 1)
		q := string(runes[start : start+n])
		switch rng.IntN(8) {
		case 0:
			if q, err = s2t.Convert(q); err != nil {
				t.Fatal(err)
			}
			trad++
		case 1:
			q = toFullWidth(q)
			full++
		}
		k := zh.ExactKey(q)
		if zh.Key(q) == "" {
			continue // only punctuation: nothing to search
		}
		if k != zh.Key(q) {
			punct++
		}
		queries++
		if len([]rune(k)) == 1 {
			single++
		}
		want := []string{}
		for _, id := range ids {
			if strings.Contains(keys[id], k) {
				want = append(want, id)
			}
		}
		got := phrase(t, idx, "bigram", "", q)
		if slices.Contains(got, id) {
			ownFound++
		} else {
			t.Errorf("%q (from %s) does not fold back to its source: key %q", q, id, k)
		}
		for _, id := range got {
			if slices.Contains(want, id) {
				tp++
			} else {
				fp++
			}
		}
		for _, id := range want {
			if !slices.Contains(got, id) {
				fn++
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("phrase %q (key %q): paragraphs (-scan +index):\n%s", q, k, diff)
		}
		if cq := zh.SubstringCandidates("bigram", q); cq != nil {
			// the candidates, checked in their text, are the matches
			checked := []string{}
			for _, id := range search(t, idx, cq) {
				if strings.Contains(keys[id], k) {
					checked = append(checked, id)
				}
			}
			if diff := cmp.Diff(want, checked); diff != "" {
				t.Errorf("candidates of %q (key %q), checked: paragraphs (-scan +checked):\n%s", q, k, diff)
			}
			candidates++
		} else if len([]rune(k)) >= 3 {
			t.Errorf("%q (key %q): no candidates query", q, k)
		}
	}
	t.Logf("%d paragraphs, %d queries (%d of one character, %d traditional, %d full-width, %d with punctuation), %d found their source paragraph; "+
		"paragraph hits: %d true, %d false, %d missed", len(paras), queries, single, trad, full, punct, ownFound, tp, fp, fn)
	if punct < queries/10 {
		t.Errorf("only %d of %d queries hold punctuation: the draw no longer tests it", punct, queries)
	}
	if ownFound != queries {
		t.Errorf("%d of %d queries missed the paragraph they were drawn from", queries-ownFound, queries)
	}
	if candidates < queries/2 {
		t.Errorf("only %d of %d queries had candidates to check", candidates, queries)
	}
	if queries < draws*9/10 {
		t.Errorf("only %d of %d draws made queries", queries, draws)
	}
}
