package search

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/index/phrase"
	"github.com/scosearch/scosearch/index/zh"
)

// Languages. A query word is searched in the languages of its script
// (lang.ForQuery): a Chinese word on the Chinese word field and the
// bigram field, as zh defines; a Russian or English word on its
// language's word field, stemmed (Шанхайская организация finds
// Шанхайской организации); a word of Latin letters or digits, written in
// every language's texts, in all of them. A word without Chinese
// characters is also searched as characters in the paragraphs analysed
// as Chinese, those of unknown languages (Kazakh) included. A quoted
// phrase in Chinese (or of punctuation) matches characters on the bigram
// field, in any paragraph; a quoted phrase of Russian or English words matches the
// paragraphs of that language holding the same words in a row, case and
// ё/е aside (the language's exact field). The ranking checks each hit in
// the same terms (paraKeys).

// paraKeys are the keys of one paragraph that forms are checked in.
type paraKeys struct {
	lang lang.Language // the language whose fields index it (lang.Of)
	zh   string        // zh.ExactKey of the text: Chinese forms, any paragraph
	// words and exact are the alphabetic language's Key and ExactKey of
	// the text ("" for Chinese paragraphs).
	words, exact string
}

// newParaKeys computes the keys of a paragraph of language code.
func newParaKeys(text, code string) *paraKeys {
	pk := &paraKeys{lang: lang.Of(code), zh: zh.ExactKey(text)}
	if pk.lang.Alphabetic() {
		pk.words, pk.exact = pk.lang.Key(text), pk.lang.ExactKey(text)
	}
	return pk
}

// key returns the key of pk that form f is checked in, and false when f
// cannot occur in such a paragraph.
func (f form) key(pk *paraKeys) (string, bool) {
	switch {
	case f.lang == "":
		if f.onlyZh && pk.lang.Alphabetic() {
			return "", false
		}
		return pk.zh, true
	case f.lang != pk.lang.Code:
		return "", false
	case f.phrase:
		return pk.exact, true
	}
	return pk.words, true
}

// stemKey returns the key of pk in which f is placed for proximity and
// contiguity, with f's own string in it: for an alphabetic form, the
// stemmed words (a phrase's stems too), else the Chinese key.
func (f form) stemKey(pk *paraKeys) (key, needle string, ok bool) {
	if f.lang == "" {
		k, ok := f.key(pk)
		return k, f.exact, ok
	}
	if f.lang != pk.lang.Code {
		return "", "", false
	}
	return pk.words, f.stem, true
}

// termReqs returns the requirements of one word or quoted phrase: for a
// Chinese word, one per unit (zh.Units: question and function words left
// out); else one, its forms in each language it is searched in. A word
// that some of its languages leave out as a stop word (the, и) gives none.
func termReqs(n qterm) []requirement { return wordReqs(n, false) }

