package bench

import (
	"math"
	"slices"
)

// Ranking metrics of the quality benchmark, all at a cut-off of MetricDepth
// hits and with binary relevance. They are computed here and nowhere else.

// MetricDepth is the rank cut-off of every quality metric.
const MetricDepth = 10

// Scores are the metrics of one ranking against one judged query.
type Scores struct {
	RR       float64 `json:"rr"`         // reciprocal rank of the first relevant hit, 0 if none in the top MetricDepth
	NDCG     float64 `json:"ndcg"`       // nDCG@MetricDepth, binary gains
	Success1 bool    `json:"success_1"`  // the first hit is relevant
	Success  bool    `json:"success_10"` // a relevant hit in the top MetricDepth
	Zero     bool    `json:"zero"`       // no hit at all
	Rank     int     `json:"rank"`       // 1-based rank of the first relevant hit, 0 if none in the top MetricDepth
}

// Score computes the metrics of a ranking. Each hit is the list of
// paragraph ids it stands for (one id, or several when near-identical
// paragraphs were collapsed into it). unit maps every relevant id to its
// unit: relevant paragraphs with the same text share a unit and earn one
// gain between them, so an engine that collapses duplicates and one that
// lists them both are judged alike. A hit is relevant when it stands for a
// unit no earlier hit stood for. The ideal ranking lists every unit once,
// except that units one hit of the top MetricDepth stands for together
// (near-identical paragraphs the engine collapsed) count as one there too.
func Score(hits [][]string, unit map[string]int) Scores {
	var s Scores
	s.Zero = len(hits) == 0
	seen := map[int]bool{}
	var dcg float64
	merged := 0 // units beyond the first of each hit
	for i, ids := range hits {
		if i == MetricDepth {
			break
		}
		fresh := 0
		for _, id := range ids {
			if u, ok := unit[id]; ok && !seen[u] {
				seen[u] = true
				fresh++
			}
		}
		if fresh == 0 {
			continue
		}
		merged += fresh - 1
		if s.Rank == 0 {
			s.Rank = i + 1
			s.RR = 1 / float64(i+1)
		}
		dcg += 1 / math.Log2(float64(i+2))
	}
	units := map[int]bool{}
	for _, u := range unit {
		units[u] = true
	}
	var ideal float64
	for i := range min(MetricDepth, len(units)-merged) {
		ideal += 1 / math.Log2(float64(i+2))
	}
	if ideal > 0 {
		s.NDCG = dcg / ideal
	}
	s.Success1 = s.Rank == 1
	s.Success = s.Rank > 0
	return s
}

// Units groups relevant ids by text: ids whose text (by textOf) is equal
// share a unit. An id textOf does not know is a unit of its own.
func Units(relevant []string, textOf func(id string) (string, bool)) map[string]int {
	unit := make(map[string]int, len(relevant))
	byText := map[string]int{}
	unknown := 0
	for _, id := range relevant {
		if _, dup := unit[id]; dup {
			continue
		}
		t, ok := textOf(id)
		if !ok {
			unknown--
			unit[id] = unknown // negative: never shared with a text unit
			continue
		}
		u, ok := byText[t]
		if !ok {
			u = len(byText)
			byText[t] = u
		}
		unit[id] = u
	}
	return unit
}

// Summary is the mean of the metrics over a set of queries.
type Summary struct {
	Queries  int     `json:"queries"`
	MRR      float64 `json:"mrr"`        // mean reciprocal rank @MetricDepth
	NDCG     float64 `json:"ndcg"`       // mean nDCG@MetricDepth
	Success1 float64 `json:"success_1"`  // share of queries with a relevant first hit
	Success  float64 `json:"success_10"` // share with a relevant hit in the top MetricDepth
	Zero     float64 `json:"zero"`       // share with no hit at all
}

// Summarize averages scores.
func Summarize(scores []Scores) Summary {
	s := Summary{Queries: len(scores)}
	if len(scores) == 0 {
		return s
	}
	for _, x := range scores {
		s.MRR += x.RR
		s.NDCG += x.NDCG
		s.Success1 += b2f(x.Success1)
		s.Success += b2f(x.Success)
		s.Zero += b2f(x.Zero)
	}
	n := float64(len(scores))
	s.MRR /= n
	s.NDCG /= n
	s.Success1 /= n
	s.Success /= n
	s.Zero /= n
	return s
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// worse reports whether ranking a is worse than ranking b for a query: a
// later first relevant hit (or none), or the same first rank and a lower
// nDCG.
func worse(a, b Scores) bool {
	if a.RR != b.RR {
		return a.RR < b.RR
	}
	return a.NDCG < b.NDCG-1e-9
}

// sortedKinds returns the kinds in a stable order: the known ones first.
func sortedKinds(kinds map[string]bool) []string {
	known := []string{"question", "keyword", "topic", "phrase"}
	var out []string
	for _, k := range known {
		if kinds[k] {
			out = append(out, k)
		}
	}
	var rest []string
	for k := range kinds {
		if !slices.Contains(known, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}
