package index

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/scosearch/scosearch/index/corpus"
)

// The file cache lets an incremental build skip reading the corpus files
// that did not change since the last build: it records, beside CURRENT,
// what the file system said of each file (size, modification and change
// times, its sidecar's) when the current generation was built or last
// found up to date, and which document the file made. A file whose record
// still holds is taken to make the same document, whose indexed form the
// generation records; the others are read. It is a cache: a file changed
// without a change of size, modification and change time (possible only
// where the file system keeps no change time, or by setting the clock
// back) is not seen; BuildOptions.Reread, or a full build, reads every
// file.

const (
	fileCacheName = "files.json"
	// racyMargin: a file whose modification or change time is this close
	// to (or after) the moment the corpus was walked may change again
	// within the same tick of the file system's clock, unseen; it is read
	// again by the next build instead of trusted (git's "racily clean"
	// entries). Two seconds cover the coarsest clocks (FAT).
	racyMargin = 2 * time.Second
)

// fileCache is the content of files.json.
type fileCache struct {
	// Generation is the base name of the generation the files make.
	Generation string `json:"generation"`
	// Reader identifies what read the files: the program (path, size,
	// modification time) and the options that change what a file makes.
	Reader string `json:"reader"`
	// Corpus is the corpus directory, absolute.
	Corpus string `json:"corpus"`
	// Walked: when the walk that took these records started.
	Walked time.Time    `json:"walked"`
	Files  []cachedFile `json:"files"`
}

// cachedFile is one corpus file as the walk found it, and the id of the
// document it made ("" when it was skipped with a problem).
type cachedFile struct {
	corpus.File
	Doc string `json:"doc,omitempty"`
}

// readerKey identifies the program and the options reading the corpus: a
// new binary, whose corpus reader may read a file differently, does not
// trust the records of another. "" when the program cannot be found.
func readerKey(opts BuildOptions) string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return exe + "|" + strconv.FormatInt(fi.Size(), 10) + "|" + fi.ModTime().UTC().Format(time.RFC3339Nano) +
		"|" + strconv.FormatInt(opts.Corpus.MaxFileSize, 10) + "|" + strconv.Itoa(opts.MaxParagraphBytes)
}

// loadFileCache reads the records of indexDir, if there are any usable
// for a build by reader of the corpus at corpusDir starting from
// generation gen.
func loadFileCache(indexDir, gen, reader, corpusDir string) (*fileCache, bool) {
	if reader == "" {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(indexDir, fileCacheName))
	if err != nil {
		return nil, false
	}
	var c fileCache
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, false
	}
	if c.Generation != filepath.Base(gen) || c.Reader != reader || c.Corpus != corpusDir {
		return nil, false
	}
	return &c, true
}

// trusted returns the document id a file made at the last build when its
// record still holds, and is old enough not to be racy.
func (c *fileCache) trusted(byPath map[string]*cachedFile, f corpus.File) (string, bool) {
	r, ok := byPath[f.Path]
	if !ok || r.Doc == "" || !sameFile(r.File, f) {
		return "", false
	}
	limit := c.Walked.Add(-racyMargin)
	for _, t := range []time.Time{f.ModTime, f.Change, f.SidecarModTime, f.SidecarChange} {
		if !t.Before(limit) {
			return "", false
		}
	}
	return r.Doc, true
}

func sameFile(a, b corpus.File) bool {
	return a.Path == b.Path && a.Size == b.Size && a.ModTime.Equal(b.ModTime) && a.Change.Equal(b.Change) &&
		a.Sidecar == b.Sidecar && a.SidecarSize == b.SidecarSize &&
		a.SidecarModTime.Equal(b.SidecarModTime) && a.SidecarChange.Equal(b.SidecarChange)
}

// writeFileCache records the files of walk as making the documents
// of generation gen: docs holds the id of the document each source path
// made. A failure is logged, not returned: the next build reads every
// file.
func (b *builder) writeFileCache(gen, reader, corpusDir string, w *walk, docs map[string]string) {
	path := filepath.Join(b.indexDir, fileCacheName)
	if reader == "" || corpusDir == "" {
		_ = os.Remove(path)
		return
	}
	c := fileCache{Generation: filepath.Base(gen), Reader: reader, Corpus: corpusDir, Walked: w.started.UTC()}
	for _, f := range w.files {
		c.Files = append(c.Files, cachedFile{File: f, Doc: docs[f.Path]})
	}
	data, err := json.Marshal(c)
	if err == nil {
		if err = os.WriteFile(path+tmpSuffix, data, 0o644); err == nil {
			err = os.Rename(path+tmpSuffix, path)
		}
	}
	if err != nil {
		b.log.Warn("index: cannot record the corpus files; the next reindex reads them all", "err", fmt.Errorf("write %s: %w", path, err))
		_ = os.Remove(path + tmpSuffix)
		_ = os.Remove(path)
	}
}
