package corpus

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scoDir is the multi-document test corpus: eleven short SCO-style
// declarations and communiqués of 2015-2024, written for the tests (they
// are not the real texts), two in traditional characters, one in Russian
// and one in English (the 2022 declaration's translations). The search package's tests search it across documents.
const scoDir = "../../testdata/sco"

// TestReadDirSCO reads the test corpus and checks every document's
// metadata, from front matter (2015, 2018, 2021, 2023, the Russian and English texts), a
// .meta sidecar (2016, 2022) or inference (2017: title from the heading
// line, date from 年月日, place from 在…举行; 2024: date from the file name),
// and the sections of the one document with numbered sections.
func TestReadDirSCO(t *testing.T) {
	docs, problems, err := ReadDir(scoDir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("problem: %v", p)
	}
	type summary struct {
		ID, Title, Date, Place, Lang, Encoding string
		Paragraphs                             int
	}
	want := []summary{
		{"2015-ufa-declaration", "上海合作组织成员国元首乌法宣言", "2015-07-10", "乌法", "zh", EncodingUTF8, 15},
		{"2016-tashkent-declaration", "上海合作組織成立十五周年塔什干宣言", "2016-06-24", "塔什干", "zh", EncodingUTF8, 12},
		{"2017-astana-declaration", "上海合作组织成员国元首阿斯塔纳宣言", "2017-06-09", "阿斯塔纳", "zh", EncodingUTF8, 14},
		{"2018-qingdao-declaration", "上海合作组织成员国元首理事会青岛宣言", "2018-06-10", "青岛", "zh", EncodingUTF8, 16},
		{"2018-qingdao-press-communique", "上海合作组织成员国元首理事会会议新闻公报", "2018-06-10", "青岛", "zh", EncodingUTF8, 10},
		{"2021-dushanbe-declaration", "上海合作組織二十周年杜尚別宣言", "2021-09-17", "杜尚别", "zh", EncodingUTF8, 14},
		{"2022-samarkand-declaration.en", "Samarkand Declaration of the Council of Heads of State of the SCO Member States", "2022-09-16", "撒马尔罕", "en", EncodingUTF8, 8},
		{"2022-samarkand-declaration.ru", "Самаркандская декларация Совета глав государств-членов ШОС", "2022-09-16", "撒马尔罕", "ru", EncodingUTF8, 7},
		{"2022-samarkand-declaration", "上海合作组织成员国元首理事会撒马尔罕宣言", "2022-09-16", "撒马尔罕", "zh", EncodingUTF8, 20},
		{"2023-new-delhi-declaration", "上海合作组织成员国元首理事会新德里宣言", "2023-07-04", "新德里", "zh", EncodingUTF8, 15},
		{"2024-07-04-astana-declaration", "上海合作组织成员国元首理事会阿斯塔纳宣言", "2024-07-04", "阿斯塔纳", "zh", EncodingUTF8, 14},
	}
	var got []summary
	sections := map[string][]string{}
	for _, d := range docs {
		got = append(got, summary{d.ID, d.Title, d.Date, d.Place, d.Lang, d.Encoding, len(d.Paragraphs)})
		for i, p := range d.Paragraphs {
			if p.N != i+1 {
				t.Errorf("%s: paragraph %d numbered %d", d.ID, i+1, p.N)
			}
			if p.Text == "" {
				t.Errorf("%s-p%d: empty text", d.ID, p.N)
			}
			sections[d.ID] = append(sections[d.ID], p.Section)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	// The Qingdao declaration has numerals on their own lines; the others
	// have no sections (the Samarkand list items （一）贸易便利化； end with
	// sentence punctuation, so they are paragraphs, not headings).
	qingdao := []string{"", "一", "一", "一", "二", "二", "二", "二", "二", "三", "三", "三", "三", "四", "四", "四"}
	for id, secs := range sections {
		w := make([]string, len(secs))
		if id == "2018-qingdao-declaration" {
			w = qingdao
		}
		if diff := cmp.Diff(w, secs); diff != "" {
			t.Errorf("%s: sections (-want +got):\n%s", id, diff)
		}
	}
}
