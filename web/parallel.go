package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/scosearch/scosearch/search"
)

// Aligner is implemented by a Searcher that aligns two documents
// paragraph by paragraph; *search.Engine does. Without it the parallel
// view is 404 and the pages offer no links to it.
type Aligner interface {
	Parallel(ctx context.Context, a, b string) (*search.Parallel, error)
}

// langSelfNames name the languages of translations in their own words,
// as a translator looks for them.
var langSelfNames = map[string]string{"zh": "中文", "ru": "Русский", "en": "English"}

func langSelf(code string) string {
	if n, ok := langSelfNames[code]; ok {
		return n
	}
	return code
}

// parallelPath is the address of the parallel view of documents a and b.
func parallelPath(a, b string) string {
	return docPath(a) + "/parallel/" + strings.TrimPrefix(docPath(b), "/docs/")
}

// maxParallelLinks bounds the translations a search hit links to.
const maxParallelLinks = 4

// parallelIDs reads the two document ids of a parallel route.
func parallelIDs(r *http.Request) (a, b string, err error) {
	vars := mux.Vars(r)
	a, b = vars["doc"], vars["other"]
	for _, id := range []string{a, b} {
		if !utf8.ValidString(id) || len(id) > maxFilterLen {
			return "", "", badParameter("a document id of the path is not one", "路径中的文件编号无效。")
		}
	}
	return a, b, nil
}

// parallel aligns a and b on the Searcher (ErrNotFound without an
// Aligner).
func (s *Server) parallel(ctx context.Context, a, b string) (*search.Parallel, error) {
	al, ok := s.searcher.(Aligner)
	if !ok {
		return nil, errNotFound
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.SearchTimeout)
	defer cancel()
	return al.Parallel(ctx, a, b)
}

// asDocument serves, for a parallel route whose documents are unknown,
// the document whose id is the whole path (an id may hold "/parallel/").
func asDocument(r *http.Request, a, b string) *http.Request {
	return mux.SetURLVars(r, map[string]string{"doc": a + "/parallel/" + b})
}

