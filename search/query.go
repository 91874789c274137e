package search

import (
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/zh"
)

// exactBoost weights the exact-substring clause of an unquoted word, so that
// paragraphs containing the word's exact string rank above those that only
// contain its gse words.
const exactBoost = 3

// keywordField maps a filter name to its index field.
var keywordField = map[string]string{
	"doc":     index.FieldDoc,
	"year":    index.FieldYear,
	"section": index.FieldSection,
	"lang":    index.FieldLang,
	"place":   index.FieldPlace,
	"date":    index.FieldDate,
}

// compile turns a parsed query into a bleve query.
func compile(n qnode) query.Query {
	switch n := n.(type) {
	case qterm:
		// A quoted phrase matches its own characters only: no synonyms.
		variants := []string{n.text}
		if !n.phrase {
			variants = zh.Variants(n.text)
		}
		alts := make([]query.Query, 0, len(variants))
		for _, v := range variants {
			if n.phrase {
				alts = append(alts, phraseQuery(v))
			} else {
				alts = append(alts, wordQuery(v))
			}
		}
		if len(alts) == 1 {
			return alts[0]
		}
		return query.NewDisjunctionQuery(alts)
	case qfilter:
		field := keywordField[n.field]
		if !n.ranged {
			q := query.NewTermQuery(n.value)
			q.SetField(field)
			return q
		}
		yes := true // "" is an open end
		q := query.NewTermRangeInclusiveQuery(n.lo, n.hi, &yes, &yes)
		q.SetField(field)
		return q
	case qor:
		alts := make([]query.Query, 0, len(n.any))
		for _, m := range n.any {
			alts = append(alts, compile(m))
		}
		return query.NewDisjunctionQuery(alts)
	case qand:
		b := query.NewBooleanQuery(nil, nil, nil)
		var filters, selective []query.Query
		musts := 0
		for _, m := range n.must {
			if f, ok := m.(qfilter); ok {
				if (f.field == "doc" || f.field == "year") && !f.ranged {
					selective = append(selective, compile(m))
				} else {
					filters = append(filters, compile(m))
				}
				continue
			}
			b.AddMust(compile(m))
			musts++
		}
		for _, m := range n.not {
			b.AddMustNot(compile(m))
		}
		if musts > 0 {
			// A document or a year is a small part of the corpus: such a
			// filter joins the required clauses with no weight, and bleve
			// skips through the words' postings to its paragraphs. As a
			// BooleanQuery filter it would come after scoring every match
			// of the words (laws corpus, uncached: 规定 in one law 191 ms,
			// now 5-15 ms; 国家 year:2020 78 ms, now 31-47 ms). Broad
			// filters (lang, section, date ranges) measured no faster.
			for _, f := range selective {
				f.(query.BoostableQuery).SetBoost(0)
				b.AddMust(f)
			}
		} else {
			filters = append(selective, filters...)
		}
		switch {
		case len(filters) == 0:
		case len(filters) == 1:
			b.AddFilter(filters[0])
		default:
			b.AddFilter(query.NewConjunctionQuery(filters))
		}
		return b
	}
	return query.NewMatchNoneQuery()
}

// wordQuery matches an unquoted word: all its gse words on the text field,
// or its exact string (folded, punctuation ignored) on the bigram field, the
// latter boosted.
func wordQuery(v string) query.Query {
	words := query.NewMatchQuery(v)
	words.SetField(index.FieldText)
	words.Analyzer = zh.AnalyzerWordQuery
	words.SetOperator(query.MatchQueryOperatorAnd)
	exact := substringQuery(v)
	if b, ok := exact.(query.BoostableQuery); ok {
		b.SetBoost(exactBoost)
	}
	return query.NewDisjunctionQuery([]query.Query{words, exact})
}

// phraseQuery matches a quoted phrase: its exact string on the bigram
// field, ranked higher when it is also a phrase of gse words.
func phraseQuery(v string) query.Query {
	words := query.NewMatchPhraseQuery(v)
	words.SetField(index.FieldText)
	words.Analyzer = zh.AnalyzerWordQuery
	return query.NewBooleanQuery([]query.Query{substringQuery(v)}, []query.Query{words}, nil)
}

// substringQuery matches the paragraphs whose zh.Key contains zh.Key(v): a
// phrase of the query's character bigrams on the bigram field (one
// character: the bigrams holding it); see zh.SubstringQuery.
func substringQuery(v string) query.Query {
	return zh.SubstringQuery(index.FieldBigram, v)
}
