package corpus

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// trace records what reconstruction removed from the body text, so that the
// fuzz test can account for every letter and digit of the input.
type trace struct {
	dropped  []string // running headers, title lines, page numbers, info lines
	sections []string // section heading lines (their text is in Paragraph.Section)
	overlaps []string // characters removed at a page-break join
	removed  []string // Markdown markup removed (comments, link targets)
}

func (t *trace) drop(s string) {
	if t != nil {
		t.dropped = append(t.dropped, s)
	}
}

func (t *trace) section(s string) {
	if t != nil {
		t.sections = append(t.sections, s)
	}
}

func (t *trace) overlap(s string) {
	if t != nil {
		t.overlaps = append(t.overlaps, s)
	}
}

// cleanLine removes control characters (except tab), bidirectional
// formatting controls and stray byte order marks, turns every run of white
// space (including the ideographic space U+3000) into one ASCII space and
// trims the result.
func cleanLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r), r == '\uFEFF', r == '\u200E', r == '\u200F',
			r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// isWide reports whether r is written without spaces around it: CJK
// ideographs, kana, Hangul, CJK and full-width punctuation.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·'
}

// joinSep is the separator between two pieces a and b of one paragraph:
// none when the text near the join is CJK (Chinese has no spaces between
// words) or after a hyphen, a space otherwise.
func joinSep(a, b string) string {
	if a == "" || b == "" {
		return ""
	}
	last, _ := utf8.DecodeLastRuneInString(a)
	if last == '-' || strings.IndexFunc(lastRunes(a, joinContext), isWide) >= 0 ||
		strings.IndexFunc(firstRunes(b, joinContext), isWide) >= 0 {
		return ""
	}
	return " "
}

// joinContext is how many characters each side of a join decide whether the
// text is Chinese: "共20" + "19年" joins directly, "in 2019" + "the" with a space.
const joinContext = 8

// textBuilder accumulates the pieces of one paragraph in linear time.
type textBuilder struct{ sb strings.Builder }

// join appends a piece of the same block (a wrapped line).
func (t *textBuilder) join(s string) {
	t.sb.WriteString(joinSep(t.sb.String(), s))
	t.sb.WriteString(s)
}

// joinBlock appends the continuation s of the paragraph found after a blank
// line (a page break in a PDF extraction). When the paragraph ends with the
// same 1-3 Han characters that s starts with, the page break duplicated them
// ("开放型世界经济" + "济,不断巩固" = "开放型世界经济,不断巩固"); the copy at
// the start of s is dropped. The longest such overlap wins. Only Han
// characters count: digits and Latin letters repeat legitimately.
func (t *textBuilder) joinBlock(s string, tr *trace) {
	if k := overlap(t.sb.String(), s); k > 0 {
		tr.overlap(s[:k])
		s = s[k:]
	}
	t.join(s)
}

func (t *textBuilder) String() string { return t.sb.String() }
func (t *textBuilder) Len() int       { return t.sb.Len() }
func (t *textBuilder) Reset()         { t.sb = strings.Builder{} }

// terminal is the punctuation that may end a paragraph, half and full width:
// a text block ending with anything else continues in the next block.
const terminal = "。．.！!？?；;：:…”\"’'）)」』】》〉]｝}"

func isTerminated(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r != utf8.RuneError && strings.ContainsRune(terminal, r)
}

// clausePunct marks a line as prose rather than a heading or running header.
const clausePunct = "，,。；;！!？?、"

// maxHeadingRunes bounds the length of headings and running headers.
const maxHeadingRunes = 64

// isShort reports whether s has at most n runes.
func isShort(s string, n int) bool {
	if len(s) <= n {
		return true
	}
	if len(s) > 4*n {
		return false
	}
	return utf8.RuneCountInString(s) <= n
}

