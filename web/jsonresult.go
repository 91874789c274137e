package web

import "github.com/scosearch/scosearch/search"

// TODO(align): replace with package search's JSON shape once it exists, so
// that /api/search and `scosearch search --json` share one definition.

type jsonResult struct {
	Total  uint64        `json:"total"`
	TookMS float64       `json:"took_ms"`
	Hits   []search.Hit  `json:"hits"`
	Facets search.Facets `json:"facets"`
}

func newJSONResult(r *search.Result) jsonResult {
	hits := r.Hits
	if hits == nil {
		hits = []search.Hit{}
	}
	return jsonResult{Total: r.Total, TookMS: float64(r.Took.Microseconds()) / 1000, Hits: hits, Facets: r.Facets}
}
