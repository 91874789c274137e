package corpus

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseMetadata(t *testing.T) {
	type meta struct{ ID, Title, Date, Place, Lang, Format, TranslationOf string }
	tests := []struct {
		name    string
		source  string
		data    string
		sidecar string
		want    meta
	}{
		{
			name:   "front matter in a txt file wins over inference",
			source: "2019-bishkek-declaration.zh.txt",
			data:   "---\ntitle: \"比什凯克宣言\"\ndate: 2019-06-14\nplace: 比什凯克\nbookHidden: true\n---\n成员国领导人于2018年6月10日在青岛举行会议。",
			want:   meta{ID: "2019-bishkek-declaration", Title: "比什凯克宣言", Date: "2019-06-14", Place: "比什凯克", Lang: "zh", Format: "txt"},
		},
		{
			name:    "sidecar wins over front matter",
			source:  "docs/x.txt",
			data:    "---\ntitle: 甲\ndate: 2019-06-14\n---\n正文。",
			sidecar: "# comment\ntitle: 乙\ndate: 2020年1月2日\nid: custom/id\nlang: RU\nunknown: ignored\n",
			want:    meta{ID: "custom/id", Title: "乙", Date: "2020-01-02", Lang: "ru", Format: "txt"},
		},
		{
			name:   "inferred: date from the text, place from the first paragraph",
			source: "a/b.txt",
			data:   "成员国领导人于二〇一八年六月十日在青岛举行会议。\n\n2019年1月1日。",
			want:   meta{ID: "a/b", Title: "b", Date: "2018-06-10", Place: "青岛", Lang: "zh", Format: "txt"},
		},
		{
			name:   "date from the file name, no place in a framework",
			source: "2019-06-14-statement.txt",
			data:   "成员国在上合组织框架内举行会议。",
			want:   meta{ID: "2019-06-14-statement", Title: "2019-06-14-statement", Date: "2019-06-14", Lang: "zh", Format: "txt"},
		},
		{
			name:   "impossible dates are skipped",
			source: "x.txt",
			data:   "2019年2月30日与2019年13月1日之后，2019年3月1日。",
			want:   meta{ID: "x", Title: "x", Date: "2019-03-01", Lang: "zh", Format: "txt"},
		},
		{
			name:   "Russian by script",
			source: "ru/declaration.txt",
			data:   "Бишкекская декларация\n\nГосударства-члены ШОС заявляют следующее.",
			want:   meta{ID: "ru/declaration", Title: "Бишкекская декларация", Lang: "ru", Format: "txt"},
		},
		{
			name:   "English by suffix, Markdown",
			source: "en/declaration.en.md",
			data:   "# Bishkek Declaration\n\nThe member states declare the following.",
			want:   meta{ID: "en/declaration.en", Title: "Bishkek Declaration", Lang: "en", Format: "md"},
		},
		{
			name:   "English by script",
			source: "statement.txt",
			data:   "The member states declare the following.",
			want:   meta{ID: "statement", Title: "statement", Lang: "en", Format: "txt"},
		},
		{
			name:   "an unknown suffix stays in the id",
			source: "report.v2.txt",
			data:   "正文。",
			want:   meta{ID: "report.v2", Title: "report.v2", Lang: "zh", Format: "txt"},
		},
		{
			name:   "translation_of in front matter links a file of another name",
			source: "ru/bishkek.txt",
			data:   "---\ntranslation_of: 2019-bishkek-declaration\n---\nГосударства-члены ШОС заявляют следующее.",
			want:   meta{ID: "ru/bishkek", Title: "bishkek", Lang: "ru", Format: "txt", TranslationOf: "2019-bishkek-declaration"},
		},
		{
			name:    "translation_of in the sidecar wins",
			source:  "en/bishkek.txt",
			data:    "---\ntranslation_of: other\n---\nThe member states declare the following.",
			sidecar: "Translation-Of: \"2019-bishkek-declaration\"\n",
			want:    meta{ID: "en/bishkek", Title: "bishkek", Lang: "en", Format: "txt", TranslationOf: "2019-bishkek-declaration"},
		},
		{
			name:   "a document is no translation of itself",
			source: "x.en.txt",
			data:   "---\ntranslation_of: x.en\n---\nThe member states declare the following.",
			want:   meta{ID: "x.en", Title: "x.en", Lang: "en", Format: "txt"},
		},
		{
			name:   "Hugo date with a time, unclosed front matter is text",
			source: "h.md",
			data:   "---\ndate: 2021-03-04T10:00:00+08:00\n---\n# 标题\n\n正文。",
			want:   meta{ID: "h", Title: "标题", Date: "2021-03-04", Lang: "zh", Format: "md"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var side []byte
			if tc.sidecar != "" {
				side = []byte(tc.sidecar)
			}
			doc, err := Parse(tc.source, []byte(tc.data), side)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := meta{doc.ID, doc.Title, doc.Date, doc.Place, doc.Lang, doc.Format, doc.TranslationOf}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("metadata (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseMetadataErrors(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		sidecar string
	}{
		{"bad date in front matter", "---\ndate: 14 June 2019\n---\n正文。", ""},
		{"impossible date", "---\ndate: 2019-02-30\n---\n正文。", ""},
		{"bad lang", "---\nlang: chinese!\n---\n正文。", ""},
		{"bad id in sidecar", "正文。", "id: ../escape"},
		{"id with a leading slash", "正文。", "id: /abs"},
		{"binary sidecar", "正文。", "\x00\x01"},
		{"bad translation_of", "---\ntranslation_of: ../x\n---\n正文。", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var side []byte
			if tc.sidecar != "" {
				side = []byte(tc.sidecar)
			}
			_, err := Parse("x.txt", []byte(tc.data), side)
			if !errors.Is(err, ErrMetadata) {
				t.Errorf("Parse error = %v, want ErrMetadata", err)
			}
		})
	}
}

func TestFrontMatterWithoutEnd(t *testing.T) {
	doc, err := Parse("x.txt", []byte("---\ntitle: 甲\n\n正文。"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Without a closing line it is not front matter but text: here a
	// heading-like first line, taken as the title.
	want := Document{
		ID: "x", Title: "---title: 甲", Lang: "zh", Source: "x.txt", Format: "txt", Encoding: EncodingUTF8,
		Paragraphs: []Paragraph{{N: 1, Text: "正文。"}},
	}
	doc.Hash = ""
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}
}

func TestCNNumber(t *testing.T) {
	tests := map[string]int{
		"2019": 2019, "２０１９": 2019, "二〇一九": 2019, "十": 10, "十四": 14, "二十": 20,
		"三十一": 31, "六": 6, "x": -1, "十十": -1, "百": -1,
	}
	for in, want := range tests {
		if got := cnNumber(in); got != want {
			t.Errorf("cnNumber(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestParseBadSource(t *testing.T) {
	for _, source := range []string{"", ".", "/", ".txt", "../.md"} {
		if _, err := Parse(source, []byte("正文。"), nil); !errors.Is(err, ErrMetadata) {
			t.Errorf("Parse(%q) error = %v, want ErrMetadata", source, err)
		}
	}
}
