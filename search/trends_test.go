package search

import (
	"context"
	"errors"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index/zh"
)

// trendsScan is the oracle of Engine.Trends: a scan of the corpus
// paragraphs holding every one of words (as substrings of their exact
// key, which is what an unquoted gse word or a quoted phrase matches)
// and passing keep, counted by year and document; occurrences are
// strings.Count of each word, summed.
func trendsScan(t *testing.T, keep func(scoPara) bool, words ...string) *Trends {
	t.Helper()
	docs, paras := scoCorpus(t)
	out := &Trends{Occurrences: new(int)}
	years := map[string]*YearCount{}
	var lo, hi string
	for _, d := range docs {
		y := d.Date[:4]
		if years[y] == nil {
			years[y] = &YearCount{Year: y, Occurrences: new(int)}
		}
		years[y].Corpus++
		if lo == "" || y < lo {
			lo = y
		}
		hi = max(hi, y)
	}
	byDoc := map[string]*TrendDocument{}
	first := map[string]int{}
	for _, p := range paras {
		key := zh.ExactKey(p.text)
		occ := 0
		for _, w := range words {
			c := strings.Count(key, zh.ExactKey(w))
			if c == 0 {
				occ = -1
				break
			}
			occ += c
		}
		if occ < 0 || keep != nil && !keep(p) {
			continue
		}
		out.Total++
		*out.Occurrences += occ
		y := years[p.date[:4]]
		y.Paragraphs++
		*y.Occurrences += occ
		d := byDoc[p.doc]
		if d == nil {
			y.Documents++
			d = &TrendDocument{ID: p.doc, Date: p.date, Occurrences: new(int)}
			byDoc[p.doc] = d
			first[p.doc] = p.n
		}
		d.Paragraphs++
		*d.Occurrences += occ
	}
	for y := lo; y <= hi; y = nextYear(y) {
		if c := years[y]; c != nil {
			out.Years = append(out.Years, *c)
		} else {
			out.Years = append(out.Years, YearCount{Year: y, Occurrences: new(int)})
		}
	}
	for _, d := range docs {
		if td := byDoc[d.ID]; td != nil {
			out.Documents = append(out.Documents, *td)
			a := &Appearance{Doc: d.ID, Paragraph: first[d.ID], Date: d.Date}
			if out.First == nil || a.Date < out.First.Date {
				out.First = a
			}
			if out.Last == nil || a.Date > out.Last.Date || a.Date == out.Last.Date && a.Doc > out.Last.Doc {
				out.Last = a
			}
		}
	}
	return out
}

func nextYear(y string) string {
	b := []byte(y)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

// TestTrends: the timeline of a formulation counts exactly the paragraphs
// a scan of the corpus finds, by year and document, with their
// occurrences, and the first and last appearance.
func TestTrends(t *testing.T) {
	e := openSCOEngine(t)
	for _, tc := range []struct {
		q     string
		words []string
		keep  func(scoPara) bool
	}{
		{q: `"上海合作组织"`, words: []string{"上海合作组织"}},
		{q: `阿富汗`, words: []string{"阿富汗"}},
		{q: `阿富汗 问题`, words: []string{"阿富汗", "问题"}},
		{q: `"一带一路"`, words: []string{"一带一路"}},
		{q: `"恐怖主义" year:2018..2022`, words: []string{"恐怖主义"}, keep: func(p scoPara) bool { return p.date >= "2018" && p.date < "2023" }},
		{q: `禁毒 -阿富汗`, words: []string{"禁毒"}, keep: func(p scoPara) bool { return !strings.Contains(zh.ExactKey(p.text), "阿富汗") }},
	} {
		t.Run(tc.q, func(t *testing.T) {
			got, err := e.Trends(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			want := trendsScan(t, tc.keep, tc.words...)
			if want.Total == 0 {
				t.Fatalf("test data: nothing holds %v", tc.words)
			}
			// titles come from the index; the scan compares the rest
			for i := range got.Documents {
				got.Documents[i].Title = ""
			}
			for _, a := range []*Appearance{got.First, got.Last} {
				if a != nil {
					a.Title = ""
				}
			}
			got.Query, got.Took = "", 0
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("(-scan +Trends):\n%s", diff)
			}
			res, err := e.Search(context.Background(), Request{Query: tc.q})
			if err != nil {
				t.Fatal(err)
			}
			if int(res.Complete) != got.Total {
				t.Errorf("Trends counts %d paragraphs, Search %d complete", got.Total, res.Complete)
			}
		})
	}
}

// TestTrendsSynonyms: a word with synonyms counts the paragraphs a search
// finds whole (Result.Complete, uncollapsed), and its occurrences are
// those of all its forms.
func TestTrendsSynonyms(t *testing.T) {
	e := openSCOEngine(t)
	got, err := e.Trends(context.Background(), "上合组织")
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Search(context.Background(), Request{Query: "上合组织", NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	if int(res.Complete) != got.Total {
		t.Errorf("Trends counts %d paragraphs, Search %d", got.Total, res.Complete)
	}
	short, long := trendsScan(t, nil, "上合组织"), trendsScan(t, nil, "上海合作组织")
	if *got.Occurrences < *short.Occurrences+*long.Occurrences {
		t.Errorf("%d occurrences, want at least %d + %d", *got.Occurrences, *short.Occurrences, *long.Occurrences)
	}
}

func TestTrendsErrors(t *testing.T) {
	e := openSCOEngine(t)
	for _, q := range []string{"", `"abc`, "foo:bar", "*"} {
		if _, err := e.Trends(context.Background(), q); !errors.Is(err, ErrBadQuery) {
			t.Errorf("Trends(%q): %v, want ErrBadQuery", q, err)
		}
	}
	got, err := e.Trends(context.Background(), `"不存在的提法啊"`)
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != 0 || got.First != nil || len(got.Documents) != 0 || len(got.Years) == 0 {
		t.Errorf("no match: %+v", got)
	}
}

// TestTrendsUncounted: beyond the text limit the occurrences are not
// counted (nil), and the rest is as exact as below it.
func TestTrendsUncounted(t *testing.T) {
	e := openSCOEngine(t)
	e.opts.trendsTextLimit = 1
	got, err := e.Trends(context.Background(), `"上海合作组织"`)
	if err != nil {
		t.Fatal(err)
	}
	want := trendsScan(t, nil, "上海合作组织")
	if got.Occurrences != nil || got.Years[0].Occurrences != nil || got.Documents[0].Occurrences != nil {
		t.Errorf("occurrences counted beyond the limit: %+v", got)
	}
	if got.Total != want.Total || got.First.Paragraph != want.First.Paragraph || got.Last.Paragraph != want.Last.Paragraph || got.Last.Doc != want.Last.Doc {
		t.Errorf("got total %d first %+v last %+v, want %d %+v %+v", got.Total, got.First, got.Last, want.Total, want.First, want.Last)
	}
}
