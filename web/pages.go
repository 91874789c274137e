package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Page templates, each parsed together with templates/base.tmpl.
const (
	tmplSearch   = "search.tmpl"
	tmplDoc      = "doc.tmpl"
	tmplError    = "error.tmpl"
	tmplDocs     = "docs.tmpl"
	tmplTrends   = "trends.tmpl"
	tmplCompare  = "compare.tmpl"
	tmplParallel = "parallel.tmpl"
)

// pages holds the parsed templates and the fingerprints of the assets.
type pages struct {
	tmpl   map[string]*template.Template
	static fs.FS
	// version maps an asset name ("style.css") to a short hash of its
	// content, added to its URL so that browsers refetch it after a change.
	version map[string]string
}

func loadPages(maxQueryLen int) (*pages, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}
	p := &pages{tmpl: map[string]*template.Template{}, static: sub, version: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		p.version[name] = hex.EncodeToString(sum[:4])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static assets: %w", err)
	}

	funcs := template.FuncMap{
		"maxQueryLen": func() int { return maxQueryLen },
		"static": func(name string) (string, error) {
			v, ok := p.version[name]
			if !ok {
				return "", fmt.Errorf("no static asset %q", name)
			}
			return "/static/" + name + "?v=" + v, nil
		},
	}
	for _, name := range []string{tmplSearch, tmplDoc, tmplError, tmplDocs, tmplTrends, tmplCompare, tmplParallel} {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/base.tmpl", path.Join("templates", name))
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		p.tmpl[name] = t
	}
	return p, nil
}

// render executes template name with data into a buffer and writes it
// with status only if that succeeded, so a template error is a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := s.pages.tmpl[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	start := time.Now()
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	s.metrics.render.WithLabelValues(name).Observe(time.Since(start).Seconds())
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes()) // a write error means the client left
	}
	return nil
}

// errorPage is the data of error.tmpl.
type errorPage struct {
	Title     string
	Q         string
	Params    params
	Autofocus bool
	Status    int
	Heading   string
	Message   string
}

// renderError writes an HTML error page; if even that fails, plain text.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	page := errorPage{Title: chineseStatus(status), Status: status, Heading: chineseStatus(status), Message: msg}
	if err := s.render(w, r, status, tmplError, page); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, msg, status)
	}
}

// static serves the embedded assets. Versioned URLs (?v=) may be cached
// for long; they change when the content does.
func (s *Server) static() http.Handler {
	files := http.StripPrefix("/static/", http.FileServerFS(s.pages.static))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if _, ok := s.pages.version[name]; !ok {
			// No directory listings, no index.html lookups.
			s.serveError(w, r, errNotFound)
			return
		}
		if r.URL.Query().Get("v") == s.pages.version[name] {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		files.ServeHTTP(w, r)
	})
}
