package corpus

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// DefaultMaxFileSize is the size limit of a corpus file when
// Options.MaxFileSize is zero.
const DefaultMaxFileSize = 64 << 20

// maxSidecarSize is the size limit of a .meta sidecar file.
const maxSidecarSize = 1 << 20

// maxDepth bounds the directory nesting that ReadDir descends into.
const maxDepth = 64

// Options tune ReadDir. The zero value is ready to use.
type Options struct {
	// MaxFileSize is the largest file ingested, in bytes; larger files are
	// an ErrTooLarge problem. Zero means DefaultMaxFileSize.
	MaxFileSize int64

	// OnScan, if set, is called once when the directory has been walked and
	// before any file is read, with the number of corpus files found and
	// their total size: the total of a progress bar.
	OnScan func(files int, bytes int64)

	// OnFile, if set, is called after each corpus file is processed
	// (ingested or not), in walk order, with its path relative to the root
	// and its size.
	OnFile func(path string, size int64)
}

// IsCorpusFile reports whether a file name is one ReadDir ingests: a
// non-hidden *.txt, *.md, *.markdown, *.docx, *.html, *.htm or *.pdf file.
func IsCorpusFile(name string) bool {
	if strings.HasPrefix(name, ".") {
		return false
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".pdf":
		return true
	}
	return false
}

// file is a corpus file found by the walk.
type file struct {
	rel     string // its path in the file system walked
	size    int64
	sidecar string // path of the .meta file, or ""
}

// ReadDir reads the corpus under dir. It walks dir recursively in sorted
// order, skipping hidden files and directories (names starting with "."),
// and ingests every *.txt, *.md and *.markdown file with its optional .meta
// sidecar. Symbolic links to files are followed; symbolic links to
// directories are not (so links cannot loop) and are reported. Every other
// file (not hidden, not a .meta sidecar) is reported as an ErrUnsupported
// problem naming its type: nothing in the corpus is skipped silently.
//
// Every file that cannot be ingested becomes a Problem with its path
// relative to dir and a reason wrapping one of the Err* values or the
// error of the file system: empty, binary, unknown encoding, too large,
// unreadable, not a regular file, invalid metadata, no paragraphs, an id
// already used by an earlier file, a broken link, a .meta file without its
// document, a file of an unsupported type. Good documents are returned in
// walk order, problems sorted by path. The error is non-nil only when dir
// itself cannot be read.
func ReadDir(dir string, opts Options) ([]Document, []Problem, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read corpus: %w", err)
	}
	if !fi.IsDir() {
		return nil, nil, fmt.Errorf("read corpus %q: not a directory", dir)
	}
	return ReadFS(os.DirFS(dir), opts)
}

// ReadFS reads the corpus in the file system fsys from its root, as
// ReadDir reads a directory (the bundled corpus is an embed.FS): paths are
// relative to the root; symbolic links are followed as far as fsys does.
// The error is non-nil only when the root cannot be read.
func ReadFS(fsys fs.FS, opts Options) ([]Document, []Problem, error) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	w := walker{fsys: fsys}
	if err := w.walk(".", 0); err != nil {
		return nil, nil, fmt.Errorf("read corpus: %w", err)
	}
	if opts.OnScan != nil {
		var total int64
		for _, f := range w.files {
			total += f.size
		}
		opts.OnScan(len(w.files), total)
	}

	var docs []Document
	problems := w.problems
	ids := map[string]string{}
	for _, f := range w.files {
		doc, err := readDocument(fsys, f, opts.MaxFileSize)
		if err == nil {
			if prev, dup := ids[doc.ID]; dup {
				err = fmt.Errorf("%w %q: also the id of %s", ErrDuplicateID, doc.ID, prev)
			} else {
				ids[doc.ID] = doc.Source
				docs = append(docs, doc)
			}
		}
		if err != nil {
			problems = append(problems, Problem{Path: f.rel, Err: err})
		}
		if opts.OnFile != nil {
			opts.OnFile(f.rel, f.size)
		}
	}
	slices.SortStableFunc(problems, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	return docs, problems, nil
}

// walker collects the corpus files and the problems found while walking.
type walker struct {
	fsys     fs.FS
	files    []file
	problems []Problem
}

