package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/scosearch/scosearch/web"
)

// TestAPICompare: /api/compare answers the engine's comparison; unknown
// documents are 404, missing parameters 400.
func TestAPICompare(t *testing.T) {
	e := scoEngine(t)
	ts := startServer(t, e, web.Options{})
	const a, b = "2022-samarkand-declaration", "2023-new-delhi-declaration"
	want, err := e.Compare(context.Background(), a, b)
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, "GET", ts.URL+"/api/compare?a="+a+"&b="+b)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var got struct {
		A, B    struct{ ID string }
		Summary struct{ Same, Changed, Added, Removed int }
		Pairs   []struct {
			A, B       *int
			Status     string
			Similarity float64
			Diff       []struct{ Op, Text string }
		}
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	if got.A.ID != a || got.B.ID != b || got.Summary.Changed != want.Summary.Changed || got.Summary.Added != want.Summary.Added ||
		got.Summary.Removed != want.Summary.Removed || len(got.Pairs) != len(want.Pairs) {
		t.Fatalf("answer %+v, engine %+v", got.Summary, want.Summary)
	}
	if !strings.Contains(r.body, `"a":null`) || !strings.Contains(r.body, `"op":"insert"`) {
		t.Errorf("no added pair or insertion in %s", r.body[:min(len(r.body), 2000)])
	}
	for _, c := range []struct {
		q      string
		status int
	}{{"a=" + a, 400}, {"b=" + b, 400}, {"a=nope&b=" + b, 404}, {"a=" + a + "&b=nope", 404}} {
		if r := do(t, "GET", ts.URL+"/api/compare?"+c.q); r.status != c.status || !strings.Contains(r.body, `"error"`) {
			t.Errorf("%s: %d %s, want %d", c.q, r.status, r.body, c.status)
		}
	}
}

// TestComparePage: the page shows the summary, both sides with <del> and
// <ins>, and the document page offers the comparison, last year's
// declaration selected.
func TestComparePage(t *testing.T) {
	ts := startServer(t, scoEngine(t), web.Options{})
	r := do(t, "GET", ts.URL+"/compare?a=2022-samarkand-declaration&b=2023-new-delhi-declaration")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	checkBody(t, r.body, []string{"改动 <strong>4</strong> 段", "新增 <strong>11</strong> 段", "删除 <strong>16</strong> 段",
		"<ins>中华人民共和国提出的</ins>", "<del>印度共和国</del>", "<ins>哈萨克斯坦共和国</ins>",
		`href="/docs/2023-new-delhi-declaration#p15"`, `href="/compare?a=2023-new-delhi-declaration&amp;b=2022-samarkand-declaration"`},
		[]string{` style="`})
	if n := strings.Count(r.body, `class="redline-row `); n != 4+11+16+1 {
		t.Errorf("%d rows, want 32 (a head and 31 pairs)", n)
	}
	doc := do(t, "GET", ts.URL+"/docs/2023-new-delhi-declaration")
	checkBody(t, doc.body, []string{`action="/compare"`, `name="a" value="2023-new-delhi-declaration"`,
		`<option value="2022-samarkand-declaration" selected>`}, []string{`<option value="2023-new-delhi-declaration"`, `value="2022-samarkand-declaration.ru"`})
	if r := do(t, "GET", ts.URL+"/compare?a=nope&b=x"); r.status != 404 {
		t.Errorf("unknown document: %d", r.status)
	}
	if r := do(t, "GET", ts.URL+"/compare?a="+url.QueryEscape("x")); r.status != 400 {
		t.Errorf("missing b: %d", r.status)
	}
}

// TestSimilarElsewhere: /api/docs/{doc} carries each paragraph's similar
// paragraphs of other documents, and the document page lists them with
// links to the paragraph and to the comparison.
func TestSimilarElsewhere(t *testing.T) {
	ts := startServer(t, scoEngine(t), web.Options{})
	r := do(t, "GET", ts.URL+"/api/docs/2023-new-delhi-declaration")
	var got struct {
		Paragraphs []struct {
			N       int `json:"n"`
			Similar []struct {
				ID         string  `json:"id"`
				Similarity float64 `json:"similarity"`
			} `json:"similar_elsewhere"`
		} `json:"paragraph_list"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || len(got.Paragraphs) < 6 {
		t.Fatalf("%v: %s", err, r.body)
	}
	if s := got.Paragraphs[5].Similar; len(s) == 0 || s[0].ID != "2022-samarkand-declaration-p6" || s[0].Similarity < 0.5 {
		t.Errorf("paragraph 6: %+v", s)
	}
	page := do(t, "GET", ts.URL+"/docs/2023-new-delhi-declaration")
	checkBody(t, page.body, []string{"其他文件中的相似段落", `href="/docs/2022-samarkand-declaration#p6"`,
		`href="/compare?a=2023-new-delhi-declaration&amp;b=2022-samarkand-declaration"`}, nil)
}
