package corpus

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
)

// EncodingPDF is Document.Encoding of a PDF file: its text comes from the
// fonts' Unicode maps.
const EncodingPDF = "pdf"

// pdfInstanceWait bounds the wait for the PDF engine.
const pdfInstanceWait = 2 * time.Minute

// PDFTimeLimit bounds the reading of one PDF: a PDF whose text takes
// longer to extract (a pathological or hostile file) is abandoned and
// reported as an ErrFormat problem instead of holding up the build.
const PDFTimeLimit = 60 * time.Second

// pdfEngine is PDFium compiled to WebAssembly, run by wazero (pure Go, no
// cgo). Compiling the module takes seconds, so it is started only when the
// first PDF is read, once per process; its one instance serialises the
// PDFs read concurrently.
var pdfEngine = sync.OnceValues(func() (pdfium.Pool, error) {
	return webassembly.Init(webassembly.Config{MinIdle: 1, MaxIdle: 1, MaxTotal: 1})
})

// pdfChar is a character on a page, in points from the bottom left: its
// loose box (the advance width, the font's ascent to descent: a full-width
// "、" or "一" is as tall as "国", unlike its ink), the origin of its
// baseline and its font size.
type pdfChar struct {
	r                        rune
	left, right, top, bottom float64
	baseline, size           float64
}

// pdfLine is a line of text on a page: its extent (the union of its
// characters' loose boxes), the baseline of its first character and its
// largest font size.
type pdfLine struct {
	text                     string
	left, right, top, bottom float64
	baseline, size           float64
}

func (l pdfLine) height() float64 { return l.top - l.bottom }

// pdfPages reads the lines of each page of a PDF and its Info dictionary,
// within limit. Nothing in the PDF can make it panic: a panic of the engine
// is a problem of the file.
//
// Past the limit the PDF is reported at once. A call into the engine
// cannot be interrupted without making every call several times slower
// (wazero's close-on-context-done starts a goroutine per call), and
// killing the instance while a call runs races with it inside wazero (the
// race detector showed it), so the abandoned reading goes on in the
// background until it returns, and then kills its instance (whose state
// is unknown); the pool starts a fresh one, and the next PDF waits for it
// (at most pdfInstanceWait).
func pdfPages(data []byte, limit time.Duration) (extracted, [][]pdfLine, error) {
	if !strings.Contains(string(data[:min(len(data), 1024)]), "%PDF-") {
		return extracted{}, nil, fmt.Errorf("%w: not a PDF file (no %%PDF- header)", ErrFormat)
	}
	pool, err := pdfEngine()
	if err != nil {
		return extracted{}, nil, fmt.Errorf("start the PDF reader: %w", err)
	}
	inst, err := pool.GetInstance(pdfInstanceWait)
	if err != nil {
		return extracted{}, nil, fmt.Errorf("start the PDF reader: %w", err)
	}
	type result struct {
		ex    extracted
		pages [][]pdfLine
		err   error
	}
	// ended is set by whichever comes first: the reading (which then
	// gives the instance back) or the limit (after which the reading,
	// once it returns, kills the instance).
	var ended atomic.Bool
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r = result{err: fmt.Errorf("%w: PDF: the reader failed: %v", ErrFormat, p)}
			}
			if ended.CompareAndSwap(false, true) {
				inst.Close()
			} else {
				inst.Kill() // stopped by the limit: in the call's own goroutine, after it
			}
			done <- r
		}()
		r.ex, r.pages, r.err = pdfRead(inst, data)
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	tooLong := fmt.Errorf("%w: PDF: reading took longer than %v, stopped", ErrFormat, limit)
	select {
	case r := <-done:
		if time.Since(start) > limit {
			return extracted{}, nil, tooLong
		}
		return r.ex, r.pages, r.err
	case <-timer.C:
		if !ended.CompareAndSwap(false, true) {
			<-done // finished just now
		}
		return extracted{}, nil, tooLong
	}
}

