package corpus

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMarkdownFixtures reads testdata/md, shaped like the laws corpus.
func TestMarkdownFixtures(t *testing.T) {
	docs, problems, err := ReadDir("testdata/md", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Path != "刑法/_index.md" || !errors.Is(problems[0].Err, ErrNoParagraphs) {
		t.Errorf("problems = %v, want only 刑法/_index.md: no paragraphs", problems)
	}
	checkGolden(t, "md.json", docs)

	type summary struct {
		ID, Title, Date, Lang, Format string
		Info                          []string
		Paragraphs                    int
	}
	want := []summary{
		{
			ID: "刑法/刑法修正案（七）", Title: "中华人民共和国刑法修正案（七）", Date: "2009-02-28", Lang: "zh", Format: "md",
			Info: []string{"2009年2月28日 第十一届全国人民代表大会常务委员会第七次会议通过"}, Paragraphs: 4,
		},
		{
			ID: "司法解释/关于执行《刑法》确定罪名的补充规定（二）(2003-08-15)", Title: "最高人民法院、最高人民检察院关于执行《刑法》确定罪名的补充规定（二）",
			Date: "2003-08-15", Lang: "zh", Format: "md", Paragraphs: 5,
		},
		{
			ID: "民法典/总则", Title: "中华人民共和国民法典 总则", Date: "2020-05-28", Lang: "zh", Format: "md",
			Info: []string{"2020年5月28日 第十三届全国人民代表大会第三次会议通过", "2021年1月1日 施行"}, Paragraphs: 4,
		},
	}
	var got []summary
	for _, d := range docs {
		got = append(got, summary{d.ID, d.Title, d.Date, d.Lang, d.Format, d.Info, len(d.Paragraphs)})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	if len(docs) != 3 {
		t.FailNow()
	}

	wantCivil := []Paragraph{
		{N: 1, Section: "第一编 总则 / 第一章 基本规定", Text: "第一条 为了保护民事主体的合法权益，调整民事关系，维护社会和经济秩序，制定本法。"},
		{N: 2, Section: "第一编 总则 / 第一章 基本规定", Text: "第二条 民法调整平等主体的自然人、法人和非法人组织之间的人身关系和财产关系。"},
		{N: 3, Section: "第一编 总则 / 第二章 自然人 / 第一节 民事权利能力和民事行为能力", Text: "第十三条 自然人从出生时起到死亡时止，具有民事权利能力。"},
		{N: 4, Section: "第二编 物权", Text: "第二百零五条 本编调整因物的归属和利用产生的民事关系。"},
	}
	if diff := cmp.Diff(wantCivil, docs[2].Paragraphs); diff != "" {
		t.Errorf("民法典/总则 paragraphs (-want +got):\n%s", diff)
	}
	wantTable := []string{
		"根据《中华人民共和国刑法修正案（四）》的规定，现对刑法罪名作如下补充：",
		"刑法条文 | 罪名",
		"第152条第2款 （《刑法修正案（四）》第2条） | 走私废物罪",
		"第244条之一 | 雇用童工从事危重劳动罪",
		"详见国家法律法规数据库，以公布文本为准。",
	}
	var gotTable []string
	for _, p := range docs[1].Paragraphs {
		gotTable = append(gotTable, p.Text)
	}
	if diff := cmp.Diff(wantTable, gotTable); diff != "" {
		t.Errorf("table paragraphs (-want +got):\n%s", diff)
	}
	// Numbered articles (一、 三、) of an amendment are paragraphs, not sections.
	for _, p := range docs[0].Paragraphs {
		if p.Section != "" {
			t.Errorf("刑法修正案（七） paragraph %d has section %q", p.N, p.Section)
		}
	}
}

func TestReconstructMarkdown(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		want      []Paragraph
		wantTitle string
	}{
		{
			name:      "no info marker: first heading is the title",
			body:      "# Title\n\nFirst line\nsecond line.\n\n## Part\n\n* item one\n* item two\n\n```\ncode\n```\n",
			wantTitle: "Title",
			want: []Paragraph{
				{N: 1, Text: "First line second line."},
				{N: 2, Section: "Part", Text: "item one item two"},
				{N: 3, Section: "Part", Text: "code"},
			},
		},
		{
			name: "multi-line comment removed, unclosed heading marks",
			body: "# 标题 #\n\n甲<!-- a\nb -->乙。\n\n## \n\n丙。",
			want: []Paragraph{
				{N: 1, Text: "甲乙。"}, {N: 2, Text: "丙。"},
			},
			wantTitle: "标题",
		},
		{
			name:      "no title",
			body:      "只有正文。",
			want:      []Paragraph{{N: 1, Text: "只有正文。"}},
			wantTitle: "",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, title, _ := reconstructMarkdown(tc.body, nil)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("paragraphs (-want +got):\n%s", diff)
			}
			if title != tc.wantTitle {
				t.Errorf("title = %q, want %q", title, tc.wantTitle)
			}
		})
	}
}
