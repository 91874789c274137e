package corpus

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"errors"
	"fmt"
	"html"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const chromiumPath = "/usr/bin/chromium"

// printPDF prints an HTML page to PDF with headless Chromium, or skips the
// test when Chromium or a Chinese font is absent. headerFooter keeps Chromium's own running
// header (date, title) and footer (address, "2/5" page number).
func printPDF(t testing.TB, page string, headerFooter bool) []byte {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("no Chromium at %s (apt-get install chromium): the PDF fixture cannot be printed", chromiumPath)
	}
	if !chineseFont() {
		t.Skip("no Chinese font (fc-list :lang=zh is empty; apt-get install fonts-wqy-zenhei): Chromium would print the fixture without CJK glyphs")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "page.html"), filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(in, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + filepath.Join(dir, "profile"),
		"--print-to-pdf=" + out}
	if !headerFooter {
		args = append(args, "--no-pdf-header-footer")
	}
	cmd := exec.CommandContext(ctx, chromiumPath, append(args, "file://"+in)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium --print-to-pdf: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// pdfParagraphs are the paragraphs of the fixture, of 1 to 5 lines and
// one longer than an A5 page.
func pdfParagraphs() []string {
	var ps []string
	clauses := []string{"成员国强调，在国际关系中遵循相互尊重、公平正义、合作共赢的原则", "推动建设新型国际关系",
		"构建人类命运共同体", "维护地区和平与安全", "促进经济贸易合作与人文交流的进一步发展", "加强在联合国框架内的协调",
		"打击恐怖主义、分裂主义和极端主义", "支持阿富汗成为独立、中立、统一的国家", "深化交通运输和能源领域合作"}
	for i := 1; i <= 24; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "第%d段。", i)
		n := 2 + i*5%7 // 2 to 8 clauses: paragraphs of 1 to 5 lines
		if i == 6 {
			n = 80 // longer than a page: it must cross a page break
		}
		for j := range n {
			if j > 0 {
				b.WriteString("，")
			}
			b.WriteString(clauses[(i+j)%len(clauses)])
		}
		b.WriteString("。")
		ps = append(ps, b.String())
	}
	return ps
}

