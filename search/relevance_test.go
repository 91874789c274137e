package search

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/zh"
)

// everyHit returns every hit of q (up to MaxSize), uncollapsed.
func everyHit(t *testing.T, e *Engine, q string) *Result {
	t.Helper()
	res, err := e.Search(context.Background(), Request{Query: q, Size: MaxSize, NoCollapse: true})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return res
}

// TestExactPhrases: a quoted phrase finds exactly the paragraphs holding its
// characters (folded, punctuation kept), with no synonyms.
func TestExactPhrases(t *testing.T) {
	e := openTestEngine(t)
	texts := corpusTexts(t, e)
	for _, tc := range []struct {
		q      string
		absent string // a synonym whose paragraphs must not come back
	}{
		{`"上海合作组织"`, "上合组织"},
		{`"上合组织"`, ""},
		{`"联合国安理会"`, "安理会"},
		{`"决议。"`, ""},
		{`"决议,"`, ""},
		{`"决议，"`, ""}, // full-width comma: the same as the half-width one
		{`"恐怖主义、分裂主义和极端主义"`, ""},
		{`"上海合作組織"`, ""}, // traditional
	} {
		t.Run(tc.q, func(t *testing.T) {
			phrase := strings.Trim(tc.q, `"`)
			res := everyHit(t, e, tc.q)
			if diff := cmp.Diff(scan(texts, phrase), sorted(hitIDs(res.Hits))); diff != "" {
				t.Errorf("(-scan +engine):\n%s", diff)
			}
			for _, h := range res.Hits {
				if h.Match != MatchAll {
					t.Errorf("%s: match %q in an exact search", h.ID, h.Match)
				}
			}
			if tc.absent == "" {
				return
			}
			// the synonym alone is in the corpus, and not found
			onlySynonym := 0
			for id, text := range texts {
				if strings.Contains(zh.ExactKey(text), zh.ExactKey(tc.absent)) && !strings.Contains(zh.ExactKey(text), zh.ExactKey(phrase)) {
					onlySynonym++
					if slices.Contains(hitIDs(res.Hits), id) {
						t.Errorf("%s holds only %s and was found", id, tc.absent)
					}
				}
			}
			if onlySynonym == 0 {
				t.Errorf("no paragraph holds only %s: the case tests nothing", tc.absent)
			}
		})
	}
	// Unquoted, the synonyms count: 上海合作组织 finds the 上合组织 paragraphs.
	if q, p := everyHit(t, e, "上海合作组织"), everyHit(t, e, `"上海合作组织"`); q.Complete <= p.Complete {
		t.Errorf("unquoted 上海合作组织 finds %d paragraphs, quoted %d: want more unquoted", q.Complete, p.Complete)
	}
}

// TestSynonymsInsideWords: an abbreviation inside a longer unquoted word is
// expanded (上合组织宪章 ↔ 上海合作组织宪章).
func TestSynonymsInsideWords(t *testing.T) {
	e := openTestEngine(t)
	texts := corpusTexts(t, e)
	for _, q := range []string{"上合组织宪章", "上海合作组织宪章"} {
		res := everyHit(t, e, q)
		var full []string
		for _, h := range res.Hits {
			if h.Match == MatchAll {
				full = append(full, h.ID)
			}
		}
		want := scan(texts, "上合组织宪章")
		if len(want) == 0 {
			t.Fatal("no paragraph holds 上合组织宪章")
		}
		for _, id := range want {
			if !slices.Contains(full, id) {
				t.Errorf("%s: %s (holds 上合组织宪章) is not a full match: %v", q, id, full)
			}
		}
	}
}

