package search

import (
	"errors"
	"time"
)

// Sentinel errors, to be tested with errors.Is.
var (
	// ErrBadQuery: the query cannot be parsed or breaks a limit. The wrapped
	// message names the problem and is fit to show to the user.
	ErrBadQuery = errors.New("bad query")
	// ErrIndexNotFound: there is no index at the given directory.
	ErrIndexNotFound = errors.New("index not found")
	// ErrIndexLocked: another process holds the index for writing.
	ErrIndexLocked = errors.New("index locked")
	// ErrNotFound: the requested document or paragraph does not exist.
	ErrNotFound = errors.New("not found")
)

// Sort orders of a Request.
const (
	SortRelevance = "relevance" // default
	SortDate      = "date"      // newest first, then document order
)

// NoSection is the section filter value that selects the paragraphs
// outside any section: section:"" in a query, Request.Section = NoSection,
// section=%22%22 on the web. The section facet counts them under this value
// with the label NoSectionLabel. Only section takes it: a section's name
// is never empty, and doc:"" and the like are errors.
const NoSection = `""`

// NoSectionLabel labels the NoSection value of the section facet.
const NoSectionLabel = "无章节"

// Request is one search. The zero value of every field but Query has a default.
type Request struct {
	Query string // the query language of the README
	Size  int    // hits per page; 0 means DefaultSize; at most MaxSize
	From  int    // offset of the first hit; at most MaxFrom
	Sort  string // SortRelevance (default) or SortDate
	// Filters added to the query, as if written as field:value in Query
	// (Section may be NoSection).
	Doc, Year, Section, Lang string
	// NoCollapse keeps near-identical paragraphs as separate hits.
	NoCollapse bool
}

// Result is one page of hits.
type Result struct {
	Query string
	// Total counts the matching paragraphs (before collapsing): those
	// matching the whole query, and when these are fewer than a page,
	// those matching part of it (see Hit.Match).
	Total uint64
	// Complete counts the paragraphs matching the whole query.
	Complete uint64
	// Collapsed counts the matching paragraphs shown only inside another
	// hit's Similar: the pages hold Total - Collapsed hits.
	Collapsed uint64
	Took      time.Duration // time spent searching
	Hits      []Hit
	Facets    Facets
}

// Facets count matching paragraphs by document, year and section.
type Facets struct {
	Doc     []FacetCount `json:"doc"`
	Year    []FacetCount `json:"year"`
	Section []FacetCount `json:"section"`
	// Lang counts matches by the language of their document (Value the
	// code, Label its name: lang.Name); empty when the corpus has one
	// language.
	Lang []FacetCount `json:"lang"`
	// Sample is 0 when the counts cover every match. A query with more
	// than 5,000 matches counts only its best Sample matches (the ones the
	// engine ranks), and says so here.
	Sample int `json:"sample,omitempty"`
}

// Of returns the counts of the facet of the filter field name ("doc",
// "year", "section", "lang"), or nil.
func (f Facets) Of(name string) []FacetCount {
	switch name {
	case "doc":
		return f.Doc
	case "year":
		return f.Year
	case "section":
		return f.Section
	case "lang":
		return f.Lang
	}
	return nil
}

// FacetCount is one value of a facet and how many matching paragraphs have it.
type FacetCount struct {
	Value string `json:"value"`
	Label string `json:"label,omitempty"` // e.g. the document title for a doc id
	Count int    `json:"count"`
}

// Values of Hit.Match.
const (
	MatchAll     = "all"     // the paragraph matches the whole query
	MatchPartial = "partial" // it matches part of it; Hit.Missing says what not
)