func (w *walker) problem(rel string, err error) {
	w.problems = append(w.problems, Problem{Path: rel, Err: err})
}

// walk lists the directory dir ("." for the root). Its error is returned
// only for the root; below it, errors become problems.
func (w *walker) walk(dir string, depth int) error {
	entries, err := fs.ReadDir(w.fsys, dir)
	if err != nil {
		if depth == 0 {
			return err
		}
		w.problem(dir, unreadable(err))
		return nil
	}
	names := make(map[string]bool, len(entries))
	for _, e := range entries {
		names[e.Name()] = true
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		childRel := path.Join(dir, name)
		if e.Type()&fs.ModeSymlink != 0 {
			target, err := fs.Stat(w.fsys, childRel)
			switch {
			case err != nil:
				w.problem(childRel, fmt.Errorf("broken symbolic link: %w", unwrapPath(err)))
			case target.IsDir():
				w.problem(childRel, ErrSymlinkDir)
			default:
				w.addFile(childRel, name, target, names)
			}
			continue
		}
		if e.IsDir() {
			if depth+1 >= maxDepth {
				w.problem(childRel, fmt.Errorf("directory nested deeper than %d levels, not read", maxDepth))
				continue
			}
			w.walk(childRel, depth+1) // errors below the root are problems
			continue
		}
		info, err := e.Info()
		if err != nil {
			w.problem(childRel, unreadable(err))
			continue
		}
		w.addFile(childRel, name, info, names)
	}
	return nil
}

// addFile records a corpus file, or checks a sidecar has its document.
func (w *walker) addFile(rel, name string, info fs.FileInfo, names map[string]bool) {
	if doc, ok := strings.CutSuffix(name, MetaSuffix); ok {
		if !names[doc] || !IsCorpusFile(doc) {
			w.problem(rel, ErrOrphanMeta)
		}
		return
	}
	if !IsCorpusFile(name) {
		w.problem(rel, unsupported(name))
		return
	}
	if !info.Mode().IsRegular() {
		w.problem(rel, fmt.Errorf("%w (%s)", ErrNotRegular, info.Mode().Type()))
		return
	}
	f := file{rel: rel, size: info.Size()}
	if names[name+MetaSuffix] {
		f.sidecar = rel + MetaSuffix
	}
	w.files = append(w.files, f)
}

// unsupported is the problem of a file of a type ReadDir does not read:
// "unsupported type .xlsx".
func unsupported(name string) error {
	ext := path.Ext(name)
	if len(ext) <= 1 || ext == name {
		return fmt.Errorf("%w (no file extension)", ErrUnsupported)
	}
	return fmt.Errorf("%w %s", ErrUnsupported, strings.ToLower(ext))
}

// readDocument reads and parses one corpus file and its sidecar.
func readDocument(fsys fs.FS, f file, maxSize int64) (Document, error) {
	data, err := readFile(fsys, f.rel, maxSize)
	if err != nil {
		return Document{}, err
	}
	var sidecar []byte
	if f.sidecar != "" {
		sidecar, err = readFile(fsys, f.sidecar, maxSidecarSize)
		if err != nil {
			return Document{}, fmt.Errorf("sidecar %s: %w", path.Base(f.rel)+MetaSuffix, err)
		}
	}
	return Parse(f.rel, data, sidecar)
}

// readFile reads a regular file of at most maxSize bytes.
func readFile(fsys fs.FS, name string, maxSize int64) ([]byte, error) {
	fh, err := fsys.Open(name)
	if err != nil {
		return nil, unreadable(err)
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return nil, unreadable(err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%s)", ErrNotRegular, info.Mode().Type())
	}
	if info.Size() > maxSize {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, info.Size(), maxSize)
	}
	data, err := io.ReadAll(io.LimitReader(fh, maxSize+1))
	if err != nil {
		return nil, unreadable(err)
	}
	if int64(len(data)) > maxSize {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, maxSize)
	}
	return data, nil
}

// unreadable wraps a file system error without its absolute path (the
// Problem carries the relative one): "unreadable: open: permission denied".
func unreadable(err error) error {
	return fmt.Errorf("unreadable: %w", unwrapPath(err))
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
