package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/scosearch/scosearch/search"
)

// DefaultMaxHits is the most hits an export holds unless told otherwise:
// enough for any reading list, few enough to gather in seconds.
const DefaultMaxHits = 5000

// MaxHits is the most hits an export can hold: search.MaxFrom plus a page.
const MaxHits = search.MaxFrom + search.MaxSize

// Format is an export format.
type Format string

// Export formats.
const (
	CSV    Format = "csv"    // UTF-8 with BOM, CRLF, for Excel
	JSONL  Format = "jsonl"  // one JSON object per hit and line
	RIS    Format = "ris"    // RIS records (Zotero, EndNote, ...)
	BibTeX Format = "bibtex" // @misc entries
)

// Formats lists the formats in the order they are offered.
func Formats() []Format { return []Format{CSV, JSONL, RIS, BibTeX} }

// ParseFormat returns the Format called name, or an error naming the choices.
func ParseFormat(name string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == name {
			return f, nil
		}
	}
	return "", fmt.Errorf("format %q: want csv, jsonl, ris or bibtex", name)
}

// Ext is the file name extension of f, without the dot.
func (f Format) Ext() string {
	if f == BibTeX {
		return "bib"
	}
	return string(f)
}

// ContentType is the MIME type of f.
func (f Format) ContentType() string {
	switch f {
	case CSV:
		return "text/csv; charset=utf-8"
	case JSONL:
		return "application/jsonl; charset=utf-8"
	case RIS:
		return "application/x-research-info-systems; charset=utf-8"
	case BibTeX:
		return "application/x-bibtex; charset=utf-8"
	}
	return "application/octet-stream"
}

// Searcher runs searches; *search.Engine is one.
type Searcher interface {
	Search(ctx context.Context, req search.Request) (*search.Result, error)
}

// Collection is the hits of one search, gathered page by page.
type Collection struct {
	Query string
	// Total and Complete are those of the search (search.Result); Hits
	// holds at most max of its Total - Collapsed hits.
	Total, Complete, Collapsed uint64
	Hits                       []search.Hit
	// Truncated: the search has more hits than Hits holds.
	Truncated bool
}

// Collect runs req (its Size and From are ignored) page after page of
// search.MaxSize hits and returns its hits, at most max (0 means
// DefaultMaxHits; at most MaxHits). An error of any page is returned
// as is, so errors.Is(err, search.ErrBadQuery) tells a user's mistake.
func Collect(ctx context.Context, s Searcher, req search.Request, max int) (*Collection, error) {
	return collect(ctx, s, req, max, search.MaxSize)
}

// collect is Collect with pages of pageSize hits.
func collect(ctx context.Context, s Searcher, req search.Request, max, pageSize int) (*Collection, error) {
	if max <= 0 {
		max = DefaultMaxHits
	}
	max = min(max, MaxHits)
	c := &Collection{Query: req.Query}
	req.From = 0
	// Bounded: every round adds a full page or stops, and max bounds the pages.
	for len(c.Hits) < max {
		req.Size = min(pageSize, max-len(c.Hits))
		res, err := s.Search(ctx, req)
		if err != nil {
			return nil, err
		}
		if req.From == 0 {
			c.Total, c.Complete, c.Collapsed = res.Total, res.Complete, res.Collapsed
		}
		c.Hits = append(c.Hits, res.Hits...)
		if len(res.Hits) < req.Size {
			return c, nil
		}
		req.From += len(res.Hits)
	}
	shown := c.Total - min(c.Collapsed, c.Total)
	c.Truncated = uint64(len(c.Hits)) < shown
	return c, nil
}

// Options configure Write.
type Options struct {
	// Link returns the permalink of a hit's paragraph; nil leaves links out.
	Link func(h search.Hit) string
	// Accessed is the date of access in the citations; zero means now.
	Accessed time.Time
}

// Record is one hit as exported in JSON Lines: the fields of search.Hit
// (match says "partial" for a partial match, missing what it lacks), its
// link and its GB/T 7714 reference.
type Record struct {
	search.Hit
	URL      string `json:"url"`
	Citation string `json:"citation"`
}

// csvHeader names the CSV columns.
var csvHeader = []string{"rank", "match", "missing", "id", "doc", "title", "date", "place", "lang", "section", "paragraph", "score", "text", "url", "citation"}

