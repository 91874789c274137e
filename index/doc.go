// Package index builds, opens and rebuilds scosearch's bleve index: one bleve
// document per paragraph of the corpus, with its document's metadata, the
// paragraph text analysed twice (gse words for ranking, folded character
// bigrams for exact-substring recall), BM25 scoring on scorch.
package index
