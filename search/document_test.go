package search

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDocumentPage(t *testing.T) {
	e := openTestEngine(t)
	tests := []struct {
		name       string
		q          string
		from, size int
		first, n   int      // number of the first paragraph, and how many
		marked     []string // paragraphs with <mark>
	}{
		{name: "default size holds a short document", first: 1, n: 76},
		{name: "a window", from: 40, size: 5, first: 41, n: 5},
		// 乔蓬阿塔 is in paragraphs 42 and 46: only the window's is marked.
		{name: "highlights within the window only", q: "乔蓬阿塔", from: 40, size: 5, first: 41, n: 5, marked: []string{pid(42)}},
		{name: "the end", from: 74, size: 10, first: 75, n: 2},
		{name: "past the end", from: 76, size: 10, n: 0},
		{name: "far past the end", from: 1 << 62, size: 1000, n: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := e.DocumentPage(context.Background(), docID, tc.q, tc.from, tc.size)
			if err != nil {
				t.Fatal(err)
			}
			if d.ID != docID || d.DocumentInfo.Paragraphs != 76 || d.From != tc.from || d.Paragraphs == nil {
				t.Errorf("document %+v from %d", d.DocumentInfo, d.From)
			}
			if len(d.Paragraphs) != tc.n {
				t.Fatalf("%d paragraphs, want %d", len(d.Paragraphs), tc.n)
			}
			var marked []string
			for i, p := range d.Paragraphs {
				if p.N != tc.first+i || p.ID != pid(tc.first+i) {
					t.Errorf("paragraph %d of the window is %s (n %d)", i, p.ID, p.N)
				}
				if strings.Contains(p.HTML, "<mark>") {
					marked = append(marked, p.ID)
				}
			}
			if diff := cmp.Diff(tc.marked, marked); diff != "" {
				t.Errorf("marked paragraphs (-want +got):\n%s", diff)
			}
		})
	}

	for _, bad := range []struct {
		q          string
		from, size int
	}{
		{"", 0, MaxDocumentPage + 1}, {"", 0, -1}, {"", -1, 10}, {`"open`, 0, 10},
	} {
		if _, err := e.DocumentPage(context.Background(), docID, bad.q, bad.from, bad.size); !errors.Is(err, ErrBadQuery) {
			t.Errorf("DocumentPage(q %q, from %d, size %d): %v, want ErrBadQuery", bad.q, bad.from, bad.size, err)
		}
	}
	if _, err := e.DocumentPage(context.Background(), "nope", "", 0, 10); !errors.Is(err, ErrNotFound) {
		t.Errorf("DocumentPage(nope): %v, want ErrNotFound", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.DocumentPage(ctx, docID, "合作", 0, 10); !errors.Is(err, context.Canceled) {
		t.Errorf("DocumentPage with a cancelled context: %v, want context.Canceled", err)
	}
}
