package deploy

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
)

// TestReplicaFromCopiedGeneration follows the README's procedure for
// replicas: a finished generation copied from the builder is not served
// until CURRENT, written last by a rename, names it; then a reload swaps it
// in. A damaged copy is refused and the previous generation kept.
func TestReplicaFromCopiedGeneration(t *testing.T) {
	ctx := context.Background()
	corpus, builder, replica := t.TempDir(), t.TempDir(), t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(corpus, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := func() {
		t.Helper()
		if _, err := index.Build(ctx, corpus, builder, index.BuildOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// copyGeneration copies the builder's current generation, under its
	// name, into the replica's index directory.
	copyGeneration := func() string {
		t.Helper()
		gen, err := index.Current(builder)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(filepath.Join(replica, filepath.Base(gen)), os.DirFS(gen)); err != nil {
			t.Fatal(err)
		}
		return filepath.Base(gen)
	}
	// name writes the replica's CURRENT atomically.
	name := func(gen string) {
		t.Helper()
		tmp := filepath.Join(replica, "CURRENT.tmp")
		if err := os.WriteFile(tmp, []byte(gen+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(replica, "CURRENT")); err != nil {
			t.Fatal(err)
		}
	}
	total := func(e *search.Engine, q string) uint64 {
		t.Helper()
		res, err := e.Search(ctx, search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}

	write("a.zh.txt", "上海合作组织成员国元首理事会会议在比什凯克举行。\n")
	build()
	name(copyGeneration())
	engine, err := search.Open(replica)
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()

	write("b.zh.txt", "外长理事会会议在莫斯科举行。\n")
	build()
	second := copyGeneration()
	if swapped, err := engine.Reload(); swapped || err != nil {
		t.Fatalf("reload before CURRENT names the copy: %v, %v; want nothing", swapped, err)
	}
	if n := total(engine, "莫斯科"); n != 0 {
		t.Fatalf("the copy was searched before CURRENT named it: %d hits", n)
	}
	name(second)
	if swapped, err := engine.Reload(); !swapped || err != nil {
		t.Fatalf("reload after CURRENT: %v, %v", swapped, err)
	}
	if n := total(engine, "莫斯科"); n != 1 || filepath.Base(engine.Generation()) != second {
		t.Fatalf("after the swap: %d hits in %s, want 1 in %s", n, filepath.Base(engine.Generation()), second)
	}

	// A damaged copy (a segment cut short in transit) is refused.
	write("c.zh.txt", "秘书长发表讲话。\n")
	build()
	third := copyGeneration()
	zaps, _ := filepath.Glob(filepath.Join(replica, third, "shard-00", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segment")
	}
	for _, zap := range zaps { // every one: the snapshot may not use them all
		st, err := os.Stat(zap)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(zap, st.Size()/2); err != nil {
			t.Fatal(err)
		}
	}
	name(third)
	if swapped, err := engine.Reload(); swapped || !errors.Is(err, index.ErrDamaged) {
		t.Fatalf("reload of a damaged copy: %v, %v; want ErrDamaged", swapped, err)
	}
	if g := filepath.Base(engine.Generation()); g != second || total(engine, "莫斯科") != 1 {
		t.Errorf("after a refused copy: serving %s, want %s", g, second)
	}
}
