package search_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
)

// TestReloadDamagedGeneration: a reindex swaps in a generation whose
// segment is then damaged (in its footer, which made zapx panic, or in
// its middle, which made searches fail). Reload refuses it, the Engine
// keeps answering from the old generation and reports itself degraded;
// the next reindex builds from scratch and Reload swaps that in.
func TestReloadDamagedGeneration(t *testing.T) {
	for _, where := range []struct {
		name string
		off  func(size int64) int64
	}{
		{"footer", func(s int64) int64 { return s - 20 }},
		{"middle", func(s int64) int64 { return s / 2 }},
	} {
		t.Run(where.name, func(t *testing.T) {
			corpusDir, indexDir := t.TempDir(), t.TempDir()
			write := func(name, text string) {
				t.Helper()
				if err := os.WriteFile(filepath.Join(corpusDir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("a.zh.txt", "上海合作组织成员国元首理事会会议在比什凯克举行。\n\n成员国加强安全合作。\n")
			if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
				t.Fatal(err)
			}
			engine, err := search.Open(indexDir)
			if err != nil {
				t.Fatal(err)
			}
			defer engine.Close()
			first := engine.Generation()

			write("b.zh.txt", "外长理事会会议在莫斯科举行，通过联合公报。\n")
			if _, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{}); err != nil {
				t.Fatal(err)
			}
			second, err := index.Current(indexDir)
			if err != nil {
				t.Fatal(err)
			}
			zaps, _ := filepath.Glob(filepath.Join(second, "shard-00", "store", "*.zap"))
			if len(zaps) == 0 {
				t.Fatal("no segment file")
			}
			for _, z := range zaps {
				st, err := os.Stat(z)
				if err != nil {
					t.Fatal(err)
				}
				f, err := os.OpenFile(z, os.O_RDWR, 0)
				if err != nil {
					t.Fatal(err)
				}
				_, err = f.WriteAt([]byte("\xde\xad\xbe\xef\xde\xad\xbe\xef"), where.off(st.Size()))
				f.Close()
				if err != nil {
					t.Fatal(err)
				}
			}

			for i := 0; i < 2; i++ { // the second time from what the first found
				swapped, err := engine.Reload()
				if swapped || !errors.Is(err, index.ErrDamaged) {
					t.Fatalf("Reload of a damaged generation: swapped %v, err %v; want ErrDamaged, no swap", swapped, err)
				}
			}
			if g := engine.Generation(); g != first {
				t.Errorf("serving %s, want the old generation %s", g, first)
			}
			res, err := engine.Search(context.Background(), search.Request{Query: "成员国"})
			if err != nil || res.Total != 2 {
				t.Errorf("search on the old generation: %v, %v; want its 2 paragraphs", res, err)
			}
			h := engine.Health()
			t.Logf("health: %s, current %s: %v", h.Status, filepath.Base(h.Current), h.Err)
			if h.Status != search.HealthDegraded || h.Current != second || !errors.Is(h.Err, index.ErrDamaged) || h.Generation != first || h.Since.IsZero() {
				t.Errorf("Health = %+v; want degraded, naming the damaged generation", h)
			}

			// reindex (incremental) notices the damage and starts from scratch.
			write("c.zh.txt", "第三份文件：秘书长发表讲话。\n")
			rep, err := index.Build(context.Background(), corpusDir, indexDir, index.BuildOptions{})
			if err != nil {
				t.Fatalf("reindex over the damaged generation: %v", err)
			}
			if !rep.Full || !strings.Contains(rep.FullReason, "damaged") {
				t.Errorf("reindex: full %v, reason %q; want a full build saying why", rep.Full, rep.FullReason)
			}
			if swapped, err := engine.Reload(); !swapped || err != nil {
				t.Fatalf("Reload of the repaired index: %v, %v", swapped, err)
			}
			if h := engine.Health(); h.Status != search.HealthOK || h.Err != nil {
				t.Errorf("Health after the repair = %+v, want ok", h)
			}
			for q, want := range map[string]uint64{"成员国": 2, "莫斯科": 1, "秘书长": 1} {
				res, err := engine.Search(context.Background(), search.Request{Query: q})
				if err != nil || res.Total != want {
					t.Errorf("search %s after the repair: %v, %v", q, res, err)
				}
			}
		})
	}
}
