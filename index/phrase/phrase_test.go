package phrase_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/edgengram"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/index/phrase"
)

// analyzers: scosearch's exact analyzers of Russian and English (one
// token per position), bleve's English (stop words removed: positions not
// checked) and edge n-grams (several tokens at one position).
var analyzers = []string{lang.AnalyzerRuExact, lang.AnalyzerEnExact, "en", "edge"}

// newIndex indexes texts in t.TempDir(), each in one field per analyzer
// (named by it), with term vectors, and in batches of 7 (several
// segments).
func newIndex(t testing.TB, texts []string) bleve.Index {
	t.Helper()
	m := bleve.NewIndexMapping()
	if err := m.AddCustomTokenFilter("edge24", map[string]any{"type": edgengram.Name, "min": 2.0, "max": 4.0}); err != nil {
		t.Fatal(err)
	}
	if err := m.AddCustomAnalyzer("edge", map[string]any{"type": custom.Name, "tokenizer": unicode.Name, "token_filters": []any{lowercase.Name, "edge24"}}); err != nil {
		t.Fatal(err)
	}
	dm := bleve.NewDocumentStaticMapping()
	for _, a := range analyzers {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = a
		f.IncludeTermVectors = true
		f.Store = false
		dm.AddFieldMappingsAt(a, f)
	}
	m.DefaultMapping = dm
	idx, err := bleve.NewUsing(filepath.Join(t.TempDir(), "idx"), m, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	b := idx.NewBatch()
	for i, text := range texts {
		doc := map[string]any{}
		for _, a := range analyzers {
			doc[a] = text
		}
		if err := b.Index(fmt.Sprintf("%04d", i), doc); err != nil {
			t.Fatal(err)
		}
		if b.Size() == 7 {
			if err := idx.Batch(b); err != nil {
				t.Fatal(err)
			}
			b = idx.NewBatch()
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	return idx
}

// TestMatchLikeBleve: NewMatch finds the documents of bleve's
// MatchPhraseQuery with the same scores, alone and inside a conjunction
// (advanced to the other clause's matches) and a disjunction, for random
// runs of words of the Russian and English texts of the SCO test corpus,
// in four analyzers, and for phrases with repeated and stop words.
func TestMatchLikeBleve(t *testing.T) {
	var texts []string
	for _, name := range []string{"2022-samarkand-declaration.ru.txt", "2022-samarkand-declaration.en.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sco", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				texts = append(texts, l)
			}
		}
	}
	texts = append(texts, "the the the member states the member states", "государства-члены государства-члены отметили")
	idx := newIndex(t, texts)

	phrases := []string{"the member states", "member states the member", "of the", "государства-члены отметили", "the", "of", "ШОС"}
	rng := rand.New(rand.NewPCG(16, 2026))
	for len(phrases) < 120 {
		ws := strings.Fields(texts[rng.IntN(len(texts))])
		n := 1 + rng.IntN(5)
		if len(ws) < n {
			continue
		}
		i := rng.IntN(len(ws) - n + 1)
		phrases = append(phrases, strings.Join(ws[i:i+n], " "))
	}
	type hit struct {
		ID    string
		Score float64
	}
	search := func(q query.Query) []hit {
		t.Helper()
		res, err := idx.Search(bleve.NewSearchRequestOptions(q, 10000, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		hits := []hit{}
		for _, h := range res.Hits {
			hits = append(hits, hit{h.ID, h.Score})
		}
		slices.SortFunc(hits, func(a, b hit) int { return strings.Compare(a.ID, b.ID) })
		return hits
	}
	found := 0
	for _, a := range analyzers {
		other := query.NewMatchQuery("cooperation сотрудничества")
		other.SetField(a)
		for _, p := range phrases {
			ours := phrase.NewMatch(p, a, "")
			theirs := query.NewMatchPhraseQuery(p)
			theirs.SetField(a)
			cases := []struct {
				name        string
				ours, their query.Query
			}{
				{"alone", ours, theirs},
				{"and", query.NewConjunctionQuery([]query.Query{other, ours}), query.NewConjunctionQuery([]query.Query{other, theirs})},
				{"or", query.NewDisjunctionQuery([]query.Query{other, ours}), query.NewDisjunctionQuery([]query.Query{other, theirs})},
			}
			for _, c := range cases {
				want, got := search(c.their), search(c.ours)
				if c.name == "alone" {
					found += len(want)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s %q %s: hits differ from bleve's (-bleve +ours):\n%s", a, p, c.name, diff)
				}
			}
		}
	}
	if found < len(phrases)*len(analyzers) {
		t.Errorf("only %d hits for %d phrases in %d analyzers", found, len(phrases), len(analyzers))
	}
}

// TestMatchUnknownAnalyzer: an analyzer that does not exist is an error,
// not a panic or an empty result.
func TestMatchUnknownAnalyzer(t *testing.T) {
	idx := newIndex(t, []string{"member states"})
	_, err := idx.Search(bleve.NewSearchRequest(phrase.NewMatch("member states", lang.AnalyzerEnExact, "no-such-analyzer")))
	if err == nil || !strings.Contains(err.Error(), "no-such-analyzer") {
		t.Errorf("search with an unknown analyzer: %v", err)
	}
}

// BenchmarkMatch: common phrases of the English and Russian texts of the
// SCO test corpus, repeated 40 times (about 7,000 paragraphs), by bleve's
// MatchPhraseQuery and by NewMatch, all matches collected, 10 best kept.
//
//	go test -run XXX -bench Match ./index/phrase
func BenchmarkMatch(b *testing.B) {
	var texts []string
	for _, name := range []string{"2022-samarkand-declaration.ru.txt", "2022-samarkand-declaration.en.txt"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sco", name))
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range strings.Split(string(data), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				texts = append(texts, l)
			}
		}
	}
	var many []string
	for range 40 {
		many = append(many, texts...)
	}
	idx := newIndex(b, many)
	phrases := []string{"member states", "of the", "the member states", "государства-члены", "в области", "Shanghai Cooperation Organisation"}
	for _, engine := range []string{"bleve", "phrase"} {
		b.Run(engine, func(b *testing.B) {
			for b.Loop() {
				for _, p := range phrases {
					var q query.Query = phrase.NewMatch(p, lang.AnalyzerEnExact, "")
					if engine == "bleve" {
						mq := query.NewMatchPhraseQuery(p)
						mq.SetField(lang.AnalyzerEnExact)
						q = mq
					}
					if _, err := idx.Search(bleve.NewSearchRequest(q)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
