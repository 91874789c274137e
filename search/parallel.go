package search

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search/align"
)

// MaxParallelParagraphs is the most paragraphs a document aligned by
// Parallel may have: the alignment costs the product of the two lengths
// (two documents of 760 paragraphs take about 0.4 s).
const MaxParallelParagraphs = MaxCompareParagraphs

// parallelCacheSize bounds the alignments a generation keeps.
const parallelCacheSize = 256

// Parallel is the alignment of two documents' paragraphs, a translation
// and its original or any two documents (see package align).
type Parallel struct {
	A string `json:"a"` // the ids of the two documents
	B string `json:"b"`
	// Pairs cover every paragraph of A and of B once, in reading order:
	// {"a": [2], "b": [2, 3]} says that paragraph 2 of A is translated
	// by paragraphs 2 and 3 of B, {"a": [9], "b": []} that 9 has no
	// counterpart.
	Pairs []align.Pair `json:"pairs"`
}

// Row returns the index in Pairs of the pair holding paragraph n of
// document A (side 0) or of B (side 1), or -1.
func (p *Parallel) Row(side, n int) int {
	for i, pair := range p.Pairs {
		ns := pair.A
		if side == 1 {
			ns = pair.B
		}
		if slices.Contains(ns, n) {
			return i
		}
	}
	return -1
}

// Parallel aligns the paragraphs of documents a and b, Gale–Church style
// (align.Align): meant for a document and its translation (see
// DocumentInfo.Translations), it aligns any two, a document with itself
// pair by pair. An alignment is computed once per index generation and
// kept. An unknown id is an ErrNotFound error; a document longer than
// MaxParallelParagraphs an ErrBadQuery one.
func (e *Engine) Parallel(ctx context.Context, a, b string) (*Parallel, error) {
	g, err := e.acquire()
	if err != nil {
		return nil, err
	}
	defer e.release(g)
	docs := [2]index.DocMeta{}
	for i, id := range []string{a, b} {
		d, ok := g.docs[id]
		if !ok {
			return nil, fmt.Errorf("document %q: %w", id, ErrNotFound)
		}
		if d.Paragraphs > MaxParallelParagraphs {
			return nil, badQuery(CodeBadSize, 0, strconv.Itoa(d.Paragraphs), "document %q has %d paragraphs: at most %d can be aligned", id, d.Paragraphs, MaxParallelParagraphs)
		}
		docs[i] = d
	}
	if pairs, ok := g.parallel.get(a, b); ok {
		return &Parallel{A: a, B: b, Pairs: pairs}, nil
	}
	var texts [2][]string
	for i, d := range docs {
		if i == 1 && a == b {
			texts[1] = texts[0]
			break
		}
		paras, err := g.paragraphs(ctx, d.ID, 1, d.Paragraphs)
		if err != nil {
			return nil, err
		}
		for _, p := range paras {
			texts[i] = append(texts[i], p.Text)
		}
	}
	pairs := align.Align(texts[0], texts[1])
	g.parallel.put(a, b, pairs)
	return &Parallel{A: a, B: b, Pairs: pairs}, nil
}

// parallelCache keeps a generation's alignments by pair of documents.
// The pairs kept are shared by the answers: never changed.
type parallelCache struct {
	mu    sync.Mutex
	pairs map[[2]string][]align.Pair
}

func (c *parallelCache) get(a, b string) ([]align.Pair, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pairs[[2]string{a, b}]
	return p, ok
}

func (c *parallelCache) put(a, b string, pairs []align.Pair) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pairs == nil || len(c.pairs) >= parallelCacheSize {
		c.pairs = map[[2]string][]align.Pair{} // rare: start again
	}
	c.pairs[[2]string{a, b}] = pairs
}

// translationGroups maps each document id to the ids of its translations,
// sorted: documents whose ids differ only by a language suffix (X, X.ru,
// X.en: X.ru is a Russian document's id when its language is ru) and
// documents linked by translation_of metadata (index.DocMeta), taken
// transitively. Documents without translations are absent.
func translationGroups(docs []index.DocMeta) map[string][]string {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		for i := 0; i < len(parent)+1; i++ { // bounded: a path is shorter than the set
			p, ok := parent[x]
			if !ok || p == x {
				return x
			}
			if gp, ok := parent[p]; ok {
				parent[x] = gp // halve the path
			}
			x = p
		}
		return x
	}
	union := func(x, y string) {
		if rx, ry := find(x), find(y); rx != ry {
			parent[rx] = ry
		}
	}
	for _, d := range docs {
		if d.Lang != "" && strings.HasSuffix(d.ID, "."+d.Lang) {
			union(d.ID, strings.TrimSuffix(d.ID, "."+d.Lang))
		}
		if d.TranslationOf != "" {
			union(d.ID, d.TranslationOf)
		}
	}
	groups := map[string][]string{}
	for _, d := range docs {
		r := find(d.ID)
		groups[r] = append(groups[r], d.ID)
	}
	out := map[string][]string{}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		slices.Sort(g)
		for _, id := range g {
			others := make([]string, 0, len(g)-1)
			for _, o := range g {
				if o != id {
					others = append(others, o)
				}
			}
			out[id] = others
		}
	}
	return out
}

// docInfo describes document d of generation g.
func (g *generation) docInfo(d index.DocMeta) DocumentInfo {
	info := docInfo(d)
	// a copy: the caller may change it
	info.Translations = append([]string{}, g.translations[d.ID]...)
	return info
}
