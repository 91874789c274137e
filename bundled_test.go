package scosearch

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index/corpus"
)

// TestBundledCorpus: the embedded corpus reads as the directory it comes
// from, without being copied out first.
func TestBundledCorpus(t *testing.T) {
	fromFS, fsProblems, err := corpus.ReadFS(BundledCorpus(), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fromDir, dirProblems, err := corpus.ReadDir("testdata/corpus", corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fromFS) == 0 || len(fsProblems) != 0 || len(dirProblems) != 0 {
		t.Fatalf("%d documents, problems %v / %v", len(fromFS), fsProblems, dirProblems)
	}
	if diff := cmp.Diff(fromDir, fromFS); diff != "" {
		t.Errorf("embedded corpus differs from testdata/corpus (-dir +embedded):\n%s", diff)
	}
}
