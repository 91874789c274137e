package search

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		q    string
		want string // qand.String() of the tree
	}{
		{"反恐", `AND(反恐)`},
		{"  上合组织   反恐 ", `AND(上合组织 反恐)`},
		{`"上海合作组织"`, `AND("上海合作组织")`},
		{`“上海精神”`, `AND("上海精神")`},
		{`＂上海精神＂`, `AND("上海精神")`},
		{`"联络组”会议"`, `AND("联络组”会议")`},
		{`"上合组织—阿富汗联络组”会议成"`, `AND("上合组织—阿富汗联络组”会议成")`},
		{`“高级别“活动”`, `AND("高级别“活动")`},
		{`«Шанхайский дух» ШОС`, `AND("Шанхайский дух" ШОС)`},
		{`„Шанхайский дух“`, `AND("Шанхайский дух")`},
		{`「上海精神」`, `AND("上海精神")`},
		{`『上海精神』 合作`, `AND("上海精神" 合作)`},
		{`духу»`, `AND(духу»)`},
		{`联络组”会议`, `AND(联络组”会议)`},
		{`"上海 合作"`, `AND("上海 合作")`},
		{"+反恐 -阿富汗", `AND(反恐 -阿富汗)`},
		{"反恐 NOT 阿富汗", `AND(反恐 -阿富汗)`},
		{"＋反恐 －阿富汗", `AND(反恐 -阿富汗)`},
		{"禁毒 OR 反恐", `AND(OR(禁毒 反恐))`},
		{"禁毒 | 反恐 合作", `AND(OR(禁毒 反恐) 合作)`},
		{"禁毒 AND 反恐", `AND(禁毒 反恐)`},
		{"(禁毒 OR 反恐) 合作", `AND(OR(禁毒 反恐) 合作)`},
		{"（禁毒 OR 反恐）合作", `AND(OR(禁毒 反恐) 合作)`},
		{"-(禁毒 OR 反恐) 合作", `AND(合作 -OR(禁毒 反恐))`},
		{"(合作 -阿富汗) OR 禁毒", `AND(OR(AND(合作 -阿富汗) 禁毒))`},
		{"((反恐))", `AND(反恐)`},
		{"doc:2019-bishkek-declaration 反恐", `AND(doc:"2019-bishkek-declaration" 反恐)`},
		{"DOC:abc", `AND(doc:"abc")`},
		{`section:"三" 贸易`, `AND(section:"三" 贸易)`},
		{"section:三", `AND(section:"三")`},
		{"lang:ZH", `AND(lang:"zh")`},
		{"year:2019", `AND(year:"2019")`},
		{"year:2018..2019", `AND(year:2018..2019)`},
		{"date:2019-01-01..2019-12-31", `AND(date:2019-01-01..2019-12-31)`},
		{"date:2019..", `AND(date:2019..)`},
		{"date:..2019-06", `AND(date:..2019-06)`},
		{"date：2019", `AND(date:2019)`},
		{"doc:a OR doc:b", `AND(OR(doc:"a" doc:"b"))`},
		// parentheses inside a value are the value's (laws ids hold them)
		{"doc:司法解释/人民检察院刑事诉讼规则(2019-12-02) 规定", `AND(doc:"司法解释/人民检察院刑事诉讼规则(2019-12-02)" 规定)`},
		{"doc:刑法/刑法修正案（七） 罚金", `AND(doc:"刑法/刑法修正案（七）" 罚金)`},
		{`doc:"刑法/刑法修正案（七）"`, `AND(doc:"刑法/刑法修正案（七）")`},
		{"(doc:a OR year:2019) 合作", `AND(OR(doc:"a" year:"2019") 合作)`},
		{"(doc:a(1)) 合作", `AND(doc:"a(1)" 合作)`},
		// a colon after non-Latin text is plain text, not a field
		{"联合国与上合组织:合作", `AND(联合国与上合组织:合作)`},
		{"联合国与上合组织：合作", `AND(联合国与上合组织:合作)`},
		// a hyphen inside a word is text
		{"2018-2023", `AND(2018-2023)`},
		// stray punctuation between words is ignored
		{"中亚 -", `AND(中亚)`},
		{"反恐 ， 禁毒", `AND(反恐 禁毒)`},
		{"反恐 OR 、", `AND(反恐)`},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			got, err := parseQuery(tc.q)
			if err != nil {
				t.Fatalf("parseQuery(%q): %v", tc.q, err)
			}
			if diff := cmp.Diff(tc.want, got.String()); diff != "" {
				t.Errorf("parseQuery(%q) (-want +got):\n%s", tc.q, diff)
			}
		})
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		q       string
		message string // a part of the error message
	}{
		{"", "empty query"},
		{"   \u3000 ", "empty query"},
		{`"上海合作`, "unbalanced quote"},
		{`反恐 "上海`, "unbalanced quote"},
		{`""`, "empty phrase"},
		{"(反恐", "unbalanced parenthesis"},
		{"反恐)", "unbalanced parenthesis"},
		{"()", "empty parentheses"},
		{"-反恐", "only excludes"},
		{"-反恐 -禁毒", "only excludes"},
		{"OR 反恐", "nothing on its left"},
		{"反恐 OR", "nothing on its right"},
		{"反恐 OR OR 禁毒", "nothing on its right"},
		{"反恐 OR -禁毒", "inside OR"},
		{"foo:bar", `unknown field "foo"`},
		{"title:宣言", `unknown field "title"`},
		{"doc:", "needs a value"},
		{"date:2019-13-01", `bad date "2019-13-01"`},
		{"date:yesterday", "bad date"},
		{"date:2019/01/01", "bad date"},
		{"date:2020..2019", "start is after the end"},
		{"date:..", "at least one end"},
		{"date:2019..2020..2021", "bad date range"},
		{"year:19", "bad year"},
		{"year:2019-06", "bad year"},
		{"反*", "wildcards"},
		{"，。！", "no letters or digits"},
		{`"，"`, "no letters or digits"},
		{strings.Repeat("反", MaxQueryRunes+1), "query too long"},
		{strings.Repeat("反恐 ", MaxTerms+1), "too many terms"},
		{strings.Repeat("(", MaxDepth+1) + "反恐" + strings.Repeat(")", MaxDepth+1), "nested too deeply"},
		{"反恐 + ", ""},
		{"\xff\xfe", "not valid UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			got, err := parseQuery(tc.q)
			if tc.message == "" { // a lone + is plain punctuation: no error
				if err == nil {
					return
				}
			}
			if err == nil {
				t.Fatalf("parseQuery(%q) = %v, want an error containing %q", tc.q, got, tc.message)
			}
			if !errors.Is(err, ErrBadQuery) {
				t.Errorf("parseQuery(%q) error %v does not wrap ErrBadQuery", tc.q, err)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("parseQuery(%q) error %q, want it to contain %q", tc.q, err, tc.message)
			}
		})
	}
}

