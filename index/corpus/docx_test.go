package corpus

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
)

// makeDocx writes a Word file: the given body (the inside of <w:body>),
// a style sheet naming the headings the way Chinese Word does (ids "1",
// "2", named "heading 1", "heading 2"; "a3" named "Title"), and
// docProps/core.xml with title and created (either may be "").
func makeDocx(t testing.TB, body, title, created string) []byte {
	t.Helper()
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ` + ns + `><w:body>` + body + `<w:sectPr/></w:body></w:document>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ` + ns + `>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="章节"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
</w:styles>`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
			`<dc:title>` + title + `</dc:title><dc:creator>外交部</dc:creator>` +
			`<dcterms:created xsi:type="dcterms:W3CDTF">` + created + `</dcterms:created></cp:coreProperties>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// para is a w:p of the given style ("" for none) with its text split into
// runs at "|".
func para(style, text string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	if style != "" {
		b.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	}
	for _, run := range strings.Split(text, "|") {
		b.WriteString(`<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">` + run + `</w:t></w:r>`)
	}
	b.WriteString("</w:p>")
	return b.String()
}

// declarationDocx is a short declaration as Word writes it.
func declarationDocx(t testing.TB, title, created string) []byte {
	body := para("a3", "上海合作组织成员国元首理事会|比什凯克宣言") +
		para("", "上海合作组织成员国元首理事会会议于2019年6月13日至14日在比什凯克举行。") +
		para("1", "一、国际形势") +
		para("", "成员国指出，当今世界正经历|百年未有之大变局。") +
		// Tracked changes: the deleted words are not text; a field code is not either.
		`<w:p><w:r><w:t>成员国</w:t></w:r><w:del w:id="1"><w:r><w:delText>不</w:delText></w:r></w:del>` +
		`<w:ins w:id="2"><w:r><w:t>坚定</w:t></w:r></w:ins><w:r><w:t>支持联合国的中心作用</w:t></w:r>` +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE \* MERGEFORMAT</w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>。</w:t></w:r></w:p>` +
		para("2", "（一）安全合作") +
		para("", "成员国将继续|打击“三股势力”。") +
		`<w:p><w:pPr><w:pStyle w:val="a"/></w:pPr></w:p>` + // an empty paragraph
		`<w:tbl><w:tr><w:tc>` + para("", "国家") + `</w:tc><w:tc>` + para("", "签署人") + `</w:tc></w:tr>` +
		`<w:tr><w:tc>` + para("", "中华人民共和国") + `</w:tc><w:tc>` + para("", "习近平") + para("", "国家主席") + `</w:tc></w:tr></w:tbl>` +
		para("a5", "二、经济合作") + // a custom style with an outline level
		`<w:p><w:r><w:t>成员国支持</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>“一带一路”倡议。</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>Second line.</w:t></w:r></w:p>` +
		// A text box (a letterhead) and the fallback copy of a drawing are not text.
		`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>` + para("", "秘密★") + `</w:txbxContent></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict>` + para("", "秘密★") + `</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`
	return makeDocx(t, body, title, created)
}

func TestParseDocxGolden(t *testing.T) {
	data := declarationDocx(t, "比什凯克宣言（定稿）", "2019-06-10T08:00:00Z")
	doc, err := Parse("2019-bishkek.zh.docx", data, nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkGolden(t, "docx.json", doc)
	// The date of the text wins over the file's creation date; the title
	// of the properties over the Title paragraph.
	if doc.Date != "2019-06-13" || doc.Title != "比什凯克宣言（定稿）" || doc.Place != "比什凯克" || doc.Format != "docx" {
		t.Errorf("date %q, title %q, place %q, format %q", doc.Date, doc.Title, doc.Place, doc.Format)
	}
}

func TestParseDocxMetadata(t *testing.T) {
	noDate := makeDocx(t, para("a3", "关于合作的说明")+para("", "成员国加强合作。"), "", "2020-03-05T09:10:00Z")
	tests := []struct {
		name, source  string
		data          []byte
		sidecar       string
		title, date   string
		place, lang   string
		firstSection  string
		wantParagraph int
	}{
		{"title paragraph and creation date", "note.docx", noDate, "", "关于合作的说明", "2020-03-05", "", "zh", "", 1},
		{"sidecar wins", "note.docx", noDate, "title: 说明\ndate: 2020年4月1日\nplace: 北京\nlang: zh\n", "说明", "2020-04-01", "北京", "zh", "", 1},
		{"no properties, no title", "2021-01-02-x.docx", makeDocx(t, para("Heading1", "总则")+para("", "正文。"), "", ""), "", "2021-01-02-x", "2021-01-02", "", "zh", "总则", 1},
		{"Word's no-date", "y.docx", makeDocx(t, para("", "正文。"), "", "1601-01-01T00:00:00Z"), "", "y", "", "", "zh", "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var side []byte
			if tc.sidecar != "" {
				side = []byte(tc.sidecar)
			}
			doc, err := Parse(tc.source, tc.data, side)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tc.title || doc.Date != tc.date || doc.Place != tc.place || doc.Lang != tc.lang ||
				len(doc.Paragraphs) != tc.wantParagraph || doc.Paragraphs[0].Section != tc.firstSection {
				t.Errorf("got title %q date %q place %q lang %q, %d paragraphs, first section %q; want %q %q %q %q, %d, %q",
					doc.Title, doc.Date, doc.Place, doc.Lang, len(doc.Paragraphs), doc.Paragraphs[0].Section,
					tc.title, tc.date, tc.place, tc.lang, tc.wantParagraph, tc.firstSection)
			}
		})
	}
}

func TestParseDocxBad(t *testing.T) {
	good := declarationDocx(t, "", "")
	var noDocument bytes.Buffer
	zw := zip.NewWriter(&noDocument)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write([]byte("<workbook/>"))
	zw.Close()
	tests := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrEmpty, "empty file"},
		{"not a zip", []byte("{\\rtf1 this is RTF saved as .docx}"), ErrFormat, "not a Word .docx file (not a zip archive"},
		{"truncated", good[:len(good)/2], ErrFormat, "not a Word .docx file"},
		{"a spreadsheet renamed", noDocument.Bytes(), ErrFormat, "without word/document.xml"},
		{"broken XML", makeDocx(t, "<w:p><w:r><w:t>未闭合", "", ""), ErrFormat, "word/document.xml"},
		{"no text", makeDocx(t, para("", "")+"<w:p/>", "", ""), ErrNoParagraphs, "no paragraphs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.docx", tc.data, nil)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Parse: %v, want %v containing %q", err, tc.want, tc.msg)
			}
		})
	}
}

// TestReadDirDocx reads a .docx beside a .txt, with a sidecar.
func TestReadDirDocx(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.zh.docx":      string(declarationDocx(t, "", "")),
		"a.zh.docx.meta": "title: 比什凯克宣言\n",
		"bad.docx":       "not a zip",
		"b.txt":          "正文。",
	})
	docs, problems, err := ReadDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].ID != "a" || docs[0].Title != "比什凯克宣言" || docs[0].Lang != "zh" || len(docs[0].Paragraphs) != 7 {
		t.Errorf("docs: %+v", docs)
	}
	if len(problems) != 1 || problems[0].Path != "bad.docx" || !errors.Is(problems[0].Err, ErrFormat) {
		t.Errorf("problems: %v", problems)
	}
}

func BenchmarkParseDocx(b *testing.B) {
	var body strings.Builder
	for i := range 2000 {
		if i%50 == 0 {
			body.WriteString(para("1", "第"+string(rune('一'+i%9))+"章"))
		}
		body.WriteString(para("", "成员国指出，当今世界正经历|百年未有之大变局，|国际形势复杂多变。"))
	}
	data := makeDocx(b, body.String(), "基准", "2019-06-10T08:00:00Z")
	b.SetBytes(int64(body.Len())) // the uncompressed WordprocessingML
	for b.Loop() {
		if _, err := Parse("bench.docx", data, nil); err != nil {
			b.Fatal(err)
		}
	}
}
