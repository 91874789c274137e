//go:build unix

package corpus

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadDirFIFO checks that a named pipe called *.txt is reported, not
// opened (opening it would block until a writer comes).
func TestReadDirFIFO(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"ok.txt": "正文。"})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	docs, problems, err := ReadDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Path+" "+problemKind(p.Err))
	}
	if diff := cmp.Diff([]string{"pipe.txt not regular"}, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if len(docs) != 1 {
		t.Errorf("got %d documents, want 1", len(docs))
	}
}
