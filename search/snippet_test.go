package search

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index/zh"
)

// spansOf returns the byte spans of every occurrence of each needle in text.
func spansOf(text string, needles ...string) []span {
	var out []span
	for _, n := range needles {
		for i := 0; ; {
			j := strings.Index(text[i:], n)
			if j < 0 {
				break
			}
			out = append(out, span{i + j, i + j + len(n)})
			i += j + len(n)
		}
	}
	return out
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		spans []span
		want  string
	}{
		{"adjacent words merge", "上海合作组织成员国", spansOf("上海合作组织成员国", "上海", "合作", "组织"),
			"<mark>上海合作组织</mark>成员国"},
		{"overlapping bigrams merge", "上海合作组织", []span{{0, 6}, {3, 9}, {6, 12}},
			"<mark>上海合作</mark>组织"},
		{"separate matches", "反恐与禁毒", spansOf("反恐与禁毒", "反恐", "禁毒"),
			"<mark>反恐</mark>与<mark>禁毒</mark>"},
		{"html escaped", `<b>"上合"&</b>`, spansOf(`<b>"上合"&</b>`, "上合"),
			"&lt;b&gt;&#34;<mark>上合</mark>&#34;&amp;&lt;/b&gt;"},
		{"bad spans dropped", "上海", []span{{1, 3}, {0, 99}, {-1, 3}, {3, 3}, {3, 6}},
			"上<mark>海</mark>"},
		{"no spans", "a<b", nil, "a&lt;b"},
		{"empty text", "", []span{{0, 3}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, highlight(tc.text, tc.spans)); diff != "" {
				t.Errorf("highlight (-want +got):\n%s", diff)
			}
		})
	}
}

// plain removes the markup of a snippet.
func plain(s string) string {
	s = strings.NewReplacer("<mark>", "", "</mark>", "", ellipsis, "").Replace(s)
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&amp;", "&").Replace(s)
}

func TestSnippetsShortParagraphIsWhole(t *testing.T) {
	text := "成员国认为,尽快通过《联合国与上合组织的合作》联合国大会决议十分重要。"
	got := snippets(text, spansOf(text, "上合组织"))
	want := []string{"成员国认为,尽快通过《联合国与<mark>上合组织</mark>的合作》联合国大会决议十分重要。"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("snippets (-want +got):\n%s", diff)
	}
}

func TestSnippetsLongParagraph(t *testing.T) {
	filler := strings.Repeat("成员国将继续发展各领域全方位合作。", 30) // 510 runes
	text := filler[:len(filler)/2] + "反恐" + filler[len(filler)/2:] + "禁毒与反恐并重" + filler
	got := snippets(text, spansOf(text, "反恐", "禁毒"))
	if len(got) == 0 || len(got) > SnippetMaxFragments {
		t.Fatalf("snippets gave %d fragments, want 1..%d", len(got), SnippetMaxFragments)
	}
	marks := 0
	for _, s := range got {
		if !utf8.ValidString(s) {
			t.Errorf("fragment is not valid UTF-8: %q", s)
		}
		if n := utf8.RuneCountInString(plain(s)); n > snippetSize+snippetLead {
			t.Errorf("fragment has %d runes, want at most about %d: %s", n, snippetSize, s)
		}
		if !strings.Contains(text, plain(s)) {
			t.Errorf("fragment %q is not a piece of the text", plain(s))
		}
		if !strings.HasPrefix(s, ellipsis) && !strings.HasPrefix(text, plain(s)) {
			t.Errorf("fragment cut at the start without an ellipsis: %s", s)
		}
		marks += strings.Count(s, "<mark>")
	}
	if marks != 3 {
		t.Errorf("fragments %q hold %d marks, want all 3 matches", got, marks)
	}
	if !strings.Contains(strings.Join(got, ""), "<mark>禁毒</mark>与<mark>反恐</mark>") {
		t.Errorf("fragments %q miss the dense group", got)
	}
}

func TestSnippetsAtMostThree(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 10; i++ {
		b.WriteString("反恐")
		b.WriteString(strings.Repeat("合作", 100))
	}
	text := b.String()
	got := snippets(text, spansOf(text, "反恐"))
	if len(got) != SnippetMaxFragments {
		t.Errorf("snippets gave %d fragments, want %d", len(got), SnippetMaxFragments)
	}
}

