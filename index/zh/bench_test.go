package zh

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// benchText is the bundled declaration repeated to about 1 MB.
func benchText(b *testing.B) []byte {
	b.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "2019-bishkek-declaration.zh.txt"))
	if err != nil {
		b.Fatal(err)
	}
	return bytes.Repeat(doc, (1<<20)/len(doc)+1)
}

// benchParagraphs is benchText cut into its paragraphs (on blank lines),
// as the index analyses it.
func benchParagraphs(b *testing.B) ([][]byte, int) {
	var paras [][]byte
	n := 0
	for _, p := range bytes.Split(benchText(b), []byte("\n\n")) {
		if p = bytes.TrimSpace(p); len(p) > 0 {
			paras = append(paras, p)
			n += len(p)
		}
	}
	return paras, n
}

func benchAnalyzer(b *testing.B, name string) {
	a := analyzer(b, name)
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		a.Analyze(text)
	}
}

func benchAnalyzerParagraphs(b *testing.B, name string) {
	a := analyzer(b, name)
	paras, n := benchParagraphs(b)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range paras {
			a.Analyze(p)
		}
	}
}

func BenchmarkGseSegment(b *testing.B) {
	seg, err := segmenter()
	if err != nil {
		b.Fatal(err)
	}
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		seg.Segment(text)
	}
}

func BenchmarkGseSegmentParagraphs(b *testing.B) {
	seg, err := segmenter()
	if err != nil {
		b.Fatal(err)
	}
	paras, n := benchParagraphs(b)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range paras {
			seg.Segment(p)
		}
	}
}

func BenchmarkAnalyzerWord(b *testing.B)      { benchAnalyzer(b, AnalyzerWord) }
func BenchmarkAnalyzerWordQuery(b *testing.B) { benchAnalyzer(b, AnalyzerWordQuery) }
func BenchmarkAnalyzerBigram(b *testing.B)    { benchAnalyzer(b, AnalyzerBigram) }

func BenchmarkAnalyzerWordParagraphs(b *testing.B)   { benchAnalyzerParagraphs(b, AnalyzerWord) }
func BenchmarkAnalyzerBigramParagraphs(b *testing.B) { benchAnalyzerParagraphs(b, AnalyzerBigram) }

func BenchmarkFold(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var f folded
	for b.Loop() {
		foldText(&f, text)
	}
}
