package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/scosearch/scosearch/search"
)

// api adapts a JSON handler: errors become {"error": "..."}.
func (s *Server) api(h handlerFunc) http.Handler {
	return s.admit(s.light(h))
}

// light is api for the endpoints that do no search work (health, the
// OpenAPI document): they never wait for a turn.
func (s *Server) light(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

// writeJSON encodes v into a buffer first, so an encoding error is a clean
// 500 rather than half a response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true) // "<" as \u003c: safe even if sniffed as HTML
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"internal error"}` + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a write error means the client left
}

// handleAPISearch answers with the same JSON object as `scosearch search --json`.
func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) error {
	p, err := s.parseParams(r.URL.Query(), true)
	if err != nil {
		return err
	}
	return s.apiSearch(w, r, p)
}

// searchBody is the body of POST /api/search: the parameters of
// GET /api/search as a JSON object, for queries too long for a URL.
type searchBody struct {
	Q        string `json:"q"`
	Size     *int   `json:"size"`
	From     *int   `json:"from"`
	Sort     string `json:"sort"`
	Doc      string `json:"doc"`
	Year     string `json:"year"`
	Section  string `json:"section"`
	Lang     string `json:"lang"`
	Collapse *bool  `json:"collapse"`
}

// filter returns the value of the filter parameter name (the body's wire
// format lists them; search.FilterFields is the one list of what they are).
func (b searchBody) filter(name string) string {
	r := search.Request{Doc: b.Doc, Year: b.Year, Section: b.Section, Lang: b.Lang}
	if v := r.Filter(name); v != nil {
		return *v
	}
	return ""
}

// handleAPISearchPost is POST /api/search with a JSON body (at most
// MaxBodyBytes): {"q": "阿富汗", "size": 10, "from": 0, "sort": "date",
// "doc": "...", "year": "2019", "section": "...", "lang": "zh",
// "collapse": false}. Every field but q may be left out; the checks and
// the answer are those of GET.
func (s *Server) handleAPISearchPost(w http.ResponseWriter, r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return &userError{status: http.StatusUnsupportedMediaType, msg: "the body must be JSON (Content-Type: application/json)"}
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	var b searchBody
	if err := dec.Decode(&b); err != nil {
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return &userError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("request body too large (more than %d bytes)", s.opts.MaxBodyBytes)}
		case errors.Is(err, io.EOF):
			return badParameter(`empty request body: want a JSON object such as {"q": "阿富汗"}`, "请求正文为空：应为 JSON 对象，例如 {\"q\": \"阿富汗\"}。")
		}
		return badParameter(fmt.Sprintf("request body is not a search object: %v", strings.TrimPrefix(err.Error(), "json: ")), "请求正文不是检索对象。")
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return badParameter("request body: want one JSON object and nothing after it", "请求正文应为一个 JSON 对象，其后不能再有内容。")
	}
	v := url.Values{}
	v.Set("q", b.Q)
	v.Set("sort", b.Sort)
	for _, f := range paramFilters() {
		v.Set(f.Name, b.filter(f.Name))
	}
	if b.Size != nil {
		v.Set("size", strconv.Itoa(*b.Size))
	}
	if b.From != nil {
		v.Set("from", strconv.Itoa(*b.From))
	}
	if b.Collapse != nil {
		v.Set("collapse", strconv.FormatBool(*b.Collapse))
	}
	p, err := s.parseParams(v, true)
	if err != nil {
		return err
	}
	return s.apiSearch(w, r, p)
}

// apiSearch runs the search of p and writes its JSON answer.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request, p params) error {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	res, err := s.runSearch(ctx, p.apiRequest())
	if err != nil {
		return err // not wrapped: a bad query's message goes to the user as is
	}
	writeJSON(w, http.StatusOK, search.NewJSONResult(res))
	return nil
}

func (s *Server) handleAPIDocs(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	docs, err := s.searcher.Documents(ctx)
	if err != nil {
		return fmt.Errorf("list documents: %w", err)
	}
	if docs == nil {
		docs = []search.DocumentInfo{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"documents": docs})
	return nil
}

// apiDocument is the answer of /api/docs/{doc}: the document's metadata,
// its number of paragraphs (total, also as paragraphs) and one window of
// them, with the addresses of the windows before and after.
type apiDocument struct {
	search.DocumentInfo
	Total      int                `json:"total"`
	From       int                `json:"from"`
	Size       int                `json:"size"`
	Paragraphs []search.Paragraph `json:"paragraph_list"`
	Prev       string             `json:"prev,omitempty"`
	Next       string             `json:"next,omitempty"`
}

func (s *Server) handleAPIDoc(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["doc"]
	dp, err := s.parseDocParams(r.URL.Query(), true)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	doc, err := s.searcher.DocumentPage(ctx, id, dp.Q, dp.From, dp.Size)
	if errors.Is(err, search.ErrBadQuery) {
		return err // not wrapped: the message goes to the user as is
	}
	if err != nil {
		return fmt.Errorf("document %q: %w", id, err)
	}
	total := doc.DocumentInfo.Paragraphs
	if dp.P > total {
		return errParagraphNotFound(dp.P, total)
	}
	out := apiDocument{DocumentInfo: doc.DocumentInfo, Total: total, From: dp.From, Size: dp.Size, Paragraphs: doc.Paragraphs}
	if out.Paragraphs == nil {
		out.Paragraphs = []search.Paragraph{}
	}
	if dp.From > 0 {
		last := max(0, (total-1)/dp.Size*dp.Size)
		out.Prev = dp.windowURL("/api/docs", doc.ID, min(max(0, dp.From-dp.Size), last))
	}
	if dp.From+dp.Size < total {
		out.Next = dp.windowURL("/api/docs", doc.ID, dp.From+dp.Size)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// suggestMaxAge is how long a browser may reuse suggestions: they change
// only when a new index generation is swapped in.
const suggestMaxAge = "max-age=60"

// suggestResponse is the JSON answer of /api/suggest.
type suggestResponse struct {
	Query       string              `json:"query"`
	Suggestions []search.Suggestion `json:"suggestions"`
}

// handleAPISuggest answers with the completions of q, the query typed so
// far (kept as sent: a trailing space means the last word is complete).
func (s *Server) handleAPISuggest(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	n, err := intParam(v, "n", 1, search.MaxSuggestions)
	if err != nil {
		return err
	}
	q := v.Get("q")
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	sugs, err := s.searcher.Suggest(ctx, q, n)
	if err != nil {
		return err // not wrapped: a bad prefix's message goes to the user as is
	}
	if sugs == nil {
		sugs = []search.Suggestion{}
	}
	w.Header().Set("Cache-Control", suggestMaxAge)
	writeJSON(w, http.StatusOK, suggestResponse{Query: q, Suggestions: sugs})
	return nil
}
