// Package scosearch carries the corpus bundled with the scosearch program
// (testdata/corpus), so that the binary can build its first index anywhere.
// The search engine itself lives in the index, search and web packages.
package scosearch

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
)

//go:embed testdata/corpus
var bundled embed.FS

// BundledCorpus returns the bundled corpus directory as a file system.
func BundledCorpus() fs.FS {
	sub, err := fs.Sub(bundled, "testdata/corpus")
	if err != nil { // cannot happen: the directory is embedded above
		return bundled
	}
	return sub
}

// ExtractBundledCorpus writes the bundled corpus to a new temporary
// directory and returns it with a function that removes it.
func ExtractBundledCorpus() (dir string, cleanup func(), err error) {
	dir, err = os.MkdirTemp("", "scosearch-corpus-")
	if err != nil {
		return "", nil, fmt.Errorf("bundled corpus: %w", err)
	}
	cleanup = func() { _ = os.RemoveAll(dir) }
	if err := os.CopyFS(dir, BundledCorpus()); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("bundled corpus: %w", err)
	}
	return dir, cleanup, nil
}
