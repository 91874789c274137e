package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"time"
)

// contentSecurityPolicy allows only the site's own scripts, styles and
// images: no inline code, no framing, no foreign form targets.
const contentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// middleware wraps h (the router, so that 404 and 405 answers are covered
// too) with, from the outside in: metrics, request logging, panic
// recovery, security headers, and the caps on request size.
func (s *Server) middleware(h http.Handler) http.Handler {
	h = s.limits(h)
	h = securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	return s.countRequests(h)
}

// statusRecorder remembers the status and counts the bytes written.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rec *statusRecorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *statusRecorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rec *statusRecorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

func (s *Server) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		s.log.Info("request",
			"method", r.Method,
			"path", r.URL.Path,
			"status", rec.status,
			"duration", time.Since(start),
			"bytes", rec.bytes)
	})
}

func (s *Server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec, ok := w.(*statusRecorder)
		if !ok {
			rec = &statusRecorder{ResponseWriter: w}
		}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v) // the server's own signal to cut the connection
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if rec.status == 0 {
				s.serveError(rec, r, fmt.Errorf("panic: %v", v))
			}
		}()
		h.ServeHTTP(rec, r)
	})
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// limits answers 414 to over-long request URIs and 413 to bodies larger than
// MaxBodyBytes, and caps what a handler can read from any body.
func (s *Server) limits(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.RequestURI) > s.opts.MaxURILen {
			s.serveError(w, r, &userError{status: http.StatusRequestURITooLong,
				msg: fmt.Sprintf("request URI too long (more than %d bytes)", s.opts.MaxURILen)})
			return
		}
		if r.ContentLength > s.opts.MaxBodyBytes {
			s.serveError(w, r, &userError{status: http.StatusRequestEntityTooLarge,
				msg: fmt.Sprintf("request body too large (more than %d bytes)", s.opts.MaxBodyBytes)})
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
		}
		h.ServeHTTP(w, r)
	})
}
