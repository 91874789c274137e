package search

// JSONResult is the JSON form of a Result shared by `scosearch search --json`
// and the web API's /api/search:
//
//	{"total": N, "took_ms": F, "hits": [{"id", "doc", "title", "date", "place",
//	 "lang", "section", "paragraph", "score", "text", "snippets": [...],
//	 "similar": [...]}], "facets": {"doc": [...], "year": [...], "section": [...]}}
//
// "text" is the paragraph's full plain text; "snippets" are HTML (escaped
// text with <mark> around matches); "similar" is present only on a hit that
// stands for near-identical paragraphs. Slices are never null. Encode it
// with SetEscapeHTML(false) to keep <mark> readable.
type JSONResult struct {
	Total  uint64  `json:"total"`
	TookMS float64 `json:"took_ms"`
	Hits   []Hit   `json:"hits"`
	Facets Facets  `json:"facets"`
}

// NewJSONResult returns the JSON form of r.
func NewJSONResult(r *Result) JSONResult {
	out := JSONResult{
		Total:  r.Total,
		TookMS: float64(r.Took.Microseconds()) / 1000,
		Hits:   make([]Hit, 0, len(r.Hits)),
		Facets: Facets{Doc: nonNil(r.Facets.Doc), Year: nonNil(r.Facets.Year), Section: nonNil(r.Facets.Section)},
	}
	for _, h := range r.Hits {
		if h.Snippets == nil {
			h.Snippets = []string{}
		}
		out.Hits = append(out.Hits, h)
	}
	return out
}

func nonNil(fc []FacetCount) []FacetCount {
	if fc == nil {
		return []FacetCount{}
	}
	return fc
}
