// Package scosearch carries the corpus bundled with the scosearch program
// (testdata/corpus), so that the binary can build its first index anywhere.
// The search engine itself lives in the index, search and web packages.
package scosearch

import (
	"embed"
	"io/fs"
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
