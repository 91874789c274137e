package index

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/scosearch/scosearch/index/corpus"
	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/index/zh"
)

// Field names of a paragraph in the index.
const (
	FieldDoc     = "doc"     // document id, keyword
	FieldTitle   = "title"   // document title: in DocMeta, not indexed (hits get it from the generation)
	FieldDate    = "date"    // "2019-06-14", keyword (ISO dates sort and range as strings)
	FieldYear    = "year"    // "2019", keyword, for facets and year: filters
	FieldPlace   = "place"   // keyword
	FieldLang    = "lang"    // keyword
	FieldSection = "section" // keyword
	FieldN       = "n"       // paragraph number as NKey, keyword (ranges; InternalID sorts in its order)
	FieldText    = "text"    // paragraph text, not indexed as such (see the fields below and lang), not stored: see FieldStored
	FieldStored  = "stored"  // the paragraph's section and text, compressed (stored.go): the one stored field
	FieldBigram  = "bigram"  // the text as folded character bigrams (every language), not stored, with term vectors
	FieldChar    = "char"    // each distinct folded letter or digit of the text once, not stored, no term vectors
)

// The words of a paragraph are indexed once, in the fields of its
// language (lang.Language.WordField, ExactField: "words.zh", "words.ru",
// "words.ru_exact", ...), so that each language has its own analysis
// and BM25 statistics.

// DocType is the bleve document type of a paragraph.
const DocType = "paragraph"

// ParagraphID is the stable id of paragraph n of document doc, as used in
// permalinks: "2019-bishkek-declaration-p12".
func ParagraphID(doc string, n int) string { return doc + "-p" + strconv.Itoa(n) }

// SplitParagraphID splits a paragraph id made by ParagraphID into its
// document id and paragraph number: "2019-bishkek-declaration-p12" gives
// "2019-bishkek-declaration" and 12; anything else gives ok false.
func SplitParagraphID(id string) (doc string, n int, ok bool) {
	i := strings.LastIndex(id, "-p")
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(id[i+2:])
	if err != nil || n < 1 || ParagraphID(id[:i], n) != id {
		return "", 0, false
	}
	return id[:i], n, true
}

// paragraphDoc is what is indexed for one paragraph.
type paragraphDoc struct {
	Doc     string `json:"doc"`
	Title   string `json:"title"`
	Date    string `json:"date"`
	Year    string `json:"year"`
	Place   string `json:"place"`
	Lang    string `json:"lang"`
	Section string `json:"section"`
	N       string `json:"n"`
	Text    string `json:"text"`
	Stored  string `json:"stored"` // textEncoder.encode(Section, Text)
	// Words holds Text under its language's code (lang.Of(Lang)), the
	// one property indexed into that language's fields.
	Words map[string]string `json:"words"`
}

// BleveType makes bleve index a paragraphDoc with the paragraph mapping.
func (paragraphDoc) BleveType() string { return DocType }

func newParagraphDoc(d *corpus.Document, p corpus.Paragraph, stored string) paragraphDoc {
	year := ""
	if len(d.Date) >= 4 {
		year = d.Date[:4]
	}
	return paragraphDoc{
		Doc: d.ID, Title: d.Title, Date: d.Date, Year: year, Place: d.Place,
		Lang: d.Lang, Section: p.Section, N: NKey(p.N), Text: p.Text, Stored: stored,
		Words: map[string]string{lang.Of(d.Lang).Code: p.Text},
	}
}

// DocKey is a short key of a document id (8 characters: 48 bits of its
// SHA-256), the start of the InternalID of its paragraphs. Build fails on
// two documents of one key.
func DocKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(sum[:6])
}

// NKey is the value of FieldN for paragraph number n: its decimal digits
// after their count ("17" for 7, "212" for 12), so that the order of the
// strings is the order of the numbers. A numeric field would index 16
// terms per paragraph (bleve's prefix coding for numeric ranges) and keep
// them all as doc values: 7% of the index of a part of the laws corpus,
// where this keyword takes one term.
func NKey(n int) string {
	d := strconv.Itoa(max(n, 0))
	return string(rune('0'+len(d))) + d
}

// InternalID is the bleve id of paragraph n of document doc: DocKey(doc)
// then NKey(n), 12 bytes for most paragraphs where ParagraphID takes 83 on
// average on the laws corpus (its ids hold Chinese titles): bleve stores
// the id with every paragraph and keeps a dictionary of them (8% of the
// laws index). Hits are given their ParagraphID by the search package.
func InternalID(doc string, n int) string { return DocKey(doc) + NKey(n) }

// SplitInternalID splits an id made by InternalID into the DocKey of its
// document and its paragraph number.
func SplitInternalID(id string) (key string, n int, ok bool) {
	const k = 8 // len(DocKey(...))
	if len(id) < k+2 || int(id[k]-'0') != len(id)-k-1 {
		return "", 0, false
	}
	n, err := strconv.Atoi(id[k+1:])
	if err != nil || n < 0 || NKey(n) != id[k:] {
		return "", 0, false
	}
	return id[:k], n, true
}

