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
	"time"
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

	// Skip, if set, is called with every corpus file found, in walk
	// order, before it is read. When it returns a document id and true,
	// the file is not read and not returned: its document is taken to be
	// the caller's (already indexed) document of that id, which a later
	// file cannot reuse. An incremental build uses it to skip the files
	// unchanged since the last one.
	Skip func(f File) (id string, skip bool)
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

// File is a corpus file found by the walk, with what its file system
// says of it and of its sidecar, without reading them.
type File struct {
	Path    string    // its path in the file system walked
	Size    int64     // bytes
	ModTime time.Time // modification time
	// Change is the status change time (ctime) where the file system
	// gives it (Linux), else zero: unlike the modification time, no
	// program can set it back.
	Change  time.Time
	Sidecar string // path of the .meta file, or ""
	// The sidecar's size, modification and change times (zero without one).
	SidecarSize    int64
	SidecarModTime time.Time
	SidecarChange  time.Time
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
	fsys, err := DirFS(dir)
	if err != nil {
		return nil, nil, err
	}
	return ReadFS(fsys, opts)
}

// DirFS is the corpus directory dir as a file system to Scan, after
// checking it is a directory.
func DirFS(dir string) (fs.FS, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("read corpus: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("read corpus %q: not a directory", dir)
	}
	return os.DirFS(dir), nil
}

// ReadFS reads the corpus in the file system fsys from its root, as
// ReadDir reads a directory (the bundled corpus is an embed.FS): paths are
// relative to the root; symbolic links are followed as far as fsys does.
// The error is non-nil only when the root cannot be read.
func ReadFS(fsys fs.FS, opts Options) ([]Document, []Problem, error) {
	files, problems, err := Scan(fsys)
	if err != nil {
		return nil, nil, err
	}
	docs, problems := ReadFiles(fsys, files, problems, opts)
	return docs, problems, nil
}

// Scan walks the corpus in fsys as ReadFS does, reading no file: the
// corpus files in walk order, with what the file system says of them, and
// the problems of the walk (files of other types, broken links, ...). The
// error is non-nil only when the root cannot be read.
func Scan(fsys fs.FS) ([]File, []Problem, error) {
	w := walker{fsys: fsys}
	if err := w.walk(".", 0); err != nil {
		return nil, nil, fmt.Errorf("read corpus: %w", err)
	}
	return w.files, w.problems, nil
}

// ReadFiles reads the files found by Scan, as ReadFS does: the good
// documents in walk order, and the problems, walkProblems (those of the
// Scan) with those of the reading, sorted by path.
func ReadFiles(fsys fs.FS, files []File, walkProblems []Problem, opts Options) ([]Document, []Problem) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.OnScan != nil {
		var total int64
		for _, f := range files {
			total += f.Size
		}
		opts.OnScan(len(files), total)
	}

	var docs []Document
	problems := slices.Clone(walkProblems)
	ids := map[string]string{}
	for _, f := range files {
		if opts.Skip != nil {
			if id, skip := opts.Skip(f); skip {
				if _, dup := ids[id]; !dup {
					ids[id] = f.Path
				}
				if opts.OnFile != nil {
					opts.OnFile(f.Path, f.Size)
				}
				continue
			}
		}
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
			problems = append(problems, Problem{Path: f.Path, Err: err})
		}
		if opts.OnFile != nil {
			opts.OnFile(f.Path, f.Size)
		}
	}
	slices.SortStableFunc(problems, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	return docs, problems
}

// walker collects the corpus files and the problems found while walking.
type walker struct {
	fsys     fs.FS
	files    []File
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
	f := File{Path: rel, Size: info.Size(), ModTime: info.ModTime(), Change: changeTime(info)}
	if names[name+MetaSuffix] {
		f.Sidecar = rel + MetaSuffix
		// Followed if it is a link; an unreadable sidecar is reported
		// when the file is read.
		if si, err := fs.Stat(w.fsys, f.Sidecar); err == nil {
			f.SidecarSize, f.SidecarModTime, f.SidecarChange = si.Size(), si.ModTime(), changeTime(si)
		}
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
func readDocument(fsys fs.FS, f File, maxSize int64) (Document, error) {
	data, err := readFile(fsys, f.Path, maxSize)
	if err != nil {
		return Document{}, err
	}
	var sidecar []byte
	if f.Sidecar != "" {
		sidecar, err = readFile(fsys, f.Sidecar, maxSidecarSize)
		if err != nil {
			return Document{}, fmt.Errorf("sidecar %s: %w", path.Base(f.Path)+MetaSuffix, err)
		}
	}
	return Parse(f.Path, data, sidecar)
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