func pdfPage(ps []string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>上海合作组织成员国元首理事会比什凯克宣言</title>
<style>@page{size:A5;margin:22mm 18mm} body{font-size:13pt;line-height:1.6} p{text-indent:2em;margin:0}
h1{font-size:18pt;text-align:center}</style></head><body>
<h1>比什凯克宣言</h1>
<p>2019年6月14日，上海合作组织成员国元首理事会会议在比什凯克举行。</p>
<p>一、政治合作</p>
`)
	for _, p := range ps {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString("</body></html>")
	return b.String()
}

// chineseFont reports whether fontconfig knows a Chinese font. Without
// one Chromium draws fallback glyphs and writes an unfaithful text layer
// (the Unicode of some characters, the first after a change of font, is
// lost: "《比什凯克宣言》" reads "比什凯克宣言》"), and the glyph boxes are
// not those of real CJK text, so the fixtures would test nothing.
var chineseFont = sync.OnceValue(func() bool {
	out, err := exec.Command("fc-list", ":lang=zh").Output()
	return err == nil && len(strings.TrimSpace(string(out))) > 0
})

func TestPDF(t *testing.T) {
	ps := pdfParagraphs()
	data := printPDF(t, pdfPage(ps), true)
	start := time.Now()
	doc, err := Parse("2019-bishkek.zh.pdf", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := time.Since(start)
	start = time.Now()
	if _, err := Parse("again.pdf", data, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d bytes, %d paragraphs: %v the first time (with the engine's start), %v the second",
		len(data), len(doc.Paragraphs), first, time.Since(start))
	if doc.Format != "pdf" || doc.Encoding != EncodingPDF || doc.ID != "2019-bishkek" || doc.Lang != "zh" {
		t.Errorf("format %q, encoding %q, id %q, lang %q", doc.Format, doc.Encoding, doc.ID, doc.Lang)
	}
	if doc.Title != "上海合作组织成员国元首理事会比什凯克宣言" {
		t.Errorf("title %q", doc.Title)
	}
	if doc.Date != "2019-06-14" || doc.Place != "比什凯克" {
		t.Errorf("date %q, place %q", doc.Date, doc.Place)
	}
	// The fixture has a paragraph broken by a page: a page whose first
	// line under the running header starts at the body's left edge.
	_, pages, err := pdfPages(data, PDFTimeLimit)
	if err != nil {
		t.Fatal(err)
	}
	var lefts []float64
	for _, lines := range pages {
		for _, l := range lines {
			lefts = append(lefts, math.Round(l.left))
		}
	}
	left, broken := bodyLeft(lefts), 0
	for _, lines := range pages[1:] {
		// Chromium writes the page's text before its header and footer.
		if len(lines) > 0 && math.Abs(math.Round(lines[0].left)-left) < 1 {
			broken++
		}
	}
	t.Logf("%d pages, %d of them start inside a paragraph", len(pages), broken)
	if len(pages) < 3 || broken == 0 {
		t.Fatalf("%d pages, %d start inside a paragraph: the fixture does not test page breaks", len(pages), broken)
	}
	want := append([]string{"2019年6月14日，上海合作组织成员国元首理事会会议在比什凯克举行。"}, ps...)
	var got []string
	for _, p := range doc.Paragraphs {
		got = append(got, p.Text)
	}
	if !slices.Equal(got, want) {
		t.Errorf("paragraphs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(doc.Paragraphs); n > 3 && doc.Paragraphs[n-1].Section != "一、政治合作" {
		t.Errorf("section of the last paragraph %q, want 一、政治合作", doc.Paragraphs[n-1].Section)
	}
}

// TestPDFRunningHeader: a header repeated at the top of every page by the
// page itself (position: fixed) is dropped; without the Info title it is
// the title.
func TestPDFRunningHeader(t *testing.T) {
	ps := pdfParagraphs()
	page := strings.Replace(pdfPage(ps), "<body>", `<body><div style="position:fixed;top:0;left:0;right:0;text-align:center;font-size:10pt">上海合作组织秘书处文件汇编</div>`, 1)
	page = strings.Replace(page, "<title>上海合作组织成员国元首理事会比什凯克宣言</title>", "", 1)
	page = strings.Replace(page, "@page{size:A5;margin:22mm 18mm}", "@page{size:A5;margin:22mm 18mm} body{padding-top:0}", 1)
	data := printPDF(t, page, false)
	doc, err := Parse("x.pdf", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range doc.Paragraphs {
		if strings.Contains(p.Text, "秘书处文件汇编") {
			t.Errorf("running header left in paragraph %d: %q", p.N, p.Text)
		}
	}
	if doc.Title != "上海合作组织秘书处文件汇编" {
		t.Errorf("title %q, want the running header", doc.Title)
	}
	var got []string
	for _, p := range doc.Paragraphs {
		got = append(got, p.Text)
	}
	if want := append([]string{"2019年6月14日，上海合作组织成员国元首理事会会议在比什凯克举行。"}, ps...); !slices.Equal(got, want) {
		t.Errorf("paragraphs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPDFProblems(t *testing.T) {
	full := printPDF(t, pdfPage(pdfParagraphs()), false)
	noText := printPDF(t, `<!doctype html><html><body><div style="width:300px;height:200px;background:#345"></div>
<svg width="200" height="100"><circle cx="50" cy="50" r="40" fill="red"/></svg></body></html>`, false)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", full[:400], "not a readable PDF"},
		{"garbage", []byte("%PDF-1.7\n" + strings.Repeat("这不是PDF", 100)), "not a readable PDF"},
		{"not a PDF", []byte("<html>hello</html>"), "not a PDF file"},
		{"no text", noText, "no text layer (scanned PDF)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.pdf", tc.data, nil)
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrFormat with %q", err, tc.want)
			}
		})
	}
	if _, err := Parse("x.pdf", nil, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty file: %v", err)
	}
}

func TestPDFReadDir(t *testing.T) {
	if !IsCorpusFile("宣言.pdf") || !IsCorpusFile("X.PDF") {
		t.Fatal("IsCorpusFile rejects .pdf")
	}
	dir := t.TempDir()
	data := printPDF(t, pdfPage(pdfParagraphs()[:3]), false)
	if err := os.WriteFile(filepath.Join(dir, "2019-bishkek.pdf"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.pdf"), data[:300], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "2019-bishkek.pdf.meta"), []byte("title: 比什凯克宣言（正式文本）\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	docs, problems, err := ReadDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].ID != "2019-bishkek" || docs[0].Title != "比什凯克宣言（正式文本）" || len(docs[0].Paragraphs) != 5 {
		t.Errorf("docs %+v", docs)
	}
	if len(problems) != 1 || problems[0].Path != "broken.pdf" || !errors.Is(problems[0].Err, ErrFormat) {
		t.Errorf("problems %v", problems)
	}
}

func TestPDFDate(t *testing.T) {
	for in, want := range map[string]string{
		"D:20190614093000+08'00'": "2019-06-14",
		"20190614":                "2019-06-14",
		"D:2019":                  "",
		"D:20191314":              "",
		"":                        "",
	} {
		if got := pdfDate(in); got != want {
			t.Errorf("pdfDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPDFBody: the page structure alone, on lines as a PDF places them
// (12 pt text, body from x=50, first lines indented by two characters).
func TestPDFBody(t *testing.T) {
	line := func(text string, left, top, right float64) pdfLine {
		return pdfLine{text: text, left: left, right: right, top: top, bottom: top - 12, baseline: top - 10, size: 12}
	}
	const full = 290.0
	pages := [][]pdfLine{{
		line("中华人民共和国外交部文件", 120, 780, 250),
		line("第一条　成员国决定在比什凯克设立常设机构，", 74, 700, full),
		line("其职能由本协定规定。", 50, 682, 170),
		line("第二条　成员国承诺在相互尊重主权的基础上", 74, 664, full),
		line("2", 165, 40, 172),
	}, {
		line("中华人民共和国外交部文件", 120, 780, 250),
		line("开展合作，并定期举行会晤。", 50, 700, 200),
		line("第三条　本协定自签署之日起生效。", 74, 682, 250),
		line("- 3 -", 160, 40, 178),
	}, {
		line("中华人民共和国外交部文件", 120, 780, 250),
		line("第四条　本协定用中文和俄文写成，", 74, 700, full),
		line("两种文本同等作准。", 50, 682, 160),
		line("第4页", 160, 40, 178),
	}}
	body, header := pdfBody(pages)
	want := "第一条　成员国决定在比什凯克设立常设机构，其职能由本协定规定。\n\n" +
		"第二条　成员国承诺在相互尊重主权的基础上开展合作，并定期举行会晤。\n\n" +
		"第三条　本协定自签署之日起生效。\n\n" +
		"第四条　本协定用中文和俄文写成，两种文本同等作准。\n\n"
	if body != want {
		t.Errorf("body:\n%s\nwant:\n%s", body, want)
	}
	if header != "中华人民共和国外交部文件" {
		t.Errorf("running header %q", header)
	}
}

// encryptedPDF writes a one-page PDF encrypted by the standard security
// handler (revision 2, RC4 with a 40-bit key; PDF 1.7, 7.6.3), its page
// saying text in Helvetica. With an empty user password any reader opens
// it (only the owner's permissions are protected, as on many published
// PDFs); with another, the password is required.
func encryptedPDF(user, owner, text string) []byte {
	padding := []byte("\x28\xBF\x4E\x5E\x4E\x75\x8A\x41\x64\x00\x4E\x56\xFF\xFA\x01\x08" +
		"\x2E\x2E\x00\xB6\xD0\x68\x3E\x80\x2F\x0C\xA9\xFE\x64\x53\x69\x7A")
	pad := func(pw string) []byte { return append([]byte(pw), padding...)[:32] }
	rc4 := func(key, data []byte) []byte {
		c, err := rc4.NewCipher(key)
		if err != nil {
			panic(err)
		}
		out := make([]byte, len(data))
		c.XORKeyStream(out, data)
		return out
	}
	id := []byte("scosearch-test-0")
	const perms = -44
	ownerKey := md5.Sum(pad(owner))
	o := rc4(ownerKey[:5], pad(user)) // algorithm 3
	h := md5.New()                    // algorithm 2
	h.Write(pad(user))
	h.Write(o)
	binary.Write(h, binary.LittleEndian, int32(perms))
	h.Write(id)
	key := h.Sum(nil)[:5]
	u := rc4(key, padding) // algorithm 4
	// The content stream is object 4, encrypted with its object key.
	objKey := md5.Sum(append(slices.Clone(key), 4, 0, 0, 0, 0))
	content := rc4(objKey[:10], []byte("BT /F1 18 Tf 72 700 Td ("+text+") Tj ET"))

	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	obj(fmt.Sprintf("<< /Filter /Standard /V 1 /R 2 /O <%x> /U <%x> /P %d >>", o, u, perms))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n",
		len(offsets)+1, id, id, xref)
	return b.Bytes()
}

// TestPDFEncrypted: a PDF that needs a password is a clear problem; one
// encrypted with an empty user password is read like any other.
func TestPDFEncrypted(t *testing.T) {
	_, err := Parse("secret.pdf", encryptedPDF("secret", "owner", "Shanghai Cooperation Organisation."), nil)
	if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "encrypted PDF (a password is required)") {
		t.Errorf("user password: error %v, want ErrFormat with \"encrypted PDF (a password is required)\"", err)
	}
	doc, err := Parse("open.pdf", encryptedPDF("", "owner", "Shanghai Cooperation Organisation."), nil)
	if err != nil {
		t.Fatalf("owner password only: %v", err)
	}
	if len(doc.Paragraphs) != 1 || doc.Paragraphs[0].Text != "Shanghai Cooperation Organisation." {
		t.Errorf("owner password only: paragraphs %+v", doc.Paragraphs)
	}
}

// TestPDFTimeLimit: a PDF read past its time limit is stopped and reported
// as a problem; the engine then reads the next PDF as before.
func TestPDFTimeLimit(t *testing.T) {
	data := encryptedPDF("", "owner", "Shanghai Cooperation Organisation.")
	_, _, err := pdfPages(data, time.Nanosecond)
	if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "reading took longer than 1ns, stopped") {
		t.Errorf("error %v, want ErrFormat with \"reading took longer than 1ns, stopped\"", err)
	}
	_, pages, err := pdfPages(data, PDFTimeLimit)
	if err != nil || len(pages) != 1 || len(pages[0]) != 1 || pages[0][0].text != "Shanghai Cooperation Organisation." {
		t.Errorf("after a stopped PDF: pages %+v, error %v", pages, err)
	}
}

// TestPDFBodyLineEnds: a line ending short of the right edge ends its
// paragraph only when it ends with terminal punctuation or fills less than
// half the width; with first-line indents, without, and with space between
// paragraphs.
func TestPDFBodyLineEnds(t *testing.T) {
	line := func(text string, left, top, right float64) pdfLine {
		return pdfLine{text: text, left: left, right: right, top: top, bottom: top - 12, baseline: top - 10, size: 12}
	}
	const full = 290.0
	for _, tc := range []struct {
		name  string
		pages [][]pdfLine
		want  string
	}{{
		name: "indents",
		pages: [][]pdfLine{{
			// Wrapped early, 2 characters short: "—" may not begin a line.
			line("成员国欢迎2017—2019", 74, 700, full-24),
			line("—2020年合作纲要的落实。", 50, 682, 200),
			line("成员国将继续合作，", 74, 664, full),
			line("深化务实合作：", 50, 646, 150),
			line("加强经贸合作。", 50, 628, 140),
		}},
		want: "成员国欢迎2017—2019—2020年合作纲要的落实。\n\n成员国将继续合作，深化务实合作：\n\n加强经贸合作。\n\n",
	}, {
		name: "no indents",
		pages: [][]pdfLine{{
			line("成员国欢迎上海合作组织睦邻友好合作", 50, 700, full),
			line("纲要的落实，成员国欢迎2017—2019", 50, 682, full-24),
			line("年合作纲要的落实。", 50, 664, 160),
			line("成员国将继续加强合作，深化务实合作。", 50, 646, full),
		}, {
			line("成员国支持阿富汗和平进程。", 50, 700, 200),
		}},
		want: "成员国欢迎上海合作组织睦邻友好合作纲要的落实，成员国欢迎2017—2019年合作纲要的落实。\n\n" +
			"成员国将继续加强合作，深化务实合作。\n\n成员国支持阿富汗和平进程。\n\n",
	}, {
		// Paragraphs set apart by a third of a line; a centred heading
		// whose right edge passes the middle of the line.
		name: "spaced",
		pages: [][]pdfLine{{
			line("成员国欢迎上海合作组织睦邻友好合作", 50, 700, full),
			line("纲要的落实，成员国强调，应继续深化", 50, 682, full),
			line("合作，共同构建开放型世界经济。", 50, 664, full-8),
			line("成员国将继续加强合作，深化务实合作，", 50, 640, full),
			line("推动建设新型国际关系，构建人类命运", 50, 622, full),
			line("共同体。", 50, 604, 98),
			line("三", 164, 580, 176),
			line("成员国支持阿富汗和平进程。", 50, 556, 200),
		}},
		want: "成员国欢迎上海合作组织睦邻友好合作纲要的落实，成员国强调，应继续深化合作，共同构建开放型世界经济。\n\n" +
			"成员国将继续加强合作，深化务实合作，推动建设新型国际关系，构建人类命运共同体。\n\n三\n\n成员国支持阿富汗和平进程。\n\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			if body, _ := pdfBody(tc.pages); body != tc.want {
				t.Errorf("body:\n%s\nwant:\n%s", body, tc.want)
			}
		})
	}
}

// declarationPage is the bundled declaration's paragraphs as a printed
// document: its title, each section label as a centred line, each
// paragraph indented (css may change that). With margins, the page's
// margin boxes hold a running header and a page number ("— 3 —");
// without, Chromium prints its own.
func declarationPage(doc Document, paper string, margins bool, css string) string {
	boxes := ""
	if margins {
		boxes = `@top-center{content:"上海合作组织文件汇编";font-size:9pt} @bottom-center{content:"— " counter(page) " —";font-size:9pt}`
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html><head><meta charset="utf-8"><title>%s</title>
<style>@page{size:%s;margin:25mm 20mm;%s} body{font-size:12pt;line-height:1.5}
p{text-indent:2em;margin:0} p.sec{text-indent:0;text-align:center;margin:0.5em 0}%s</style></head><body>
`, html.EscapeString(doc.Title), paper, boxes, css)
	section := ""
	for _, p := range doc.Paragraphs {
		if p.Section != section {
			section = p.Section
			fmt.Fprintf(&b, "<p class=\"sec\">%s</p>\n", html.EscapeString(section))
		}
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p.Text))
	}
	b.WriteString("</body></html>")
	return b.String()
}

