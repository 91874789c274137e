package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/index/zh"
)

// Bounds of Suggest.
const (
	// DefaultSuggestions is the number of suggestions Suggest returns for n = 0.
	DefaultSuggestions = 8
	// MaxSuggestions is the most suggestions Suggest returns.
	MaxSuggestions = 20
	// MaxSuggestRunes is the longest prefix Suggest accepts, in characters.
	MaxSuggestRunes = 50
	// suggestDictWalk bounds the term dictionary entries Suggest reads per
	// shard: a one-character prefix of a large corpus starts thousands of
	// words, and reading them all would cost more than the suggestions are
	// worth. The entries come in byte order, so the walk favours shorter
	// completions, which are also the likelier ones.
	suggestDictWalk = 4096
	// suggestExtraWords is how many more words than asked for are counted,
	// so that a word whose search finds more than its document frequency
	// (abbreviations, substrings) can move up.
	suggestExtraWords = 4
	// suggestCountCache is the number of query totals the Engine keeps
	// for Suggest.
	suggestCountCache = 4096
)

// Suggestion is one completion of what the user has typed.
type Suggestion struct {
	// Text is the whole query: what was typed before the last word, and
	// the completed last word (folded: simplified, half-width, lower case).
	Text string `json:"text"`
	// Count is the number of paragraphs a Search for Text finds.
	Count int `json:"count"`
}

// countKey identifies a query whose total Suggest has counted.
type countKey struct {
	gen, query string
}

// Suggest returns up to n (0 means DefaultSuggestions, at most
// MaxSuggestions) completions of prefix, the query typed so far, most
// results first.
//
// The last word of prefix (after its last space; a leading + or - is
// kept) is folded like the index (traditional to simplified, full-width to
// half-width, lower case) and completed with the words of the index's
// text field that start with it (its term dictionary, read a bounded
// number of entries per shard), the most frequent first; document titles
// (up to their first punctuation mark) and members of the synonyms list
// (上合组织, 上海合作组织, ...) that start with it are candidates too.
// Each candidate, the words typed before the last one included, is then
// counted by running it as a query that only counts, cached per index
// generation, so Count is what Search finds for Text; candidates found
// nowhere, or that do not parse as a query, are left out. At most
// n+4 words and max(2, n/2) titles and synonyms are counted.
//
// A prefix that is empty, ends with a space, or whose last word holds
// anything but letters and digits (a filter, a quote) has no completions:
// the result is empty, not an error. Invalid UTF-8, a prefix longer than
// MaxSuggestRunes characters or n out of range are ErrBadQuery errors.
func (e *Engine) Suggest(ctx context.Context, prefix string, n int) ([]Suggestion, error) {
	switch {
	case n == 0:
		n = DefaultSuggestions
	case n < 0 || n > MaxSuggestions:
		return nil, badQuery(CodeBadSize, 0, strconv.Itoa(n), "%d suggestions: want 1 to %d", n, MaxSuggestions)
	}
	if !utf8.ValidString(prefix) {
		return nil, badQuery(CodeInvalidUTF8, 0, "", "prefix is not valid UTF-8")
	}
	if c := utf8.RuneCountInString(prefix); c > MaxSuggestRunes {
		return nil, badQuery(CodeTooLong, 0, strconv.Itoa(MaxSuggestRunes), "prefix too long: %d characters, at most %d", c, MaxSuggestRunes)
	}
	head, word, ok := splitPrefix(prefix)
	if !ok {
		return []Suggestion{}, nil
	}
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.release(g)

	words, err := dictCompletions(ctx, g.idx.Shards(), word, n+suggestExtraWords)
	if err != nil {
		return nil, fmt.Errorf("suggest %q: %w", prefix, err)
	}
	skip := make(map[string]bool, len(words))
	for _, w := range words {
		skip[w.Text] = true
	}
	cands := append(words, phraseCompletions(g, word, max(2, n/2), skip)...)

	type scored struct {
		Suggestion
		df int
	}
	out := make([]scored, 0, len(cands))
	for _, c := range cands { // distinct: phrases skip the words
		text := head + c.Text
		count, err := e.count(ctx, g, text)
		if errors.Is(err, ErrBadQuery) {
			continue // e.g. the words before the last one do not parse yet
		}
		if err != nil {
			return nil, fmt.Errorf("suggest %q: %w", prefix, err)
		}
		if count > 0 {
			out = append(out, scored{Suggestion{Text: text, Count: count}, c.Count})
		}
	}
	slices.SortFunc(out, func(a, b scored) int {
		return cmp.Or(
			cmp.Compare(b.Count, a.Count),
			cmp.Compare(b.df, a.df),
			cmp.Compare(utf8.RuneCountInString(a.Text), utf8.RuneCountInString(b.Text)),
			strings.Compare(a.Text, b.Text),
		)
	})
	res := make([]Suggestion, 0, min(n, len(out)))
	for _, s := range out[:min(n, len(out))] {
		res = append(res, s.Suggestion)
	}
	return res, nil
}

// splitPrefix splits a typed query into what stays as typed (the words
// before the last one, and a + or - before it) and the folded last word
// to complete. ok is false when there is nothing to complete.
func splitPrefix(prefix string) (head, word string, ok bool) {
	isSpace := func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' }
	prefix = strings.TrimLeftFunc(prefix, isSpace)
	i := strings.LastIndexFunc(prefix, isSpace)
	if i >= 0 {
		_, size := utf8.DecodeRuneInString(prefix[i:])
		i += size
	} else {
		i = 0
	}
	head, last := prefix[:i], prefix[i:]
	if r, size := utf8.DecodeRuneInString(last); strings.ContainsRune("+-＋－", r) {
		head, last = head+last[:size], last[size:]
	}
	if last == "" {
		return "", "", false
	}
	word = zh.Fold(last)
	for _, r := range word {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return "", "", false
		}
	}
	return head, word, true
}

