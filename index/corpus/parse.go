package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
)

// MetaSuffix is appended to a corpus file's name to form the name of its
// sidecar metadata file: 2019-bishkek-declaration.zh.txt.meta.
const MetaSuffix = ".meta"

// Parse decodes one corpus file and reconstructs its document. source is the
// path relative to the corpus root with forward slashes; it decides the id,
// the format (".md" and ".markdown" are Markdown, ".docx" Word, ".html" and
// ".htm" a web page, ".pdf" a PDF, anything else plain text) and a language suffix. sidecar is the content of the file's .meta file, or
// nil. Errors wrap ErrEmpty, ErrBinary, ErrEncoding, ErrMetadata,
// ErrFormat (a Word file, web page or PDF that cannot be read) or
// ErrNoParagraphs.
func Parse(source string, data, sidecar []byte) (Document, error) {
	return parse(source, data, sidecar, nil)
}

// parse is Parse with a trace of what was removed (for the fuzz test).
func parse(source string, data, sidecar []byte, tr *trace) (Document, error) {
	source = strings.TrimPrefix(path.Clean(strings.ReplaceAll(source, `\`, "/")), "/")
	id, lang, format := splitSource(source)
	if !validID(id) {
		return Document{}, fmt.Errorf("%w: no document id can be made from the path %q", ErrMetadata, source)
	}
	sum := sha256.New()
	sum.Write(data)
	sum.Write(sidecar)
	doc := Document{
		ID:     id,
		Lang:   lang,
		Source: source,
		Format: format,
		Hash:   hex.EncodeToString(sum.Sum(nil)),
	}

	var (
		explicit meta
		title    string
		body     string // plain text searched for a date
		ex       extracted
	)
	switch format {
	case "docx", "html":
		if len(data) == 0 {
			return Document{}, ErrEmpty
		}
		var err error
		if format == "docx" {
			ex, err = readDocx(data)
		} else {
			ex, err = readHTML(data)
		}
		if err != nil {
			return Document{}, err
		}
		doc.Encoding = ex.Encoding
		doc.Paragraphs, title = ex.Paragraphs, ex.Title
		if explicit, err = parseSidecar(source, sidecar); err != nil {
			return Document{}, err
		}
	case "pdf":
		if len(data) == 0 {
			return Document{}, ErrEmpty
		}
		var err error
		var pdfBody string
		if explicit, err = parseSidecar(source, sidecar); err != nil {
			return Document{}, err
		}
		if ex, pdfBody, err = readPDF(data); err != nil {
			return Document{}, err
		}
		doc.Encoding = ex.Encoding
		// A heading first line is dropped as the title, as in plain text;
		// the Info title or a running header is the better title.
		doc.Paragraphs, title = reconstructText(pdfBody, explicit.Title, tr)
		title = firstNonEmpty(ex.Title, title)
	default:
		text, enc, err := Decode(data)
		if err != nil {
			return Document{}, err
		}
		doc.Encoding = enc

		var fmLines []string
		fmLines, body = splitFrontMatter(text)
		explicit, err = parseMeta(fmLines, "front matter")
		if err != nil {
			return Document{}, err
		}
		side, err := parseSidecar(source, sidecar)
		if err != nil {
			return Document{}, err
		}
		explicit = explicit.merge(side)
		if tr != nil {
			tr.removed = append(tr.removed, strings.Join(fmLines, "\n"))
		}
		if format == "md" {
			doc.Paragraphs, title, doc.Info = reconstructMarkdown(body, tr)
		} else {
			doc.Paragraphs, title = reconstructText(body, explicit.Title, tr)
		}
	}
	if len(doc.Paragraphs) == 0 {
		return Document{}, ErrNoParagraphs
	}

	doc.Title = firstNonEmpty(explicit.Title, title, path.Base(id))
	doc.ID = firstNonEmpty(explicit.ID, doc.ID)
	if explicit.TranslationOf != doc.ID {
		doc.TranslationOf = explicit.TranslationOf
	}
	// A web page's own date (meta, time, dateline) is its publication
	// date; a Word file's creation date comes after a date in its text.
	doc.Date = firstNonEmpty(explicit.Date, ex.Date)
	if doc.Date == "" {
		doc.Date = firstChineseDate(strings.Join(doc.Info, "\n"))
	}
	if doc.Date == "" && format != "txt" {
		doc.Date = firstDateInParagraphs(doc.Paragraphs)
	}
	if doc.Date == "" {
		doc.Date = ex.Created
	}
	if doc.Date == "" && format == "txt" {
		// The whole text, with the lines that are not paragraphs.
		doc.Date = firstChineseDate(body[:min(len(body), maxDateSearch)])
	}
	if doc.Date == "" {
		doc.Date = dateFromFileName(source)
	}
	doc.Place = firstNonEmpty(explicit.Place, ex.Place, inferPlace(doc.Paragraphs[0].Text))
	if explicit.Lang != "" {
		doc.Lang = explicit.Lang
	}
	if doc.Lang == "" {
		var texts []string
		for _, p := range doc.Paragraphs[:min(len(doc.Paragraphs), 50)] {
			texts = append(texts, p.Text)
		}
		doc.Lang = inferLang(texts...)
	}
	return doc, nil
}

// parseSidecar reads the content of a .meta sidecar (nil: none).
func parseSidecar(source string, sidecar []byte) (meta, error) {
	if len(sidecar) == 0 {
		return meta{}, nil
	}
	side, _, err := Decode(sidecar)
	if err != nil {
		return meta{}, fmt.Errorf("%w: sidecar %s%s: %v", ErrMetadata, path.Base(source), MetaSuffix, err)
	}
	return parseMeta(strings.Split(side, "\n"), "sidecar "+path.Base(source)+MetaSuffix)
}

// maxDateSearch bounds the text searched for a date.
const maxDateSearch = 1 << 20

// firstDateInParagraphs returns the first Chinese date in the paragraphs, or "".
func firstDateInParagraphs(ps []Paragraph) string {
	budget := maxDateSearch
	for _, p := range ps {
		if budget <= 0 {
			break
		}
		text := p.Text[:min(len(p.Text), budget)]
		if d := firstChineseDate(text); d != "" {
			return d
		}
		budget -= len(text)
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