// TestPDFDeclaration: the 76 paragraphs of the bundled declaration printed
// to PDF, several pages with a running header and page numbers, come back
// as the same paragraphs, text and sections exactly, with the same title,
// date and place. Three layouts: A4 with first-line indents and
// Chromium's own header and page-numbered footer; A5 justified, and A5
// without indents but with space between paragraphs, both with the
// page's margin boxes as header and footer. Lines wrap in other places in
// each.
func TestPDFDeclaration(t *testing.T) {
	want := parseDeclaration(t)
	if len(want.Paragraphs) != 76 {
		t.Fatalf("the bundled declaration has %d paragraphs, want 76", len(want.Paragraphs))
	}
	for _, tc := range []struct {
		name, paper string
		margins     bool
		css         string
	}{
		{"A4 indents", "A4", false, ""},
		{"A5 justified", "A5", true, "p{text-align:justify}"},
		{"A5 spaced", "A5", true, "p{text-indent:0;margin:0 0 0.6em 0;text-align:justify}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := printPDF(t, declarationPage(want, tc.paper, tc.margins, tc.css), !tc.margins)
			_, pages, err := pdfPages(data, PDFTimeLimit)
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) < 5 {
				t.Fatalf("%d pages: the fixture does not test page breaks", len(pages))
			}
			doc, err := Parse("2019-bishkek-declaration.zh.pdf", data, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d pages, %d bytes, %d paragraphs", len(pages), len(data), len(doc.Paragraphs))
			if doc.Title != want.Title || doc.Date != want.Date || doc.Place != want.Place {
				t.Errorf("title %q, date %q, place %q; want %q, %q, %q", doc.Title, doc.Date, doc.Place, want.Title, want.Date, want.Place)
			}
			if diff := cmp.Diff(want.Paragraphs, doc.Paragraphs); diff != "" {
				t.Errorf("paragraphs (-want +got):\n%s", diff)
			}
		})
	}
}

// BenchmarkParsePDF: the declaration printed on A5 (15 pages), the engine
// started before the clock.
func BenchmarkParsePDF(b *testing.B) {
	data, err := os.ReadFile(declarationPath)
	if err != nil {
		b.Fatal(err)
	}
	want, err := Parse("2019-bishkek-declaration.zh.txt", data, nil)
	if err != nil {
		b.Fatal(err)
	}
	pdf := printPDF(b, declarationPage(want, "A5", true, ""), false)
	_, pages, err := pdfPages(pdf, PDFTimeLimit)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(pdf)))
	for b.Loop() {
		if _, err := Parse("x.pdf", pdf, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(pages)*b.N)/b.Elapsed().Seconds(), "pages/s")
}
