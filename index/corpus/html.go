package corpus

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"
)

// readHTML extracts the article of a web page: its main text found by
// readability (Mozilla's algorithm), so that navigation, side bars, share
// widgets, comments and footers are left out. See the package
// documentation for the metadata.
func readHTML(data []byte) (extracted, error) {
	text, enc, err := decodeHTML(data)
	if err != nil {
		return extracted{}, err
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return extracted{}, fmt.Errorf("%w: web page: %v", ErrFormat, err)
	}
	ex := extracted{Encoding: enc}
	page := pageMeta(doc)

	parser := readability.NewParser()
	parser.MaxElemsToParse = maxHTMLElements
	art, err := parser.ParseDocument(doc, nil)
	if err != nil {
		return extracted{}, fmt.Errorf("%w: web page: %v", ErrFormat, err)
	}
	if art.Node != nil {
		ex.Paragraphs = htmlParagraphs(art.Node, page.heading)
	}

	ex.Title = firstNonEmpty(page.heading, stripSiteSuffix(page.title), cleanLine(art.Title()))
	ex.Date = page.date
	if ex.Date == "" {
		if t, err := art.PublishedTime(); err == nil && t.Year() > 1000 {
			ex.Date = t.Format("2006-01-02")
		}
	}
	// The dateline: 新华社比什凯克6月14日电 gives the place, and the date
	// with the year of a "2019-06-14 20:15" line near the heading.
	first := ""
	if len(ex.Paragraphs) > 0 {
		first = ex.Paragraphs[0].Text
	}
	if m := datelineRE.FindStringSubmatch(first[:min(len(first), 512)]); m != nil && !placeStop.MatchString(m[1]) {
		ex.Place = m[1]
	}
	if ex.Date == "" {
		ex.Date = page.stamp
	}
	return ex, nil
}

// maxHTMLElements bounds the elements of a page readability looks at.
const maxHTMLElements = 200000

// decodeHTML returns the page as UTF-8 and the name of its encoding: the
// one a byte order mark or the page's <meta charset> declares, else the
// one Decode detects (UTF-8, UTF-16, GB18030).
func decodeHTML(data []byte) (string, string, error) {
	if len(data) > 3 && !bytes.HasPrefix(data, bomUTF8) {
		// A declared encoding other than UTF-8; windows-1252 is also what
		// DetermineEncoding guesses when nothing is declared, and a Chinese
		// page undeclared is far more likely GB18030: Decode decides.
		if e, name, _ := charset.DetermineEncoding(data[:min(len(data), 1024)], "text/html"); name != "utf-8" && name != "windows-1252" && !strings.HasPrefix(name, "utf-16") {
			out, _, err := transform.Bytes(e.NewDecoder(), data)
			if err != nil {
				return "", "", fmt.Errorf("%w: web page declared as %s: %v", ErrEncoding, name, err)
			}
			if !utf8.Valid(out) {
				return "", "", fmt.Errorf("%w: web page declared as %s", ErrEncoding, name)
			}
			return string(out), strings.ToUpper(name), nil
		}
	}
	return Decode(data)
}

// pageInfo is what the whole page says about its article.
type pageInfo struct {
	title   string // <title>
	heading string // the article's <h1>
	date    string // from <meta> or <time datetime>
	stamp   string // the first "2019-06-14 20:15" or Chinese date in the page's text
}

// dateMetaNames are the <meta name|property|itemprop> that carry the
// publication date.
var dateMetaNames = map[string]bool{
	"article:published_time": true, "og:published_time": true, "pubdate": true, "publishdate": true,
	"publish_date": true, "publishdate_": true, "date": true, "dc.date": true, "dc.date.issued": true,
	"dcterms.date": true, "datepublished": true, "sailthru.date": true, "parsely-pub-date": true,
}

// stampRE finds a publication stamp in a page's text: 2019-06-14 20:15,
// 2019/06/14, 2019年06月14日 20:15.
var stampRE = regexp.MustCompile(`(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?\s*\d{1,2}:\d{2}`)

// datelineRE finds the place of a news dateline: 新华社比什凯克6月14日电,
// 中新社北京6月14日电, 本报莫斯科6月14日讯.
var datelineRE = regexp.MustCompile(`(?:新华社|中新社|中新网|人民网|新华网|央视网|国际在线|本报|塔斯社)(?:记者)?(\p{Han}{2,8}?)(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})月(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})日(?:电|讯)`)

