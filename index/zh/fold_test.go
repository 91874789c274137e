package zh

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"ＳＣＯ２０１９", "sco2019"},
		{"，：；（）", ",:;()"},
		{"上海合作組織", "上海合作组织"},
		{"聯合國安理會", "联合国安理会"},
		{"於2019年", "于2019年"},
		{"乾坤", "乾坤"},
		{"Shanghai ÉTÉ", "shanghai été"},
		{"\u3000", " "},
		{"ｶﾀｶﾅ", "カタカナ"},
		{"a\xffb", "a\ufffdb"},
	}
	for _, tc := range tests {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"，。、", ""},
		{"和平、稳定与发展", "和平稳定与发展"},
		{"举办国际艺术 节和比赛", "举办国际艺术节和比赛"},
		{"ＳＣＯ ２０１９", "sco2019"},
		{"《上合組織憲章》", "上合组织宪章"},
		{"2019—2021", "20192021"},
	}
	for _, tc := range tests {
		if got := Key(tc.in); got != tc.want {
			t.Errorf("Key(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestKeyOfExact: KeyOfExact(ExactKey(s)) is Key(s), for the cases of
// TestKey and TestFold and for random strings of letters, digits, marks,
// punctuation, spaces, full-width and traditional forms and invalid bytes.
func TestKeyOfExact(t *testing.T) {
	inputs := []string{"", "abc", "ＡＢＣ", "a b", "，。、", "和平、稳定与发展", "《上合組織憲章》", "2019—2021", "a\xffb", "Россия, ЁЛКА", "e\u0301te\u00ad"}
	alphabet := []rune("a Z9，。上合組織ＳＣＯ２\u3000\u00adёЁ\u0301-—\ufffd٣ⅻ\U00020000\t")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		n := rng.IntN(12)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(rs)
		if rng.IntN(10) == 0 {
			s += "\xff"
		}
		inputs = append(inputs, s)
	}
	for _, s := range inputs {
		if got, want := KeyOfExact(ExactKey(s)), Key(s); got != want {
			t.Errorf("KeyOfExact(ExactKey(%q)) = %q, Key = %q", s, got, want)
		}
	}
}

// TestFoldText checks the offset map of foldText against folding rune by
// rune, on texts whose runes change byte length.
func TestFoldText(t *testing.T) {
	for _, in := range []string{"上海", "ＳＣＯ２０１９年", "a\xffＢ", "K上\u212a", "𠀀Ａ"} {
		var f folded
		foldText(&f, []byte(in))
		if got := string(f.text); got != Fold(in) {
			t.Errorf("foldText(%q) = %q, want %q", in, got, Fold(in))
		}
		// Every rune of the folded text maps to the original rune it
		// came from.
		j := 0
		for i, r := range in {
			fr := fold(r)
			if got := f.origOffset(j); got != i {
				t.Errorf("%q: folded offset %d maps to %d, want %d", in, j, got, i)
			}
			j += len(string(fr))
		}
		if got := f.origOffset(len(f.text)); got != len(in) {
			t.Errorf("%q: end maps to %d, want %d", in, got, len(in))
		}
	}
}

func TestVariants(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"", []string{""}},
		{"合作", []string{"合作"}},
		{"上合组织", []string{"上合组织", "上海合作组织", "sco", "шос"}},
		{"上海合作组织", []string{"上海合作组织", "上合组织", "sco", "шос"}},
		{"上合组织峰会", []string{"上合组织峰会", "上海合作组织峰会", "sco峰会", "шос峰会"}},
		{"联大决议", []string{"联大决议", "联合国大会决议"}},
		// 联大 inside 苏联大使 is not a word: no variant.
		{"苏联大使馆", []string{"苏联大使馆"}},
		// Leftmost-longest: 联合国安理会 is one term, not 联合国 + 安理会.
		{"联合国安理会", []string{"联合国安理会", "安理会", "联合国安全理事会", "安全理事会"}},
		{"上合組織與聯大", []string{"上合組織與聯大", "上合组织与联合国大会", "上海合作组织与联大", "上海合作组织与联合国大会", "sco与联大", "sco与联合国大会", "шос与联大", "шос与联合国大会"}},
		{"上合组织地区反恐怖机构", []string{"上合组织地区反恐怖机构", "上海合作组织地区反恐怖机构", "地区反恐怖机构", "上合组织地区反恐机构", "上海合作组织地区反恐机构", "地区反恐机构"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, Variants(tc.q)); diff != "" {
			t.Errorf("Variants(%q) (-want +got):\n%s", tc.q, diff)
		}
	}
}

func TestVariantsBounded(t *testing.T) {
	q := ""
	for range 10 {
		q += "上合组织和联大和安理会，"
	}
	got := Variants(q)
	if len(got) != MaxVariants || got[0] != q {
		t.Errorf("Variants of %d terms: %d forms, first %q; want %d, q first", 30, len(got), got[0], MaxVariants)
	}
	seen := map[string]bool{}
	for _, v := range got {
		if seen[v] {
			t.Errorf("duplicate variant %q", v)
		}
		seen[v] = true
	}
}

func TestParseUserDict(t *testing.T) {
	got, err := parseUserDict("# comment\n上合组织 1000 nt\n\n乔蓬阿塔 # place\n上海合作組織\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []userEntry{
		{word: "上合组织", freq: 1000, pos: "nt"},
		{word: "乔蓬阿塔", freq: defaultUserFreq, pos: "nz"},
		{word: "上海合作组织", freq: defaultUserFreq, pos: "nz"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(userEntry{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"上合组织 many", "上合组织 1", "a 10 nt extra"} {
		if _, err := parseUserDict(bad); err == nil {
			t.Errorf("parseUserDict(%q): no error", bad)
		}
	}
	// The shipped dictionary parses.
	if _, err := parseUserDict(userDict); err != nil {
		t.Errorf("dict/sco.txt: %v", err)
	}
}

func TestFingerprint(t *testing.T) {
	fp := Fingerprint()
	if fp != Fingerprint() {
		t.Errorf("Fingerprint not stable")
	}
	if want := "zh" + Version + "-"; len(fp) != len(want)+16 || fp[:len(want)] != want {
		t.Errorf("Fingerprint() = %q, want %q + 16 hex digits", fp, want)
	}
}

// TestFoldBytes: FoldBytes gives Fold's result, whether it can fold in
// place or not.
func TestFoldBytes(t *testing.T) {
	for _, s := range []string{
		"", "abc", "ABC", "ＳＣＯ２０１９", "上海合作組織", "ЁЛКА её", "Ⱥb", "aȺȺ", "a\xffb", "\xff", "İstanbul", "x\u023ay\u023a",
		"混合 Text ＦＵＬＬ 與 Ёё", "\ufffd",
	} {
		want := Fold(s)
		b := []byte(s)
		if got := string(FoldBytes(b)); got != want {
			t.Errorf("FoldBytes(%q) = %q, want %q", s, got, want)
		}
	}
}