// dictCompletions returns up to k words that start with word, from the
// word fields of the languages of its script (lang.ForQuery; the exact,
// unstemmed field of an alphabetic language: шанхайской, not шанхайск;
// one form of each stem), the most frequent first, Count their document frequency summed over the
// shards. It reads at most suggestDictWalk entries per shard and field.
func dictCompletions(ctx context.Context, shards []bleve.Index, word string, k int) ([]Suggestion, error) {
	df := map[string]int{}
	langs := lang.ForQuery(word)
	if len(langs) == 0 {
		langs = []lang.Language{lang.Of("")}
	}
	for _, l := range langs {
		field := l.WordField
		if l.Alphabetic() {
			field = l.ExactField
		}
		for i, s := range shards {
			if err := walkDict(ctx, s, field, word, suggestDictWalk, df); err != nil {
				return nil, fmt.Errorf("shard %d: %w", i, err)
			}
		}
	}
	out := make([]Suggestion, 0, len(df))
	for t, c := range df {
		if plainTerm(t) {
			out = append(out, Suggestion{Text: t, Count: c})
		}
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(len(a.Text), len(b.Text)), strings.Compare(a.Text, b.Text))
	})
	// Forms of one Russian or English word are one search (a query's
	// words are stemmed): the most frequent stands for them.
	seen := map[string]bool{}
	kept := out[:0]
	for _, s := range out {
		if len(kept) == k {
			break
		}
		dup := false
		var keys []string
		for _, l := range langs {
			if k := l.Key(s.Text); l.Alphabetic() && k != "" {
				keys = append(keys, l.Code+k)
				dup = dup || seen[l.Code+k]
			}
		}
		if dup {
			continue
		}
		for _, k := range keys {
			seen[k] = true
		}
		kept = append(kept, s)
	}
	return kept, nil
}

// walkDict adds the document frequencies of the words of field that
// start with word in one shard to df, reading at most limit entries.
func walkDict(ctx context.Context, s bleve.Index, field, word string, limit int, df map[string]int) (err error) {
	d, err := s.FieldDictPrefix(field, []byte(word))
	if err != nil {
		return fmt.Errorf("term dictionary: %w", err)
	}
	defer func() {
		if cerr := d.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close term dictionary: %w", cerr)
		}
	}()
	for i := 0; i < limit; i++ {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		de, err := d.Next()
		if err != nil {
			return fmt.Errorf("term dictionary: %w", err)
		}
		if de == nil {
			return nil
		}
		df[de.Term] += int(de.Count)
	}
	return nil
}

// plainTerm reports whether a word of the index can be written in a query
// as it is: nothing the query language reads as an operator.
func plainTerm(t string) bool {
	return t != "" && !strings.ContainsAny(t, "\"“”()（）:：*|") && !strings.ContainsAny(t[:1], "+-")
}

// phraseCompletions returns up to k members of the synonyms list and
// document titles that start with word, are longer than it and are not in
// skip, each cut at its first character other than a letter or digit
// (刑法修正案（七） gives 刑法修正案), so that it reads as one word of a
// query. Synonyms (curated terms) come first, shortest first; then titles,
// those shared by the most documents first, then the shortest.
func phraseCompletions(g *generation, word string, k int, skip map[string]bool) []Suggestion {
	cut := func(s string) (string, bool) {
		s = zh.Fold(s)
		if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }); i >= 0 {
			s = s[:i]
		}
		ok := len(s) > len(word) && strings.HasPrefix(s, word) && !skip[s] && utf8.RuneCountInString(s) <= MaxSuggestRunes
		return s, ok
	}
	var out []Suggestion
	seen := map[string]bool{}
	for _, m := range zh.SynonymTerms() {
		if s, ok := cut(m); ok && !seen[s] {
			seen[s] = true
			out = append(out, Suggestion{Text: s})
		}
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(len(a.Text), len(b.Text)), strings.Compare(a.Text, b.Text))
	})
	if len(out) >= k {
		return out[:k]
	}
	docs := map[string]int{}
	for _, d := range g.idx.Meta().Documents {
		if s, ok := cut(d.Title); ok && !seen[s] {
			docs[s]++
		}
	}
	titles := make([]Suggestion, 0, len(docs))
	for s, n := range docs {
		titles = append(titles, Suggestion{Text: s, Count: n})
	}
	slices.SortFunc(titles, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(len(a.Text), len(b.Text)), strings.Compare(a.Text, b.Text))
	})
	out = append(out, titles[:min(k-len(out), len(titles))]...)
	for i := range out {
		out[i].Count = 0 // not a frequency: ranked last among equal counts
	}
	return out
}

// count returns the number of paragraphs that match all of q (Result.Complete
// of a Search), from the cache of the generation's counts if it is there.
// The caller holds a reference to g.
func (e *Engine) count(ctx context.Context, g *generation, q string) (int, error) {
	key := countKey{gen: g.idx.Dir(), query: q}
	if n, ok := e.counts.Get(key); ok {
		return n, nil
	}
	root, err := Request{Query: q}.parse()
	if err != nil {
		return 0, err
	}
	br := bleve.NewSearchRequestOptions(newPlan(root).bare, 0, 0, false)
	br.Score = "none"
	sr, err := g.search(ctx, br)
	if err != nil {
		return 0, fmt.Errorf("count %q: %w", q, err)
	}
	e.counts.Add(key, int(sr.Total))
	return int(sr.Total), nil
}