// pageMeta reads the title, the first <h1>, the date of the <meta> and
// <time> elements and the first date stamp of the page's text.
func pageMeta(doc *html.Node) pageInfo {
	var p pageInfo
	var visible strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return
			case atom.Title:
				if p.title == "" {
					p.title = cleanLine(nodeText(n))
				}
				return
			case atom.H1:
				if p.heading == "" {
					p.heading = cleanLine(nodeText(n))
				}
			case atom.Meta:
				key := strings.ToLower(firstNonEmpty(htmlAttr(n, "property"), htmlAttr(n, "name"), htmlAttr(n, "itemprop")))
				if p.date == "" && dateMetaNames[key] {
					p.date = parseHTMLDate(htmlAttr(n, "content"))
				}
			case atom.Time:
				if p.date == "" {
					p.date = parseHTMLDate(htmlAttr(n, "datetime"))
				}
			}
		}
		if n.Type == html.TextNode && visible.Len() < 64<<10 {
			visible.WriteString(n.Data)
			visible.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if m := stampRE.FindStringSubmatch(visible.String()); m != nil {
		if d, ok := isoDate(m[1], m[2], m[3]); ok {
			p.stamp = d
		}
	}
	if p.stamp == "" {
		p.stamp = firstChineseDate(visible.String())
	}
	return p
}

// parseHTMLDate reads a date attribute: 2019-06-14, 2019-06-14T20:15:00+08:00,
// 2019/06/14, 2019年6月14日.
func parseHTMLDate(v string) string {
	v = strings.TrimSpace(strings.ReplaceAll(v, "/", "-"))
	if m := isoDateRE.FindStringSubmatch(v); m != nil {
		if d, ok := isoDate(m[1], m[2], m[3]); ok {
			return d
		}
	}
	return firstChineseDate(v)
}

// titleSepRE splits a <title> into the article's title and the site's name:
// 标题_新华网, 标题 - 中华人民共和国外交部, 标题--国际--人民网, Title | Site.
var titleSepRE = regexp.MustCompile(`\s*(?:_|\||｜|--|——|—|–|\s-\s)\s*`)

// stripSiteSuffix returns the longest part of a <title> split at its
// separators: the article's title without the site's name.
func stripSiteSuffix(title string) string {
	best := ""
	for _, part := range titleSepRE.Split(title, -1) {
		if utf8.RuneCountInString(part) > utf8.RuneCountInString(best) {
			best = part
		}
	}
	return strings.TrimSpace(best)
}

// htmlBlocks are the elements that end a paragraph.
var htmlBlocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Li: true,
	atom.Blockquote: true, atom.Pre: true, atom.Dd: true, atom.Dt: true, atom.Figcaption: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Table: true, atom.Tbody: true, atom.Thead: true,
	atom.Center: true, atom.Address: true, atom.Main: true, atom.Header: true, atom.Footer: true,
	atom.Hr: true, atom.Br: true, atom.Form: true,
}

// htmlParagraphs turns the article's content into paragraphs: every block
// element ends one, each table row is one ("a | b"), <h2>..<h6> set the
// section and an <h1> (or a heading repeating the title) is dropped.
func htmlParagraphs(root *html.Node, title string) []Paragraph {
	var (
		paras []Paragraph
		sec   sectionPath
		cur   strings.Builder
	)
	flush := func() {
		if t := cleanLine(cur.String()); t != "" {
			paras = append(paras, Paragraph{N: len(paras) + 1, Section: sec.String(), Text: t})
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			return
		}
		switch a := n.DataAtom; {
		case a == atom.Script || a == atom.Style || a == atom.Noscript || a == atom.Template ||
			a == atom.Button || a == atom.Select || a == atom.Textarea || a == atom.Svg || a == atom.Iframe:
			return
		case a == atom.H1 || a == atom.H2 || a == atom.H3 || a == atom.H4 || a == atom.H5 || a == atom.H6:
			flush()
			t := cleanLine(nodeText(n))
			if t != "" && t != title && a != atom.H1 {
				sec.set(int(n.Data[1]-'0')-1, t)
			}
			return
		case a == atom.Tr:
			flush()
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
					cells = append(cells, cleanLine(nodeText(c)))
				}
			}
			if row := strings.Join(cells, " | "); strings.Trim(row, " |") != "" {
				paras = append(paras, Paragraph{N: len(paras) + 1, Section: sec.String(), Text: row})
			}
			return
		case htmlBlocks[a]:
			flush()
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			flush()
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	flush()
	return paras
}

// nodeText is the text of n and its descendants, without scripts and styles.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Br {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// htmlAttr returns the value of the attribute key of n, or "".
func htmlAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}