// Write writes hits in format f to w.
//
// CSV begins with a UTF-8 byte order mark and ends its lines with CRLF, so
// that Excel opens it as UTF-8; fields holding commas, quotes or line
// breaks are quoted, and a text field that begins with = + - @ gets a
// leading ' so that a spreadsheet shows it instead of running it as a
// formula. JSON Lines holds one Record per line. RIS records are GOVDOC
// (the paragraph quoted in N1, partial matches noted there); BibTeX
// entries are @misc. Partial matches are marked in every format.
func Write(w io.Writer, f Format, hits []search.Hit, opts Options) error {
	if opts.Accessed.IsZero() {
		opts.Accessed = time.Now()
	}
	link := func(h search.Hit) string {
		if opts.Link == nil {
			return ""
		}
		return opts.Link(h)
	}
	bw := bufio.NewWriter(w)
	var err error
	switch f {
	case CSV:
		err = writeCSV(bw, hits, link, opts.Accessed)
	case JSONL:
		err = writeJSONL(bw, hits, link, opts.Accessed)
	case RIS:
		err = writeRIS(bw, hits, link, opts.Accessed)
	case BibTeX:
		err = writeBibTeX(bw, hits, link, opts.Accessed)
	default:
		_, err = ParseFormat(string(f))
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", f, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export %s: %w", f, err)
	}
	return nil
}

func matchOf(h search.Hit) string {
	if h.Match == "" {
		return search.MatchAll
	}
	return h.Match
}

func writeCSV(w *bufio.Writer, hits []search.Hit, link func(search.Hit) string, accessed time.Time) error {
	if _, err := w.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for i, h := range hits {
		u := link(h)
		row := []string{
			strconv.Itoa(i + 1), matchOf(h), cell(strings.Join(h.Missing, " ")), h.ID, cell(h.Doc), cell(h.Title),
			h.Date, cell(h.Place), h.Lang, cell(h.Section), strconv.Itoa(h.Paragraph),
			strconv.FormatFloat(h.Score, 'f', 4, 64), cell(h.Text), u, cell(HitRef(h, u).GBT7714(accessed)),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell defuses a text that a spreadsheet would take for a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeJSONL(w *bufio.Writer, hits []search.Hit, link func(search.Hit) string, accessed time.Time) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, h := range hits {
		h.Match = matchOf(h)
		if h.Snippets == nil {
			h.Snippets = []string{}
		}
		u := link(h)
		if err := enc.Encode(Record{Hit: h, URL: u, Citation: HitRef(h, u).GBT7714(accessed)}); err != nil {
			return err
		}
	}
	return nil
}

// risValue makes s one RIS line: line breaks and other control
// characters become spaces.
func risValue(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

func writeRIS(w *bufio.Writer, hits []search.Hit, link func(search.Hit) string, accessed time.Time) error {
	line := func(tag, value string) {
		if value = risValue(value); value != "" {
			w.WriteString(tag + "  - " + value + "\r\n")
		}
	}
	for _, h := range hits {
		u := link(h)
		ref := HitRef(h, u)
		line("TY", "GOVDOC")
		line("TI", ref.Title)
		if len(h.Date) >= 4 {
			line("PY", h.Date[:4])
			line("DA", strings.ReplaceAll(h.Date, "-", "/"))
		}
		line("CY", h.Place)
		line("LA", h.Lang)
		line("SE", h.Section)
		line("ID", h.ID)
		line("N1", "第"+strconv.Itoa(h.Paragraph)+"段："+ref.Quote())
		if matchOf(h) == search.MatchPartial {
			line("N1", "部分匹配，缺少："+strings.Join(h.Missing, "、"))
		}
		line("UR", u)
		line("Y2", accessed.Format("2006/01/02"))
		w.WriteString("ER  - \r\n\r\n")
	}
	return nil
}

// bibEscape escapes TeX's special characters in a BibTeX field value.
func bibEscape(s string) string {
	r := strings.NewReplacer(
		`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "%", `\%`, "&", `\&`,
		"#", `\#`, "_", `\_`, "$", `\$`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`,
	)
	return r.Replace(strings.Join(strings.Fields(s), " "))
}

// bibKey is a citation key from a paragraph id: letters, digits and - _ : .
func bibKey(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_:.", r)) {
			b.WriteRune(r)
		} else if r >= 128 && unicode.IsLetter(r) {
			b.WriteRune(r) // biber takes Unicode keys
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func writeBibTeX(w *bufio.Writer, hits []search.Hit, link func(search.Hit) string, accessed time.Time) error {
	for _, h := range hits {
		u := link(h)
		ref := HitRef(h, u)
		fmt.Fprintf(w, "@misc{%s,\n", bibKey(h.ID))
		field := func(name, value string) {
			if value != "" {
				fmt.Fprintf(w, "  %s = {%s},\n", name, value)
			}
		}
		field("title", bibEscape(ref.Title))
		if len(h.Date) >= 4 {
			field("year", h.Date[:4])
			field("date", h.Date)
		}
		field("address", bibEscape(h.Place))
		field("language", bibEscape(h.Lang))
		note := "第" + strconv.Itoa(h.Paragraph) + "段：" + ref.Quote()
		if matchOf(h) == search.MatchPartial {
			note += "（部分匹配，缺少：" + strings.Join(h.Missing, "、") + "）"
		}
		field("note", bibEscape(note))
		if u != "" {
			field("url", strings.NewReplacer("{", "%7B", "}", "%7D", " ", "%20").Replace(u))
			field("urldate", accessed.Format("2006-01-02"))
		}
		w.WriteString("}\n\n")
	}
	return nil
}
