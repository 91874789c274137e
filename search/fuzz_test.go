package search

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzQuery runs any query through the whole Engine (parse, compile, bleve,
// snippets, collapsing) and Document's highlighting: no panic, either a
// result within the page size with valid UTF-8 everywhere, or an error
// wrapping ErrBadQuery with a valid UTF-8 message. The seeds are the
// hostile requests of TestHostileRequests, the queries of
// testdata/searches.json and testdata/fuzz/FuzzQuery; they run with every
// go test.
func FuzzQuery(f *testing.F) {
	for _, reqs := range hostileRequests() {
		for _, r := range reqs {
			if len(r.Query) <= 4096 {
				f.Add(r.Query, r.Size%1000, r.From%100000, false)
			}
		}
	}
	if b, err := os.ReadFile("../testdata/searches.json"); err == nil {
		var cases []struct{ Query, Q string }
		if err := json.Unmarshal(b, &cases); err == nil {
			for _, c := range cases {
				f.Add(c.Query+c.Q, 0, 0, true)
			}
		}
	}
	e := openTestEngine(f)
	f.Fuzz(func(t *testing.T, q string, size, from int, byDate bool) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		req := Request{Query: q, Size: size, From: from}
		if byDate {
			req.Sort = SortDate
			req.NoCollapse = true
		}
		res, err := e.Search(ctx, req)
		checkResult(t, req, res, err)
		doc, err := e.Document(ctx, docID, q)
		if err != nil {
			checkResult(t, req, nil, err)
			return
		}
		for _, p := range doc.Paragraphs {
			if !utf8.ValidString(p.HTML) {
				t.Errorf("Document(%q): paragraph %d: invalid UTF-8", q, p.N)
			}
		}
	})
}
