package search

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/index/zh"
)

// exactBoost weights the exact-substring clause of an unquoted word, so that
// paragraphs containing the word's exact string rank above those that only
// contain its gse words.
const exactBoost = 3

// compile turns a parsed query into a bleve query. An unquoted word
// matches with its synonyms (上合组织: also 上海合作组织) and without its
// question and function words (see zh.Units); a quoted phrase matches
// exactly its characters, with no synonyms.
func compile(n qnode) query.Query {
	switch n := n.(type) {
	case qterm:
		var reqs []query.Query
		for _, r := range termReqs(n) {
			reqs = append(reqs, r.q)
		}
		switch len(reqs) {
		case 0:
			return query.NewMatchNoneQuery() // only question or function words: never required
		case 1:
			return reqs[0]
		}
		return query.NewConjunctionQuery(reqs)
	case qfilter:
		ff, _ := filterField(n.field)
		field := ff.index
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
		var musts, nots []query.Query
		var filters []qfilter
		skipped := false
		for _, m := range n.must {
			if f, ok := m.(qfilter); ok {
				filters = append(filters, f)
				continue
			}
			if neverRequired(m) {
				// only question, function or stop words: as at the
				// top level, they do not empty the group
				skipped = true
				continue
			}
			musts = append(musts, compile(m))
		}
		if skipped && len(musts) == 0 && len(filters) == 0 {
			return query.NewMatchNoneQuery()
		}
		for _, m := range n.not {
			nots = append(nots, compile(m))
		}
		return andQuery(musts, nil, nots, filters)
	}
	return query.NewMatchNoneQuery()
}

// andQuery requires every query of musts and none of nots, within the
// filters; the boosts are optional clauses that only add to the score.
func andQuery(musts, boosts, nots []query.Query, filters []qfilter) query.Query {
	if len(musts) == 1 && len(boosts) == 0 && len(nots) == 0 && len(filters) == 0 {
		// one clause alone: as a BooleanQuery bleve would walk it
		// through a conjunction of one searcher, with a scorer and a
		// match copied per hit (a tenth of the time of 的)
		return musts[0]
	}
	b := query.NewBooleanQuery(nil, nil, nil)
	var other, selective []query.Query
	for _, f := range filters {
		if ff, _ := filterField(f.field); ff.selective && !f.ranged {
			selective = append(selective, compile(f))
		} else {
			other = append(other, compile(f))
		}
	}
	b.AddMust(musts...)
	if len(musts) > 0 {
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
		b.AddShould(boosts...)
	} else {
		other = append(selective, other...)
	}
	b.AddMustNot(nots...)
	switch {
	case len(other) == 0:
	case len(other) == 1:
		b.AddFilter(other[0])
	default:
		b.AddFilter(query.NewConjunctionQuery(other))
	}
	return b
}

// wordQuery matches an unquoted word: all its gse words on the text field,
// or its exact string (folded, punctuation ignored) on the bigram field, the
// latter boosted.
func wordQuery(v string) query.Query {
	// One or two letters: the exact string is one term (of the char or
	// the bigram field), and every paragraph where gse finds the word
	// holds it: one clause suffices, no phrase to check (a common word
	// walked two posting lists).
	if k := zh.ExactKey(v); zh.Key(k) == k && utf8.RuneCountInString(k) <= 2 {
		return substringQuery(k)
	}
	words := query.NewMatchQuery(v)
	words.SetField(lang.Of("").WordField)
	words.Analyzer = zh.AnalyzerWordQuery
	words.SetOperator(query.MatchQueryOperatorAnd)
	exact := substringQuery(v)
	if b, ok := exact.(query.BoostableQuery); ok {
		b.SetBoost(exactBoost)
	}
	return query.NewDisjunctionQuery([]query.Query{words, exact})
}

// phraseQuery matches a quoted phrase: its exact string on the bigram
// field, ranked higher when the paragraph also has its gse words (where
// the phrase is cut as the words of the text are, not across them).
func phraseQuery(v string) query.Query {
	words := query.NewMatchQuery(v)
	words.SetField(lang.Of("").WordField)
	words.Analyzer = zh.AnalyzerWordQuery
	words.SetOperator(query.MatchQueryOperatorAnd)
	return query.NewBooleanQuery([]query.Query{substringQuery(v)}, []query.Query{words}, nil)
}

// substringQuery matches the paragraphs whose zh.Key contains zh.Key(v): a
// phrase of the query's character bigrams on the bigram field (one
// character: the bigrams holding it); see zh.SubstringQuery.
func substringQuery(v string) query.Query {
	return zh.SubstringQuery(index.FieldBigram, index.FieldChar, v)
}
