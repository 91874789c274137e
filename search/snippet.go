package search

import (
	"html"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/scosearch/scosearch/index/zh"
)

// Snippet sizes, in characters (runes).
const (
	// SnippetMaxFragments is the most fragments in Hit.Snippets.
	SnippetMaxFragments = 3
	// snippetWhole: a paragraph this short is one snippet, uncut.
	snippetWhole = 160
	// snippetSize is the target length of one fragment.
	snippetSize = 120
	// snippetLead is how much text before a fragment's first match is kept.
	snippetLead = 24
)

const ellipsis = "…"

// Where a fragment prefers to start: after a sentence, else after a clause.
const (
	sentenceStops = "。；！？!?;\n"
	clauseStops   = "，,、：:"
)

// span is a match in a text, as byte offsets [start, end).
type span struct{ start, end int }

// cleanSpans drops spans that are empty, out of range or not on rune
// boundaries of text, and merges overlapping and adjacent ones, so that
// 上海+合作+组织 becomes one span. The result is sorted.
func cleanSpans(text string, spans []span) []span {
	ok := make([]span, 0, len(spans))
	for _, s := range spans {
		if s.start < 0 || s.end > len(text) || s.start >= s.end {
			continue
		}
		if !utf8.RuneStart(text[s.start]) || (s.end < len(text) && !utf8.RuneStart(text[s.end])) {
			continue
		}
		ok = append(ok, s)
	}
	sort.Slice(ok, func(i, j int) bool {
		if ok[i].start != ok[j].start {
			return ok[i].start < ok[j].start
		}
		return ok[i].end < ok[j].end
	})
	merged := ok[:0]
	for _, s := range ok {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			if s.end > merged[n-1].end {
				merged[n-1].end = s.end
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// markHTML returns text[from:to] HTML-escaped with <mark> around the spans,
// which must be clean (see cleanSpans); spans are clipped to [from, to).
func markHTML(text string, spans []span, from, to int) string {
	var b strings.Builder
	pos := from
	for _, s := range spans {
		if s.end <= from || s.start >= to {
			continue
		}
		st, en := max(s.start, from), min(s.end, to)
		b.WriteString(html.EscapeString(text[pos:st]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[st:en]))
		b.WriteString("</mark>")
		pos = en
	}
	b.WriteString(html.EscapeString(text[pos:to]))
	return b.String()
}

// highlight returns the whole text HTML-escaped with <mark> around the spans.
func highlight(text string, spans []span) string {
	return markHTML(text, cleanSpans(text, spans), 0, len(text))
}

// snippets returns at most SnippetMaxFragments HTML fragments of text around
// the densest groups of spans: the whole text when it is short, "…" where a
// fragment is cut. Offsets are bytes; cutting is done on runes.
func snippets(text string, spans []span) []string {
	spans = cleanSpans(text, spans)
	n := utf8.RuneCountInString(text)
	if n <= snippetWhole {
		return []string{markHTML(text, spans, 0, len(text))}
	}
	// byteAt[i] is the byte offset of rune i; byteAt[n] = len(text).
	byteAt := make([]int, 0, n+1)
	for i := range text {
		byteAt = append(byteAt, i)
	}
	byteAt = append(byteAt, len(text))
	runeAt := func(b int) int { return sort.SearchInts(byteAt, b) }
	// inWord[i]: rune i is inside a gse word, not at its start, so a
	// fragment must not begin or end there (…话和 for 对话和).
	inWord := make([]bool, n+1)
	for _, w := range zh.WordSpans(text) {
		for i := runeAt(w[0]) + 1; i < runeAt(w[1]) && i <= n; i++ {
			inWord[i] = true
		}
	}
	type rspan struct{ s, e int }
	rs := make([]rspan, len(spans))
	for i, s := range spans {
		rs[i] = rspan{runeAt(s.start), runeAt(s.end)}
	}
	if len(rs) == 0 {
		end := snippetSize
		for end < n && inWord[end] {
			end++
		}
		return []string{markHTML(text, nil, 0, byteAt[end]) + ellipsis}
	}

	type window struct{ s, e int }
	// fit makes a window of about snippetSize runes starting a little
	// before rune s, never cutting a span.
	fit := func(s int) window {
		w := window{max(0, s-snippetLead), 0}
		// start after a sentence break shortly before the match, else
		// after a clause break, else at a word boundary
		breakAfter := func(stops string) bool {
			for i := s - 1; i > w.s; i-- {
				r, _ := utf8.DecodeRuneInString(text[byteAt[i]:])
				if strings.ContainsRune(stops, r) {
					w.s = i + 1
					return true
				}
			}
			return false
		}
		if !breakAfter(sentenceStops) {
			breakAfter(clauseStops)
		}
		w.e = min(n, w.s+snippetSize)
		if w.e == n {
			w.s = max(0, n-snippetSize)
		}
		for w.s > 0 && inWord[w.s] {
			w.s--
		}
		for w.e < n && inWord[w.e] {
			w.e++
		}
		for _, x := range rs {
			if x.s < w.s && x.e > w.s {
				w.s = x.s
			}
			if x.s < w.e && x.e > w.e {
				w.e = x.e
			}
		}
		return w
	}
	inside := func(w window, x rspan) bool { return x.s >= w.s && x.e <= w.e }
	var chosen []window
	used := make([]bool, len(rs))
	for len(chosen) < SnippetMaxFragments {
		best, bestCount := window{}, 0
		for i, x := range rs {
			if used[i] {
				continue
			}
			w := fit(x.s)
			overlaps := false
			for _, c := range chosen {
				if w.s < c.e && c.s < w.e {
					overlaps = true
				}
			}
			if overlaps {
				continue
			}
			count := 0
			for j, y := range rs {
				if !used[j] && inside(w, y) {
					count++
				}
			}
			if count > bestCount {
				best, bestCount = w, count
			}
		}
		if bestCount == 0 {
			break
		}
		chosen = append(chosen, best)
		for j, y := range rs {
			if inside(best, y) {
				used[j] = true
			}
		}
	}
	sort.Slice(chosen, func(i, j int) bool { return chosen[i].s < chosen[j].s })
	out := make([]string, 0, len(chosen))
	for _, w := range chosen {
		var b strings.Builder
		if w.s > 0 {
			b.WriteString(ellipsis)
		}
		b.WriteString(markHTML(text, spans, byteAt[w.s], byteAt[w.e]))
		if w.e < n {
			b.WriteString(ellipsis)
		}
		out = append(out, b.String())
	}
	return out
}
