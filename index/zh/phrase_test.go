package zh_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index/zh"
)

// bleveSubstring is SubstringQuery of three or more characters as bleve's
// own PhraseQuery: the bigrams at every other position and the last.
func bleveSubstring(field, q string) query.Query {
	rs := []rune(zh.ExactKey(q))
	terms := make([]string, len(rs)-1)
	for i := 0; i+1 < len(rs); i += 2 {
		terms[i] = string(rs[i : i+2])
	}
	terms[len(terms)-1] = string(rs[len(rs)-2:])
	return query.NewPhraseQuery(terms, field)
}

// TestPhraseLikeBleve: SubstringQuery's phrase searcher (phrase.go) finds
// the same paragraphs as bleve's phrase searcher with the same scores,
// alone, inside a conjunction (where it is advanced to the other clause's
// matches) and in a disjunction, for random substrings of the bundled
// corpus and phrases whose bigrams repeat.
func TestPhraseLikeBleve(t *testing.T) {
	paras := corpusParagraphs(t)
	paras["rep1"] = "哈哈哈哈哈，成员国成员国成员国"
	paras["rep2"] = "哈哈哈哈，成员国成员国"
	paras["rep3"] = "哈哈哈哈哈哈哈"
	idx := newIndex(t, paras)
	ids := make([]string, 0, len(paras))
	for id := range paras {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	queries := []string{"哈哈哈", "哈哈哈哈哈", "哈哈哈哈哈哈", "成员国成员国成员国", "成员国成员", "国成员国"}
	rng := rand.New(rand.NewPCG(13, 2026))
	for len(queries) < 150 {
		rs := []rune(zh.ExactKey(paras[ids[rng.IntN(len(ids))]]))
		n := 3 + rng.IntN(6)
		if len(rs) < n {
			continue
		}
		i := rng.IntN(len(rs) - n + 1)
		queries = append(queries, string(rs[i:i+n]))
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
	other := query.NewTermQuery("成员")
	other.SetField("text")
	found := 0
	for _, q := range queries {
		ours, theirs := zh.SubstringQuery("bigram", "char", q), bleveSubstring("bigram", q)
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
				t.Errorf("%q %s: hits differ from bleve's phrase (-bleve +ours):\n%s", q, c.name, diff)
			}
		}
	}
	if found < len(queries) {
		t.Errorf("only %d hits for %d phrases drawn from the paragraphs", found, len(queries))
	}
}
