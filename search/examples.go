package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/scosearch/scosearch/index/lang"
)

// Bounds of Examples.
const (
	// MaxExamples is the most formulations Examples returns.
	MaxExamples = 20
	// exampleMinRunes is the shortest formulation: shorter words are
	// common words, not formulations.
	exampleMinRunes = 4
	// exampleDictWalk bounds the term dictionary entries read per shard.
	exampleDictWalk = 1 << 20
)

// examples is what a generation keeps of Examples: computed once.
type examples struct {
	once  sync.Once
	words []Suggestion
	err   error
}

// Examples returns up to n (at most MaxExamples) frequent formulations of
// the corpus, for a reader to start from: the words of the text field of
// four or more Chinese characters, by the number of paragraphs holding
// them (Count), most first, leaving out a word that is part of one
// already chosen or holds one (合作组织 after 上海合作组织). They are
// computed once per index generation, from its term dictionaries.
func (e *Engine) Examples(ctx context.Context, n int) ([]Suggestion, error) {
	if n <= 0 || n > MaxExamples {
		return nil, badQuery(CodeBadSize, 0, fmt.Sprint(n), "%d examples: want 1 to %d", n, MaxExamples)
	}
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.release(g)
	g.examples.once.Do(func() {
		// Not the caller's context: the answer is kept for every caller.
		g.examples.words, g.examples.err = frequentFormulations(context.WithoutCancel(ctx), g, MaxExamples)
	})
	if g.examples.err != nil {
		return nil, g.examples.err
	}
	return slices.Clone(g.examples.words[:min(n, len(g.examples.words))]), nil
}

func frequentFormulations(ctx context.Context, g *generation, k int) ([]Suggestion, error) {
	df := map[string]int{}
	for i, s := range g.idx.Shards() {
		if err := walkDict(ctx, s, lang.Of("").WordField, "", exampleDictWalk, df); err != nil {
			return nil, fmt.Errorf("examples: shard %d: %w", i, err)
		}
	}
	var cands []Suggestion
	for t, c := range df {
		if utf8.RuneCountInString(t) >= exampleMinRunes && allHan(t) {
			cands = append(cands, Suggestion{Text: t, Count: c})
		}
	}
	slices.SortFunc(cands, func(a, b Suggestion) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(len(b.Text), len(a.Text)), strings.Compare(a.Text, b.Text))
	})
	out := []Suggestion{}
	for _, c := range cands {
		if len(out) == k {
			break
		}
		if !slices.ContainsFunc(out, func(o Suggestion) bool {
			return strings.Contains(o.Text, c.Text) || strings.Contains(c.Text, o.Text)
		}) {
			out = append(out, c)
		}
	}
	return out, nil
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}
