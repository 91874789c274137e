package index_test

import (
	"testing"

	"github.com/scosearch/scosearch/index"
)

func TestSplitParagraphID(t *testing.T) {
	tests := []struct {
		id   string
		doc  string
		n    int
		isOK bool
	}{
		{"2019-bishkek-declaration-p12", "2019-bishkek-declaration", 12, true},
		{"刑法/刑法修正案（七）-p3", "刑法/刑法修正案（七）", 3, true},
		{"a-pp-p1", "a-pp", 1, true},
		{"-p1", "", 0, false},
		{"doc-p0", "", 0, false},
		{"doc-p012", "", 0, false}, // not what ParagraphID makes
		{"doc-px", "", 0, false},
		{"doc", "", 0, false},
	}
	for _, tc := range tests {
		doc, n, ok := index.SplitParagraphID(tc.id)
		if doc != tc.doc || n != tc.n || ok != tc.isOK {
			t.Errorf("SplitParagraphID(%q) = %q, %d, %v; want %q, %d, %v", tc.id, doc, n, ok, tc.doc, tc.n, tc.isOK)
		}
		if ok && index.ParagraphID(doc, n) != tc.id {
			t.Errorf("ParagraphID(%q, %d) does not give back %q", doc, n, tc.id)
		}
	}
}

// TestNKeyOrder: the order of NKey strings is the order of the numbers, on
// both sides of every change in the count of digits.
func TestNKeyOrder(t *testing.T) {
	ns := []int{1, 2, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10000, 123456, 9999999, 10000000}
	for i := range ns {
		for j := range ns {
			a, b := index.NKey(ns[i]), index.NKey(ns[j])
			if (a < b) != (ns[i] < ns[j]) || (a == b) != (ns[i] == ns[j]) {
				t.Errorf("NKey(%d) = %q, NKey(%d) = %q: out of order", ns[i], a, ns[j], b)
			}
		}
	}
}
