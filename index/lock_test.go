package index_test

import (
	"context"
	"errors"
	"testing"

	"github.com/scosearch/scosearch/index"
)

// TestBuildLock: a second Build of the same index directory while one runs
// fails at once with ErrBuildRunning, and succeeds once the first is done.
func TestBuildLock(t *testing.T) {
	corpusDir := faultCorpus(t, map[string]string{"a.zh.txt": "上合组织成员国元首理事会。\n"})
	indexDir := t.TempDir()
	var inner error
	tried := false
	_, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{
		Progress: func(p index.Progress) {
			if !tried && p.Stage == "index" {
				tried = true
				_, inner = index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{})
			}
		}})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if !tried || !errors.Is(inner, index.ErrBuildRunning) {
		t.Errorf("Build during a Build: %v; want ErrBuildRunning", inner)
	}
	if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
		t.Errorf("Build after the lock was released: %v", err)
	}
}
