package search

import (
	"sync"

	"github.com/scosearch/scosearch/index"
)

// similarOnce holds a generation's similar paragraphs, read once.
type similarOnce struct {
	once sync.Once
	m    map[string][]index.Similar
	err  error
}

// addSimilar fills the SimilarElsewhere of paras from generation g. The
// similar paragraphs are an aid: a generation without them, or whose file
// cannot be read (logged), leaves the paragraphs as they are.
func (e *Engine) addSimilar(g *generation, paras []Paragraph) {
	s := &g.similar
	s.once.Do(func() {
		s.m, s.err = index.ReadSimilar(g.idx.Dir())
		if s.err != nil {
			e.opts.logger.Warn("similar paragraphs unavailable", "generation", g.idx.Dir(), "err", s.err)
		}
	})
	if len(s.m) == 0 {
		return
	}
	for i := range paras {
		for _, sim := range s.m[paras[i].ID] {
			doc, n, ok := index.SplitParagraphID(sim.ID)
			d, known := g.docs[doc]
			if !ok || !known {
				continue
			}
			paras[i].SimilarElsewhere = append(paras[i].SimilarElsewhere, SimilarParagraph{
				ID: sim.ID, Doc: doc, Title: d.Title, Date: d.Date, Paragraph: n, Similarity: sim.Similarity,
			})
		}
	}
}