// Stored fields: a paragraph stores its section and text only, in one
// compressed value (FieldStored, stored.go). Its document and number are in
// its id (SplitInternalID); date, place, language and title are its
// document's (DocMeta). Storing them too cost more than the text (10% of
// the index of a part of the laws corpus): bleve compresses each
// paragraph's stored fields alone, so the same long document id was stored
// once per paragraph.

// NewMapping returns the index mapping of scosearch: one document type,
// paragraph, with BM25 scoring.
func NewMapping() (mapping.IndexMapping, error) {
	keywordField := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.IncludeInAll = false
		f.DocValues = false
		f.Store = false
		// no term vectors: bleve's keyword mapping keeps a position and
		// offsets of every value (about 10 bytes a paragraph a field, 7% of
		// the laws index) that no query of a keyword reads
		f.IncludeTermVectors = false
		// nor frequencies and norms: a keyword is a filter, never scored
		// (search/query.go gives a required one no weight)
		f.SkipFreqNorm = true
		return f
	}
	p := bleve.NewDocumentStaticMapping()
	for _, name := range []string{FieldDoc, FieldDate, FieldYear, FieldPlace, FieldLang, FieldSection} {
		f := keywordField()
		// doc values only where a sort (date, doc) or a facet (section)
		// reads them; year, place and lang are filters: their postings do
		f.DocValues = name == FieldDoc || name == FieldDate || name == FieldSection
		p.AddFieldMappingsAt(name, f)
	}
	// n: ranges of paragraphs read the postings; the paragraphs of a
	// document sort by id (InternalID), which orders them by number
	p.AddFieldMappingsAt(FieldN, keywordField())

	// Every paragraph's text is indexed as bigrams and characters (exact
	// substrings in any language), its words in its language's fields
	// only; it is stored, with the section, in FieldStored.
	stored := bleve.NewTextFieldMapping()
	stored.Analyzer = keyword.Name
	stored.Index = false
	stored.Store = true
	stored.IncludeTermVectors = false
	stored.IncludeInAll = false
	stored.DocValues = false
	p.AddFieldMappingsAt(FieldStored, stored)
	bigrams := bleve.NewTextFieldMapping()
	bigrams.Name = FieldBigram
	bigrams.Analyzer = zh.AnalyzerBigramPositions
	bigrams.Store = false
	bigrams.IncludeTermVectors = true
	bigrams.IncludeInAll = false
	bigrams.DocValues = false
	chars := bleve.NewTextFieldMapping()
	chars.Name = FieldChar
	chars.Analyzer = zh.AnalyzerChar
	chars.Store = false
	chars.IncludeTermVectors = false
	chars.IncludeInAll = false
	chars.DocValues = false
	p.AddFieldMappingsAt(FieldText, bigrams, chars)

	words := bleve.NewDocumentStaticMapping()
	for _, l := range lang.All() {
		// Words need no positions: phrases match on the bigram field
		// (Chinese) or the exact field (11% of the index of 行政法规:
		// 108.5 -> 96.4 MB).
		wf := langField(l.WordAnalyzer, "")
		wf.IncludeTermVectors = false
		fields := []*mapping.FieldMapping{wf}
		if l.Alphabetic() {
			fields = append(fields, langField(l.ExactAnalyzer, strings.TrimPrefix(l.ExactField, lang.Property+".")))
		}
		words.AddFieldMappingsAt(l.Code, fields...)
	}
	p.AddSubDocumentMapping(lang.Property, words)
	// No "_all" composite field: nothing searches it (every field is
	// excluded from it), and bleve still composed it for every
	// paragraph (9.5% of a build's CPU).
	p.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	m := bleve.NewIndexMapping()
	m.AddDocumentMapping(DocType, p)
	m.DefaultMapping = bleve.NewDocumentDisabledMapping()
	m.DefaultAnalyzer = zh.AnalyzerWord
	m.DefaultField = lang.Of("").WordField
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.ScoringModel = bleveindex.BM25Scoring
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	return m, nil
}

// langField is the mapping of a language's word or exact field: indexed
// with analyzer, with positions (for the exact field's phrases), not stored; name "" keeps
// the property's path ("words.ru"), else the field is "words."+name.
func langField(analyzer, name string) *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Name = name
	f.Analyzer = analyzer
	f.Store = false
	f.IncludeTermVectors = true
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

// indexedForm is a hash of everything the index holds of document d in
// shard: each paragraph exactly as it is indexed. Two builds give a
// document the same form only when they would index it identically.
func indexedForm(d *corpus.Document, shard int) (string, error) {
	h := sha256.New()
	enc := json.NewEncoder(h)
	if err := enc.Encode(shard); err != nil {
		return "", fmt.Errorf("hash document %s: %w", d.ID, err)
	}
	for _, p := range d.Paragraphs {
		// (the stored value is Section and Text again)
		if err := enc.Encode(newParagraphDoc(d, p, "")); err != nil {
			return "", fmt.Errorf("hash document %s: %w", d.ID, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
