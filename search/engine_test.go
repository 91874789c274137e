package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/zh"
)

const (
	corpusDir = "../testdata/corpus"
	docID     = "2019-bishkek-declaration"
)

// testIndex is the index of the bundled corpus, built once for the package's
// tests in a temporary directory removed by TestMain.
var testIndex struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testIndex.dir != "" {
		os.RemoveAll(testIndex.dir)
	}
	if scoIndex.dir != "" {
		os.RemoveAll(scoIndex.dir)
	}
	os.Exit(code)
}

// buildIndex builds the bundled corpus into dir.
func buildIndex(t testing.TB, dir string, full bool) {
	t.Helper()
	if _, err := index.Build(context.Background(), corpusDir, dir, index.BuildOptions{Full: full}); err != nil {
		t.Fatalf("build index: %v", err)
	}
}

// openTestEngine opens the shared index of the bundled corpus.
func openTestEngine(t testing.TB) *Engine {
	t.Helper()
	testIndex.once.Do(func() {
		testIndex.dir, testIndex.err = os.MkdirTemp("", "scosearch-search-test-")
		if testIndex.err == nil {
			_, testIndex.err = index.Build(context.Background(), corpusDir, testIndex.dir, index.BuildOptions{})
		}
	})
	if testIndex.err != nil {
		t.Fatalf("build the test index: %v", testIndex.err)
	}
	e, err := Open(testIndex.dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func pid(n int) string { return index.ParagraphID(docID, n) }

func hitIDs(hits []Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// searchCase is one entry of testdata/searches.json.
type searchCase struct {
	Query      string   `json:"query"`
	Expect     []string `json:"expect"`           // relevant paragraphs
	Within     int      `json:"within,omitempty"` // all of Expect within the top Within hits (default 10)
	First      string   `json:"first,omitempty"`  // the top hit
	Exact      bool     `json:"exact,omitempty"`  // the hits are exactly Expect
	NoCollapse bool     `json:"no_collapse,omitempty"`
	Section    string   `json:"section,omitempty"`
	Note       string   `json:"note,omitempty"`
	Corpus     string   `json:"corpus,omitempty"` // "" the bundled corpus, "sco" testdata/sco (TestJudgedSCO), "laws" (scosearch bench --quality)
	Kind       string   `json:"kind,omitempty"`   // question, topic, keyword or phrase
}

func loadSearchCases(t *testing.T) []searchCase {
	t.Helper()
	b, err := os.ReadFile("../testdata/searches.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []searchCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("testdata/searches.json: %v", err)
	}
	return cases
}

// covers returns, per hit, the ids it stands for (itself and Similar).
func covers(h Hit) []string { return append([]string{h.ID}, h.Similar...) }

// rankOf returns the 1-based rank of the hit covering id, or 0.
func rankOf(hits []Hit, id string) int {
	for i, h := range hits {
		if slices.Contains(covers(h), id) {
			return i + 1
		}
	}
	return 0
}

func TestSearchesJSON(t *testing.T) {
	e := openTestEngine(t)
	cases := loadSearchCases(t)
	if len(cases) < 40 {
		t.Errorf("testdata/searches.json has %d cases, want at least 40", len(cases))
	}
	texts := corpusTexts(t, e)
	var mrr, ndcg float64
	scored := 0
	for _, tc := range cases {
		if tc.Corpus != "" {
			continue // another corpus: TestJudgedSCO
		}
		t.Run(tc.Query, func(t *testing.T) {
			res, err := e.Search(context.Background(), Request{Query: tc.Query, Size: MaxSize, NoCollapse: tc.NoCollapse, Section: tc.Section})
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			within := tc.Within
			if within == 0 {
				within = 10
			}
			for _, id := range tc.Expect {
				if r := rankOf(res.Hits, id); r == 0 || r > within {
					t.Errorf("%s at rank %d, want within the top %d; hits %v", id, r, within, hitIDs(res.Hits))
				}
			}
			if tc.First != "" && (len(res.Hits) == 0 || res.Hits[0].ID != tc.First) {
				t.Errorf("top hit %v, want %s", hitIDs(res.Hits), tc.First)
			}
			if tc.Exact { // the paragraphs matching all of the query
				got := []string{}
				for _, h := range res.Hits {
					if h.Match == MatchAll {
						got = append(got, covers(h)...)
					}
				}
				if diff := cmp.Diff(sorted(tc.Expect), sorted(got)); diff != "" {
					t.Errorf("hits (-want +got):\n%s", diff)
				}
			}
			// A plain quoted phrase: the expectations, decided by reading,
			// must agree with a plain substring scan.
			if q := tc.Query; tc.Exact && strings.Count(q, `"`) == 2 && strings.HasPrefix(q, `"`) && strings.HasSuffix(q, `"`) {
				if diff := cmp.Diff(sorted(tc.Expect), scan(texts, q[1:len(q)-1])); diff != "" {
					t.Errorf("searches.json disagrees with a substring scan (-json +scan):\n%s", diff)
				}
			}
			if len(tc.Expect) > 0 {
				rr, g := rankMetrics(res.Hits, tc.Expect)
				mrr += rr
				ndcg += g
				scored++
			}
		})
	}
	if scored > 0 {
		t.Logf("search quality over %d queries of testdata/searches.json: MRR %.3f, nDCG@10 %.3f", scored, mrr/float64(scored), ndcg/float64(scored))
	}
}

// rankMetrics returns the reciprocal rank of the first relevant hit and the
// nDCG@10 of the hits (binary gains; a hit is relevant when it stands for
// an expected paragraph).
func rankMetrics(hits []Hit, expect []string) (rr, ndcg float64) {
	var dcg float64
	for i, h := range hits {
		if i == 10 {
			break
		}
		rel := false
		for _, id := range covers(h) {
			rel = rel || slices.Contains(expect, id)
		}
		if rel {
			if rr == 0 {
				rr = 1 / float64(i+1)
			}
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	var ideal float64
	for i := 0; i < min(10, len(expect)); i++ {
		ideal += 1 / math.Log2(float64(i+2))
	}
	return rr, dcg / ideal
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	if s == nil {
		s = []string{}
	}
	return s
}

// corpusTexts returns the text of every paragraph of the index by id.
func corpusTexts(t testing.TB, e *Engine) map[string]string {
	t.Helper()
	d, err := e.Document(context.Background(), docID, "")
	if err != nil {
		t.Fatal(err)
	}
	texts := make(map[string]string, len(d.Paragraphs))
	for _, p := range d.Paragraphs {
		texts[p.ID] = p.Text
	}
	return texts
}

// scan returns the ids of the paragraphs containing x, by the definition of
// exact matching: strings.Contains(zh.ExactKey(T), zh.ExactKey(x)).
func scan(texts map[string]string, x string) []string {
	k := zh.ExactKey(x)
	ids := []string{}
	for id, text := range texts {
		if strings.Contains(zh.ExactKey(text), k) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// TestSubstringRecall draws random substrings of 2 to 8 characters from the
// corpus paragraphs and checks that each, quoted, finds exactly the
// paragraphs that a plain substring scan finds.
func TestSubstringRecall(t *testing.T) {
	e := openTestEngine(t)
	texts := corpusTexts(t, e)
	ids := make([]string, 0, len(texts))
	for id := range texts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rng := rand.New(rand.NewSource(20190614))
	const draws = 300
	var truePos, falsePos, falseNeg int
	queries, punct := 0, 0
	for i := 0; i < draws; i++ {
		text := []rune(texts[ids[rng.Intn(len(ids))]])
		n := 2 + rng.Intn(7)
		if len(text) < n {
			continue
		}
		start := rng.Intn(len(text) - n + 1)
		x := string(text[start : start+n])
		if strings.ContainsRune(x, '"') || zh.Key(x) == "" {
			continue
		}
		queries++
		if zh.ExactKey(x) != zh.Key(x) {
			punct++
		}
		want := scan(texts, x)
		res, err := e.Search(context.Background(), Request{Query: `"` + x + `"`, Size: MaxSize, NoCollapse: true})
		if err != nil {
			t.Errorf("Search(%q): %v", x, err)
			continue
		}
		got := sorted(hitIDs(res.Hits))
		for _, id := range got {
			if slices.Contains(want, id) {
				truePos++
			} else {
				falsePos++
			}
		}
		for _, id := range want {
			if !slices.Contains(got, id) {
				falseNeg++
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("quoted %q (key %q) (-scan +engine):\n%s", x, zh.Key(x), diff)
		}
		if uint64(len(want)) != res.Total {
			t.Errorf("quoted %q: Total %d, scan %d", x, res.Total, len(want))
		}
	}
	recall := float64(truePos) / float64(max(1, truePos+falseNeg))
	precision := float64(truePos) / float64(max(1, truePos+falsePos))
	t.Logf("substring recall over %d quoted queries (%d with punctuation): recall %.4f, precision %.4f (%d paragraphs found, %d missed, %d extra)",
		queries, punct, recall, precision, truePos, falseNeg, falsePos)
	if punct < queries/10 {
		t.Errorf("only %d of %d queries hold punctuation", punct, queries)
	}
}

// TestExactStringRankedFirst: for an unquoted word, the paragraphs that
// contain its exact string rank above those that only contain its words.
func TestExactStringRankedFirst(t *testing.T) {
	e := openTestEngine(t)
	texts := corpusTexts(t, e)
	for _, q := range []string{"信息安全", "粮食安全", "经济合作", "国际合作", "司法部长", "贸易保护主义", "核不扩散体系"} {
		t.Run(q, func(t *testing.T) {
			res, err := e.Search(context.Background(), Request{Query: q, Size: MaxSize, NoCollapse: true})
			if err != nil {
				t.Fatal(err)
			}
			exact := scan(texts, q)
			if len(exact) == 0 {
				t.Fatalf("%q is not in the corpus", q)
			}
			for i, h := range res.Hits {
				if in := slices.Contains(exact, h.ID); in != (i < len(exact)) {
					t.Errorf("hit %d %s contains %q: %v; want the %d exact paragraphs first: %v", i+1, h.ID, q, in, len(exact), hitIDs(res.Hits))
					break
				}
			}
		})
	}
}

func TestSearchBadRequests(t *testing.T) {
	e := openTestEngine(t)
	tests := []struct {
		req     Request
		message string
	}{
		{Request{Query: ""}, "empty query"},
		{Request{Query: `"上海`}, "unbalanced quote"},
		{Request{Query: "foo:bar"}, "unknown field"},
		{Request{Query: "date:2019-02-30"}, "bad date"},
		{Request{Query: "反恐", Size: MaxSize + 1}, "size"},
		{Request{Query: "反恐", Size: -1}, "size"},
		{Request{Query: "反恐", From: MaxFrom + 1}, "from"},
		{Request{Query: "反恐", From: -1}, "from"},
		{Request{Query: "反恐", Sort: "score"}, "sort"},
		{Request{Query: "反恐", Year: "2019年"}, "bad year"},
		{Request{Query: strings.Repeat("上", MaxQueryRunes+1)}, "too long"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%.30v", tc.req), func(t *testing.T) {
			res, err := e.Search(context.Background(), tc.req)
			if !errors.Is(err, ErrBadQuery) || !strings.Contains(err.Error(), tc.message) {
				t.Errorf("Search(%+v) = %v, %v; want an ErrBadQuery naming %q", tc.req, res, err, tc.message)
			}
		})
	}
}

func TestSearchHit(t *testing.T) {
	e := openTestEngine(t)
	res, err := e.Search(context.Background(), Request{Query: `"上海合作组织" 比什凯克`})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	h := res.Hits[0]
	h.Score = 0
	want := Hit{
		ID: pid(1), Doc: docID, Title: "上海合作组织成员国元首理事会比什凯克宣言", Date: "2019-06-14",
		Place: "比什凯克", Lang: "zh", Paragraph: 1,
		Text:     "上海合作组织(以下称“上合组织”或“本组织”)成员国领导人于2019年6月14日在比什凯克举行元首理事会会议,并声明如下:",
		Snippets: []string{"<mark>上海合作组织</mark>(以下称“上合组织”或“本组织”)成员国领导人于2019年6月14日在<mark>比什凯克</mark>举行元首理事会会议,并声明如下:"},
		Match:    MatchAll,
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("top hit (-want +got):\n%s", diff)
	}
	if res.Took <= 0 || res.Total == 0 || res.Complete != 1 || res.Query != `"上海合作组织" 比什凯克` {
		t.Errorf("Result Took %v Total %d Query %q", res.Took, res.Total, res.Query)
	}
}

func TestSearchSnippetsWellFormed(t *testing.T) {
	e := openTestEngine(t)
	for _, q := range []string{"上合组织", `"合作组织"`, "反恐 禁毒", "核", `"上合组织—阿富汗联络组"`, "聯合國"} {
		res, err := e.Search(context.Background(), Request{Query: q, Size: MaxSize})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if len(h.Snippets) == 0 || len(h.Snippets) > SnippetMaxFragments {
				t.Errorf("%q %s: %d snippets", q, h.ID, len(h.Snippets))
			}
			for _, s := range h.Snippets {
				if strings.Contains(s, "</mark><mark>") {
					t.Errorf("%q %s: adjacent marks not merged: %s", q, h.ID, s)
				}
				if !strings.Contains(s, "<mark>") {
					t.Errorf("%q %s: snippet without a match: %s", q, h.ID, s)
				}
				if !strings.Contains(h.Text, plain(s)) {
					t.Errorf("%q %s: snippet %q is not a piece of the text", q, h.ID, s)
				}
			}
		}
	}
}

func TestSearchCollapse(t *testing.T) {
	e := openTestEngine(t)
	res, err := e.Search(context.Background(), Request{Query: `"交通运输领域多边合作"`})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Total != 2 || res.Collapsed != 1 {
		t.Fatalf("collapsed: %d hits of %d (%d collapsed), want 1 of 2 (1): %v", len(res.Hits), res.Total, res.Collapsed, hitIDs(res.Hits))
	}
	if diff := cmp.Diff([]string{pid(60), pid(62)}, sorted(covers(res.Hits[0]))); diff != "" {
		t.Errorf("collapsed hit covers (-want +got):\n%s", diff)
	}
	res, err = e.Search(context.Background(), Request{Query: `"交通运输领域多边合作"`, NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{pid(60), pid(62)}, sorted(hitIDs(res.Hits))); diff != "" {
		t.Errorf("NoCollapse hits (-want +got):\n%s", diff)
	}
	// Nothing else in the corpus is near-identical. (All scores are equal
	// here, so either of the pair may lead.)
	res, err = e.Search(context.Background(), Request{Query: "lang:zh", Size: MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if len(h.Similar) == 0 {
			continue
		}
		if got := sorted(covers(h)); !cmp.Equal(got, []string{pid(60), pid(62)}) {
			t.Errorf("%s collapses %v", h.ID, h.Similar)
		}
	}
	if got, want := len(res.Hits), int(res.Total)-1; got != want {
		t.Errorf("all paragraphs: %d hits, want %d (one collapsed)", got, want)
	}
}

func TestSearchPaging(t *testing.T) {
	e := openTestEngine(t)
	for _, sortBy := range []string{SortRelevance, SortDate} {
		for _, collapse := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s collapse=%v", sortBy, collapse), func(t *testing.T) {
				all, err := e.Search(context.Background(), Request{Query: "合作", Size: MaxSize, Sort: sortBy, NoCollapse: !collapse})
				if err != nil {
					t.Fatal(err)
				}
				var paged []string
				for from := 0; from < len(all.Hits)+7; from += 7 {
					res, err := e.Search(context.Background(), Request{Query: "合作", Size: 7, From: from, Sort: sortBy, NoCollapse: !collapse})
					if err != nil {
						t.Fatal(err)
					}
					paged = append(paged, hitIDs(res.Hits)...)
				}
				if diff := cmp.Diff(hitIDs(all.Hits), paged); diff != "" {
					t.Errorf("pages of 7 differ from one page (-one +pages):\n%s", diff)
				}
			})
		}
	}
}

func TestSearchSortDate(t *testing.T) {
	e := openTestEngine(t)
	res, err := e.Search(context.Background(), Request{Query: "禁毒", Sort: SortDate})
	if err != nil {
		t.Fatal(err)
	}
	// one document: date order is paragraph order
	if diff := cmp.Diff([]string{pid(39), pid(40), pid(41), pid(42), pid(43), pid(44)}, hitIDs(res.Hits)); diff != "" {
		t.Errorf("date order (-want +got):\n%s", diff)
	}
}

func TestSearchFacets(t *testing.T) {
	e := openTestEngine(t)
	res, err := e.Search(context.Background(), Request{Query: "合作 year:2019", NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	var inSections int
	for _, f := range res.Facets.Section {
		inSections += f.Count
	}
	want := Facets{
		Doc:  []FacetCount{{Value: docID, Label: "上海合作组织成员国元首理事会比什凯克宣言", Count: int(res.Total)}},
		Year: []FacetCount{{Value: "2019", Count: int(res.Total)}},
		Section: []FacetCount{
			{Value: "三", Count: 17}, {Value: "五", Count: 4}, {Value: "四", Count: 3},
			// the paragraphs outside any section, last
			{Value: NoSection, Label: NoSectionLabel, Count: int(res.Total) - 17 - 4 - 3},
		},
		Lang: []FacetCount{}, // one language: no lang facet
	}
	if diff := cmp.Diff(want, res.Facets); diff != "" {
		t.Errorf("facets (-want +got):\n%s", diff)
	}
	if inSections != int(res.Total) {
		t.Errorf("the section facet counts %d paragraphs of %d", inSections, res.Total)
	}
}

func TestDocument(t *testing.T) {
	e := openTestEngine(t)
	d, err := e.Document(context.Background(), docID, "乔蓬阿塔")
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != docID || d.Paragraphs == nil || len(d.Paragraphs) != d.DocumentInfo.Paragraphs {
		t.Fatalf("Document: %+v with %d paragraphs", d.DocumentInfo, len(d.Paragraphs))
	}
	var marked []string
	for i, p := range d.Paragraphs {
		if p.N != i+1 || p.ID != pid(i+1) {
			t.Errorf("paragraph %d is %s (n %d)", i+1, p.ID, p.N)
		}
		if strings.Contains(p.HTML, "<mark>") {
			marked = append(marked, p.ID)
			if !strings.Contains(p.HTML, "<mark>乔蓬阿塔</mark>") {
				t.Errorf("%s: %s", p.ID, p.HTML)
			}
		}
	}
	if diff := cmp.Diff([]string{pid(42), pid(46)}, marked); diff != "" {
		t.Errorf("marked paragraphs (-want +got):\n%s", diff)
	}
	if _, err := e.Document(context.Background(), "nope", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("Document(nope): %v, want ErrNotFound", err)
	}
	if _, err := e.Document(context.Background(), docID, `"open`); !errors.Is(err, ErrBadQuery) {
		t.Errorf("Document with a bad query: %v, want ErrBadQuery", err)
	}
	docs, err := e.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]DocumentInfo{d.DocumentInfo}, docs); diff != "" {
		t.Errorf("Documents (-want +got):\n%s", diff)
	}
}

func TestNeighbours(t *testing.T) {
	e := openTestEngine(t)
	ids := func(ps []Paragraph) []string {
		out := []string{}
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}
	tests := []struct {
		id            string
		before, after int
		want          []string
	}{
		{pid(10), 2, 2, []string{pid(8), pid(9), pid(10), pid(11), pid(12)}},
		{pid(2), 5, 1, []string{pid(1), pid(2), pid(3)}},
		{pid(76), 1, 9, []string{pid(75), pid(76)}},
		{pid(5), 0, 0, []string{pid(5)}},
		{pid(5), -3, 1000, nil}, // clamped to MaxNeighbours after
	}
	for _, tc := range tests {
		got, err := e.Neighbours(context.Background(), tc.id, tc.before, tc.after)
		if err != nil {
			t.Errorf("Neighbours(%s): %v", tc.id, err)
			continue
		}
		if tc.want == nil {
			if len(got) != 1+min(MaxNeighbours, 76-5) || got[0].ID != pid(5) {
				t.Errorf("Neighbours(%s, %d, %d): %d paragraphs from %s", tc.id, tc.before, tc.after, len(got), got[0].ID)
			}
			continue
		}
		if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
			t.Errorf("Neighbours(%s, %d, %d) (-want +got):\n%s", tc.id, tc.before, tc.after, diff)
		}
	}
	for _, id := range []string{pid(0), pid(77), "nope-p1", docID, docID + "-p01", docID + "-px", ""} {
		if _, err := e.Neighbours(context.Background(), id, 1, 1); !errors.Is(err, ErrNotFound) {
			t.Errorf("Neighbours(%q): %v, want ErrNotFound", id, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(filepath.Join(dir, "missing"))
	if !errors.Is(err, ErrIndexNotFound) || !errors.Is(err, index.ErrNotFound) {
		t.Errorf("Open(missing) = %v, want ErrIndexNotFound wrapping index.ErrNotFound", err)
	}

	buildIndex(t, dir, false)
	gen, err := index.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	// a writer holds the (only) shard
	w, err := bleve.OpenUsing(filepath.Join(gen, "shard-00"), map[string]interface{}{"bolt_timeout": "1s"})
	if err != nil {
		t.Fatalf("open the shard for writing: %v", err)
	}
	defer w.Close()
	_, err = Open(dir, WithLockTimeout(100e6))
	if !errors.Is(err, ErrIndexLocked) || !errors.Is(err, index.ErrLocked) {
		t.Errorf("Open(locked) = %v, want ErrIndexLocked wrapping index.ErrLocked", err)
	}
}

// TestReloadUnderLoad runs searches continuously while the index is rebuilt
// and swapped in, and counts failed or empty searches: there must be none.
func TestReloadUnderLoad(t *testing.T) {
	dir := t.TempDir()
	buildIndex(t, dir, false)
	e, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if swapped, err := e.Reload(); swapped || err != nil {
		t.Fatalf("Reload with nothing new = %v, %v", swapped, err)
	}
	before := e.Generation()

	var searches, failures atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res, err := e.Search(context.Background(), Request{Query: "乔蓬阿塔"})
				if err == nil && i%3 == 0 {
					_, err = e.Document(context.Background(), docID, "禁毒")
				}
				searches.Add(1)
				if err != nil || res == nil || res.Total != 2 {
					failures.Add(1)
					t.Errorf("search during reload: %v, %+v", err, res)
				}
			}
		}()
	}
	for round := 0; round < 2; round++ {
		buildIndex(t, dir, true)
		swapped, err := e.Reload()
		if err != nil || !swapped {
			t.Errorf("Reload after a rebuild = %v, %v; want a swap", swapped, err)
		}
	}
	close(stop)
	wg.Wait()
	if e.Generation() == before {
		t.Errorf("still searching generation %s", before)
	}
	if searches.Load() == 0 || failures.Load() != 0 {
		t.Errorf("%d searches during the reloads, %d failed", searches.Load(), failures.Load())
	}
	t.Logf("%d searches during two rebuilds and swaps, %d failed", searches.Load(), failures.Load())

	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Search(context.Background(), Request{Query: "反恐"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Search after Close: %v, want ErrClosed", err)
	}
	if _, err := e.Reload(); !errors.Is(err, ErrClosed) {
		t.Errorf("Reload after Close: %v, want ErrClosed", err)
	}
}

// BenchmarkSearch times queries of the bundled corpus one at a time,
// each repeated with the caches off (every iteration searches).
func BenchmarkSearch(b *testing.B) {
	openTestEngine(b) // builds the index
	e, err := Open(testIndex.dir, WithoutCache())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	for _, q := range []string{"上合组织", `"恐怖主义、分裂主义、极端主义"`, "反恐 -阿富汗", "合作 section:三", "核"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Search(context.Background(), Request{Query: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestNewJSONResult(t *testing.T) {
	e := openTestEngine(t)
	res, err := e.Search(context.Background(), Request{Query: "乔蓬阿塔", Size: 1, NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(NewJSONResult(res))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	if diff := cmp.Diff([]string{"collapsed", "complete", "facets", "hits", "took_ms", "total"}, sorted(keys)); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	hit := got["hits"].([]any)[0].(map[string]any)
	keys = nil
	for k := range hit {
		keys = append(keys, k)
	}
	want := []string{"date", "doc", "id", "lang", "match", "paragraph", "place", "score", "section", "snippets", "text", "title"}
	if diff := cmp.Diff(want, sorted(keys)); diff != "" {
		t.Errorf("hit keys (-want +got):\n%s", diff)
	}
	if got["total"].(float64) != 2 || hit["id"] != pid(42) && hit["id"] != pid(46) {
		t.Errorf("JSON %s", b)
	}
	empty, err := json.Marshal(NewJSONResult(&Result{}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"total":0,"complete":0,"collapsed":0,"took_ms":0,"hits":[],"facets":{"doc":[],"year":[],"section":[],"lang":[]}}`; string(empty) != want {
		t.Errorf("empty result JSON %s, want %s", empty, want)
	}
}

func TestSearchCacheAndFacets(t *testing.T) {
	e := openTestEngine(t)
	req := Request{Query: "合作", Size: 5}
	first, err := e.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	// Years are counted from the documents' dates; sections within one document.
	if diff := cmp.Diff([]FacetCount{{Value: "2019", Count: int(first.Total)}}, first.Facets.Year); diff != "" {
		t.Errorf("year facet (-want +got):\n%s", diff)
	}
	if len(first.Facets.Section) == 0 {
		t.Error("no section facet for a one-document corpus")
	}
	// Another page and order of the same query: the same facets (from the
	// facet cache).
	other, err := e.Search(context.Background(), Request{Query: "合作", Size: 5, From: 5, Sort: SortDate})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first.Facets, other.Facets); diff != "" {
		t.Errorf("facets of page 2 by date (-page 1 +page 2):\n%s", diff)
	}
	want := hitIDs(first.Hits)
	first.Hits[0].ID = "changed by the caller"
	first.Facets.Year[0].Count = -1
	again, err := e.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, hitIDs(again.Hits)); diff != "" {
		t.Errorf("repeated search (-first +again):\n%s", diff)
	}
	if again.Total != first.Total || again.Facets.Year[0].Count != int(first.Total) {
		t.Errorf("repeated search: total %d, first %d, year facet %v", again.Total, first.Total, again.Facets.Year)
	}
}

// TestShardsFindTheSame: an index split into shards finds the same
// paragraphs as one index. (Scores differ: bleve shares document counts and
// field lengths across shards, not each term's document frequency.)
func TestShardsFindTheSame(t *testing.T) {
	corpusDir := t.TempDir()
	if err := os.CopyFS(corpusDir, os.DirFS("../testdata/corpus")); err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{
		"成员国支持上海合作组织框架内的反恐合作。\n\n各方同意加强禁毒合作。\n",
		"阿富汗问题联络组举行会议，讨论禁毒和反恐。\n",
		"上合组织秘书处发布关于旅游合作的说明。\n\n旅游合作有助于人文交流。\n",
		"乔蓬阿塔会议讨论了信息安全合作。\n",
	} {
		if err := os.WriteFile(filepath.Join(corpusDir, fmt.Sprintf("extra%d.zh.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	one, four := t.TempDir(), t.TempDir()
	for dir, shards := range map[string]int{one: 1, four: 4} {
		if _, err := index.Build(context.Background(), corpusDir, dir, index.BuildOptions{Shards: shards}); err != nil {
			t.Fatal(err)
		}
	}
	e1, err := Open(one)
	if err != nil {
		t.Fatal(err)
	}
	defer e1.Close()
	e4, err := Open(four)
	if err != nil {
		t.Fatal(err)
	}
	defer e4.Close()
	found := func(e *Engine, q string) []string {
		res, err := e.Search(context.Background(), Request{Query: q, Size: MaxSize, NoCollapse: true})
		if err != nil {
			t.Fatal(err)
		}
		if uint64(len(res.Hits)) != res.Total {
			t.Fatalf("%s: %d hits of %d", q, len(res.Hits), res.Total)
		}
		return sorted(hitIDs(res.Hits))
	}
	for _, q := range []string{"反恐", "禁毒 合作", `"旅游合作"`, "上合组织", "阿富汗 OR 乔蓬阿塔", "合作 -反恐"} {
		if diff := cmp.Diff(found(e1, q), found(e4, q)); diff != "" {
			t.Errorf("%s: 1 shard vs 4 shards (-one +four):\n%s", q, diff)
		}
	}
}
