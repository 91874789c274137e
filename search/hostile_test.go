package search

// Hostile queries against the library (issue 8): each is an ErrBadQuery
// with a message fit for the user, or a bounded result; never a panic, an
// internal error or invalid UTF-8.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// hostileRequests are the Requests of TestHostileRequests, by kind.
func hostileRequests() map[string][]Request {
	q := func(qs ...string) []Request {
		out := make([]Request, len(qs))
		for i, s := range qs {
			out[i] = Request{Query: s}
		}
		return out
	}
	deep := func(n int) string { return strings.Repeat("(", n) + "上合组织" + strings.Repeat(")", n) }
	terms := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = fmt.Sprintf("w%d", i)
		}
		return strings.Join(ws, " ")
	}
	return map[string][]Request{
		"huge": q(strings.Repeat("上合组织 ", 100<<10/13), strings.Repeat("x", 100<<10), strings.Repeat("反", MaxQueryRunes),
			strings.Repeat("反", MaxQueryRunes+1), strings.Repeat("上合组织", MaxQueryRunes/4)),
		"deep parentheses": q(deep(MaxDepth), deep(MaxDepth+1), deep(1000), strings.Repeat("(", 999), strings.Repeat(")", 999),
			strings.Repeat("(a ", 300), strings.Repeat("-(", 300)+"a"),
		"many terms": q(terms(MaxTerms), terms(MaxTerms+1), terms(3000), strings.Repeat("上 OR ", 200)+"合",
			strings.Repeat(`"上合" `, 300), strings.Repeat("doc:x ", 200), strings.Repeat("-a ", 400)),
		"wildcards": q("*", "**", "?", "*:*", "上*", "*合作*", strings.Repeat("*", 999), "_all:*", "text:*", "doc:*", "date:*..*"),
		"regexp and fuzzy bombs": q("/(a+)+$/", "/.*.*.*.*.*.*.*=/", "/[a-z]{1000}/", "上合~2", "上合组织~99", "a~ b~ c~ d~",
			strings.Repeat("a?", 400), "+a^100000000", "a AND NOT b OR c^-1", `\`, `\\"`),
		"control characters": q("\x00", "上合\x00组织", "\x1b[31m上合", "\r\n上合", "\t\v\f", "\u202e合上\u202c", "\u200b\ufeff", "\x7f", "\u0085"),
		"invalid UTF-8":      q("\xff\xfe", "上合\xc3\x28", "\xed\xa0\x80", "\xe4\xb8", "\xc0\xaf", `"上合\xff"`, "doc:\xff", "year:\xfe"),
		"quotes and syntax": q(`"`, `"上合组织`, `上合"组织""`, `""`, `"""`, `-`, `--上合`, `-"上合"`, `OR`, `AND OR NOT`, `doc:`,
			`year:abc`, `date:2019..2018`, `date:....`, `year:`+strings.Repeat("9", 500), `:`, `上合)`, `(`, `a OR`, `OR a`, `- -`),
		"size and from": {
			{Query: "上合", Size: 1 << 30}, {Query: "上合", Size: -1}, {Query: "上合", Size: MaxSize},
			{Query: "上合", From: MaxFrom}, {Query: "上合", From: MaxFrom + 1}, {Query: "上合", From: -1 << 62},
			{Query: "上合", From: MaxFrom, Size: MaxSize, NoCollapse: true}, {Query: "上合", Size: 1 << 62, From: 1 << 62},
		},
		"filters": {
			{Query: "上合", Doc: strings.Repeat("x", 10000)}, {Query: "上合", Year: "\xff"}, {Query: "上合", Section: "\x00"},
			{Query: "上合", Lang: "*"}, {Query: "上合", Year: "99999"}, {Query: "上合", Sort: "\xff"}, {Query: "上合", Sort: SortDate, From: MaxFrom},
		},
	}
}

