package corpus

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	archiveutil "github.com/scosearch/scosearch/internal/archive"
)

// lawsArchive is the big Markdown corpus shared by the project's sessions;
// it is not part of the repository.
const lawsArchive = "../../../shared/bench/laws-zh-2f4c5c2.tar.gz"

// unpack extracts the regular files and directories of a .tar.gz into dir.
func unpack(t testing.TB, archive, dir string) {
	t.Helper()
	if err := archiveutil.Unpack(archive, dir); err != nil {
		t.Fatal(err)
	}
}

// TestReadDirLawsCorpus ingests the whole laws corpus (3,504 Markdown
// files): every file is a document or a clear problem, nothing panics.
func TestReadDirLawsCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the laws corpus")
	}
	if _, err := os.Stat(lawsArchive); err != nil {
		t.Skipf("laws corpus not available (%v): it lives outside the repository, in ../shared/bench", err)
	}
	dir := t.TempDir()
	unpack(t, lawsArchive, dir)

	files := 0
	start := time.Now()
	docs, problems, err := ReadDir(dir, Options{OnScan: func(n int, _ int64) { files = n }})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs)+len(problems) != files {
		t.Errorf("%d documents + %d problems != %d files", len(docs), len(problems), files)
	}
	if len(docs) < 3400 {
		t.Errorf("only %d documents ingested", len(docs))
	}
	paragraphs, bytes, withSections, withDates := 0, 0, 0, 0
	for _, d := range docs {
		if d.Title == "" || d.Lang == "" || !utf8.ValidString(d.Title) {
			t.Errorf("%s: title %q, lang %q", d.Source, d.Title, d.Lang)
		}
		if d.Date != "" {
			withDates++
		}
		for _, p := range d.Paragraphs {
			paragraphs++
			bytes += len(p.Text)
			if p.Text == "" || !utf8.ValidString(p.Text) || strings.Contains(p.Text, "<!--") {
				t.Errorf("%s paragraph %d: %q", d.Source, p.N, p.Text)
			}
			if p.Section != "" {
				withSections++
			}
		}
	}
	// The corpus's only problems are files without a body: the _index.md
	// files of the sections and a few laws whose text is missing.
	for _, p := range problems {
		if !errors.Is(p.Err, ErrNoParagraphs) {
			t.Errorf("unexpected problem: %v", p)
		}
	}
	t.Logf("laws corpus: %d files, %d documents (%d dated), %d paragraphs (%d in a section, %.1f MB of text), %d problems, ReadDir took %v",
		files, len(docs), withDates, paragraphs, withSections, float64(bytes)/1e6, len(problems), elapsed.Round(time.Millisecond))
}

func BenchmarkReadDirLaws(b *testing.B) {
	if _, err := os.Stat(lawsArchive); err != nil {
		b.Skipf("laws corpus not available: %v", err)
	}
	dir := b.TempDir()
	unpack(b, lawsArchive, dir)
	b.ResetTimer()
	for b.Loop() {
		docs, _, err := ReadDir(dir, Options{})
		if err != nil || len(docs) == 0 {
			b.Fatal(fmt.Errorf("ReadDir: %d docs, %v", len(docs), err))
		}
	}
}
