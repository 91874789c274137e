package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/scosearch/scosearch/search"
)

// userError is an error whose message is meant for the user, with the
// HTTP status it calls for. Handlers return it for bad parameters.
type userError struct {
	status int
	msg    string
	code   string // stable, for programs: "bad_parameter"
	zh     string // the message on a Chinese page, if not msg
}

func (e *userError) Error() string { return e.msg }

// badParameter is a bad request parameter, with its Chinese message.
func badParameter(msg, zh string) error {
	return &userError{status: http.StatusBadRequest, msg: msg, code: "bad_parameter", zh: zh}
}

var (
	errNotFound = &userError{status: http.StatusNotFound, msg: "not found"}
	errMethod   = &userError{status: http.StatusMethodNotAllowed, msg: "method not allowed"}
)

// errorStatus maps an error to an HTTP status and the message the user
// sees. It is the one place where errors become statuses; internals stay
// out of the message.
func errorStatus(err error) (status int, msg string) {
	var ue *userError
	switch {
	case errors.As(err, &ue):
		return ue.status, ue.msg
	case errors.Is(err, search.ErrBadQuery):
		// The wrapped message names the problem and is fit for the user.
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, search.ErrNotFound):
		return http.StatusNotFound, "not found"
	case errors.Is(err, search.ErrIndexNotFound), errors.Is(err, search.ErrIndexLocked):
		return http.StatusServiceUnavailable, "index unavailable"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "search timed out"
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "request cancelled"
	default:
		return http.StatusInternalServerError, "internal error"
	}
}

// chineseStatus is the heading of an error page.
func chineseStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "查询有误"
	case http.StatusNotFound:
		return "未找到该页面或文件"
	case http.StatusMethodNotAllowed:
		return "不支持该请求方法"
	case http.StatusRequestEntityTooLarge:
		return "请求过大"
	case http.StatusUnsupportedMediaType:
		return "不支持该内容类型"
	case http.StatusRequestURITooLong:
		return "网址过长"
	case http.StatusServiceUnavailable:
		return "检索服务暂时不可用"
	default:
		return "服务器内部错误"
	}
}

// serveError writes err as JSON under /api/, /healthz and /readyz, as an HTML page
// elsewhere. Errors that are not the user's fault are logged in full.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := errorStatus(err)
	if errors.Is(err, context.DeadlineExceeded) {
		s.metrics.timeouts.Inc()
	}
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	if wantsJSON(r) {
		writeJSON(w, status, errorBody(err, msg))
		return
	}
	s.renderError(w, r, status, chineseMessage(err, msg))
}

// errorBody is the JSON of an error: {"error": msg}, and for a user's
// mistake its stable "code" (and "at", the 1-based character of the query
// where it is) so that programs need not parse the message.
func errorBody(err error, msg string) map[string]any {
	body := map[string]any{"error": msg}
	var qe *search.QueryError
	var ue *userError
	switch {
	case errors.As(err, &qe):
		body["code"] = qe.Code
		if qe.At > 0 {
			body["at"] = qe.At
		}
	case errors.As(err, &ue) && ue.code != "":
		body["code"] = ue.code
	}
	return body
}

func wantsJSON(r *http.Request) bool {
	return r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/")
}
