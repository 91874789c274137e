package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/search/export"
)

// Headers of an export: how many hits the search has (past collapsing),
// how many the file holds, and whether that is all of them.
const (
	headerExportTotal     = "X-Export-Total"
	headerExportCount     = "X-Export-Count"
	headerExportTruncated = "X-Export-Truncated"
)

// handleAPIExport is GET /api/search/export?q=…&format=csv|jsonl|ris|bibtex
// (&max=N, default export.DefaultMaxHits, at most export.MaxHits): every
// hit of the search, all its pages, as a file to download. The filter,
// sort and collapse parameters are those of /api/search; size and from
// are ignored.
func (s *Server) handleAPIExport(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	f, err := export.ParseFormat(strings.TrimSpace(v.Get("format")))
	if err != nil {
		return badParameter("parameter format: "+strings.TrimPrefix(err.Error(), "format "), "参数 format 只能是 csv、jsonl、ris 或 bibtex。")
	}
	maxHits, err := intParam(v, "max", 1, export.MaxHits)
	if err != nil {
		return err
	}
	p, err := s.parseParams(v, true)
	if err != nil {
		return err
	}
	req := p.apiRequest()
	req.Size, req.From = 0, 0
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.SearchTimeout)
	defer cancel()
	c, err := export.Collect(ctx, s.searcher, req, maxHits)
	if err != nil {
		return err // not wrapped: a bad query's message goes to the user as is
	}
	var buf bytes.Buffer
	opts := export.Options{Link: func(h search.Hit) string { return s.opts.BaseURL + docURL(h.Doc, "", h.Paragraph) }, Accessed: time.Now()}
	if err := export.Write(&buf, f, c.Hits, opts); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType())
	h.Set("Content-Disposition", attachment(exportFilename(p.Q, f)))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-cache")
	h.Set(headerExportTotal, strconv.FormatUint(c.Total-min(c.Collapsed, c.Total), 10))
	h.Set(headerExportCount, strconv.Itoa(len(c.Hits)))
	h.Set(headerExportTruncated, strconv.FormatBool(c.Truncated))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes()) // a write error means the client left
	}
	return nil
}

// exportFilename is "scosearch-" and the query's letters and digits (at
// most 40, runs of anything else as one "_"), with f's extension.
func exportFilename(q string, f export.Format) string {
	var b strings.Builder
	n, gap := 0, false
	for _, r := range q {
		if n >= 40 {
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			n++
			gap = false
		} else {
			gap = true
		}
	}
	name := "scosearch"
	if b.Len() > 0 {
		name += "-" + b.String()
	}
	return name + "." + f.Ext()
}

// attachment is a Content-Disposition for a download called name: an
// ASCII fallback and the UTF-8 name (RFC 6266).
func attachment(name string) string {
	ascii := "scosearch-export" + name[strings.LastIndexByte(name, '.'):]
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name))
}

// exportURL is the address of the export of p's search in format f.
func (p params) exportURL(f export.Format) string {
	u := p.url()
	v := url.Values{}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		v, _ = url.ParseQuery(u[i+1:]) // p.url() is well formed
	}
	v.Del("page")
	v.Set("format", string(f))
	return "/api/search/export?" + v.Encode()
}

// exportLabel names format f on the page.
func exportLabel(f export.Format) string {
	switch f {
	case export.CSV:
		return "CSV（Excel）"
	case export.JSONL:
		return "JSON Lines"
	case export.RIS:
		return "RIS（Zotero、EndNote）"
	case export.BibTeX:
		return "BibTeX"
	}
	return string(f)
}

// ParagraphPath is the path of paragraph n of document doc, as copied
// citations and exports link to it: /docs/{doc}#p{n}, with ?p=n beyond
// the first window of paragraphs. Prefix it with a base URL.
func ParagraphPath(doc string, n int) string { return docURL(doc, "", n) }
