package zh

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnits(t *testing.T) {
	type u struct {
		Text string
		Stop bool
	}
	tests := []struct {
		q    string
		want []u
	}{
		{"上合组织怎么看阿富汗问题", []u{{"上合组织", false}, {"怎么", true}, {"看", true}, {"阿富汗", false}, {"问题", false}}},
		{"禁毒方面有哪些合作", []u{{"禁毒", false}, {"方面", true}, {"有", true}, {"哪些", true}, {"合作", false}}},
		{"醉驾怎么处罚", []u{{"醉驾", false}, {"怎么", true}, {"处罚", false}}},
		{"正当防卫的条件", []u{{"正当防卫", false}, {"的", true}, {"条件", false}}},
		// a synonym-list member inside a longer word
		{"上合组织宪章", []u{{"上合组织宪章", false}}},
		{"世贸组织改革", []u{{"世贸组织", false}, {"改革", false}}},
		// a two-character member only as a whole word: 苏联大使 holds no 联大
		{"苏联大使", []u{{"苏联", false}, {"大使", false}}},
		// characters gse does not know stay together
		{"乔蓬阿塔会议", []u{{"乔蓬阿塔", false}, {"会议", false}}},
		// traditional and full-width input is folded
		{"上海合作組織", []u{{"上海合作组织", false}}},
		{"ＳＣＯ峰会", []u{{"sco", false}, {"峰会", false}}},
		// punctuation separates and is dropped
		{"反恐，禁毒", []u{{"反恐", false}, {"禁毒", false}}},
		// only stop words: searched all the same
		{"什么", []u{{"什么", false}}},
		{"", nil},
	}
	for _, tc := range tests {
		var got []u
		for _, x := range Units(tc.q) {
			got = append(got, u{x.Text, x.Stop})
			if len(x.Alts) == 0 || x.Alts[0] != x.Text {
				t.Errorf("%s: unit %q has alternatives %v, want itself first", tc.q, x.Text, x.Alts)
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Units(%q) (-want +got):\n%s", tc.q, diff)
		}
	}
	// synonyms come with the unit
	us := Units("三股势力")
	if len(us) != 1 || len(us[0].Alts) < 2 {
		t.Fatalf("Units(三股势力) = %+v, want one unit with its synonyms", us)
	}
}

func TestParts(t *testing.T) {
	for _, tc := range []struct {
		w       string
		want    []string
		bigrams bool
	}{
		{"网络安全", []string{"网络", "安全"}, false},
		{"乔蓬阿塔", []string{"阿塔"}, false}, // gse knows 阿塔 as a word
		{"жзик", []string{"жз", "зи", "ик"}, true},
		{"改革", nil, false},
	} {
		got, bigrams := Parts(tc.w)
		if diff := cmp.Diff(tc.want, got); diff != "" || bigrams != tc.bigrams {
			t.Errorf("Parts(%q) = %v, %v; want %v, %v", tc.w, got, bigrams, tc.want, tc.bigrams)
		}
	}
}

func TestFind(t *testing.T) {
	text := "上海合作组织（以下称“上合组织”），上合 组织；ＳＣＯ"
	for _, tc := range []struct {
		key  string
		want []string
	}{
		{"上合组织", []string{"上合组织", "上合 组织"}},
		{"组织(", []string{"组织（"}},
		{"sco", []string{"ＳＣＯ"}},
		{"合", []string{"合", "合", "合"}},
		{"联合国", nil},
	} {
		var got []string
		for _, s := range Find(text, tc.key) {
			got = append(got, text[s[0]:s[1]])
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Find(%q) (-want +got):\n%s", tc.key, diff)
		}
	}
}