// pdfRead reads a PDF with an instance of the engine.
func pdfRead(inst pdfium.Pdfium, data []byte) (ex extracted, pages [][]pdfLine, err error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		if errors.Is(err, pdfiumerrors.ErrPassword) || strings.Contains(strings.ToLower(err.Error()), "password") {
			return extracted{}, nil, fmt.Errorf("%w: encrypted PDF (a password is required)", ErrFormat)
		}
		return extracted{}, nil, fmt.Errorf("%w: not a readable PDF: %v", ErrFormat, err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})

	ex.Encoding = EncodingPDF
	if m, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc.Document, Tag: "Title"}); err == nil {
		ex.Title = cleanLine(m.Value)
	}
	if m, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc.Document, Tag: "CreationDate"}); err == nil {
		ex.Created = pdfDate(m.Value)
	}
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return extracted{}, nil, fmt.Errorf("%w: PDF page count: %v", ErrFormat, err)
	}
	pages = make([][]pdfLine, 0, count.PageCount)
	chars := 0
	for i := range count.PageCount {
		cs, err := pdfPageChars(inst, requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}})
		if err != nil {
			return extracted{}, nil, fmt.Errorf("%w: PDF page %d: %v", ErrFormat, i+1, err)
		}
		lines := pdfLines(cs)
		for _, l := range lines {
			chars += len(l.text)
		}
		pages = append(pages, lines)
	}
	if chars == 0 {
		return extracted{}, nil, fmt.Errorf("%w: no text layer (scanned PDF)", ErrFormat)
	}
	return ex, pages, nil
}

// pdfPageChars returns the characters of a page in the order of its text
// layer, without PDFium's generated line ends.
func pdfPageChars(inst pdfium.Pdfium, page requests.Page) ([]pdfChar, error) {
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: page})
	if err != nil {
		return nil, err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return nil, err
	}
	chars := make([]pdfChar, 0, n.Count)
	for i := range n.Count {
		u, err := inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp.TextPage, Index: i})
		if err != nil {
			return nil, err
		}
		r := rune(u.Unicode)
		if r == 0 || r == '\r' || r == '\n' {
			continue
		}
		c := pdfChar{r: r}
		if box, err := inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp.TextPage, Index: i}); err == nil {
			b := box.Rect
			c.left, c.right = float64(min(b.Left, b.Right)), float64(max(b.Left, b.Right))
			c.top, c.bottom = float64(max(b.Top, b.Bottom)), float64(min(b.Top, b.Bottom))
		}
		if c.top <= c.bottom {
			// No loose box (a font without ascent and descent): the
			// glyph's own box. An error here is a real failure.
			b, err := inst.FPDFText_GetCharBox(&requests.FPDFText_GetCharBox{TextPage: tp.TextPage, Index: i})
			if err != nil {
				return nil, err
			}
			c.left, c.right, c.top, c.bottom = b.Left, b.Right, b.Top, b.Bottom
		}
		c.baseline = c.bottom
		if o, err := inst.FPDFText_GetCharOrigin(&requests.FPDFText_GetCharOrigin{TextPage: tp.TextPage, Index: i}); err == nil {
			c.baseline = o.Y
		}
		if fs, err := inst.FPDFText_GetFontSize(&requests.FPDFText_GetFontSize{TextPage: tp.TextPage, Index: i}); err == nil {
			c.size = fs.FontSize
		}
		chars = append(chars, c)
	}
	return chars, nil
}

// readPDF extracts the text of a PDF as plain text: one block (separated by
// blank lines) per paragraph, running headers, footers and page numbers
// removed, a paragraph broken by a page rejoined. The Info dictionary gives
// Title (else the running header) and, as Created, the creation date.
func readPDF(data []byte) (extracted, string, error) {
	ex, pages, err := pdfPages(data, PDFTimeLimit)
	if err != nil {
		return extracted{}, "", err
	}
	body, header := pdfBody(pages)
	if ex.Title == "" || isFileNameTitle(ex.Title) {
		ex.Title = header
	}
	return ex, body, nil
}

// isFileNameTitle reports whether an Info title is a file name the
// producer put there ("Microsoft Word - 宣言.docx", "untitled.html").
func isFileNameTitle(t string) bool {
	lower := strings.ToLower(t)
	return strings.HasPrefix(lower, "microsoft word - ") || fileNameTitleRE.MatchString(lower)
}

var fileNameTitleRE = regexp.MustCompile(`\.(?:docx?|pdf|html?|txt|rtf|wps|odt)$|^untitled`)

// pdfBaselineTolerance is how far, as a fraction of the line height, a
// character's baseline may lie from its line's: superscripts and mixed
// fonts stay on their line, the next line (a pitch of one line height or
// more) does not.
const pdfBaselineTolerance = 0.35