// wordReqs is termReqs; with keepStop, a stop word is searched for
// itself in the paragraphs of the languages that leave it out, as a
// quoted word: for a query of only stop words, which would otherwise
// find nothing (a query of only 什么 searches for it too, see zh.Units).
func wordReqs(n qterm, keepStop bool) []requirement {
	langs := queryLangs(n.text, !n.phrase)
	if n.phrase {
		r := requirement{label: n.String()}
		var alts []query.Query
		shared := len(langs) > 1
		for _, l := range langs {
			if !l.Alphabetic() {
				q := phraseQuery(n.text)
				if shared {
					q = onlyNonAlphabetic(q)
				} else if c := zh.SubstringCandidates(index.FieldBigram, n.text); c != nil {
					r.check, r.candidates = zh.ExactKey(n.text), c
				}
				alts = append(alts, q)
				r.forms = append(r.forms, form{exact: zh.ExactKey(n.text), onlyZh: shared})
				continue
			}
			exact := l.ExactKey(n.text)
			if exact == "" {
				continue
			}
			alts = append(alts, phrase.NewMatch(n.text, l.ExactField, l.ExactAnalyzer))
			r.forms = append(r.forms, form{lang: l.Code, phrase: true, exact: exact, stem: l.Key(n.text)})
		}
		r.q = anyQuery(alts)
		return []requirement{r}
	}
	if len(langs) == 1 && !langs[0].Alphabetic() {
		var out []requirement
		for _, u := range zh.Units(n.text) {
			if !u.Stop {
				out = append(out, unitRequirement(u, false))
			}
		}
		return out
	}
	r := requirement{label: n.text}
	var alts []query.Query
	variants := zh.Variants(n.text)
	for _, l := range langs {
		if !l.Alphabetic() {
			units := zh.Units(n.text)
			if len(units) != 1 || units[0].Stop {
				// Latin or digits that zh cuts in pieces: the string
				// itself, as the bigram field holds it
				units = []zh.Unit{{Text: n.text, Alts: []string{zh.Fold(n.text)}}}
			}
			// (no parts: "sco" is not a long Chinese word whose pieces
			// would do)
			u := unitRequirement(units[0], true)
			alts = append(alts, onlyNonAlphabetic(u.q))
			r.forms = append(r.forms, u.forms...)
			continue
		}
		// the word, and the members of its synonym group written in
		// this language's script (SCO: also ШОС in Russian paragraphs)
		for _, v := range variants {
			if !slices.ContainsFunc(lang.ForQuery(v), func(m lang.Language) bool { return m.Code == l.Code }) {
				continue
			}
			k := l.QueryKey(v)
			if k == "" {
				if v != variants[0] || l.ExactKey(v) == "" {
					continue
				}
				if !keepStop {
					return nil // a stop word of l
				}
				q, f := exactWord(l, v)
				alts = append(alts, q)
				r.forms = append(r.forms, f)
				continue
			}
			q, f := alphabeticWord(l, v, k)
			alts = append(alts, q)
			r.forms = append(r.forms, f)
		}
	}
	if len(alts) == 0 {
		return nil
	}
	r.q = anyQuery(alts)
	return []requirement{r}
}

// alphabeticWord is the query and form of the unquoted word v, whose
// QueryKey in l is k, in the paragraphs of alphabetic language l. A word
// the analysis cuts in several (государства-члены, SCO-2022) matches
// them anywhere in the paragraph (the word field has no positions), as a
// Chinese word matches its gse words: the form holds there too, its
// words are marked, and those holding them in a row rank first.
func alphabeticWord(l lang.Language, v, k string) (query.Query, form) {
	q := query.NewMatchQuery(v)
	q.SetField(l.WordField)
	q.Analyzer = l.QueryAnalyzer
	q.SetOperator(query.MatchQueryOperatorAnd)
	f := form{lang: l.Code, exact: k, stem: k}
	if ws := strings.Fields(k); len(ws) > 1 {
		for _, w := range ws {
			f.words = append(f.words, " "+w+" ")
		}
	}
	return q, f
}

// exactWord is the query and form of the word v of alphabetic language
// l as written, a quoted one-word phrase (a stop word: the, и).
func exactWord(l lang.Language, v string) (query.Query, form) {
	q := phrase.NewMatch(v, l.ExactField, l.ExactAnalyzer)
	return q, form{lang: l.Code, phrase: true, exact: l.ExactKey(v), stem: l.Key(v)}
}

// alphabeticAlts are the queries and forms of the unquoted word v in
// each alphabetic language of its script.
func alphabeticAlts(v string) ([]query.Query, []form) {
	var qs []query.Query
	var fs []form
	for _, l := range lang.ForQuery(v) {
		if !l.Alphabetic() {
			continue
		}
		if k := l.QueryKey(v); k != "" {
			q, f := alphabeticWord(l, v, k)
			qs, fs = append(qs, q), append(fs, f)
		}
	}
	return qs, fs
}

