package search

// JSONResult is the JSON form of a Result shared by `scosearch search --json`
// and the web API's /api/search:
//
//	{"total": N, "complete": N, "collapsed": N, "took_ms": F,
//	 "hits": [{"id", "doc", "title", "date", "place", "lang", "section",
//	 "paragraph", "score", "text", "snippets": [...], "similar": [...],
//	 "match": "all"|"partial", "missing": [...]}],
//	 "facets": {"doc": [...], "year": [...], "section": [...]}}
//
// "total" counts the matching paragraphs, "complete" those that match the
// whole query (the others match part of it: "match": "partial", and
// "missing" lists the words they lack), "collapsed" those shown only as
// another hit's "similar".
//
// "text" is the paragraph's full plain text; "snippets" are HTML (escaped
// text with <mark> around matches); "similar" is present only on a hit that
// stands for near-identical paragraphs. Slices are never null. Encode it
// with SetEscapeHTML(false) to keep <mark> readable.
type JSONResult struct {
	Total     uint64  `json:"total"`
	Complete  uint64  `json:"complete"`
	Collapsed uint64  `json:"collapsed"`
	TookMS    float64 `json:"took_ms"`
	Hits      []Hit   `json:"hits"`
	Facets    Facets  `json:"facets"`
}

// NewJSONResult returns the JSON form of r.
func NewJSONResult(r *Result) JSONResult {
	out := JSONResult{
		Total:     r.Total,
		Complete:  r.Complete,
		Collapsed: r.Collapsed,
		TookMS:    float64(r.Took.Microseconds()) / 1000,
		Hits:      make([]Hit, 0, len(r.Hits)),
		Facets:    Facets{Doc: nonNil(r.Facets.Doc), Year: nonNil(r.Facets.Year), Section: nonNil(r.Facets.Section), Lang: nonNil(r.Facets.Lang), Sample: r.Facets.Sample},
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
