package corpus

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// declarationPath is the bundled corpus's declaration, never edited.
const declarationPath = "../../testdata/corpus/2019-bishkek-declaration.zh.txt"

func readDeclaration(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(declarationPath)
	if err != nil {
		t.Fatalf("read the bundled declaration: %v", err)
	}
	return data
}

// checkGolden compares got, as indented JSON, with testdata/golden/name.
func checkGolden(t *testing.T, name string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(data)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test -update if the change is intended:\n%s", file, diff)
	}
}

func parseDeclaration(t *testing.T) Document {
	t.Helper()
	doc, err := Parse("2019-bishkek-declaration.zh.txt", readDeclaration(t), nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return doc
}

const declarationTitle = "上海合作组织成员国元首理事会比什凯克宣言"

func TestDeclarationMetadata(t *testing.T) {
	doc := parseDeclaration(t)
	type meta struct{ ID, Title, Date, Place, Lang, Source, Format, Encoding string }
	want := meta{
		ID: "2019-bishkek-declaration", Title: declarationTitle, Date: "2019-06-14",
		Place: "比什凯克", Lang: "zh", Source: "2019-bishkek-declaration.zh.txt",
		Format: "txt", Encoding: EncodingUTF8,
	}
	got := meta{doc.ID, doc.Title, doc.Date, doc.Place, doc.Lang, doc.Source, doc.Format, doc.Encoding}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metadata (-want +got):\n%s", diff)
	}
	if len(doc.Hash) != 64 {
		t.Errorf("Hash = %q, want 64 hex digits", doc.Hash)
	}
}

func TestDeclarationParagraphs(t *testing.T) {
	doc := parseDeclaration(t)
	ps := doc.Paragraphs
	// 83 non-empty lines - 1 running header - 3 section numerals - 3 joins.
	if len(ps) != 76 {
		t.Fatalf("got %d paragraphs, want 76", len(ps))
	}
	for i, p := range ps {
		if p.N != i+1 {
			t.Errorf("paragraph %d has N = %d", i+1, p.N)
		}
		if strings.Contains(p.Text, declarationTitle) {
			t.Errorf("paragraph %d contains the running header: %q", p.N, p.Text)
		}
		if p.Text == "" || p.Text != strings.TrimSpace(p.Text) {
			t.Errorf("paragraph %d is empty or untrimmed: %q", p.N, p.Text)
		}
	}

	tests := []struct {
		name     string
		n        int
		contains string // the text around the join
		prefix   string
		suffix   string
		section  string
	}{
		{name: "first", n: 1, prefix: "上海合作组织(以下称“上合组织”", suffix: "并声明如下:", section: ""},
		{name: "join across running header", n: 26, contains: "应对生物信息安全威胁,支持", prefix: "成员国积极并有针对性地", suffix: "合作的法律基础。", section: ""},
		{name: "last before 三", n: 48, prefix: "成员国认为加强立法机关", suffix: "负责人会晤。", section: ""},
		{name: "first after 三", n: 49, prefix: "成员国强调,应继续完善全球经济治理体系", section: "三"},
		{name: "join dropping duplicated 济", n: 51, contains: "共同构建开放型世界经济,不断巩固以规则为基础的", suffix: "单边保护主义行为。", section: "三"},
		{name: "last before 四", n: 68, prefix: "成员国对咸海持续干涸", section: "三"},
		{name: "first after 四", n: 69, prefix: "成员国认为应利用地区国家", section: "四"},
		{name: "last before 五", n: 71, prefix: "成员国强调,应继续积极推动观察员", section: "四"},
		{name: "join 艺术节", n: 72, contains: "举办国际艺术节和比赛,深化在造型艺术", section: "五"},
		{name: "truncated last", n: 76, prefix: "成员国", suffix: "成员国", section: "五"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ps[tc.n-1]
			if !strings.Contains(p.Text, tc.contains) || !strings.HasPrefix(p.Text, tc.prefix) || !strings.HasSuffix(p.Text, tc.suffix) {
				t.Errorf("paragraph %d = %q\nwant prefix %q, containing %q, suffix %q", tc.n, p.Text, tc.prefix, tc.contains, tc.suffix)
			}
			if p.Section != tc.section {
				t.Errorf("paragraph %d: Section = %q, want %q", tc.n, p.Section, tc.section)
			}
		})
	}
	if got := ps[75].Text; got != "成员国" {
		t.Errorf("last paragraph = %q, want the truncated %q", got, "成员国")
	}
	if strings.Contains(ps[50].Text, "经济济") {
		t.Errorf("the duplicated 济 was kept: %q", ps[50].Text)
	}
	var sections []string
	for _, p := range ps {
		if len(sections) == 0 || sections[len(sections)-1] != p.Section {
			sections = append(sections, p.Section)
		}
	}
	if diff := cmp.Diff([]string{"", "三", "四", "五"}, sections); diff != "" {
		t.Errorf("section sequence (-want +got):\n%s", diff)
	}
}

