package search

import (
	"math"

	"github.com/scosearch/scosearch/index"
)

// filterBound is the most paragraphs the top-level filters of a query
// (doc:, year:, lang:, place: with one value) let through, from the
// generation's document list; +Inf without such a filter. The matches of
// the whole query are at most this many, and about its share of the
// paragraphs of the matches of its words: with the estimate, a search
// filtered to one document or year counts its facets with its hits, not
// in a second search (on the laws corpus that second search was a quarter
// of a filtered query's CPU).
func (g *generation) filterBound(root qand) float64 {
	bound := math.Inf(1)
	for _, m := range root.must {
		f, ok := m.(qfilter)
		if !ok || f.ranged {
			continue
		}
		var keep func(index.DocMeta) bool
		switch f.field {
		case "doc":
			bound = min(bound, float64(g.docs[f.value].Paragraphs)) // 0: no such document
			continue
		case "year":
			keep = func(d index.DocMeta) bool { return len(d.Date) >= 4 && d.Date[:4] == f.value }
		case "lang":
			keep = func(d index.DocMeta) bool { return d.Lang == f.value }
		case "place":
			keep = func(d index.DocMeta) bool { return d.Place == f.value }
		default:
			continue
		}
		n := 0
		for _, d := range g.docs {
			if keep(d) {
				n += d.Paragraphs
			}
		}
		bound = min(bound, float64(n))
	}
	return bound
}