// TestPartialMatches: a query whose words are not all in one paragraph
// gets the paragraphs with most of them, marked partial with what they
// miss, after every full match; question words are never required.
func TestPartialMatches(t *testing.T) {
	e := openTestEngine(t)
	for _, tc := range []struct {
		q        string
		complete bool     // some paragraph holds every word
		first    string   // the top hit
		missing  []string // what the partial hits may miss
	}{
		{"联合国安理会改革", false, "", []string{"改革"}},
		{"世贸组织改革", false, "", []string{"改革"}},
		{"上合组织怎么看阿富汗问题", true, pid(27), []string{"上合组织", "阿富汗", "问题"}},
		{"禁毒方面有哪些合作", true, "", []string{"禁毒", "合作"}},
		{"关于网络安全说了什么", false, "", []string{"网络安全"}},
		{"乔蓬阿塔 会议", true, "", []string{"乔蓬阿塔", "会议"}},
	} {
		t.Run(tc.q, func(t *testing.T) {
			res, err := e.Search(context.Background(), Request{Query: tc.q, Size: MaxSize})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Fatal("no hits: a dead end")
			}
			if (res.Complete > 0) != tc.complete {
				t.Errorf("Complete = %d, want > 0: %v", res.Complete, tc.complete)
			}
			if tc.first != "" && res.Hits[0].ID != tc.first {
				t.Errorf("top hit %s, want %s", res.Hits[0].ID, tc.first)
			}
			partial := false
			for _, h := range res.Hits {
				switch h.Match {
				case MatchAll:
					if partial {
						t.Errorf("%s: a full match after a partial one", h.ID)
					}
					if len(h.Missing) > 0 {
						t.Errorf("%s: full match missing %v", h.ID, h.Missing)
					}
				case MatchPartial:
					partial = true
					for _, m := range h.Missing {
						if !slices.Contains(tc.missing, m) {
							t.Errorf("%s misses %q, want one of %v", h.ID, m, tc.missing)
						}
						if strings.Contains(zh.ExactKey(h.Text), zh.ExactKey(m)) {
							t.Errorf("%s misses %q but holds it", h.ID, m)
						}
					}
				default:
					t.Errorf("%s: match %q", h.ID, h.Match)
				}
			}
			if !partial {
				t.Errorf("no partial hits after %d full ones", res.Complete)
			}
		})
	}
}