// TestDeclarationGolden pins the whole reconstruction.
func TestDeclarationGolden(t *testing.T) {
	checkGolden(t, "2019-bishkek-declaration.json", parseDeclaration(t))
}

// TestDeclarationTrace checks that exactly the header and the numerals
// were removed, and exactly one duplicated character.
func TestDeclarationTrace(t *testing.T) {
	var tr trace
	if _, err := parse("2019-bishkek-declaration.zh.txt", readDeclaration(t), nil, &tr); err != nil {
		t.Fatal(err)
	}
	want := trace{
		dropped:  []string{declarationTitle},
		sections: []string{"三", "四", "五"},
		overlaps: []string{"济"},
		removed:  []string{""},
	}
	if diff := cmp.Diff(want, tr, cmp.AllowUnexported(trace{})); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

func TestReconstructText(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		title string // explicit title
		want  []Paragraph
		wantT string
	}{
		{
			name: "title first line, full-width punctuation, page number",
			body: "比什凯克宣言\n\n成员国认为，合作十分重要。\n\n成员国强调，应继续\n\n- 2 -\n\n比什凯克宣言\n\n深化合作。",
			want: []Paragraph{
				{N: 1, Text: "成员国认为，合作十分重要。"},
				{N: 2, Text: "成员国强调，应继续深化合作。"},
			},
			wantT: "比什凯克宣言",
		},
		{
			name: "half-width punctuation ends paragraphs too",
			body: "第一段结束.\n\n第二段结束;\n\n第三段:\n\n第四段!",
			want: []Paragraph{
				{N: 1, Text: "第一段结束."}, {N: 2, Text: "第二段结束;"}, {N: 3, Text: "第三段:"}, {N: 4, Text: "第四段!"},
			},
		},
		{
			name:  "explicit title: running header still dropped",
			title: "宣言",
			body:  "甲乙丙丁戊己庚辛壬癸。\n\n成员国支持在上述领域开展合作，支持\n\n页眉文字\n\n合作。",
			want:  []Paragraph{{N: 1, Text: "甲乙丙丁戊己庚辛壬癸。"}, {N: 2, Text: "成员国支持在上述领域开展合作，支持合作。"}},
			wantT: "宣言",
		},
		{
			name: "section styles and levels",
			body: "第一章 总则\n\n第一节 目的\n\n第一段。\n\n（一）\n\n第二段。\n\n第二章 合作\n\n第三段。\n\n一、经济\n\n第四段。",
			want: []Paragraph{
				{N: 1, Section: "第一章 总则 / 第一节 目的", Text: "第一段。"},
				{N: 2, Section: "第一章 总则 / 第一节 目的 / （一）", Text: "第二段。"},
				{N: 3, Section: "第二章 合作", Text: "第三段。"},
				{N: 4, Section: "第二章 合作 / 一、经济", Text: "第四段。"},
			},
		},
		{
			name: "a long numbered item is a paragraph, not a heading",
			body: "一、将刑法第一百五十一条修改为：“走私。”\n\n二、本修正案自公布之日起施行。",
			want: []Paragraph{
				{N: 1, Text: "一、将刑法第一百五十一条修改为：“走私。”"},
				{N: 2, Text: "二、本修正案自公布之日起施行。"},
			},
		},
		{
			name: "lines of a block are joined, Latin with a space",
			body: "The member states\nagreed to cooperate.\n\n成员国\n认为。",
			want: []Paragraph{{N: 1, Text: "The member states agreed to cooperate."}, {N: 2, Text: "成员国认为。"}},
		},
		{
			name: "no blank lines: one paragraph per line",
			body: "第一段。\r\n第二段。\r\n第三段",
			want: []Paragraph{{N: 1, Text: "第一段。"}, {N: 2, Text: "第二段。"}, {N: 3, Text: "第三段"}},
		},
		{
			name: "overlap only of Han characters, at most three",
			body: "成员国认为，共2019\n\n9年。\n\n上合组织\n\n上合组织宣言。",
			want: []Paragraph{{N: 1, Text: "成员国认为，共20199年。"}, {N: 2, Text: "上合组织"}, {N: 3, Text: "上合组织宣言。"}},
			// 上合组织 at a paragraph boundary is a heading-like paragraph of its own: never joined.
		},
		{
			name: "overlap of two characters",
			body: "成员国认为，应支持经济\n\n经济合作。",
			want: []Paragraph{{N: 1, Text: "成员国认为，应支持经济合作。"}},
		},
		{
			name:  "a header repeated at paragraph boundaries is dropped everywhere",
			body:  "成员国认为，甲。\n\n页眉\n\n成员国认为，乙\n\n页眉\n\n丙。\n\n页眉\n\n成员国认为，丁。",
			want:  []Paragraph{{N: 1, Text: "成员国认为，甲。"}, {N: 2, Text: "成员国认为，乙丙。"}, {N: 3, Text: "成员国认为，丁。"}},
			wantT: "页眉",
		},
		{
			name: "a short fragment before a single running header is not joined (known limit)",
			body: "成员国认为，甲。\n\n成员国支持\n\n页眉文字\n\n合作。",
			want: []Paragraph{{N: 1, Text: "成员国认为，甲。"}, {N: 2, Text: "成员国支持"}, {N: 3, Text: "页眉文字"}, {N: 4, Text: "合作。"}},
		},
		{
			name: "control and bidi characters removed, spaces collapsed",
			body: "成员国\u202e认为\x01，\u3000\u3000合作  重要。",
			want: []Paragraph{{N: 1, Text: "成员国认为， 合作 重要。"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, title := reconstructText(normalizeNewlines(tc.body), tc.title, nil)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("paragraphs (-want +got):\n%s", diff)
			}
			if title != tc.wantT {
				t.Errorf("title = %q, want %q", title, tc.wantT)
			}
		})
	}
}

func BenchmarkParseDeclaration(b *testing.B) {
	data := readDeclaration(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("2019-bishkek-declaration.zh.txt", data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// hostileTexts are large inputs that would show quadratic behaviour.
var hostileTexts = map[string]func() []byte{
	"50MB single line":            func() []byte { return bytes.Repeat([]byte("成员国认为合作十分重要"), 50<<20/33) },
	"1M short lines in one block": func() []byte { return bytes.Repeat([]byte("甲乙\n"), 1<<20) },
	"1M heading-like blocks":      func() []byte { return bytes.Repeat([]byte("甲乙\n\n"), 1<<20) },
	"1M unterminated blocks":      func() []byte { return bytes.Repeat([]byte("成员国认为，甲乙\n\n"), 1<<20) },
}

func BenchmarkParseHostile(b *testing.B) {
	for name, gen := range hostileTexts {
		data := gen()
		for _, source := range []string{"x.txt", "x.md"} {
			b.Run(name+"/"+source, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, err := Parse(source, data, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
