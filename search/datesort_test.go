package search

import (
	"context"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestDateSortSteps: sorting by date in steps of dates (datesort.go) gives
// what bleve's sort of every match gives: the same hits in the same order,
// with the same scores, partial matches and collapsed groups, on every
// page, with the ranked window (rankWindow) and with one of 7, whose later pages
// come from beyond the window (fetch's offsets).
func TestDateSortSteps(t *testing.T) {
	openSCOEngine(t) // builds the index
	engine := func(direct, window int) *Engine {
		e, err := Open(scoIndex.dir, WithoutCache())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		e.opts.dateSortDirect, e.opts.rankWindow, e.opts.dateFirstStep = direct, window, 1
		return e
	}
	ctx := context.Background()
	var most uint64
	for _, window := range []int{0, 7} {
		bleveSort, steps := engine(1<<30, window), engine(1, window)
		for _, q := range []string{"合作", `"合作" OR "государства"`, "上海精神", "阿富汗 OR Афганистан", "合作 安全 反恐", "的"} {
			for _, size := range []int{3, 10, 100} {
				for from := 0; from < 300; from += size {
					req := Request{Query: q, Sort: SortDate, Size: size, From: from}
					want, err := bleveSort.Search(ctx, req)
					if err != nil {
						t.Fatal(err)
					}
					got, err := steps.Search(ctx, req)
					if err != nil {
						t.Fatal(err)
					}
					want.Took, got.Took = 0, 0
					if diff := gocmp.Diff(want, got); diff != "" {
						t.Fatalf("%s, window %d, from %d size %d (-bleve's sort +steps):\n%s", q, window, from, size, diff)
					}
					most = max(most, want.Total)
					if len(want.Hits) < size {
						break
					}
				}
			}
		}
	}
	if most < 50 {
		t.Errorf("the queries match at most %d paragraphs: too few to page beyond a window of 7 in several steps", most)
	}
}
