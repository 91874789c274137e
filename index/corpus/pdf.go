package corpus

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/responses"
	"github.com/klippa-app/go-pdfium/webassembly"
)

// EncodingPDF is Document.Encoding of a PDF file: its text comes from the
// fonts' Unicode maps.
const EncodingPDF = "pdf"

// pdfInstanceWait bounds the wait for the PDF engine.
const pdfInstanceWait = 2 * time.Minute

// pdfEngine is PDFium compiled to WebAssembly, run by wazero (pure Go, no
// cgo). Compiling the module takes seconds, so it is started only when the
// first PDF is read, once per process; its one instance serialises the
// PDFs read concurrently.
var pdfEngine = sync.OnceValues(func() (pdfium.Pool, error) {
	return webassembly.Init(webassembly.Config{MinIdle: 1, MaxIdle: 1, MaxTotal: 1})
})

// pdfChar is a character on a page, in points from the bottom left.
type pdfChar struct {
	r                        rune
	left, right, top, bottom float64
}

// pdfLine is a line of text on a page.
type pdfLine struct {
	text                     string
	left, right, top, bottom float64
}

func (l pdfLine) height() float64 { return l.top - l.bottom }

// pdfPages reads the lines of each page of a PDF and its Info dictionary.
// Nothing in the PDF can make it panic: a panic of the engine is a
// problem of the file.
func pdfPages(data []byte) (ex extracted, pages [][]pdfLine, err error) {
	defer func() {
		if p := recover(); p != nil {
			ex, pages, err = extracted{}, nil, fmt.Errorf("%w: PDF: the reader failed: %v", ErrFormat, p)
		}
	}()
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
	defer inst.Close()

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
		st, err := inst.GetPageTextStructured(&requests.GetPageTextStructured{
			Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}},
			Mode: requests.GetPageTextStructuredModeChars,
		})
		if err != nil {
			return extracted{}, nil, fmt.Errorf("%w: PDF page %d: %v", ErrFormat, i+1, err)
		}
		lines := pdfLines(st.Chars)
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

// readPDF extracts the text of a PDF as plain text: one block (separated by
// blank lines) per paragraph, running headers, footers and page numbers
// removed, a paragraph broken by a page rejoined. The Info dictionary gives
// Title (else the running header) and, as Created, the creation date.
func readPDF(data []byte) (extracted, string, error) {
	ex, pages, err := pdfPages(data)
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

// pdfLines groups a page's characters into lines: a character whose
// vertical middle lies outside the current line, or that moves back left,
// starts a new line. A gap wider than a third of the line height between
// two non-CJK characters is a space.
func pdfLines(chars []*responses.GetPageTextStructuredChar) []pdfLine {
	var lines []pdfLine
	var cur pdfLine
	var sb strings.Builder
	have := false
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
		have = false
	}
	for _, c := range chars {
		if c == nil || c.Text == "" {
			continue
		}
		p := c.PointPosition
		r := []rune(c.Text)[0]
		if unicode.IsSpace(r) || unicode.IsControl(r) || p.Top-p.Bottom <= 0 {
			if have && r == ' ' {
				sb.WriteByte(' ')
			}
			continue
		}
		ch := pdfChar{r: r, left: p.Left, right: p.Right, top: p.Top, bottom: p.Bottom}
		mid := (ch.top + ch.bottom) / 2
		h := max(cur.height(), ch.top-ch.bottom)
		if have && (mid > cur.top || mid < cur.bottom || ch.left < lastRight-h) {
			flush()
		}
		if !have {
			cur = pdfLine{left: ch.left, right: ch.right, top: ch.top, bottom: ch.bottom}
			have = true
		} else {
			if ch.left-lastRight > h/3 && !isWide(r) && !isWide(lastRune) {
				sb.WriteByte(' ')
			}
			cur.left, cur.right = min(cur.left, ch.left), max(cur.right, ch.right)
			cur.top, cur.bottom = max(cur.top, ch.top), min(cur.bottom, ch.bottom)
		}
		sb.WriteString(c.Text)
		lastRight, lastRune = ch.right, r
	}
	flush()
	return lines
}

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
// dropped. A line starts a paragraph when it is indented from the body's
// left edge, when the line before it ends short of the right edge, after a
// wider gap than the usual line spacing, or when the text size changes. A
// page's first line that is not indented continues the last paragraph of
// the page before when that paragraph is not terminated.
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

	// The body's geometry: its left edge, its
	// right edge and the usual line pitch and height.
	var lefts, rights, pitches, heights []float64
	for _, lines := range kept {
		for i, l := range lines {
			lefts = append(lefts, math.Round(l.left))
			rights = append(rights, l.right)
			heights = append(heights, l.height())
			if i > 0 && lines[i-1].top > l.top {
				pitches = append(pitches, lines[i-1].top-l.top)
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

	var b strings.Builder
	var cur textBuilder
	flush := func() {
		if cur.Len() > 0 {
			b.WriteString(cur.String())
			b.WriteString("\n\n")
		}
		cur.Reset()
	}
	for _, lines := range kept {
		for i, l := range lines {
			indented := l.left > left+0.8*height
			start := indented
			if i == 0 {
				start = start || isTerminated(cur.String())
			} else {
				prev := lines[i-1]
				gap := prev.top - l.top
				switch {
				case prev.right < right-1.5*height:
					start = true
				case pitch > 0 && (gap > 1.4*pitch || gap < 0):
					start = true
				case math.Abs(l.height()-prev.height()) > 0.2*max(height, prev.height()):
					start = true
				}
			}
			if start {
				flush()
			}
			cur.join(l.text)
		}
	}
	flush()
	return b.String(), header
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
