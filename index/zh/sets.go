package zh

import "cmp"

// Jaccard returns |a∩b| / |a∪b| of two sets given as sorted slices of
// distinct values (1 for two empty sets): how alike two texts' sets of
// folded bigrams are, for near-identical and similar paragraphs.
func Jaccard[T cmp.Ordered](a, b []T) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(n) / float64(len(a)+len(b)-n)
}
