package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scosearch/scosearch/index"
)

// TestPagingPartialTail: when a query has few full matches, its pages go
// on with partial ones, and beyond the ranked window in the partial
// query's own order, which holds the full matches too. A full match that
// order puts beyond the window (a long paragraph that mentions both words
// once, among 120 short ones that repeat one) is shown once, among the
// full ones, not again in the tail: every paragraph once over all pages,
// by relevance and by date, with the ranked window and one of 3.
func TestPagingPartialTail(t *testing.T) {
	corpus := t.TempDir()
	filler := strings.Repeat("成员国讨论了贸易投资和能源问题。", 300)
	var recent strings.Builder
	recent.WriteString("---\ntitle: 水果贸易\ndate: 2021-01-01\n---\n")
	for i := range 60 {
		fmt.Fprintf(&recent, "第%d条苹果苹果苹果。\n\n第%d款香蕉香蕉香蕉。\n\n", i+1, i+1)
	}
	files := map[string]string{
		"2019-old.txt":   "---\ntitle: 旧会议纪要\ndate: 2019-01-01\n---\n" + filler + "苹果和香蕉。" + filler + "\n",
		"2021-fruit.txt": recent.String(),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(corpus, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if _, err := index.Build(context.Background(), corpus, dir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, window := range []int{0, 3} {
		e, err := Open(dir, WithoutCache())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		e.opts.rankWindow = window
		for _, sort := range []string{"", SortDate} {
			for _, size := range []int{3, 10} {
				req := Request{Query: "苹果 香蕉", Sort: sort, Size: size}
				first, err := e.Search(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				if first.Complete != 1 || first.Total != 121 {
					t.Fatalf("window %d, sort %q: %d matches, %d full; want 121, 1", window, sort, first.Total, first.Complete)
				}
				seen := map[string]int{}
				n := 0
				for req.From = 0; req.From < int(first.Total)+size; req.From += size {
					res, err := e.Search(ctx, req)
					if err != nil {
						t.Fatal(err)
					}
					for _, h := range res.Hits {
						for _, id := range covers(h) {
							if p, ok := seen[id]; ok {
								t.Errorf("window %d, sort %q, size %d: %s on page %d and again at %d", window, sort, size, id, p, req.From)
							}
							seen[id] = req.From
						}
						n++
					}
				}
				if len(seen) != int(first.Total) || n != int(first.Total-first.Collapsed) {
					t.Errorf("window %d, sort %q, size %d: %d hits covering %d paragraphs, want %d covering %d", window, sort, size, n, len(seen), first.Total-first.Collapsed, first.Total)
				}
			}
		}
	}
}
