package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// extracted is what a reader of a structured format (Word, HTML) finds in
// a file: the paragraphs and the metadata the format carries.
type extracted struct {
	Paragraphs []Paragraph
	Title      string // from the document's properties or its title heading
	Date       string // ISO publication date the page states, or ""
	Created    string // ISO creation date of the file's properties, used when the text has no date
	Place      string // from a dateline, or ""
	Encoding   string
}

// maxDocxPart bounds the uncompressed size of one part of a .docx archive
// (a zip bomb stops there).
const maxDocxPart = 256 << 20

// EncodingDocx is Document.Encoding of a Word file: its XML is UTF-8.
const EncodingDocx = "docx"

// wordML is the WordprocessingML main namespace.
const wordML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// readDocx extracts the paragraphs of a Word (.docx) file: the body's
// paragraphs in order, table rows as paragraphs ("a | b"), headings (a
// paragraph style named "heading N" or "Title", or an outline level) as
// sections, and the title and creation date of docProps/core.xml. Deleted
// text of tracked changes, field codes, footnotes and comments are left out.
func readDocx(data []byte) (extracted, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return extracted{}, fmt.Errorf("%w: not a Word .docx file (not a zip archive: %v)", ErrFormat, err)
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	main := parts["word/document.xml"]
	if main == nil {
		return extracted{}, fmt.Errorf("%w: not a Word .docx file (a zip archive without word/document.xml)", ErrFormat)
	}
	var ex extracted
	ex.Encoding = EncodingDocx
	styles := docxStyles{}
	if f := parts["word/styles.xml"]; f != nil {
		if b, err := readZipPart(f); err == nil {
			styles = parseDocxStyles(b) // a damaged style sheet loses headings, not text
		}
	}
	if f := parts["docProps/core.xml"]; f != nil {
		if b, err := readZipPart(f); err == nil {
			ex.Title, ex.Created = parseDocxCore(b)
		}
	}
	body, err := readZipPart(main)
	if err != nil {
		return extracted{}, fmt.Errorf("%w: Word .docx: word/document.xml: %v", ErrFormat, err)
	}
	paras, title, err := parseDocxBody(body, styles)
	if err != nil {
		return extracted{}, fmt.Errorf("%w: Word .docx: word/document.xml: %v", ErrFormat, err)
	}
	ex.Paragraphs = paras
	ex.Title = firstNonEmpty(ex.Title, title)
	return ex, nil
}

