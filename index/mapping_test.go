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

// TestInternalID: the short bleve id of a paragraph splits back into its
// document's key and its number, and nothing else passes as one.
func TestInternalID(t *testing.T) {
	for _, tc := range []struct {
		doc string
		n   int
	}{{"2019-bishkek-declaration", 1}, {"刑法/刑法修正案（七）", 12}, {"x", 9}, {"x", 10}, {"x", 123456}} {
		id := index.InternalID(tc.doc, tc.n)
		key, n, ok := index.SplitInternalID(id)
		if !ok || key != index.DocKey(tc.doc) || n != tc.n {
			t.Errorf("SplitInternalID(InternalID(%q, %d) = %q) = %q, %d, %v; want %q, %d, true", tc.doc, tc.n, id, key, n, ok, index.DocKey(tc.doc), tc.n)
		}
		if len(id) > 16 {
			t.Errorf("InternalID(%q, %d) = %q: %d bytes, want a short id", tc.doc, tc.n, id, len(id))
		}
	}
	key := index.DocKey("x")
	for _, id := range []string{"", key, key + "1", key + "312", key + "205", key + "2x1", key[:7] + "15", "2019-bishkek-declaration-p12", key + "1a"} {
		if k, n, ok := index.SplitInternalID(id); ok {
			t.Errorf("SplitInternalID(%q) = %q, %d, true; want not an id", id, k, n)
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
