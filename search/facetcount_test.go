package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
)

// TestFacetTable: facets counted with the table of documents and sections,
// in a walk of their own or while bleve ranks the matches, are bleve's
// facets of the same query, with sections and without, and the count is
// the number of matches.
func TestFacetTable(t *testing.T) {
	e := openSCOEngine(t)
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer e.release(g)
	if g.stored == nil {
		t.Fatal("no stored reader on a one-shard index")
	}
	ctx := context.Background()
	for _, q := range []string{"合作", "上海精神", `"合作" OR "государства"`, "阿富汗 -安全", "doc:2018-qingdao-declaration 合作", "year:2022 国家", "不存在的词语"} {
		for _, sections := range []bool{false, true} {
			root, err := Request{Query: q}.parse()
			if err != nil {
				t.Fatal(err)
			}
			s := &run{e: e, g: g, req: Request{Query: q}, plan: newPlan(root), withSections: sections}
			tbl, err := g.stored.table(g.docs)
			if err != nil {
				t.Fatal(err)
			}
			got, n, err := s.countByTable(ctx, tbl, s.plan.full)
			if err != nil {
				t.Fatal(err)
			}
			br := bleve.NewSearchRequestOptions(s.plan.full, 0, 0, false)
			s.g.addDocFacet(br)
			if sections {
				br.AddFacet(index.FieldSection, bleve.NewFacetRequest(index.FieldSection, facetSections))
			}
			sr, err := g.idx.Bleve().SearchInContext(ctx, br)
			if err != nil {
				t.Fatal(err)
			}
			want := g.facetsOf(sr)
			if diff := gocmp.Diff(want, got, gocmp.AllowUnexported(facetCounts{})); diff != "" || n != sr.Total {
				t.Errorf("%s (sections %v): %d matches, bleve %d; facets (-bleve +table):\n%s", q, sections, n, sr.Total, diff)
			}
			// The same, counted while bleve ranks the matches.
			cq := newCountingQuery(s.plan.full, tbl, sections)
			ranked, err := g.idx.Bleve().SearchInContext(ctx, bleve.NewSearchRequestOptions(cq, 10, 0, false))
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(want, cq.counts(), gocmp.AllowUnexported(facetCounts{})); diff != "" || cq.total != ranked.Total || ranked.Total != sr.Total {
				t.Errorf("%s (sections %v), counted while ranking: %d matches, bleve %d; facets (-bleve +counted):\n%s", q, sections, cq.total, ranked.Total, diff)
			}
			if sections && q == "合作" && len(got.section) < 2 {
				t.Errorf("%s: sections %v, want several", q, got.section)
			}
		}
	}
}

// TestTopFacets: topFacets is sorting and cutting, for short and long
// lists with many equal counts.
func TestTopFacets(t *testing.T) {
	byCount := func(a, b FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	}
	for _, size := range []int{0, 1, 5, 20, 21, 500} {
		var fs []FacetCount
		for i := range size {
			fs = append(fs, FacetCount{Value: fmt.Sprintf("d%03d", (i*37)%size), Count: 1 + (i*7)%4})
		}
		want := slices.Clone(fs)
		slices.SortFunc(want, byCount)
		want = want[:min(len(want), 20)]
		if got := topFacets(fs, 20, byCount); !slices.Equal(got, want) {
			t.Errorf("%d facets: got %v, want %v", size, got, want)
		}
	}
}
