package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/index/zh"
)

// A plan is a parsed query made ready to run: the bleve query of the
// paragraphs that match all of it, the query of those that match part of
// it, and the requirements that rank the hits and say what a partial hit
// misses.
type plan struct {
	// full matches every requirement, filter and exclusion.
	full query.Query
	// bare matches what full matches, without the clauses that only
	// weigh bleve's score (the word as typed, contiguous), which bleve
	// walks even when it scores nothing: for the searches that count or
	// collect unscored (run.fetchFew, run.unscored).
	bare query.Query
	// checked is bare with its quoted Chinese phrases (of three or more
	// characters) replaced by their candidates, which a match must then
	// hold as checks says (the ExactKey of each; see checked.go); nil
	// when it has none.
	checked query.Query
	checks  []string
	// partial matches at least one requirement (and every filter and
	// exclusion); nil when the query has fewer than two requirements.
	partial query.Query
	// fallback is partial with the parts of long words too (网络 or 安全
	// for 网络安全), for a query that matches nothing whole; nil when no
	// word has parts.
	fallback query.Query
	// reqs are the positive parts of the query's top level: each unit of
	// an unquoted word (question and function words left out), each
	// quoted phrase, each group (a OR b, parentheses).
	reqs []requirement
	// whole holds the ExactKey forms of the positive query read as one
	// string (its words and phrases in order, with synonyms): a paragraph
	// holding one ranks first. wholeAlpha holds, by alphabetic language,
	// the Key of the query's words and phrases in order: a paragraph of
	// that language holding them in a row ranks first.
	whole      []string
	wholeAlpha map[string]string
}

// requirement is one thing a paragraph of a full match holds.
type requirement struct {
	label string      // shown when a partial hit misses it
	q     query.Query // the paragraphs that hold it
	forms []form      // the forms that satisfy it (any one); for a group, its words
	group qnode       // a group: present when the group's expression holds
	// leaves are the requirements of each word and phrase of group,
	// computed once (present checks them for every hit)
	leaves map[qterm][]requirement
	// parts are pieces of a long unquoted word (zh.Parts) that a partial
	// match may hold instead of the whole: 网络 or 安全 of 网络安全.
	parts  []string
	partsQ []query.Query
	// check is the ExactKey of a quoted phrase searched in Chinese only,
	// of three or more characters, and candidates the paragraphs holding
	// all its bigrams (zh.SubstringCandidates): those whose text holds
	// check match (plan.checked).
	check      string
	candidates query.Query
}

// form is one way of writing a requirement, in one language.
type form struct {
	// lang is "" for a Chinese form, checked in zh.ExactKey of any
	// paragraph (onlyZh: of Chinese paragraphs only, for a Latin or digit
	// word searched in every language); else the alphabetic language of
	// the form, checked in that language's paragraphs only (see paraKeys).
	lang   string
	onlyZh bool
	// phrase: an alphabetic quoted phrase, checked in the exact words
	// (lang.Language.ExactKey), not the stems.
	phrase bool
	exact  string   // the form's key: zh.ExactKey, or the language's QueryKey or ExactKey
	words  []string // its words, all present also satisfy it: Chinese, its gse words (ExactKey); alphabetic, those of a word the analysis cuts in several (" sco ", " 2022 " of SCO-2022); nil for a phrase
	stem   string   // alphabetic: its stemmed words (lang.Language.Key), for proximity
}