// readZipPart returns the uncompressed content of one archive member.
func readZipPart(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxDocxPart {
		return nil, fmt.Errorf("%s is %d bytes uncompressed, the limit is %d", f.Name, f.UncompressedSize64, maxDocxPart)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxDocxPart+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxDocxPart {
		return nil, fmt.Errorf("%s is more than %d bytes uncompressed", f.Name, maxDocxPart)
	}
	return b, nil
}

// docxStyles maps a paragraph style id to its heading level: 1-9 for
// "heading 1".."heading 9" (or a style with an outline level), 0 for
// "Title", absent for other styles.
type docxStyles map[string]int

var headingNameRE = regexp.MustCompile(`(?i)^heading\s*([1-9])$`)

// parseDocxStyles reads word/styles.xml. Chinese Word names its heading
// styles "heading 1" too, under ids such as "1" or "2"; the name decides.
func parseDocxStyles(data []byte) docxStyles {
	var sheet struct {
		Styles []struct {
			ID   string `xml:"styleId,attr"`
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
			PPr struct {
				Outline *struct {
					Val string `xml:"val,attr"`
				} `xml:"outlineLvl"`
			} `xml:"pPr"`
		} `xml:"style"`
	}
	out := docxStyles{}
	if xml.Unmarshal(data, &sheet) != nil {
		return out
	}
	for _, s := range sheet.Styles {
		name := strings.TrimSpace(s.Name.Val)
		switch m := headingNameRE.FindStringSubmatch(name); {
		case strings.EqualFold(name, "title"):
			out[s.ID] = 0
		case m != nil:
			out[s.ID] = int(m[1][0] - '0')
		case s.PPr.Outline != nil:
			if n, err := strconv.Atoi(s.PPr.Outline.Val); err == nil && n >= 0 && n < 9 {
				out[s.ID] = n + 1
			}
		}
	}
	return out
}

// parseDocxCore returns dc:title and the date of dcterms:created.
func parseDocxCore(data []byte) (title, date string) {
	var core struct {
		Title   string `xml:"http://purl.org/dc/elements/1.1/ title"`
		Created string `xml:"http://purl.org/dc/terms/ created"`
	}
	if xml.Unmarshal(data, &core) != nil {
		return "", ""
	}
	title = cleanLine(core.Title)
	if d, ok := parseExplicitDate(strings.TrimSpace(core.Created)); ok && !strings.HasPrefix(d, "1601-") {
		date = d // 1601-01-01 is Word's "no date"
	}
	return title, date
}

// docxHeadingStyleRE recognises the built-in heading style ids when the
// style sheet is missing: Heading1, heading 2, Title.
var docxHeadingStyleRE = regexp.MustCompile(`(?i)^heading\s*([1-9])$`)

// parseDocxBody walks word/document.xml. It returns the paragraphs and the
// text of the first Title-style paragraph.
func parseDocxBody(data []byte, styles docxStyles) (paras []Paragraph, title string, err error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		sec       sectionPath
		text      strings.Builder // the current w:p
		style     string          // its w:pStyle
		outline   = -1            // its w:outlineLvl, -1 when none
		inText    bool            // inside w:t
		skip      int             // depth inside elements whose text is not the document's
		cells     []string        // the current table row
		cellText  []string        // paragraphs of the current cell
		tableRows int             // nesting of w:tr
	)
	emit := func(t string) {
		if t != "" {
			paras = append(paras, Paragraph{N: len(paras) + 1, Section: sec.String(), Text: t})
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			if t.Name.Local == "Fallback" { // mc:Fallback repeats mc:Choice
				skip = 1
				continue
			}
			if t.Name.Space != wordML {
				continue
			}
			switch t.Name.Local {
			case "txbxContent": // text boxes: letterheads and stamps, not the text
				skip = 1
			case "del", "instrText", "delText", "footnoteReference", "endnoteReference", "commentReference":
				skip = 1
			case "p":
				text.Reset()
				style, outline = "", -1
			case "pStyle":
				style = attr(t, "val")
			case "outlineLvl":
				if n, err := strconv.Atoi(attr(t, "val")); err == nil && n >= 0 && n < 9 {
					outline = n
				}
			case "t":
				inText = true
			case "tab":
				text.WriteByte(' ')
			case "br", "cr":
				text.WriteByte('\n')
			case "noBreakHyphen":
				text.WriteByte('-')
			case "tr":
				if tableRows++; tableRows == 1 {
					cells = cells[:0]
				}
			case "tc":
				if tableRows == 1 { // a nested table's text stays in its outer cell
					cellText = cellText[:0]
				}
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if t.Name.Space != wordML {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				line := cleanLine(strings.ReplaceAll(text.String(), "\n", " "))
				if tableRows > 0 {
					if line != "" {
						cellText = append(cellText, line)
					}
					continue
				}
				level, heading := styles[style]
				if !heading {
					if m := docxHeadingStyleRE.FindStringSubmatch(style); m != nil {
						level, heading = int(m[1][0]-'0'), true
					} else if strings.EqualFold(style, "title") {
						level, heading = 0, true
					}
				}
				if outline >= 0 {
					level, heading = outline+1, true
				}
				switch {
				case line == "":
				case heading && level == 0:
					if title == "" {
						title = line
					}
				case heading && level <= 6 && len([]rune(line)) <= 100:
					sec.set(level, line)
				default:
					emit(line)
				}
			case "tc":
				if tableRows == 1 {
					cells = append(cells, strings.Join(cellText, " "))
				}
			case "tr":
				tableRows--
				if tableRows == 0 {
					row := strings.Join(cells, " | ")
					if strings.Trim(row, " |") != "" {
						emit(row)
					}
				}
			}
		case xml.CharData:
			if inText && skip == 0 {
				text.Write(t)
			}
		}
	}
	return paras, title, nil
}

// attr returns the value of the attribute local (in any namespace), or "".
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
