// Package export turns search hits into what researchers take away: a
// citation of one paragraph (GB/T 7714-2015 or plain Chinese style), and
// the hits of a whole search as CSV (for Excel), JSON Lines, RIS or BibTeX
// (for reference managers).
//
// Collect gathers the hits of a search page by page, up to a cap; Write
// writes them in a Format. Links are made by the caller (Options.Link):
// the package knows nothing of servers or base URLs.
package export

import (
	"strconv"
	"strings"
	"time"

	"github.com/scosearch/scosearch/search"
)

// Ref is what a citation of one paragraph needs.
type Ref struct {
	Title     string // the document's title (its id when it has none)
	Date      string // "2019-06-14", "2019-06", "2019" or ""
	Place     string // or ""
	Paragraph int    // 1-based number in the document
	Text      string // the paragraph, quoted by the citations
	URL       string // its permalink, absolute when a base URL is known
}

// HitRef is the Ref of hit h with link url.
func HitRef(h search.Hit, url string) Ref {
	title := h.Title
	if title == "" {
		title = h.Doc
	}
	return Ref{Title: title, Date: h.Date, Place: h.Place, Paragraph: h.Paragraph, Text: h.Text, URL: url}
}

// Quote is the paragraph in Chinese quotation marks, its whitespace runs
// (line breaks included) made single spaces.
func (r Ref) Quote() string {
	return "“" + strings.Join(strings.Fields(r.Text), " ") + "”"
}

// GBT7714 is the reference to the paragraph in the style of GB/T
// 7714-2015 for an online document ([EB/OL]): title, place and date of
// issue, the paragraph as the cited location, the date of access in
// brackets, the link:
//
//	上海合作组织成员国元首理事会比什凯克宣言[EB/OL]. 比什凯克, 2019-06-14: 第28段[2025-01-15]. https://sco.example.org/docs/2019-bishkek-declaration#p28.
//
// Missing place or date are left out with their punctuation.
func (r Ref) GBT7714(accessed time.Time) string {
	var b strings.Builder
	b.WriteString(r.Title + "[EB/OL]. ")
	var pub []string
	if r.Place != "" {
		pub = append(pub, r.Place)
	}
	if r.Date != "" {
		pub = append(pub, r.Date)
	}
	if len(pub) > 0 {
		b.WriteString(strings.Join(pub, ", ") + ": ")
	}
	b.WriteString("第" + strconv.Itoa(r.Paragraph) + "段")
	b.WriteString("[" + accessed.Format("2006-01-02") + "]. ")
	if r.URL != "" {
		b.WriteString(r.URL + ".")
	}
	return strings.TrimSpace(b.String())
}

// Plain is the reference in running Chinese prose:
//
//	《上海合作组织成员国元首理事会比什凯克宣言》（2019年6月14日，比什凯克），第28段。https://…#p28（2025年1月15日访问）
func (r Ref) Plain(accessed time.Time) string {
	var b strings.Builder
	b.WriteString("《" + r.Title + "》")
	var meta []string
	if r.Date != "" {
		meta = append(meta, ChineseDate(r.Date))
	}
	if r.Place != "" {
		meta = append(meta, r.Place)
	}
	if len(meta) > 0 {
		b.WriteString("（" + strings.Join(meta, "，") + "）")
	}
	b.WriteString("，第" + strconv.Itoa(r.Paragraph) + "段。")
	if r.URL != "" {
		b.WriteString(r.URL)
	}
	b.WriteString("（" + ChineseDate(accessed.Format("2006-01-02")) + "访问）")
	return b.String()
}

// Citation is what a "复制引用" button copies: the quoted paragraph on
// one line, the reference in the given style (GBT7714 or Plain) on the next.
func (r Ref) Citation(style Style, accessed time.Time) string {
	ref := r.GBT7714(accessed)
	if style == StylePlain {
		ref = r.Plain(accessed)
	}
	return r.Quote() + "\n" + ref
}

// Style is a citation style.
type Style string

// Citation styles.
const (
	StyleGBT7714 Style = "gbt7714"
	StylePlain   Style = "plain"
)

// ChineseDate writes "2019-06-14" as "2019年6月14日" (and "2019-06" as
// "2019年6月"); anything else is returned unchanged.
func ChineseDate(iso string) string {
	parts := strings.Split(iso, "-")
	units := []string{"年", "月", "日"}
	if len(parts) == 0 || len(parts) > 3 || len(parts[0]) != 4 {
		return iso
	}
	var b strings.Builder
	for i, part := range parts {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return iso
		}
		b.WriteString(strconv.Itoa(n) + units[i])
	}
	return b.String()
}