func TestSnippetsNoMatchStartsTheText(t *testing.T) {
	text := strings.Repeat("合作", 200)
	got := snippets(text, nil)
	if len(got) != 1 || !strings.HasSuffix(got[0], ellipsis) || !strings.HasPrefix(text, plain(got[0])) {
		t.Errorf("snippets without matches = %q, want the start of the text and an ellipsis", got)
	}
}

func TestSnippetsNeverCutAMatch(t *testing.T) {
	text := strings.Repeat("合", 300) + strings.Repeat("恐", 200) + strings.Repeat("合", 300)
	got := snippets(text, []span{{300 * 3, 500 * 3}})
	for _, s := range got {
		if strings.Count(s, "<mark>") != strings.Count(s, "</mark>") {
			t.Errorf("unbalanced marks in %q", s)
		}
	}
	if !strings.Contains(strings.Join(got, ""), "<mark>"+strings.Repeat("恐", 200)+"</mark>") {
		t.Errorf("the long match was cut: %q", got)
	}
}

func FuzzSnippets(f *testing.F) {
	f.Add("上海合作组织成员国", 0, 6, 3, 12)
	f.Add(strings.Repeat("成员国强调,", 60), 10, 40, 200, 260)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int) {
		if !utf8.ValidString(text) {
			return
		}
		spans := []span{{a, b}, {c, d}}
		for _, s := range snippets(text, spans) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 snippet %q", s)
			}
			if !strings.Contains(text, plain(s)) {
				t.Fatalf("snippet %q is not a piece of %q", s, text)
			}
		}
	})
}

func TestNearIdentical(t *testing.T) {
	a := "成员国强调,应继续深化交通运输领域多边合作,包括新建和改造现有国际公路和铁路交通线路及多式联运走廊,建立物流中心,采用先进技术,协调交通运输发展政策。"
	b := strings.Replace(a, "强调", "指出", 1)
	c := "成员国强调,应继续深化合作,共同构建开放型世界经济。"
	tests := []struct {
		x, y string
		want bool
	}{
		{a, a, true},
		{a, b, true},
		{a, "上海合作组织" + a, true},
		{a, c, false},
		{a, a[:len(a)/2], false},
		{"三", "三", true},
		{"三", "四", false},
		{"", "", false},
	}
	for _, tc := range tests {
		if got := nearIdentical(newSignature(tc.x), newSignature(tc.y)); got != tc.want {
			t.Errorf("nearIdentical(%.20q, %.20q) = %v, want %v (jaccard %.3f)", tc.x, tc.y, got, tc.want,
				zh.Jaccard(newSignature(tc.x).set(), newSignature(tc.y).set()))
		}
	}
}

func TestCollapseGroups(t *testing.T) {
	a := "成员国强调,应继续深化交通运输领域多边合作,包括新建和改造现有国际公路和铁路交通线路。"
	b := strings.Replace(a, "强调", "指出", 1)
	got := collapseGroups([]string{zh.ExactKey(a), "禁毒", zh.ExactKey(b), "反恐", "禁毒"})
	want := [][]int{{0, 2}, {1, 4}, {3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("collapseGroups (-want +got):\n%s", diff)
	}
}

// TestSnippetWordBoundaries: fragments start and end at word or clause
// boundaries, never inside a gse word (…话和 for 对话和, …续安全 for
// 可持续安全), over every long paragraph of the bundled corpus and matches
// drawn at every tenth character.
func TestSnippetWordBoundaries(t *testing.T) {
	e := openTestEngine(t)
	texts := corpusTexts(t, e)
	checked := 0
	for id, text := range texts {
		words := zh.WordSpans(text)
		inside := func(b int) bool {
			for _, w := range words {
				if w[0] < b && b < w[1] {
					return true
				}
			}
			return false
		}
		var spans []span
		for i := range text {
			if i%30 == 0 && i+6 < len(text) && utf8.RuneStart(text[i]) && utf8.RuneStart(text[i+6]) {
				spans = append(spans, span{i, i + 6})
			}
		}
		draws := [][]span{nil}
		if len(spans) > 0 {
			draws = append(draws, spans, spans[len(spans)/2:], spans[len(spans)-1:])
		}
		for _, sp := range draws {
			for _, sn := range snippets(text, sp) {
				frag := plain(strings.TrimSuffix(strings.TrimPrefix(sn, ellipsis), ellipsis))
				at := strings.Index(text, frag)
				if at < 0 {
					t.Fatalf("%s: fragment %q not in the text", id, frag)
				}
				if inside(at) || inside(at+len(frag)) {
					t.Errorf("%s: fragment cut inside a word: %q", id, sn)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d fragments checked", checked)
	}
}