// TestPartialOrder: a partial hit holding every word that another holds,
// and more, ranks before it.
func TestPartialOrder(t *testing.T) {
	e := openTestEngine(t)
	words := []string{"禁毒", "阿富汗", "塔什干", "改革"}
	res, err := e.Search(context.Background(), Request{Query: strings.Join(words, " "), Size: MaxSize, NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	holds := func(h Hit) map[string]bool {
		m := map[string]bool{}
		for _, w := range words {
			m[w] = strings.Contains(zh.ExactKey(h.Text), w)
		}
		return m
	}
	superset := func(a, b map[string]bool) bool { // a ⊋ b
		more := false
		for _, w := range words {
			if b[w] && !a[w] {
				return false
			}
			more = more || a[w] && !b[w]
		}
		return more
	}
	if len(res.Hits) < 5 {
		t.Fatalf("%d hits", len(res.Hits))
	}
	for i, a := range res.Hits {
		for _, b := range res.Hits[i+1:] {
			if superset(holds(b), holds(a)) {
				t.Errorf("%s (holds %v) ranks before %s (holds %v)", a.ID, holds(a), b.ID, holds(b))
			}
		}
	}
}

// TestNoWordOccurs: a query none of whose words occur says so: no hits.
func TestNoWordOccurs(t *testing.T) {
	e := openTestEngine(t)
	for _, q := range []string{"量子计算机", "什么", `"上合组织和平"`, "沙漠骆驼怎么养"} {
		res := everyHit(t, e, q)
		if res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("%s: %d hits (%v), want none", q, res.Total, hitIDs(res.Hits))
		}
	}
}

// TestRankingContiguousFirst: paragraphs holding the query as one string
// rank above those holding its words apart.
func TestRankingContiguousFirst(t *testing.T) {
	e := openTestEngine(t)
	for _, q := range []string{"信息安全", "禁毒合作", "地区安全", "国际合作"} {
		res := everyHit(t, e, q)
		seenApart := ""
		for _, h := range res.Hits {
			if h.Match != MatchAll {
				break
			}
			if strings.Contains(zh.ExactKey(h.Text), zh.ExactKey(q)) {
				if seenApart != "" {
					t.Errorf("%s: %s holds %s whole but ranks after %s", q, h.ID, q, seenApart)
				}
			} else if seenApart == "" {
				seenApart = h.ID
			}
		}
	}
}

// TestRankingLengthAndTitle builds a small corpus: short list items that
// mention a subject do not outrank the paragraph that defines it, and a
// document whose title names the subject ranks above one that mentions it.
func TestRankingLengthAndTitle(t *testing.T) {
	corpus := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(corpus, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2020-list.txt", "---\ntitle: 合作领域清单\ndate: 2020-01-01\n---\n成员国确定下列合作领域：\n\n（一）贸易；\n\n（二）数字经济；\n\n（三）能源；\n\n（四）数字经济统计；\n")
	write("2021-digital.txt", "---\ntitle: 关于发展数字经济的声明\ndate: 2021-01-01\n---\n数字经济是以数据资源为关键要素、以现代信息网络为主要载体的经济形态。成员国支持发展数字经济，加强数字基础设施互联互通。\n\n成员国愿加强电子商务合作。\n")
	write("2022-other.txt", "---\ntitle: 会议公报\ndate: 2022-01-01\n---\n成员国讨论了贸易、投资和能源问题，也谈到了新的经济形态，包括数字经济在内的新兴产业领域的务实合作前景，并决定继续磋商。\n")
	dir := t.TempDir()
	if _, err := index.Build(context.Background(), corpus, dir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	res := everyHit(t, e, "数字经济")
	if len(res.Hits) < 4 {
		t.Fatalf("hits %v", hitIDs(res.Hits))
	}
	if res.Hits[0].ID != "2021-digital-p1" {
		t.Errorf("top hit %s, want the defining paragraph 2021-digital-p1; order %v", res.Hits[0].ID, hitIDs(res.Hits))
	}
	rank := func(id string) int { return slices.Index(hitIDs(res.Hits), id) }
	if rank("2022-other-p1") > rank("2020-list-p3") {
		t.Errorf("the list item （二）数字经济； outranks a paragraph discussing it: %v", hitIDs(res.Hits))
	}
}

// TestRankingShards: an index of one shard and one of three rank every
// query alike (document frequencies are summed over the shards).
func TestRankingShards(t *testing.T) {
	one := openTestEngine(t)
	dir := t.TempDir()
	if _, err := index.Build(context.Background(), corpusDir, dir, index.BuildOptions{Shards: 3}); err != nil {
		t.Fatal(err)
	}
	three, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer three.Close()
	for _, q := range []string{"合作", "上合组织", "禁毒 阿富汗", "联合国安理会改革", "上合组织怎么看阿富汗问题", `"成员国"`, "安全 OR 稳定", "经济 -贸易"} {
		a, b := everyHit(t, one, q), everyHit(t, three, q)
		if diff := cmp.Diff(hitIDs(a.Hits), hitIDs(b.Hits)); diff != "" {
			t.Errorf("%s: 1 shard vs 3 shards (-1 +3):\n%s", q, diff)
		}
		if a.Total != b.Total || a.Complete != b.Complete {
			t.Errorf("%s: totals %d/%d vs %d/%d", q, a.Total, a.Complete, b.Total, b.Complete)
		}
	}
}

// TestPagingNoEmptyPage: the pages that Total and Collapsed promise all
// hold hits, and together every hit once.
func TestPagingNoEmptyPage(t *testing.T) {
	e := openTestEngine(t)
	for _, q := range []string{"上合组织", "交通运输", "合作", "联合国安理会改革"} {
		const size = 10
		first, err := e.Search(context.Background(), Request{Query: q, Size: size})
		if err != nil {
			t.Fatal(err)
		}
		shown := int(first.Total - first.Collapsed)
		pages := (shown + size - 1) / size
		seen := map[string]bool{}
		n := 0
		for page := 0; page < pages; page++ {
			res, err := e.Search(context.Background(), Request{Query: q, Size: size, From: page * size})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				t.Errorf("%s: page %d of %d is empty (total %d, collapsed %d)", q, page+1, pages, res.Total, res.Collapsed)
			}
			for _, h := range res.Hits {
				for _, id := range covers(h) {
					if seen[id] {
						t.Errorf("%s: %s twice", q, id)
					}
					seen[id] = true
				}
				n++
			}
		}
		if n != shown || len(seen) != int(first.Total) {
			t.Errorf("%s: %d hits covering %d paragraphs over %d pages, want %d covering %d", q, n, len(seen), pages, shown, first.Total)
		}
	}
}

// TestResultCacheIsolation: changing a result does not change what the
// cache returns next time.
func TestResultCacheIsolation(t *testing.T) {
	e := openTestEngine(t)
	req := Request{Query: "上合组织 改革", Size: 20}
	a, err := e.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	a.Took = 0
	want, err := json.Marshal(NewJSONResult(a))
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Hits {
		for j := range a.Hits[i].Snippets {
			a.Hits[i].Snippets[j] = "changed"
		}
		for j := range a.Hits[i].Similar {
			a.Hits[i].Similar[j] = "changed"
		}
		for j := range a.Hits[i].Missing {
			a.Hits[i].Missing[j] = "changed"
		}
	}
	if len(a.Facets.Doc) > 0 {
		a.Facets.Doc[0].Count = -1
	}
	b, err := e.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	b.Took = 0
	got, err := json.Marshal(NewJSONResult(b))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("cached result changed by a caller (-first +second):\n%s", diff)
	}
}

// TestReloadDoesNotWait: a swap goes through while a request holds the old
// generation, which stays usable until that request releases it, and is
// closed after.
func TestReloadDoesNotWait(t *testing.T) {
	dir := t.TempDir()
	buildIndex(t, dir, true)
	e, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	old, err := e.acquire() // a request in flight
	if err != nil {
		t.Fatal(err)
	}
	buildIndex(t, dir, true)
	done := make(chan error, 1)
	go func() {
		swapped, err := e.Reload()
		if err == nil && !swapped {
			err = errors.New("no swap")
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Reload: %v", err)
		}
	case <-time.After(time.Minute): // a deadlock, not a speed limit
		t.Fatal("Reload waits for the request in flight")
	}
	if e.Generation() == old.idx.Dir() {
		t.Fatal("still on the old generation")
	}
	// the old generation still answers its request
	if _, err := old.idx.Bleve().DocCount(); err != nil {
		t.Errorf("old generation closed under its request: %v", err)
	}
	if err := e.release(old); err != nil {
		t.Errorf("release: %v", err)
	}
	if _, err := old.idx.Bleve().DocCount(); err == nil {
		t.Error("old generation still open after its last request")
	}
	if _, err := e.Search(context.Background(), Request{Query: "合作"}); err != nil {
		t.Errorf("search after the swap: %v", err)
	}
}

// TestSearchCancelled: a cancelled or expired request stops inside the
// search and says why, for every kind of query (one character, a flood of
// them, a phrase, a partial match).
func TestSearchCancelled(t *testing.T) {
	e := openTestEngine(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithTimeout(context.Background(), -time.Second)
	defer cancel2()
	flood := strings.TrimSuffix(strings.Repeat("的 OR ", 60), " OR ")
	for _, q := range []string{"的", flood, `"上海合作组织"`, "联合国安理会改革", "合作"} {
		if _, err := e.Search(cancelled, Request{Query: q, NoCollapse: true}); !errors.Is(err, context.Canceled) {
			t.Errorf("%.20s: cancelled request: %v, want context.Canceled", q, err)
		}
		if _, err := e.Search(expired, Request{Query: q}); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%.20s: expired request: %v, want context.DeadlineExceeded", q, err)
		}
	}
}

// TestFacetsSample: facets count every match up to a limit, and beyond it
// the ranked window, saying so.
func TestFacetsSample(t *testing.T) {
	e := openTestEngine(t)
	exact, err := e.Search(context.Background(), Request{Query: "合作", NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	if exact.Facets.Sample != 0 || len(exact.Facets.Doc) != 1 || uint64(exact.Facets.Doc[0].Count) != exact.Total {
		t.Errorf("exact facets %+v for %d matches", exact.Facets, exact.Total)
	}
	small, err := Open(testIndex.dir, WithoutCache())
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	small.opts.facetExactBelow = 10
	res, err := small.Search(context.Background(), Request{Query: "合作", NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total <= 10 || res.Facets.Sample == 0 || uint64(res.Facets.Sample) > res.Total {
		t.Fatalf("over the limit: %d matches, facets %+v", res.Total, res.Facets)
	}
	sum := 0
	for _, c := range res.Facets.Doc {
		sum += c.Count
	}
	if sum != res.Facets.Sample {
		t.Errorf("sampled doc counts add up to %d, sample %d", sum, res.Facets.Sample)
	}
}
