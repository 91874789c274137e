package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/scosearch/scosearch/search"
)

// api adapts a JSON handler: errors become {"error": "..."}.
func (s *Server) api(h handlerFunc) http.Handler {
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
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	res, err := s.searcher.Search(ctx, p.apiRequest())
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

func (s *Server) handleAPIDoc(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["doc"]
	p, err := s.parseParams(r.URL.Query(), true)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	doc, err := s.searcher.Document(ctx, id, p.Q)
	if errors.Is(err, search.ErrBadQuery) {
		return err // not wrapped: the message goes to the user as is
	}
	if err != nil {
		return fmt.Errorf("document %q: %w", id, err)
	}
	writeJSON(w, http.StatusOK, doc)
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

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
