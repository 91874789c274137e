package index_test

// Damage to a real index, file by file: every open either fails with
// ErrDamaged or yields an index that reads back exactly as built, never a
// panic; and a reindex over a damaged index builds from scratch.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
)

// damageCase is one way to damage one file.
type damageCase struct {
	name   string
	damage func(path string, size int64) error
}

// overwrite writes 8 bytes at the offset off(size), clamped to the file.
func overwrite(name string, off func(size int64) int64) damageCase {
	return damageCase{name, func(path string, size int64) error {
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		defer f.Close()
		o := max(0, min(off(size), size-8))
		_, err = f.WriteAt([]byte("\xde\xad\xbe\xef\x01\x00\xff\x7f"), o)
		return err
	}}
}

func truncateTo(name string, to func(size int64) int64) damageCase {
	return damageCase{name, func(path string, size int64) error { return os.Truncate(path, to(size)) }}
}

var damages = []damageCase{
	overwrite("8 bytes at 0", func(int64) int64 { return 0 }),
	overwrite("8 bytes at 100", func(int64) int64 { return 100 }),
	overwrite("8 bytes at 1/4", func(s int64) int64 { return s / 4 }),
	overwrite("8 bytes at 1/2", func(s int64) int64 { return s / 2 }),
	overwrite("8 bytes at 3/4", func(s int64) int64 { return 3 * s / 4 }),
	overwrite("8 bytes at end-200", func(s int64) int64 { return s - 200 }),
	overwrite("8 bytes at end-40", func(s int64) int64 { return s - 40 }),
	overwrite("8 bytes at end-20", func(s int64) int64 { return s - 20 }),
	overwrite("last 8 bytes", func(s int64) int64 { return s - 8 }),
	truncateTo("truncated to 0", func(int64) int64 { return 0 }),
	truncateTo("truncated to half", func(s int64) int64 { return s / 2 }),
	truncateTo("last byte cut", func(s int64) int64 { return s - 1 }),
}

// damageTargets are the files of a generation, as globs relative to it.
var damageTargets = []string{"scosearch.json", "shard-00/index_meta.json", "shard-00/store/root.bolt", "shard-00/store/*.zap"}

func TestDamagedIndex(t *testing.T) {
	corpusDir := copyCorpus(t, map[string]string{
		"note.zh.txt":  "上海合作组织秘书处2020年1月1日发布说明。\n\n第二段说明文字。\n",
		"other.zh.txt": "成员国外长理事会会议在莫斯科举行。\n\n会议通过了联合公报。\n",
	})
	pristine := t.TempDir()
	build(t, corpusDir, pristine, index.BuildOptions{})
	// A second generation with a change, so the shard holds several segments.
	if err := os.WriteFile(filepath.Join(corpusDir, "note.zh.txt"), []byte("上海合作组织秘书处发布更正。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	build(t, corpusDir, pristine, index.BuildOptions{})
	want := checkWhole(t, pristine)

	var rejected, intact int
	for _, target := range damageTargets {
		for _, dc := range damages {
			t.Run(target+"/"+dc.name, func(t *testing.T) {
				indexDir := t.TempDir()
				if err := os.CopyFS(indexDir, os.DirFS(pristine)); err != nil {
					t.Fatal(err)
				}
				gen, err := index.Current(indexDir)
				if err != nil {
					t.Fatal(err)
				}
				paths, _ := filepath.Glob(filepath.Join(gen, filepath.FromSlash(target)))
				if len(paths) == 0 {
					t.Fatalf("nothing matches %s", target)
				}
				for _, p := range paths {
					st, err := os.Stat(p)
					if err != nil {
						t.Fatal(err)
					}
					if err := dc.damage(p, st.Size()); err != nil {
						t.Fatal(err)
					}
				}
				opened := true
				x, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true})
				if err != nil {
					opened = false
					rejected++
					if !errors.Is(err, index.ErrDamaged) || !strings.Contains(err.Error(), "reindex --full") {
						t.Errorf("Open: %v; want ErrDamaged saying to run reindex --full", err)
					}
				} else {
					// Opened: then it must read back exactly as built.
					got := storedParagraphs(t, x)
					x.Close()
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("Open accepted a damaged index that reads back differently (-want +got):\n%s", diff)
					}
					intact++
					t.Logf("opened, reads back intact")
				}
				// A plain reindex over it never panics: it starts from
				// scratch when the current generation is damaged.
				rep, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{})
				if err != nil {
					t.Fatalf("reindex over the damaged index: %v", err)
				}
				if !opened && (!rep.Full || !strings.Contains(rep.FullReason, "damaged")) {
					t.Errorf("reindex over a damaged index: full %v, reason %q; want a full build saying the index is damaged", rep.Full, rep.FullReason)
				}
				if diff := cmp.Diff(want, checkWhole(t, indexDir)); diff != "" {
					t.Errorf("after the reindex (-want +got):\n%s", diff)
				}
			})
		}
	}
	t.Logf("%d damaged indexes rejected at open, %d opened and read back intact", rejected, intact)
	if rejected == 0 {
		t.Error("no damage was detected at all")
	}
}

// TestDamagedSegmentMessage: the message names the damaged segment file.
func TestDamagedSegmentMessage(t *testing.T) {
	corpusDir := copyCorpus(t, nil)
	indexDir := t.TempDir()
	build(t, corpusDir, indexDir, index.BuildOptions{})
	gen, _ := index.Current(indexDir)
	zaps, _ := filepath.Glob(filepath.Join(gen, "shard-00", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segment file")
	}
	st, _ := os.Stat(zaps[0])
	if err := overwrite("", func(s int64) int64 { return s / 2 }).damage(zaps[0], st.Size()); err != nil {
		t.Fatal(err)
	}
	_, err := index.Open(indexDir, index.OpenOptions{ReadOnly: true})
	t.Logf("Open: %v", err)
	if !errors.Is(err, index.ErrDamaged) || !strings.Contains(err.Error(), filepath.Base(zaps[0])) || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("Open: %v; want ErrDamaged naming %s and its checksum", err, filepath.Base(zaps[0]))
	}
}