// Hit is one matching paragraph.
type Hit struct {
	ID        string   `json:"id"`        // paragraph id, e.g. "2019-bishkek-declaration-p12"
	Doc       string   `json:"doc"`       // document id
	Title     string   `json:"title"`     // document title
	Date      string   `json:"date"`      // "2019-06-14" or ""
	Place     string   `json:"place"`     // or ""
	Lang      string   `json:"lang"`      // "zh", ...
	Section   string   `json:"section"`   // or ""
	Paragraph int      `json:"paragraph"` // 1-based number in the document
	Score     float64  `json:"score"`
	Text      string   `json:"text"`     // the full paragraph, plain text
	Snippets  []string `json:"snippets"` // HTML: escaped text with <mark> around matches, at most 3
	// Similar lists the ids of near-identical paragraphs collapsed into this hit.
	Similar []string `json:"similar,omitempty"`
	// Match is MatchAll or MatchPartial.
	Match string `json:"match"`
	// Missing lists, for a partial match, the words and phrases of the
	// query that the paragraph lacks (question and function words are
	// never required, so never missing).
	Missing []string `json:"missing,omitempty"`
}

// DocumentInfo describes one document of the index.
type DocumentInfo struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Date       string `json:"date"`
	Place      string `json:"place"`
	Lang       string `json:"lang"`
	Paragraphs int    `json:"paragraphs"`
	// Translations are the ids of the document's other language versions,
	// sorted, never nil: X.ru and X.en beside X, and documents linked by
	// translation_of metadata. Engine.Parallel aligns them.
	Translations []string `json:"translations"`
}

// Document is a document with its paragraphs in order: all of them
// (Engine.Document), or a window of them (Engine.DocumentPage).
type Document struct {
	DocumentInfo
	// From is the number of paragraphs before the first of Paragraphs.
	From       int         `json:"from"`
	Paragraphs []Paragraph `json:"paragraph_list"`
}

// Paragraph is one paragraph of a Document.
type Paragraph struct {
	ID      string `json:"id"`
	N       int    `json:"n"`
	Section string `json:"section"`
	Text    string `json:"text"`
	// HTML is Text escaped, with <mark> around the matches of the query
	// given to Engine.Document (just escaped when there is none).
	HTML string `json:"html"`
	// SimilarElsewhere are the most similar paragraphs of other
	// documents, most similar first (found when the index was built; see
	// index.SimilarThreshold). Only Document and DocumentPage fill it.
	SimilarElsewhere []SimilarParagraph `json:"similar_elsewhere,omitempty"`
}

// SimilarParagraph is a paragraph of another document similar to a given one.
type SimilarParagraph struct {
	ID        string `json:"id"`
	Doc       string `json:"doc"`
	Title     string `json:"title"`
	Date      string `json:"date"`
	Paragraph int    `json:"paragraph"`
	// Similarity is the Jaccard similarity of the two paragraphs' sets of
	// folded character bigrams.
	Similarity float64 `json:"similarity"`
}

// The Engine's methods (implemented in engine.go):
//
//	func Open(dir string, opts ...Option) (*Engine, error)
//	func (e *Engine) Close() error
//	func (e *Engine) Search(ctx context.Context, req Request) (*Result, error)
//	func (e *Engine) Documents(ctx context.Context) ([]DocumentInfo, error)
//	func (e *Engine) Document(ctx context.Context, id, query string) (*Document, error)
//	func (e *Engine) DocumentPage(ctx context.Context, id, query string, from, size int) (*Document, error)
//	func (e *Engine) Neighbours(ctx context.Context, paragraphID string, before, after int) ([]Paragraph, error)
//	func (e *Engine) Suggest(ctx context.Context, prefix string, n int) ([]Suggestion, error) (in suggest.go)
//	func (e *Engine) Trends(ctx context.Context, query string) (*Trends, error) (in trends.go)
//	func (e *Engine) Compare(ctx context.Context, a, b string) (*Comparison, error) (in compare.go)
//	func (e *Engine) Parallel(ctx context.Context, a, b string) (*Parallel, error) (in parallel.go)
//	func (e *Engine) Stats() Stats (in stats.go)
