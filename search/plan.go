package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/zh"
)

// A plan is a parsed query made ready to run: the bleve query of the
// paragraphs that match all of it, the query of those that match part of
// it, and the requirements that rank the hits and say what a partial hit
// misses.
type plan struct {
	// full matches every requirement, filter and exclusion.
	full query.Query
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
	// holding one ranks first.
	whole []string
}

// requirement is one thing a paragraph of a full match holds.
type requirement struct {
	label string      // shown when a partial hit misses it
	q     query.Query // the paragraphs that hold it
	forms []form      // the forms that satisfy it (any one); for a group, its words
	group qnode       // a group: present when the group's expression holds
	// parts are pieces of a long unquoted word (zh.Parts) that a partial
	// match may hold instead of the whole: 网络 or 安全 of 网络安全.
	parts  []string
	partsQ []query.Query
}

// form is one way of writing a requirement.
type form struct {
	exact string   // zh.ExactKey of the form
	words []string // its gse words (ExactKey), all present also satisfy it; nil for a phrase
}

// newPlan turns a parsed query into a plan.
func newPlan(root qand) plan {
	var p plan
	var musts, boosts, nots []query.Query
	var filters []qfilter
	var wholeParts [][]string
	for _, m := range root.must {
		switch n := m.(type) {
		case qfilter:
			filters = append(filters, n)
		case qterm:
			if n.phrase {
				r := requirement{label: n.String(), q: phraseQuery(n.text), forms: []form{{exact: zh.ExactKey(n.text)}}}
				p.reqs = append(p.reqs, r)
				musts = append(musts, r.q)
				wholeParts = append(wholeParts, []string{zh.ExactKey(n.text)})
				continue
			}
			units := zh.Units(n.text)
			content := 0
			for _, u := range units {
				if !u.Stop {
					content++
				}
			}
			for _, u := range units {
				if u.Stop {
					continue
				}
				r := unitRequirement(u)
				p.reqs = append(p.reqs, r)
				musts = append(musts, r.q)
			}
			if content > 1 || len(units) > content {
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
			r := requirement{label: display(m), q: compile(m), group: m, forms: leafForms(m)}
			p.reqs = append(p.reqs, r)
			musts = append(musts, r.q)
		}
	}
	for _, m := range root.not {
		nots = append(nots, compile(m))
	}
	p.whole = joinForms(wholeParts)
	p.full = andQuery(musts, boosts, nots, filters)
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

// unitRequirement is the requirement of one unit of an unquoted word: any
// of its forms (the unit and its synonyms), each as its gse words or as
// its exact string (see wordQuery).
func unitRequirement(u zh.Unit) requirement {
	r := requirement{label: u.Text}
	alts := make([]query.Query, 0, len(u.Alts))
	for _, a := range u.Alts {
		r.forms = append(r.forms, newForm(a))
		alts = append(alts, wordQuery(a))
	}
	r.q = alts[0]
	if len(alts) > 1 {
		r.q = query.NewDisjunctionQuery(alts)
	}
	parts, bigrams := zh.Parts(u.Text)
	for _, part := range parts {
		field := index.FieldText
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
		if n.phrase {
			return []form{{exact: zh.ExactKey(n.text)}}
		}
		for _, v := range zh.Variants(n.text) {
			out = append(out, newForm(v))
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

// holds reports whether a paragraph whose ExactKey is key satisfies the
// requirement, and how often its forms occur.
func (r requirement) holds(key string) (bool, int) {
	if r.group != nil {
		if !present(r.group, key) {
			return false, 0
		}
		tf := 0
		for _, f := range r.forms {
			tf += f.count(key)
		}
		return true, max(tf, 1)
	}
	tf := 0
	for _, f := range r.forms {
		tf += f.count(key)
	}
	return tf > 0, tf
}

// count returns how often the form occurs in key: its exact string, or 1
// when only all its words are there.
func (f form) count(key string) int {
	if f.exact == "" {
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

// present evaluates a query expression on a paragraph's ExactKey, by
// substrings (filters hold: the index checked them).
func present(n qnode, key string) bool {
	switch n := n.(type) {
	case qterm:
		if n.phrase {
			return strings.Contains(key, zh.ExactKey(n.text))
		}
		for _, u := range zh.Units(n.text) {
			if u.Stop {
				continue
			}
			ok := false
			for _, a := range u.Alts {
				ok = ok || newForm(a).count(key) > 0
			}
			if !ok {
				return false
			}
		}
		return true
	case qor:
		for _, m := range n.any {
			if present(m, key) {
				return true
			}
		}
		return false
	case qand:
		for _, m := range n.must {
			if !present(m, key) {
				return false
			}
		}
		for _, m := range n.not {
			if present(m, key) {
				return false
			}
		}
		return true
	}
	return true
}