// headingLike reports whether s could be a heading or a running header: short,
// with a letter, no clause punctuation and no terminal punctuation at the end.
func headingLike(s string) bool {
	if s == "" || !isShort(s, maxHeadingRunes) || strings.ContainsAny(s, clausePunct) || isTerminated(s) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

const cnDigits = "一二三四五六七八九十百零〇两"

// sectionPatterns recognise numbered section headings of plain text, with
// their level (a heading clears the labels of deeper levels).
var sectionPatterns = []struct {
	re    *regexp.Regexp
	level int
}{
	{regexp.MustCompile(`^第[` + cnDigits + `0-9０-９]{1,5}(编|部分|篇|部)($|\s|[：:])`), 1},
	{regexp.MustCompile(`^第[` + cnDigits + `0-9０-９]{1,5}章($|\s|[：:])`), 2},
	{regexp.MustCompile(`^第[` + cnDigits + `0-9０-９]{1,5}节($|\s|[：:])`), 3},
	{regexp.MustCompile(`^[一二三四五六七八九十]{1,3}$`), 4},
	{regexp.MustCompile(`^[一二三四五六七八九十]{1,3}\s?[、．.]`), 4},
	{regexp.MustCompile(`^[IVXLC]{1,6}\.?$`), 4},
	{regexp.MustCompile(`^[（(][一二三四五六七八九十]{1,3}[)）]`), 5},
}

// maxSectionRunes bounds the length of a section heading line.
const maxSectionRunes = 40

// sectionLevel returns the level of a section heading line, or 0.
func sectionLevel(s string) int {
	if s == "" || !isShort(s, maxSectionRunes) || strings.ContainsAny(s, "，,。；;！!？?") {
		return 0
	}
	for _, p := range sectionPatterns {
		if p.re.MatchString(s) {
			return p.level
		}
	}
	return 0
}

// pageNumberRE matches page-number lines: "3", "- 3 -", "—3—", "第3页",
// "第 3 页 共 10 页", "3/10", "Page 3 of 10".
var pageNumberRE = regexp.MustCompile(`^(?:[-–—－]?\s*\d{1,4}\s*[-–—－]?|\d{1,3}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|(?i:page)\s+\d{1,4}(?:\s+of\s+\d{1,4})?)$`)

func isPageNumber(s string) bool {
	return isShort(s, 24) && pageNumberRE.MatchString(s)
}

// normKey is the form in which lines are compared to the title: no spaces,
// full-width ASCII folded to half width, lower case.
func normKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// maxOverlap is the longest duplicated text removed at a page-break join.
const maxOverlap = 3

// overlap returns the length in bytes of the longest run of 1 to maxOverlap
// Han characters that ends a and starts b, or 0.
func overlap(a, b string) int {
	ar, br := []rune(lastRunes(a, maxOverlap)), []rune(firstRunes(b, maxOverlap))
	for k := min(len(ar), len(br)); k >= 1; k-- {
		tail, head := ar[len(ar)-k:], br[:k]
		same := true
		for i := range k {
			if tail[i] != head[i] || !unicode.Is(unicode.Han, tail[i]) {
				same = false
				break
			}
		}
		if same {
			return len(string(head))
		}
	}
	return 0
}

func lastRunes(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

func firstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// textBlocks splits body into blocks of cleaned, joined lines. Blocks are
// separated by blank lines; a body without any blank line between two text
// lines has one block per line (files that write one paragraph per line).
func textBlocks(body string) []string {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = cleanLine(l)
	}
	perLine := true
	seenText, gap := false, false
	for _, l := range lines {
		switch {
		case l == "":
			gap = seenText
		case gap:
			perLine = false
		default:
			seenText = true
		}
		if !perLine {
			break
		}
	}
	var blocks []string
	var cur textBuilder
	for _, l := range lines {
		switch {
		case l == "":
			if cur.Len() > 0 {
				blocks = append(blocks, cur.String())
			}
			cur.Reset()
		case perLine:
			blocks = append(blocks, l)
		default:
			cur.join(l)
		}
	}
	if cur.Len() > 0 {
		blocks = append(blocks, cur.String())
	}
	return blocks
}

// Kinds of plain-text blocks.
const (
	kindText      = iota
	kindSection   // numbered section heading
	kindPage      // page number
	kindCandidate // short line without sentence punctuation: heading or running header
)

// sectionPath keeps the section labels in force by level.
type sectionPath struct{ labels [7]string }

// set records a heading at level (1-6) and clears deeper levels.
func (p *sectionPath) set(level int, label string) {
	level = max(1, min(level, len(p.labels)-1))
	p.labels[level] = label
	for i := level + 1; i < len(p.labels); i++ {
		p.labels[i] = ""
	}
}

// String joins the labels in force with " / ": "第二章 犯罪 / 第一节 犯罪和刑事责任".
func (p *sectionPath) String() string {
	var parts []string
	for _, l := range p.labels {
		if l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " / ")
}

// reconstructText rebuilds the paragraphs of a plain-text body (a PDF
// extraction) and infers its title. See the package documentation for the
// rules. title is the explicit title, or "".
func reconstructText(body, title string, tr *trace) (paras []Paragraph, inferredTitle string) {
	texts := textBlocks(body)
	kinds := make([]int, len(texts))
	levels := make([]int, len(texts))
	for i, t := range texts {
		switch {
		case isPageNumber(t):
			kinds[i] = kindPage
		case sectionLevel(t) > 0:
			kinds[i], levels[i] = kindSection, sectionLevel(t)
		case headingLike(t):
			kinds[i] = kindCandidate
		}
	}

	// Running headers: candidates that interrupt a sentence (the previous
	// text block is unterminated and a text block follows). The first one,
	// and any that occurs twice, are running headers.
	// textAfter[i]: a text block follows block i.
	textAfter := make([]bool, len(texts)+1)
	for i := len(texts) - 1; i >= 0; i-- {
		textAfter[i] = textAfter[i+1] || (i+1 < len(texts) && kinds[i+1] == kindText)
	}
	counts := map[string]int{}
	for i, t := range texts {
		if kinds[i] == kindCandidate {
			counts[normKey(t)]++
		}
	}
	headers := map[string]bool{}
	firstHeader := ""
	prevOpen := false
	for i, t := range texts {
		switch kinds[i] {
		case kindText:
			prevOpen = !isTerminated(t)
		case kindSection:
			prevOpen = false
		case kindCandidate:
			if prevOpen && textAfter[i] {
				k := normKey(t)
				if firstHeader == "" {
					firstHeader = t
					headers[k] = true
				}
				if counts[k] > 1 {
					headers[k] = true
				}
			}
		}
	}

	// The title: explicit, else a heading-like first line followed by more
	// text, else the first running header.
	first := -1
	for i := range texts {
		if kinds[i] != kindPage {
			first = i
			break
		}
	}
	switch {
	case title != "":
	case first >= 0 && kinds[first] == kindCandidate && textAfter[first]:
		title = texts[first]
	default:
		title = firstHeader
	}
	if title != "" {
		headers[normKey(title)] = true
	}

	var sec sectionPath
	var cur textBuilder
	curSection, curOpen := "", false
	flush := func() {
		if cur.Len() > 0 {
			paras = append(paras, Paragraph{N: len(paras) + 1, Section: curSection, Text: cur.String()})
		}
		cur.Reset()
		curOpen = false
	}
	start := func(t string, open bool) {
		flush()
		cur.join(t)
		curSection, curOpen = sec.String(), open
	}
	for i, t := range texts {
		switch {
		case kinds[i] == kindPage:
			tr.drop(t)
		case kinds[i] == kindSection:
			flush()
			tr.section(t)
			sec.set(levels[i], t)
		case kinds[i] == kindCandidate && headers[normKey(t)]:
			tr.drop(t)
		case kinds[i] == kindCandidate && !curOpen:
			start(t, false) // a heading-like line: a paragraph of its own
		case curOpen:
			cur.joinBlock(t, tr)
			curOpen = !isTerminated(cur.String())
		default:
			start(t, !isTerminated(t))
		}
	}
	flush()
	return paras, title
}