// handleAPIParallel is GET /api/docs/{doc}/parallel/{other}.
func (s *Server) handleAPIParallel(w http.ResponseWriter, r *http.Request) error {
	a, b, err := parallelIDs(r)
	if err != nil {
		return err
	}
	p, err := s.parallel(r.Context(), a, b)
	if errors.Is(err, search.ErrNotFound) {
		return s.handleAPIDoc(w, asDocument(r, a, b))
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// parallelPage is the data of parallel.tmpl.
type parallelPage struct {
	Title     string
	Q         string
	Params    params
	Autofocus bool
	A, B      parallelSide
	SwapURL   string
	Rows      []parallelRow
	// Others are A's other translations, to align with instead of B.
	Others []docLink
}

type parallelSide struct {
	ID, Title, URL, Lang, LangName, Date string
	Paragraphs                           int
}

// parallelRow is one pair of the alignment: paragraphs of A beside those
// of B; a side without paragraphs is shown as such.
type parallelRow struct {
	Anchor string // "r3": the row's id, for links from search hits
	N      int
	A, B   []parallelCell
}

type parallelCell struct {
	N    int
	URL  string // the paragraph's permalink on its document's page
	Text string
}

// handleParallel is GET /docs/{doc}/parallel/{other}: the two documents
// side by side, aligned.
func (s *Server) handleParallel(w http.ResponseWriter, r *http.Request) error {
	a, b, err := parallelIDs(r)
	if err != nil {
		return err
	}
	p, err := s.parallel(r.Context(), a, b)
	if errors.Is(err, search.ErrNotFound) {
		return s.handleDoc(w, asDocument(r, a, b))
	}
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	var sides [2]parallelSide
	var texts [2]map[int]string
	var docA *search.Document
	for i, id := range []string{a, b} {
		// Aligned documents have at most search.MaxParallelParagraphs
		// paragraphs, as many as one window holds.
		d, err := s.searcher.DocumentPage(ctx, id, "", 0, search.MaxDocumentPage)
		if err != nil {
			return fmt.Errorf("document %q: %w", id, err)
		}
		if i == 0 {
			docA = d
		}
		sides[i] = parallelSide{ID: d.ID, Title: cmp.Or(d.Title, d.ID), URL: docPath(d.ID), Lang: d.Lang,
			LangName: langSelf(d.Lang), Date: chineseDate(d.Date), Paragraphs: d.DocumentInfo.Paragraphs}
		texts[i] = make(map[int]string, len(d.Paragraphs))
		for _, para := range d.Paragraphs {
			texts[i][para.N] = para.Text
		}
	}
	v := parallelPage{
		Title: "对照阅读：" + sides[0].Title + " / " + sides[1].Title,
		A:     sides[0], B: sides[1], SwapURL: parallelPath(b, a),
	}
	if others := docA.Translations; len(others) > 0 {
		infos, err := s.docInfos(ctx)
		if err != nil {
			return err
		}
		for _, o := range others {
			if o != b && infos[o].Paragraphs <= search.MaxParallelParagraphs {
				v.Others = append(v.Others, docLink{URL: parallelPath(a, o), Label: langSelf(infos[o].Lang), Lang: infos[o].Lang})
			}
		}
	}
	cells := func(side int, ns []int) []parallelCell {
		out := make([]parallelCell, 0, len(ns))
		for _, n := range ns {
			out = append(out, parallelCell{N: n, URL: docURL([]string{a, b}[side], "", n), Text: texts[side][n]})
		}
		return out
	}
	for i, pair := range p.Pairs {
		v.Rows = append(v.Rows, parallelRow{Anchor: "r" + strconv.Itoa(i+1), N: i + 1, A: cells(0, pair.A), B: cells(1, pair.B)})
	}
	return s.render(w, r, http.StatusOK, tmplParallel, v)
}

// docInfos maps every document id to its description.
func (s *Server) docInfos(ctx context.Context) (map[string]search.DocumentInfo, error) {
	docs, err := s.searcher.Documents(ctx)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	out := make(map[string]search.DocumentInfo, len(docs))
	for _, d := range docs {
		out[d.ID] = d
	}
	return out, nil
}

// translationLink is a translation of a document, on its page.
type translationLink struct {
	Label, Lang, URL string
	ParallelURL      string // the two side by side; "" without an Aligner
}

// translationLinks are the links of a document page to d's translations.
func (s *Server) translationLinks(ctx context.Context, d search.DocumentInfo) ([]translationLink, error) {
	if len(d.Translations) == 0 {
		return nil, nil
	}
	infos, err := s.docInfos(ctx)
	if err != nil {
		return nil, err
	}
	_, aligns := s.searcher.(Aligner)
	var out []translationLink
	for _, t := range d.Translations {
		o := infos[t]
		l := translationLink{Label: langSelf(o.Lang), Lang: o.Lang, URL: docPath(t)}
		if aligns && max(d.Paragraphs, o.Paragraphs) <= search.MaxParallelParagraphs {
			l.ParallelURL = parallelPath(d.ID, t)
		}
		out = append(out, l)
	}
	return out, nil
}

// parallelLink is a search hit's link to its aligned paragraph in a
// translation: "Русский ¶3".
type parallelLink struct {
	Label, Lang, URL string
}

// addParallelLinks gives each hit of a document with translations a link
// per translation (at most maxParallelLinks) to the row of the parallel
// view that holds the hit's paragraph, labelled with the translation's
// paragraphs there. The alignments are computed once per index
// generation (Engine.Parallel). It fails soft: a hit whose alignment
// fails links to the translation's page.
func (s *Server) addParallelLinks(ctx context.Context, hits []search.Hit, views []hitView) error {
	al, ok := s.searcher.(Aligner)
	if !ok || len(hits) == 0 {
		return nil
	}
	infos, err := s.docInfos(ctx)
	if err != nil {
		return err
	}
	for i, h := range hits[:min(len(hits), len(views))] {
		trans := infos[h.Doc].Translations
		for _, t := range trans[:min(len(trans), maxParallelLinks)] {
			lang := infos[t].Lang
			link := parallelLink{Label: langSelf(lang), Lang: lang, URL: docPath(t)}
			if max(infos[h.Doc].Paragraphs, infos[t].Paragraphs) > search.MaxParallelParagraphs {
				views[i].Parallel = append(views[i].Parallel, link) // too long to align
				continue
			}
			p, err := al.Parallel(ctx, h.Doc, t)
			if err != nil {
				s.log.Warn("align for a search hit", "doc", h.Doc, "other", t, "err", err)
			} else if row := p.Row(0, h.Paragraph); row >= 0 {
				link.URL = parallelPath(h.Doc, t) + "#r" + strconv.Itoa(row+1)
				if ns := p.Pairs[row].B; len(ns) > 0 {
					link.Label += " ¶" + strconv.Itoa(ns[0])
					if len(ns) > 1 {
						link.Label += "–" + strconv.Itoa(ns[len(ns)-1])
					}
				} else {
					link.Label += " ¶—"
				}
			}
			views[i].Parallel = append(views[i].Parallel, link)
		}
	}
	return nil
}