// pdfLines groups a page's characters into lines by baseline: a character
// whose baseline lies off the current line's, or that moves back left,
// starts a new line. A space character, or a gap wider than a fifth of
// the line height between two non-CJK characters, is a space.
func pdfLines(chars []pdfChar) []pdfLine {
	var lines []pdfLine
	var cur pdfLine
	var sb strings.Builder
	have, space := false, false
	lastRight := 0.0
	var lastRune rune
	flush := func() {
		if have {
			cur.text = cleanLine(sb.String())
			if cur.text != "" {
				lines = append(lines, cur)
			}
		}
		sb.Reset()
		have, space = false, false
	}
	for _, c := range chars {
		if unicode.IsSpace(c.r) {
			space = have
			continue
		}
		if unicode.IsControl(c.r) || c.top-c.bottom <= 0 {
			continue
		}
		h := max(cur.height(), c.top-c.bottom)
		if have && (math.Abs(c.baseline-cur.baseline) > pdfBaselineTolerance*h || c.left < lastRight-h) {
			flush()
		}
		if !have {
			cur = pdfLine{left: c.left, right: c.right, top: c.top, bottom: c.bottom, baseline: c.baseline, size: c.size}
			have = true
		} else {
			if space || (c.left-lastRight > h/5 && !isWide(c.r) && !isWide(lastRune)) {
				sb.WriteByte(' ')
			}
			cur.left, cur.right = min(cur.left, c.left), max(cur.right, c.right)
			cur.top, cur.bottom = max(cur.top, c.top), min(cur.bottom, c.bottom)
			cur.size = max(cur.size, c.size)
		}
		space = false
		sb.WriteRune(c.r)
		lastRight, lastRune = c.right, c.r
	}
	flush()
	return lines
}

// pdfParagraphGap is the distance between two baselines, in usual line
// pitches, beyond which a line starts a paragraph: lines of a paragraph
// follow at the same pitch, and a space of half a line (Word's 段前0.5行)
// or 6 points after 12-point lines set at 1.5 is a paragraph break.
const pdfParagraphGap = 1.25

// pdfEdgeLines is how many lines at the top and at the bottom of a page are
// looked at for running headers, footers and page numbers.
const pdfEdgeLines = 2

// maxEdgeRunes is the longest running header or footer.
const maxEdgeRunes = 80

var digitsRE = regexp.MustCompile(`[0-9０-９]+`)