// newPlan turns a parsed query into a plan.
func newPlan(root qand) plan {
	var p plan
	var musts, boosts, nots []query.Query
	var filters []qfilter
	var wholeParts [][]string
	var alphaWhole []string
	// A query of only stop words (the, и) searches for them.
	keepStop := true
	for _, m := range root.must {
		switch n := m.(type) {
		case qfilter:
		case qterm:
			keepStop = keepStop && len(termReqs(n)) == 0
		default:
			keepStop = false
		}
	}
	for _, m := range root.must {
		switch n := m.(type) {
		case qfilter:
			filters = append(filters, n)
		case qterm:
			reqs := wordReqs(n, keepStop)
			for _, r := range reqs {
				p.reqs = append(p.reqs, r)
				musts = append(musts, r.q)
			}
			alphaWhole = append(alphaWhole, n.text)
			if n.phrase {
				wholeParts = append(wholeParts, []string{zh.ExactKey(n.text)})
				continue
			}
			langs := queryLangs(n.text, true)
			chinese := len(langs) == 1 && !langs[0].Alphabetic()
			if chinese && (len(reqs) > 1 || len(zh.Units(n.text)) > len(reqs)) {
				// the word as typed, contiguous, ranks first
				exact := substringQuery(n.text)
				if b, ok := exact.(query.BoostableQuery); ok {
					b.SetBoost(exactBoost)
				}
				boosts = append(boosts, exact)
			}
			var forms []string
			for _, v := range zh.Variants(n.text) {
				forms = append(forms, zh.ExactKey(v))
			}
			wholeParts = append(wholeParts, forms)
		default: // a group: a OR b, (a b)
			r := requirement{label: display(m), q: compile(m), group: m, forms: leafForms(m), leaves: leafReqs(m, nil)}
			p.reqs = append(p.reqs, r)
			musts = append(musts, r.q)
		}
	}
	for _, m := range root.not {
		nots = append(nots, compile(m))
	}
	p.whole = joinForms(wholeParts)
	if len(alphaWhole) > 0 {
		text := strings.Join(alphaWhole, " ")
		for _, l := range lang.All() {
			if k := l.Key(text); l.Alphabetic() && k != "" {
				if p.wholeAlpha == nil {
					p.wholeAlpha = map[string]string{}
				}
				p.wholeAlpha[l.Code] = k
			}
		}
	}
	p.full = andQuery(musts, boosts, nots, filters)
	p.bare = p.full
	if len(boosts) > 0 {
		p.bare = andQuery(musts, nil, nots, filters)
	}
	cands := make([]query.Query, len(p.reqs))
	for i, r := range p.reqs {
		cands[i] = r.q
		if r.check != "" {
			cands[i] = r.candidates
			p.checks = append(p.checks, r.check)
		}
	}
	if len(p.checks) > 0 {
		p.checked = andQuery(cands, nil, nots, filters)
	}
	anyOf := func(withParts bool) query.Query {
		var qs []query.Query
		for _, r := range p.reqs {
			qs = append(qs, r.q)
			if withParts {
				qs = append(qs, r.partsQ...)
			}
		}
		any := query.NewDisjunctionQuery(qs)
		any.SetMin(1)
		return andQuery([]query.Query{any}, nil, nots, filters)
	}
	if len(p.reqs) > 1 {
		p.partial = anyOf(false)
	}
	for _, r := range p.reqs {
		if len(r.partsQ) > 0 {
			p.fallback = anyOf(true)
			break
		}
	}
	return p
}

// unitRequirement is the requirement of one unit of an unquoted Chinese
// word: any of its forms (the unit and its synonyms), each as its gse
// words or as its exact string (see wordQuery); onlyZh marks the forms of
// a word searched in other languages too (see form).
func unitRequirement(u zh.Unit, onlyZh bool) requirement {
	r := requirement{label: u.Text}
	alts := make([]query.Query, 0, len(u.Alts))
	for _, a := range u.Alts {
		f := newForm(a)
		f.onlyZh = onlyZh
		q := wordQuery(a)
		if !onlyZh && !hasNativeZh(a) {
			// a synonym in Latin or Cyrillic letters (上合组织: SCO,
			// ШОС): characters in Chinese paragraphs, words in the
			// others (SCO is not in "scope")
			f.onlyZh = true
			q = onlyNonAlphabetic(q)
			aq, af := alphabeticAlts(a)
			alts = append(alts, aq...)
			r.forms = append(r.forms, af...)
		}
		r.forms = append(r.forms, f)
		alts = append(alts, q)
	}
	r.q = alts[0]
	if len(alts) > 1 {
		r.q = query.NewDisjunctionQuery(alts)
	}
	parts, bigrams := zh.Parts(u.Text)
	for _, part := range parts {
		field := lang.Of("").WordField
		if bigrams {
			field = index.FieldBigram
		}
		t := query.NewTermQuery(part)
		t.SetField(field)
		t.SetBoost(partBoost)
		r.parts = append(r.parts, zh.ExactKey(part))
		r.partsQ = append(r.partsQ, t)
	}
	return r
}

// partBoost weights the parts of a word below the word itself.
const partBoost = 0.5

// newForm returns the form of the folded text a.
func newForm(a string) form {
	f := form{exact: zh.ExactKey(a)}
	for _, u := range zh.Units(a) {
		if k := zh.ExactKey(u.Text); k != "" {
			f.words = append(f.words, k)
		}
	}
	return f
}

// leafForms returns the forms of the unquoted words and phrases in a
// group, for scoring it.
func leafForms(n qnode) []form {
	var out []form
	switch n := n.(type) {
	case qterm:
		for _, r := range termReqs(n) {
			out = append(out, r.forms...)
		}
	case qor:
		for _, m := range n.any {
			out = append(out, leafForms(m)...)
		}
	case qand:
		for _, m := range n.must {
			out = append(out, leafForms(m)...)
		}
	}
	return out
}

