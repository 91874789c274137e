// Package archive unpacks a corpus shipped as a .tar.gz (the laws corpus of
// the benchmarks) safely: no path may leave the target directory, links and
// special files are skipped, and the size and entry count are bounded.
package archive

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Bounds of Unpack.
const (
	MaxBytes = 1 << 30 // total bytes of the files unpacked
	MaxFiles = 100_000 // entries read
)

// Unpack unpacks the regular files and directories of a .tar.gz archive
// into dir, refusing paths that leave it, links and oversized archives.
func Unpack(archive, dir string) error {
	f, err := os.Open(archive)
	if err != nil {
		return fmt.Errorf("corpus archive: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("corpus archive %q: %w", archive, err)
	}
	defer gz.Close()
	root, err := os.OpenRoot(mkdirAll(dir))
	if err != nil {
		return fmt.Errorf("corpus archive: %w", err)
	}
	defer root.Close()
	tr := tar.NewReader(gz)
	var total int64
	for files := 0; ; files++ {
		if files > MaxFiles {
			return fmt.Errorf("corpus archive %q: more than %d entries", archive, MaxFiles)
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("corpus archive %q: %w", archive, err)
		}
		name := filepath.Clean(filepath.FromSlash(h.Name))
		if name == "." {
			continue
		}
		if !filepath.IsLocal(name) {
			return fmt.Errorf("corpus archive %q: unsafe path %q", archive, h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := root.MkdirAll(name, 0o755); err != nil {
				return fmt.Errorf("corpus archive: %w", err)
			}
		case tar.TypeReg:
			total += h.Size
			if total > MaxBytes {
				return fmt.Errorf("corpus archive %q: more than %d bytes", archive, MaxBytes)
			}
			if err := root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return fmt.Errorf("corpus archive: %w", err)
			}
			out, err := root.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
			if err != nil {
				return fmt.Errorf("corpus archive: %w", err)
			}
			if _, err := io.Copy(out, io.LimitReader(tr, h.Size)); err != nil {
				out.Close()
				return fmt.Errorf("corpus archive: %w", err)
			}
			if err := out.Close(); err != nil {
				return fmt.Errorf("corpus archive: %w", err)
			}
		default:
			// links and special files are not part of a corpus
		}
	}
}

func mkdirAll(dir string) string {
	_ = os.MkdirAll(dir, 0o755) // an error shows in OpenRoot
	return dir
}
