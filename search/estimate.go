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
		switch f.field {
		case "doc":
			bound = min(bound, float64(g.docs[f.value].Paragraphs)) // 0: no such document
		case "year", "lang", "place":
			bound = min(bound, float64(g.parasBy[f.field+":"+f.value]))
		}
	}
	return bound
}

// parasByFilter counts the paragraphs of docs by the values of the year,
// lang and place filters ("year:2019", "lang:zh", "place:比什凯克"), once
// per generation: filterBound reads it for every query.
func parasByFilter(docs []index.DocMeta) map[string]int {
	n := make(map[string]int)
	for _, d := range docs {
		if len(d.Date) >= 4 {
			n["year:"+d.Date[:4]] += d.Paragraphs
		}
		n["lang:"+d.Lang] += d.Paragraphs
		n["place:"+d.Place] += d.Paragraphs
	}
	return n
}
