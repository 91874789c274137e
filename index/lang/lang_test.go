package lang

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/registry"
)

// TestStems: golden cases of what the Russian and English word analysis
// takes as the same word (inflections, case, ё/е, width) and what it keeps
// apart.
func TestStems(t *testing.T) {
	data, err := os.ReadFile("testdata/stems.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Lang, A, B string
		Same       bool
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		l, ok := Get(c.Lang)
		if !ok {
			t.Fatalf("no language %q", c.Lang)
		}
		a, b := l.QueryKey(c.A), l.Key(c.B)
		if a == "" || b == "" {
			t.Errorf("%s: %q -> %q, %q -> %q: no words", c.Lang, c.A, a, c.B, b)
			continue
		}
		if (a == b) != c.Same {
			t.Errorf("%s: %q -> %q, %q -> %q: same %v, want %v", c.Lang, c.A, a, c.B, b, a == b, c.Same)
		}
	}
}

// TestExactKey: quoted phrases in Russian and English are words as
// written, case, width and ё/е aside; stop words stay.
func TestExactKey(t *testing.T) {
	ru, _ := Get("ru")
	en, _ := Get("en")
	for _, c := range []struct {
		l          Language
		text, want string
	}{
		{ru, "Шанхайской  организации, сотрудничества", " шанхайской организации сотрудничества "},
		{ru, "Её и всё", " ее и все "},
		{en, "The SCO’s Member-States", " the sco’s member states "},
		{en, "", ""},
		{Of("zh"), "上海合作组织，ＳＣＯ", "上海合作组织,sco"},
	} {
		if got := c.l.ExactKey(c.text); got != c.want {
			t.Errorf("%s ExactKey(%q) = %q, want %q", c.l.Code, c.text, got, c.want)
		}
	}
	// stop words: the word analysis leaves them out, the exact one keeps them
	if k := ru.Key("и"); k != "" {
		t.Errorf("ru Key(и) = %q, want a stop word", k)
	}
	if k := en.Key("the"); k != "" {
		t.Errorf("en Key(the) = %q, want a stop word", k)
	}
}

// TestFoldComposed: a word written with combining marks (й as и and a
// breve, Ё as Е and a diaeresis: text from some PDFs) or with soft
// hyphens or other invisible format characters inside (госу\u00adдарства
// from HTML's &shy;) is the same word as typed, in the word and exact
// analysis of each alphabetic language; the token still spans the
// original bytes.
func TestFoldComposed(t *testing.T) {
	ru, _ := Get("ru")
	en, _ := Get("en")
	for _, c := range []struct {
		l          Language
		text, want string
	}{
		{ru, "Новыи\u0306", "Новый"},
		{ru, "Е\u0308лка", "ёлка"},
		{ru, "госу\u00adдарства", "государства"},
		{ru, "согла\u00adшение\u2060", "соглашение"},
		{en, "organi\u00adsation", "organisation"},
		{en, "cafe\u0301", "café"},
	} {
		for _, k := range []func(Language, string) string{Language.Key, Language.ExactKey} {
			if got, want := k(c.l, c.text), k(c.l, c.want); got != want || got == "" {
				t.Errorf("%s: %q -> %q, %q -> %q: want the same word", c.l.Code, c.text, got, c.want, want)
			}
		}
		toks := Tokens(c.l.WordAnalyzer, c.text)
		if len(toks) != 1 || toks[0].Start != 0 || toks[0].End != len(c.text) {
			t.Errorf("%s: %q: tokens %+v, want one over the whole text", c.l.Code, c.text, toks)
		}
	}
}

// TestTokensOffsets: tokens give byte offsets into the original text,
// whatever the folding did to the term.
func TestTokensOffsets(t *testing.T) {
	text := "ЁЛКИ и ＳＣＯ’s"
	ru, _ := Get("ru")
	for _, tok := range Tokens(ru.ExactAnalyzer, text) {
		if tok.Start < 0 || tok.End > len(text) || tok.Start >= tok.End {
			t.Fatalf("token %+v out of %q", tok, text)
		}
		if got := ru.ExactKey(text[tok.Start:tok.End]); got != " "+tok.Term+" " {
			t.Errorf("token %+v: the text at its offsets is %q", tok, text[tok.Start:tok.End])
		}
	}
}

// TestForQuery: a word's script decides its languages.
func TestForQuery(t *testing.T) {
	codes := func(ls []Language) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Code)
		}
		return out
	}
	all := codes(All())
	for _, c := range []struct {
		word string
		want []string
	}{
		{"上合组织", []string{"zh"}},
		{"上合組織", []string{"zh"}},
		{"ШОС", []string{"zh", "ru"}},
		{"Шанхайская", []string{"zh", "ru"}},
		{"SCO", all},
		{"2019", all},
		{"Ｇ２０", all},
		{"SCO成员国", []string{"zh"}},
		{"ШОС-SCO", []string{"zh", "ru"}},
		{"上合ШОС", []string{"zh", "ru"}},
		{"：", nil},
		{"", nil},
	} {
		if got := codes(ForQuery(c.word)); !slices.Equal(got, c.want) {
			t.Errorf("ForQuery(%q) = %v, want %v", c.word, got, c.want)
		}
	}
}

// TestRegistry: every language's analyzers are registered with bleve,
// fields are distinct, Of falls back to the first language.
func TestRegistry(t *testing.T) {
	cache := registry.NewCache()
	fields := map[string]bool{}
	for _, l := range All() {
		for _, name := range []string{l.WordAnalyzer, l.QueryAnalyzer, l.ExactAnalyzer} {
			if name == "" {
				continue
			}
			if _, err := cache.AnalyzerNamed(name); err != nil {
				t.Errorf("%s: analyzer %s: %v", l.Code, name, err)
			}
		}
		for _, f := range []string{l.WordField, l.ExactField} {
			if f == "" {
				continue
			}
			if fields[f] {
				t.Errorf("field %s used twice", f)
			}
			fields[f] = true
		}
		if Name(l.Code) == l.Code {
			t.Errorf("%s has no name", l.Code)
		}
	}
	if Of("").Code != All()[0].Code || Of("kk").Code != All()[0].Code || Of("ru").Code != "ru" {
		t.Errorf("Of: %q %q %q", Of("").Code, Of("kk").Code, Of("ru").Code)
	}
	if _, ok := Get("xx"); ok {
		t.Error("Get(xx) found a language")
	}
}
