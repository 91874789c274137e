package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// parseErrors are the reasons Parse may give.
var parseErrors = []error{ErrEmpty, ErrBinary, ErrEncoding, ErrMetadata, ErrNoParagraphs}

// letterCounts counts the letters and numbers of the strings.
func letterCounts(ss ...string) map[rune]int {
	m := map[rune]int{}
	for _, s := range ss {
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsNumber(r) {
				m[r]++
			}
		}
	}
	return m
}

var isoDateFormat = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// FuzzParse checks the invariants of Parse on any input: no panic, an error
// that says why, valid UTF-8 everywhere, no empty or untrimmed paragraph,
// paragraphs numbered from 1, an ISO date; and for plain text, that every
// letter and digit of the body is found exactly once in the paragraphs, the
// dropped lines (running headers, title line, page numbers), the section
// headings or the duplicated characters removed at page-break joins.
func FuzzParse(f *testing.F) {
	decl, err := os.ReadFile(declarationPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(decl, false, []byte(nil))
	f.Add(decl, false, []byte("title: 比什凯克宣言\ndate: 2019-06-14\n"))
	if gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(decl[:4000]); err == nil {
		f.Add(gb, false, []byte(nil))
	}
	if u16, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().Bytes(decl[:3000]); err == nil {
		f.Add(u16, false, []byte(nil))
	}
	mds, _ := filepath.Glob("testdata/md/*/*.md")
	for _, name := range mds {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, true, []byte(nil))
		f.Add(data, false, []byte(nil))
	}
	for _, s := range []string{
		"比什凯克宣言\n\n成员国认为，合作十分重要。\n\n成员国强调，应继续\n\n- 2 -\n\n比什凯克宣言\n\n深化合作。",
		"第一章 总则\n\n第一节 目的\n\n第一段。\n\n（一）\n\n第二段。",
		"成员国认为，应支持经济\n\n经济合作。\n\n三\n\n成员国",
		"---\ntitle: 甲\n---\n正文。",
		"The member states\nagreed to cooperate.\n\nII\n\nГосударства-члены",
		"\ufeff甲\r\n\r\n乙\f丙\u2028丁\u2029戊",
	} {
		f.Add([]byte(s), false, []byte(nil))
		f.Add([]byte(s), true, []byte(nil))
	}

	f.Fuzz(func(t *testing.T, data []byte, markdown bool, sidecar []byte) {
		source := "dir/fuzz.zh.txt"
		if markdown {
			source = "dir/fuzz.md"
		}
		var tr trace
		doc, err := parse(source, data, sidecar, &tr)
		if err != nil {
			for _, want := range parseErrors {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("Parse error %v wraps none of the known reasons", err)
		}
		for _, s := range []string{doc.ID, doc.Title, doc.Date, doc.Place, doc.Lang, doc.Source, doc.Format, doc.Hash, doc.Encoding} {
			if !utf8.ValidString(s) {
				t.Errorf("invalid UTF-8 in %+q", s)
			}
		}
		if doc.Date != "" && !isoDateFormat.MatchString(doc.Date) {
			t.Errorf("Date = %q", doc.Date)
		}
		if len(doc.Paragraphs) == 0 {
			t.Fatal("no paragraphs and no error")
		}
		var texts []string
		for i, p := range doc.Paragraphs {
			if p.N != i+1 {
				t.Errorf("paragraph %d has N = %d", i+1, p.N)
			}
			if p.Text == "" || p.Text != strings.TrimSpace(p.Text) {
				t.Errorf("paragraph %d is empty or untrimmed: %q", p.N, p.Text)
			}
			if !utf8.ValidString(p.Text) || !utf8.ValidString(p.Section) {
				t.Errorf("paragraph %d: invalid UTF-8: %+q %+q", p.N, p.Section, p.Text)
			}
			texts = append(texts, p.Text)
		}
		if markdown {
			return
		}
		text, _, err := Decode(data)
		if err != nil {
			t.Fatalf("Parse succeeded but Decode failed: %v", err)
		}
		_, body := splitFrontMatter(text)
		accounted := append(append(append(texts, tr.dropped...), tr.sections...), tr.overlaps...)
		if diff := cmp.Diff(letterCounts(body), letterCounts(accounted...)); diff != "" {
			t.Errorf("letters and digits of the body (-) not found once in paragraphs, dropped lines, sections and overlaps (+):\n%s\nbody: %q\nparagraphs: %q\ntrace: %+v", diff, body, texts, tr)
		}
	})
}
