package bench

import (
	"math"
	"testing"
)

func TestScore(t *testing.T) {
	// Relevant: a, b (same text as a: one unit), c, d.
	texts := map[string]string{"a": "醉酒驾驶", "b": "醉酒驾驶", "c": "饮酒后驾驶", "d": "吊销驾驶证", "x": "无关"}
	textOf := func(id string) (string, bool) { t, ok := texts[id]; return t, ok }
	unit := Units([]string{"a", "b", "c", "d"}, textOf)
	if unit["a"] != unit["b"] || unit["a"] == unit["c"] || unit["c"] == unit["d"] {
		t.Fatalf("units %v: want a and b together, c and d apart", unit)
	}
	// Three units: the ideal DCG is 1 + 1/log2(3) + 1/log2(4) = 2.130930.
	ideal := 1 + 1/math.Log2(3) + 0.5
	tests := []struct {
		name string
		hits [][]string
		want Scores
	}{
		{"no hit", nil, Scores{Zero: true}},
		{"nothing relevant", [][]string{{"x"}, {"y"}}, Scores{}},
		{"perfect", [][]string{{"c"}, {"a", "b"}, {"d"}},
			Scores{RR: 1, NDCG: 1, Success1: true, Success: true, Rank: 1}},
		{"duplicate listed twice earns once", [][]string{{"x"}, {"a"}, {"b"}, {"c"}},
			// gains at ranks 2 and 4: 1/log2(3) + 1/log2(5)
			Scores{RR: 0.5, NDCG: (1/math.Log2(3) + 1/math.Log2(5)) / ideal, Success: true, Rank: 2}},
		{"units collapsed into one hit count as one in the ideal too", [][]string{{"c", "d"}, {"a"}},
			Scores{RR: 1, NDCG: 1, Success1: true, Success: true, Rank: 1}},
		{"collapsed hit after a miss", [][]string{{"x"}, {"c", "d"}},
			// two units left in the ideal: 1/log2(3) / (1 + 1/log2(3))
			Scores{RR: 0.5, NDCG: (1 / math.Log2(3)) / (1 + 1/math.Log2(3)), Success: true, Rank: 2}},
		{"relevant only after the cut-off", [][]string{{"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"c"}},
			Scores{}},
		{"rank 10 counts", [][]string{{"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"x"}, {"d"}},
			Scores{RR: 0.1, NDCG: (1 / math.Log2(11)) / ideal, Success: true, Rank: 10}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Score(tc.hits, unit)
			if got.Rank != tc.want.Rank || got.Zero != tc.want.Zero || got.Success1 != tc.want.Success1 || got.Success != tc.want.Success ||
				math.Abs(got.RR-tc.want.RR) > 1e-9 || math.Abs(got.NDCG-tc.want.NDCG) > 1e-9 {
				t.Errorf("Score = %+v, want %+v", got, tc.want)
			}
		})
	}
	// The hand computation above, spelled out once: rank 2 and rank 4.
	if got := Score([][]string{{"x"}, {"a"}, {"b"}, {"c"}}, unit).NDCG; math.Abs(got-0.4982) > 1e-4 {
		t.Errorf("nDCG = %.4f, want 0.4982 ((0.6309+0.4307)/2.1309)", got)
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize([]Scores{
		{RR: 1, NDCG: 1, Success1: true, Success: true, Rank: 1},
		{RR: 0.25, NDCG: 0.5, Success: true, Rank: 4},
		{Zero: true},
		{},
	})
	want := Summary{Queries: 4, MRR: 1.25 / 4, NDCG: 1.5 / 4, Success1: 0.25, Success: 0.5, Zero: 0.25}
	if s != want {
		t.Errorf("Summarize = %+v, want %+v", s, want)
	}
	if z := Summarize(nil); z != (Summary{}) {
		t.Errorf("Summarize(nil) = %+v, want zeros", z)
	}
}

func TestWorse(t *testing.T) {
	first := Scores{RR: 1, NDCG: 0.6, Rank: 1}
	if !worse(Scores{RR: 0.5, NDCG: 0.9}, first) || worse(first, Scores{RR: 0.5, NDCG: 0.9}) {
		t.Error("a later first relevant hit must be worse whatever the nDCG")
	}
	if !worse(Scores{RR: 1, NDCG: 0.5}, first) || worse(first, first) {
		t.Error("same first rank: the lower nDCG is worse, equal is not")
	}
}