// pdfBody turns the pages' lines into text blocks separated by blank lines,
// one per paragraph, and returns the first running header (a title
// candidate). A line at the top or bottom of a page that recurs there on
// at least half the pages (digits ignored, two pages at least) is a running
// header or footer, a page-number line there is a page number: both are
// dropped. The remaining lines are read as one flow across pages; a line
// starts a paragraph when
//   - it is indented from the body's left edge (a first-line indent, a
//     centred heading);
//   - the line before it ends short of the right edge and either ends
//     with terminal punctuation or fills less than half the text width (a
//     line that wraps early before a character that may not begin a line,
//     "2019—", continues);
//   - the text size changes;
//   - on the same page, it lies further below the line before than
//     pdfParagraphGap times the usual line pitch, or above it;
//   - in a document without first-line indents, it begins a page and the
//     paragraph before is terminated.
func pdfBody(pages [][]pdfLine) (body, header string) {
	// Running headers and footers.
	// A line is compared by its text without digits and its height on the
	// page (body lines at the top of two pages rarely match both).
	edgeKey := func(l pdfLine) string {
		return fmt.Sprintf("%s@%.0f", digitsRE.ReplaceAllString(normKey(l.text), "#"), math.Round(l.top/4))
	}
	counts := map[string]int{}
	edges := make([][]int, len(pages)) // indexes of each page's edge lines
	for p, lines := range pages {
		idx := edgeIndexes(lines)
		edges[p] = idx
		seen := map[string]bool{}
		for _, i := range idx {
			if !isShort(lines[i].text, maxEdgeRunes) {
				continue
			}
			k := edgeKey(lines[i])
			if !seen[k] {
				seen[k] = true
				counts[k]++
			}
		}
	}
	need := max(2, (len(pages)+1)/2)
	var kept [][]pdfLine
	for p, lines := range pages {
		drop := map[int]bool{}
		for _, i := range edges[p] {
			t := lines[i].text
			switch {
			case isPageNumber(t):
				drop[i] = true
			case len(pages) >= 2 && isShort(t, maxEdgeRunes) && counts[edgeKey(lines[i])] >= need:
				drop[i] = true
				if header == "" && headingLike(t) && !digitsRE.MatchString(t) {
					header = t
				}
			}
		}
		var k []pdfLine
		for i, l := range lines {
			if !drop[i] {
				k = append(k, l)
			}
		}
		kept = append(kept, k)
	}

	// The body's geometry: its left edge, its right edge, the usual line
	// pitch and height.
	var lefts, rights, pitches, heights []float64
	for _, lines := range kept {
		for i, l := range lines {
			lefts = append(lefts, math.Round(l.left))
			rights = append(rights, l.right)
			heights = append(heights, l.height())
			if i > 0 && lines[i-1].baseline > l.baseline {
				pitches = append(pitches, lines[i-1].baseline-l.baseline)
			}
		}
	}
	if len(lefts) == 0 {
		return "", header
	}
	left := bodyLeft(lefts)
	right := percentile(rights, 0.9)
	pitch := percentile(pitches, 0.5)
	height := percentile(heights, 0.5)
	indented := func(l pdfLine) bool { return l.left > left+0.8*height }
	// Indents mark paragraphs when some indented line runs to the right
	// edge: the first line of a paragraph, not a centred heading.
	indents := false
	for _, lines := range kept {
		for _, l := range lines {
			indents = indents || (indented(l) && l.right >= right-0.8*height)
		}
	}

	var b strings.Builder
	var cur textBuilder
	flush := func() {
		if cur.Len() > 0 {
			b.WriteString(cur.String())
			b.WriteString("\n\n")
		}
		cur.Reset()
	}
	var prev pdfLine
	for _, lines := range kept {
		for i, l := range lines {
			start := cur.Len() == 0 || indented(l)
			if !start {
				short := prev.right < right-0.8*height
				start = short && (isTerminated(prev.text) || prev.right-prev.left < 0.5*(right-left))
				start = start || differ(l.size, prev.size, 0.15) || differ(l.height(), prev.height(), 0.25)
				if i > 0 {
					gap := prev.baseline - l.baseline
					start = start || gap < 0 || (pitch > 0 && gap > pdfParagraphGap*pitch)
				} else if !indents {
					start = start || isTerminated(cur.String())
				}
			}
			if start {
				flush()
			}
			cur.join(l.text)
			prev = l
		}
	}
	flush()
	return b.String(), header
}

// differ reports whether two positive sizes differ by more than the
// fraction f of the larger; a zero size (unknown) differs from nothing.
func differ(a, b, f float64) bool {
	if a <= 0 || b <= 0 {
		return false
	}
	return math.Abs(a-b) > f*max(a, b)
}

// edgeIndexes returns the indexes of the top and bottom pdfEdgeLines lines
// of a page by position.
func edgeIndexes(lines []pdfLine) []int {
	order := make([]int, len(lines))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case lines[a].top > lines[b].top:
			return -1
		case lines[a].top < lines[b].top:
			return 1
		}
		return 0
	})
	if len(order) <= 2*pdfEdgeLines {
		return order
	}
	return append(order[:pdfEdgeLines:pdfEdgeLines], order[len(order)-pdfEdgeLines:]...)
}

// bodyLeft returns the left edge of the body text: the smallest line start
// shared by at least a tenth of the lines (two at least). Not the most
// common one: where most paragraphs are one or two lines long, indented
// first lines outnumber the others.
func bodyLeft(v []float64) float64 {
	counts := map[float64]int{}
	for _, x := range v {
		counts[x]++
	}
	need := max(2, len(v)/10)
	best, found := 0.0, false
	for x, n := range counts {
		if n >= need && (!found || x < best) {
			best, found = x, true
		}
	}
	if !found {
		return slices.Min(v)
	}
	return best
}

// percentile returns the q-quantile of v (0 for none).
func percentile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

var pdfDateRE = regexp.MustCompile(`^(?:D:)?(\d{4})(\d{2})?(\d{2})?`)

// pdfDate converts a PDF date ("D:20190614093000+08'00'") to YYYY-MM-DD,
// or "" when it has no valid day.
func pdfDate(s string) string {
	m := pdfDateRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || m[2] == "" || m[3] == "" {
		return ""
	}
	d, ok := isoDate(m[1], m[2], m[3])
	if !ok {
		return ""
	}
	return d
}