// hasNativeZh reports whether s has a character of the Chinese script
// (not only Latin or Cyrillic letters, digits and punctuation).
func hasNativeZh(s string) bool {
	return slices.ContainsFunc(lang.Scripts(s), func(l lang.Language) bool { return !l.Alphabetic() })
}

// queryLangs returns the languages a word or phrase is searched in:
// those of its script, those of the other members of its synonym group
// (ШОС finds 上合组织 and SCO) when synonyms is set, and Chinese alone for a string with no letter or
// digit ("：" as a quoted phrase).
func queryLangs(text string, synonyms bool) []lang.Language {
	langs := lang.ForQuery(text)
	if len(langs) == 0 {
		return []lang.Language{lang.Of("")}
	}
	if synonyms && !hasNativeZh(text) {
		if vs := zh.Variants(text); len(vs) > 1 {
			// a synonym group's members in other scripts
			for _, v := range vs[1:] {
				for _, l := range lang.ForQuery(v) {
					if !slices.ContainsFunc(langs, func(m lang.Language) bool { return m.Code == l.Code }) {
						langs = append(langs, l)
					}
				}
			}
			slices.SortStableFunc(langs, func(a, b lang.Language) int { return langIndex(a) - langIndex(b) })
		}
	}
	return langs
}

// langIndex is the place of l in the registry.
func langIndex(l lang.Language) int {
	return slices.IndexFunc(lang.All(), func(m lang.Language) bool { return m.Code == l.Code })
}

// onlyNonAlphabetic restricts q to paragraphs of no alphabetic language,
// those the Chinese fields analyse: a Latin word's Chinese clause must not
// find "sco" inside "scope" in an English paragraph, where its English
// clause decides.
func onlyNonAlphabetic(q query.Query) query.Query {
	var not []query.Query
	for _, l := range lang.All() {
		if l.Alphabetic() {
			t := query.NewTermQuery(l.Code)
			t.SetField(index.FieldLang)
			not = append(not, t)
		}
	}
	if len(not) == 0 {
		return q
	}
	return query.NewBooleanQuery([]query.Query{q}, nil, not)
}

// anyQuery is the disjunction of qs (a query matching nothing for none).
func anyQuery(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return query.NewMatchNoneQuery()
	case 1:
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// formSpans returns where form f occurs in text, a paragraph of language
// code, as byte offsets: its exact string (or, for a Chinese form, each
// of its words where the whole is not there); nil when it cannot occur in
// such a paragraph.
func formSpans(f form, text string, l lang.Language) [][2]int {
	if f.lang == "" {
		if f.onlyZh && l.Alphabetic() {
			return nil
		}
		if s := zh.Find(text, f.exact); len(s) > 0 || len(f.words) < 2 {
			return s
		}
		var out [][2]int
		for _, w := range f.words {
			out = append(out, zh.Find(text, w)...)
		}
		return out
	}
	if f.lang != l.Code {
		return nil
	}
	analyzer := l.WordAnalyzer
	if f.phrase {
		analyzer = l.ExactAnalyzer
	}
	toks := lang.Tokens(analyzer, text)
	if s := findTerms(toks, strings.Fields(f.exact)); len(s) > 0 || len(f.words) < 2 {
		return s
	}
	var out [][2]int
	for _, w := range f.words {
		out = append(out, findTerms(toks, strings.Fields(w))...)
	}
	return out
}

// findTerms returns the spans of each run of tokens whose terms are want,
// in order.
func findTerms(toks []lang.Token, want []string) [][2]int {
	if len(want) == 0 {
		return nil
	}
	var out [][2]int
	for i := 0; i+len(want) <= len(toks); i++ {
		ok := true
		for j, w := range want {
			if toks[i+j].Term != w {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, [2]int{toks[i].Start, toks[i+len(want)-1].End})
		}
	}
	return out
}