// joinForms returns every concatenation of one form of each part, at most
// zh.MaxVariants of them.
func joinForms(parts [][]string) []string {
	out := []string{""}
	for _, forms := range parts {
		var next []string
		for _, prefix := range out {
			for _, f := range forms {
				if len(next) < zh.MaxVariants {
					next = append(next, prefix+f)
				}
			}
		}
		out = next
	}
	if len(out) == 1 && out[0] == "" {
		return nil
	}
	return out
}

// display writes a group for a user: 禁毒 OR 毒品.
func display(n qnode) string {
	switch n := n.(type) {
	case qterm:
		return n.String()
	case qfilter:
		return n.field + ":" + n.value
	case qor:
		parts := make([]string, len(n.any))
		for i, m := range n.any {
			parts[i] = display(m)
		}
		return strings.Join(parts, " OR ")
	case qand:
		parts := make([]string, 0, len(n.must)+len(n.not))
		for _, m := range n.must {
			parts = append(parts, display(m))
		}
		for _, m := range n.not {
			parts = append(parts, "-"+display(m))
		}
		return "(" + strings.Join(parts, " ") + ")"
	}
	return n.String()
}

// holds reports whether a paragraph with keys pk satisfies the
// requirement, and how often its forms occur.
func (r requirement) holds(pk *paraKeys) (bool, int) {
	if r.group != nil {
		if !present(r.group, pk, r.leaves) {
			return false, 0
		}
		tf := 0
		for _, f := range r.forms {
			tf += f.count(pk)
		}
		return true, max(tf, 1)
	}
	tf := 0
	for _, f := range r.forms {
		tf += f.count(pk)
	}
	return tf > 0, tf
}

// count returns how often the form occurs in a paragraph with keys pk:
// its exact string, or 1 when only all its words are there.
func (f form) count(pk *paraKeys) int {
	key, ok := f.key(pk)
	if !ok || f.exact == "" {
		return 0
	}
	if n := strings.Count(key, f.exact); n > 0 {
		return n
	}
	if len(f.words) < 2 {
		return 0
	}
	for _, w := range f.words {
		if !strings.Contains(key, w) {
			return 0
		}
	}
	return 1
}

// neverRequired reports whether n is an unquoted word of only question,
// function or stop words (怎么, и, the): it has no requirement.
func neverRequired(n qnode) bool {
	t, ok := n.(qterm)
	return ok && len(termReqs(t)) == 0
}

// leafReqs adds the requirements of each word and phrase of n to leaves
// (a new map for nil) and returns it.
func leafReqs(n qnode, leaves map[qterm][]requirement) map[qterm][]requirement {
	if leaves == nil {
		leaves = map[qterm][]requirement{}
	}
	switch n := n.(type) {
	case qterm:
		if _, ok := leaves[n]; !ok {
			leaves[n] = termReqs(n)
		}
	case qor:
		for _, m := range n.any {
			leafReqs(m, leaves)
		}
	case qand:
		for _, m := range n.must {
			leafReqs(m, leaves)
		}
		for _, m := range n.not {
			leafReqs(m, leaves)
		}
	}
	return leaves
}

// neverRequiredIn is neverRequired with the requirements of leaves.
func neverRequiredIn(n qnode, leaves map[qterm][]requirement) bool {
	t, ok := n.(qterm)
	return ok && len(leaves[t]) == 0
}

// present evaluates a query expression on a paragraph with keys pk, by
// the requirements of its words and phrases, leaves (see leafReqs);
// filters hold: the index checked them.
func present(n qnode, pk *paraKeys, leaves map[qterm][]requirement) bool {
	switch n := n.(type) {
	case qterm:
		reqs := leaves[n]
		for _, r := range reqs {
			if ok, _ := r.holds(pk); !ok {
				return false
			}
		}
		// a word never required is never present either: it excludes
		// nothing after a minus and adds nothing to an OR, as compile
		// has it (a group's AND skips it)
		return len(reqs) > 0
	case qor:
		for _, m := range n.any {
			if present(m, pk, leaves) {
				return true
			}
		}
		return false
	case qand:
		for _, m := range n.must {
			if !neverRequiredIn(m, leaves) && !present(m, pk, leaves) {
				return false
			}
		}
		for _, m := range n.not {
			if present(m, pk, leaves) {
				return false
			}
		}
		return true
	}
	return true
}