func TestParseQueryDepthAtLimit(t *testing.T) {
	q := strings.Repeat("(", MaxDepth) + "反恐" + strings.Repeat(")", MaxDepth)
	if _, err := parseQuery(q); err != nil {
		t.Errorf("parseQuery(%d nested parentheses): %v", MaxDepth, err)
	}
}

func TestParseDateRangeBounds(t *testing.T) {
	tests := []struct {
		q      string
		lo, hi string
	}{
		{"date:2019-06-14", "2019-06-14", "2019-06-14"},
		{"date:2019", "2019", "2019~"},
		{"date:2019-06..2019-07", "2019-06", "2019-07~"},
		{"date:..2019-12-31", "", "2019-12-31"},
		{"date:2019-01-01..", "2019-01-01", ""},
	}
	for _, tc := range tests {
		got, err := parseQuery(tc.q)
		if err != nil {
			t.Fatalf("parseQuery(%q): %v", tc.q, err)
		}
		f := got.must[0].(qfilter)
		if diff := cmp.Diff([2]string{tc.lo, tc.hi}, [2]string{f.lo, f.hi}); diff != "" {
			t.Errorf("parseQuery(%q) bounds (-want +got):\n%s", tc.q, diff)
		}
		// the bounds bracket the dates they should
		if f.lo != "" && !("2019-06-14" >= f.lo) || f.hi != "" && !("2019-06-14" <= f.hi) {
			t.Errorf("parseQuery(%q): 2019-06-14 not within [%q, %q]", tc.q, f.lo, f.hi)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"反恐", `"上海合作组织" -阿富汗`, "(a OR b) doc:x date:2019..", "((", `"`, "-", "a OR", "year:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		n, err := parseQuery(q)
		if err != nil {
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("parseQuery(%q) error %v does not wrap ErrBadQuery", q, err)
			}
			return
		}
		if len(n.must) == 0 {
			t.Fatalf("parseQuery(%q) accepted a query with nothing to search for", q)
		}
		if c := countNodes(n); c > MaxTerms {
			t.Fatalf("parseQuery(%q) has %d terms, limit %d", q, c, MaxTerms)
		}
	})
}

// countNodes counts the leaves of a tree (for tests and limits).
func countNodes(n qnode) int {
	switch n := n.(type) {
	case qand:
		c := 0
		for _, m := range n.must {
			c += countNodes(m)
		}
		for _, m := range n.not {
			c += countNodes(m)
		}
		return c
	case qor:
		c := 0
		for _, m := range n.any {
			c += countNodes(m)
		}
		return c
	}
	return 1
}
