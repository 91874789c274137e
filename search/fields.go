package search

import (
	"strings"

	"github.com/scosearch/scosearch/index"
)

// FilterField is a field that a query filters on with name:value. This one
// table is read by the query parser and compiler, the Request, the facets
// and the web pages; a new filter is a new row.
type FilterField struct {
	Name   string // in the query language, and the web parameter of a Param field
	Label  string // on the Chinese pages: 文件, 年份, ...
	Ranged bool   // also takes lo..hi (either end may be left open)
	// Param: also a field of Request (and a parameter of the web pages
	// and API), see Request.Filter.
	Param bool
	// Facet: Result.Facets counts hits by it.
	Facet bool
	// index is the index field; selective marks filters that hold a small
	// part of the corpus (a document, a year), which join the words'
	// postings instead of filtering after them.
	index     string
	selective bool
}

// FilterFields returns the filter fields, in the order the pages show them.
func FilterFields() []FilterField {
	return []FilterField{
		{Name: "doc", Label: "文件", Param: true, Facet: true, index: index.FieldDoc, selective: true},
		{Name: "year", Label: "年份", Ranged: true, Param: true, Facet: true, index: index.FieldYear, selective: true},
		{Name: "section", Label: "章节", Param: true, Facet: true, index: index.FieldSection},
		{Name: "lang", Label: "语言", Param: true, Facet: true, index: index.FieldLang},
		{Name: "place", Label: "地点", index: index.FieldPlace},
		{Name: "date", Label: "日期", Ranged: true, index: index.FieldDate},
	}
}

// filterField returns the filter field called name.
func filterField(name string) (FilterField, bool) {
	for _, f := range FilterFields() {
		if f.Name == name {
			return f, true
		}
	}
	return FilterField{}, false
}

// filterNames lists the filter names for messages: "doc, year, ...".
func filterNames() string {
	var names []string
	for _, f := range FilterFields() {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// Filter returns the Request's field for the Param filter name (Doc for
// "doc", ...), or nil for another name.
func (r *Request) Filter(name string) *string {
	switch name {
	case "doc":
		return &r.Doc
	case "year":
		return &r.Year
	case "section":
		return &r.Section
	case "lang":
		return &r.Lang
	}
	return nil
}
