package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/scosearch/scosearch/index/corpus"
	"github.com/scosearch/scosearch/index/zh"
)

// TestFindSimilar compares the similar paragraphs found with MinHash with
// a brute-force scan of every pair of paragraphs of different documents of
// the sco corpus: each one found is similar enough and symmetric, and
// every pair of Jaccard 0.75 or more is found.
func TestFindSimilar(t *testing.T) {
	docs, _, err := corpus.ReadDir(filepath.Join("..", "testdata", "sco"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := findSimilar(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	type p struct {
		doc, id string
		set     []uint32
	}
	var ps []p
	for _, d := range docs {
		for _, q := range d.Paragraphs {
			if s := bigramSet(q.Text); len(s) >= similarMinBigrams {
				ps = append(ps, p{d.ID, ParagraphID(d.ID, q.N), s})
			}
		}
	}
	has := func(a, b string) bool {
		for _, s := range got[a] {
			if s.ID == b {
				return true
			}
		}
		return false
	}
	pairs, found := 0, 0
	for i := range ps {
		for j := i + 1; j < len(ps); j++ {
			if ps[i].doc == ps[j].doc {
				continue
			}
			s := zh.Jaccard(ps[i].set, ps[j].set)
			if s < SimilarThreshold {
				if has(ps[i].id, ps[j].id) {
					t.Errorf("%s and %s listed at %.2f", ps[i].id, ps[j].id, s)
				}
				continue
			}
			pairs++
			if has(ps[i].id, ps[j].id) != has(ps[j].id, ps[i].id) {
				t.Errorf("%s and %s: not symmetric", ps[i].id, ps[j].id)
			}
			if has(ps[i].id, ps[j].id) {
				found++
			} else if s >= 0.75 && len(got[ps[i].id]) < MaxSimilar && len(got[ps[j].id]) < MaxSimilar {
				t.Errorf("%s and %s (%.2f) not found", ps[i].id, ps[j].id, s)
			}
		}
	}
	if !has("2022-samarkand-declaration-p6", "2023-new-delhi-declaration-p6") {
		t.Errorf("the Afghanistan paragraphs of 2022 and 2023: %v", got["2022-samarkand-declaration-p6"])
	}
	t.Logf("%d pairs of Jaccard >= %.1f between documents, %d found", pairs, SimilarThreshold, found)
}

// TestBuildWritesSimilar: a build writes the similar paragraphs beside
// scosearch.json, and ReadSimilar reads them back.
func TestBuildWritesSimilar(t *testing.T) {
	dir := t.TempDir()
	rep, err := Build(context.Background(), filepath.Join("..", "testdata", "sco"), dir, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := ReadSimilar(rep.Dir)
	if err != nil || len(sim["2022-samarkand-declaration-p6"]) == 0 {
		t.Fatalf("ReadSimilar: %v, %v", sim["2022-samarkand-declaration-p6"], err)
	}
	if err := os.Remove(filepath.Join(rep.Dir, SimilarFile)); err != nil {
		t.Fatal(err)
	}
	if sim, err := ReadSimilar(rep.Dir); err != nil || sim != nil {
		t.Errorf("without the file: %v, %v", sim, err)
	}
}
