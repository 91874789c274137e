package zh

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scoSynonymGroups are groups of synonyms.txt as they must be: every
// member names the same thing. The corpus of search/multidoc_test.go holds
// paragraphs with the members, and that test searches each one.
var scoSynonymGroups = [][]string{
	{"上合组织", "上海合作组织", "SCO", "ШОС"},
	{"上合组织地区反恐怖机构", "上海合作组织地区反恐怖机构", "地区反恐怖机构", "上合组织地区反恐机构", "上海合作组织地区反恐机构", "地区反恐机构"},
	{"上合组织宪章", "上海合作组织宪章"},
	{"上合组织秘书长", "上海合作组织秘书长"},
	{"上合组织—阿富汗联络组", "上海合作组织—阿富汗联络组", "阿富汗联络组"},
	{"安理会", "联合国安理会", "联合国安全理事会", "安全理事会"},
	{"世贸组织", "世界贸易组织", "WTO", "ВТО"},
	{"集安组织", "集体安全条约组织"},
	{"独联体", "独立国家联合体"},
	{"亚信", "亚洲相互协作与信任措施会议"},
	{"三股势力", "恐怖主义、分裂主义和极端主义", "恐怖主义、分裂主义、极端主义"},
	{"传染病", "传染性疾病"},
	{"新冠肺炎", "新型冠状病毒肺炎"},
	{"欧亚经济联盟", "欧亚经盟"},
	{"一带一路", "丝绸之路经济带和21世纪海上丝绸之路"},
}

// legalSynonymGroups are the everyday abbreviations of legal terms: the
// laws corpus (scosearch bench --quality) has the long forms.
var legalSynonymGroups = [][]string{
	{"醉驾", "醉酒驾驶"},
	{"酒驾", "酒后驾驶", "饮酒后驾驶"},
	{"家暴", "家庭暴力"},
	{"年假", "年休假", "带薪年休假"},
	{"社保", "社会保险"},
	{"网购", "网络购物"},
	{"电信诈骗", "电信网络诈骗"},
	{"老赖", "失信被执行人"},
	{"高利贷", "高利放贷"},
	{"校园欺凌", "学生欺凌"},
	{"裁员", "裁减人员"},
}

// TestSCOSynonymGroups checks that each group is a group of synonyms.txt,
// no more and no less, and that Variants of each member, alone and inside
// a sentence, gives every other member.
func TestSCOSynonymGroups(t *testing.T) {
	sg := synonyms()
	for _, group := range append(scoSynonymGroups, legalSynonymGroups...) {
		var folded []string
		for _, m := range group {
			folded = append(folded, Fold(m))
		}
		i, ok := sg.group[folded[0]]
		if !ok {
			t.Errorf("%s: not in synonyms.txt", group[0])
			continue
		}
		if diff := cmp.Diff(folded, sg.groups[i]); diff != "" {
			t.Errorf("group of %s (-want +synonyms.txt):\n%s", group[0], diff)
		}
		for _, m := range group {
			for _, q := range []string{m, "成员国支持" + m + "的工作。"} {
				got := Variants(q)
				for _, other := range group {
					want := Fold(other)
					if q != m {
						want = Fold("成员国支持" + other + "的工作。")
					}
					if other != m && !slices.Contains(got, want) {
						t.Errorf("Variants(%q) = %q, want it to hold %q", q, got, want)
					}
				}
			}
		}
	}
}

// TestDictionaryWords checks that every term of dict/sco.txt and every
// synonym member without punctuation is one word for gse, and that a
// member with punctuation is not in the dictionary (it stays several
// words).
func TestDictionaryWords(t *testing.T) {
	seg, err := segmenter()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := parseUserDict(userDict)
	if err != nil {
		t.Fatal(err)
	}
	words := func(s string) []string {
		var out []string
		for _, x := range seg.Segment([]byte(s)) {
			out = append(out, s[x.start:x.end])
		}
		return out
	}
	terms := map[string]bool{}
	for _, e := range entries {
		terms[e.word] = true
	}
	for _, m := range synonyms().members {
		if _, listed := terms[m]; !listed { // dict/sco.txt may list a phrase as a word
			terms[m] = isWord(m)
		}
	}
	for term, word := range terms {
		got := words(term)
		if word && len(got) != 1 {
			t.Errorf("%s: segmented %q, want one word", term, got)
		}
		if !word && len(got) < 2 {
			t.Errorf("%s: segmented %q, want several words", term, got)
		}
	}
	// In context too: the formulations of the test corpus.
	for text, want := range map[string][]string{
		"加强传染性疾病防控合作":    {"加强", "传染性疾病", "防控", "合作"},
		"维护国际信息安全":       {"维护", "国际信息安全"},
		"打击三股势力":         {"打击", "三股势力"},
		"支持上合组织地区反恐机构":   {"支持", "上合组织地区反恐机构"},
		"新冠肺炎疫情":         {"新冠肺炎", "疫情"},
		"同欧亚经盟对接":        {"同", "欧亚经盟", "对接"},
		"支持世贸组织改革":       {"支持", "世贸组织", "改革"},
		"发展数字经济":         {"发展", "数字经济"},
		"恐怖主义、分裂主义和极端主义": {"恐怖主义", "、", "分裂主义", "和", "极端主义"},
	} {
		if diff := cmp.Diff(want, words(Fold(text))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", text, diff)
		}
	}
}