// checkResult checks the invariants of a Search answer and reports whether
// it was a bad query.
func checkResult(t *testing.T, req Request, res *Result, err error) (bad bool) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrBadQuery) {
			t.Errorf("Search(%.80q): %v; want a result or an ErrBadQuery", req.Query, err)
		}
		if !utf8.ValidString(err.Error()) {
			t.Errorf("Search(%.80q): the error message is not valid UTF-8: %q", req.Query, err.Error())
		}
		return true
	}
	size := req.Size
	if size == 0 {
		size = DefaultSize
	}
	if len(res.Hits) > size || len(res.Hits) > MaxSize {
		t.Errorf("Search(%.80q): %d hits, more than the page size %d", req.Query, len(res.Hits), size)
	}
	if uint64(len(res.Hits)) > res.Total {
		t.Errorf("Search(%.80q): %d hits but Total %d", req.Query, len(res.Hits), res.Total)
	}
	for _, h := range res.Hits {
		for _, s := range append([]string{h.ID, h.Doc, h.Title, h.Text, h.Section}, h.Snippets...) {
			if !utf8.ValidString(s) {
				t.Errorf("Search(%.80q): hit %s has invalid UTF-8: %q", req.Query, h.ID, s)
			}
		}
		for _, s := range h.Snippets {
			if strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s), "<") {
				t.Errorf("Search(%.80q): hit %s: snippet with markup other than <mark>: %q", req.Query, h.ID, s)
			}
		}
	}
	return false
}

// TestHostileRequests sends every hostile request to Search and, for the
// queries, to Document's highlighting.
func TestHostileRequests(t *testing.T) {
	e := openTestEngine(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var slowest time.Duration
	total := 0
	for kind, reqs := range hostileRequests() {
		bad := 0
		for _, req := range reqs {
			start := time.Now()
			res, err := e.Search(ctx, req)
			slowest = max(slowest, time.Since(start))
			if checkResult(t, req, res, err) {
				bad++
			}
			doc, err := e.Document(ctx, docID, req.Query)
			switch {
			case err != nil && !errors.Is(err, ErrBadQuery):
				t.Errorf("Document(%.80q): %v; want a document or an ErrBadQuery", req.Query, err)
			case err == nil:
				for _, p := range doc.Paragraphs {
					if !utf8.ValidString(p.HTML) {
						t.Errorf("Document(%.80q): paragraph %d: invalid UTF-8", req.Query, p.N)
					}
				}
			}
		}
		total += len(reqs)
		t.Logf("%-24s %3d requests: %3d bad queries, %3d answered", kind, len(reqs), bad, len(reqs)-bad)
	}
	t.Logf("%d hostile requests, slowest Search %s", total, slowest.Round(time.Millisecond))
}

// TestHostileIDs asks for documents and paragraphs that do not exist in
// every way: each is an ErrNotFound.
func TestHostileIDs(t *testing.T) {
	e := openTestEngine(t)
	ctx := context.Background()
	for _, id := range []string{"", "/", "..", "../../etc/passwd", "\x00", "\xff", strings.Repeat("x", 100000), docID + "\x00", "*", docID + "/.."} {
		if _, err := e.Document(ctx, id, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("Document(%.40q): %v, want ErrNotFound", id, err)
		}
	}
	for _, id := range []string{"", "-p", "-p1", docID + "-p0", docID + "-p-1", docID + "-p99999999999999999999", docID + "-p1x",
		docID + "-p01", docID + "-p+1", "\xff-p1", docID + "-p" + strings.Repeat("9", 1000)} {
		if _, err := e.Neighbours(ctx, id, 1<<30, -1<<30); !errors.Is(err, ErrNotFound) {
			t.Errorf("Neighbours(%.40q): %v, want ErrNotFound", id, err)
		}
	}
	ps, err := e.Neighbours(ctx, pid(1), 1<<62, 1<<62)
	if err != nil || len(ps) > MaxNeighbours+1 {
		t.Errorf("Neighbours with huge counts: %d paragraphs, %v; want at most %d", len(ps), err, MaxNeighbours+1)
	}
}
