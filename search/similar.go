package search

import (
	"sync"

	"github.com/scosearch/scosearch/index"
)

// similarOnce holds a generation's similar paragraphs, read once.
type similarOnce struct {
	once sync.Once
	t    *similarTable
	err  error
}

// similarTable is the similar paragraphs of a generation in a compact
// form: paragraphs by document number and paragraph number, not by id
// strings (the laws corpus's similar.json, 41 MB, decoded into a map of
// id strings held about 90 MB of heap for as long as the server ran).
type similarTable struct {
	docs  []string         // document ids by number
	docNo map[string]int32 // and their numbers
	of    map[similarKey][]similarRef
}

type similarKey struct{ doc, n int32 }

type similarRef struct {
	similarKey
	similarity float64
}

// readSimilarTable reads the similar paragraphs of generation dir.
func readSimilarTable(dir string) (*similarTable, error) {
	t := &similarTable{docNo: map[string]int32{}, of: map[similarKey][]similarRef{}}
	key := func(id string) (similarKey, bool) {
		doc, n, ok := index.SplitParagraphID(id)
		if !ok {
			return similarKey{}, false
		}
		no, seen := t.docNo[doc]
		if !seen {
			no = int32(len(t.docs))
			t.docs = append(t.docs, doc)
			t.docNo[doc] = no
		}
		return similarKey{no, int32(n)}, true
	}
	err := index.ReadSimilarEach(dir, func(id string, sims []index.Similar) {
		k, ok := key(id)
		if !ok {
			return
		}
		refs := make([]similarRef, 0, len(sims))
		for _, s := range sims {
			if sk, ok := key(s.ID); ok {
				refs = append(refs, similarRef{sk, s.Similarity})
			}
		}
		t.of[k] = refs
	})
	return t, err
}

// addSimilar fills the SimilarElsewhere of paras from generation g. The
// similar paragraphs are an aid: a generation without them, or whose file
// cannot be read (logged), leaves the paragraphs as they are.
func (e *Engine) addSimilar(g *generation, paras []Paragraph) {
	s := &g.similar
	s.once.Do(func() {
		s.t, s.err = readSimilarTable(g.idx.Dir())
		if s.err != nil {
			e.opts.logger.Warn("similar paragraphs unavailable", "generation", g.idx.Dir(), "err", s.err)
		}
	})
	if s.err != nil || len(s.t.of) == 0 {
		return
	}
	for i := range paras {
		pdoc, pn, ok := index.SplitParagraphID(paras[i].ID)
		no, known := s.t.docNo[pdoc]
		if !ok || !known {
			continue
		}
		for _, sim := range s.t.of[similarKey{no, int32(pn)}] {
			doc := s.t.docs[sim.doc]
			d, known := g.docs[doc]
			if !known {
				continue
			}
			paras[i].SimilarElsewhere = append(paras[i].SimilarElsewhere, SimilarParagraph{
				ID: index.ParagraphID(doc, int(sim.n)), Doc: doc, Title: d.Title, Date: d.Date, Paragraph: int(sim.n), Similarity: sim.similarity,
			})
		}
	}
}
