package main

import (
	"fmt"
	"os"

	"github.com/scosearch/scosearch"
)

// extractBundledCorpus writes the corpus compiled into the binary to a
// temporary directory and returns it with a function that removes it.
func extractBundledCorpus() (string, func(), error) {
	dir, err := os.MkdirTemp("", "scosearch-corpus-")
	if err != nil {
		return "", nil, fmt.Errorf("bundled corpus: %w", err)
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	if err := os.CopyFS(dir, scosearch.BundledCorpus()); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("bundled corpus: %w", err)
	}
	return dir, cleanup, nil
}
