package zh

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// loop runs f b.N times and reports, besides ns/op and MB/s of wall time,
// "cpu-MB/s": bytes per second of process CPU time (all threads, GC
// included), which stays comparable when other processes load the
// machine.
func loop(b *testing.B, bytes int, f func()) {
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPUTime()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	b.StopTimer()
	if cpu := processCPUTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(bytes)*float64(n)/1e6/(float64(cpu)/float64(time.Second)), "cpu-MB/s")
	}
}

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
	loop(b, len(text), func() { a.Analyze(text) })
}

func benchAnalyzerParagraphs(b *testing.B, name string) {
	a := analyzer(b, name)
	paras, n := benchParagraphs(b)
	loop(b, n, func() {
		for _, p := range paras {
			a.Analyze(p)
		}
	})
}

func BenchmarkGseSegment(b *testing.B) {
	seg, err := segmenter()
	if err != nil {
		b.Fatal(err)
	}
	text := benchText(b)
	loop(b, len(text), func() { seg.Segment(text) })
}

func BenchmarkGseSegmentParagraphs(b *testing.B) {
	seg, err := segmenter()
	if err != nil {
		b.Fatal(err)
	}
	paras, n := benchParagraphs(b)
	loop(b, n, func() {
		for _, p := range paras {
			seg.Segment(p)
		}
	})
}

func BenchmarkAnalyzerWord(b *testing.B)      { benchAnalyzer(b, AnalyzerWord) }
func BenchmarkAnalyzerWordQuery(b *testing.B) { benchAnalyzer(b, AnalyzerWordQuery) }
func BenchmarkAnalyzerBigram(b *testing.B)    { benchAnalyzer(b, AnalyzerBigram) }

func BenchmarkAnalyzerWordParagraphs(b *testing.B)   { benchAnalyzerParagraphs(b, AnalyzerWord) }
func BenchmarkAnalyzerBigramParagraphs(b *testing.B) { benchAnalyzerParagraphs(b, AnalyzerBigram) }

func BenchmarkFold(b *testing.B) {
	text := benchText(b)
	var f folded
	loop(b, len(text), func() { foldText(&f, text) })
}

// BenchmarkDictionaryOpen opens the embedded compiled dictionary, as every
// process does once (checking its inputs' hash).
func BenchmarkDictionaryOpen(b *testing.B) {
	loop(b, 0, func() {
		if _, err := openDictionary(compiledDict); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkTextDictionaryLoad loads gse's text dictionary and the user
// entries, as every process did before the compiled dictionary (and as
// the fallback for a stale one still does). Run with -benchtime 3x.
func BenchmarkTextDictionaryLoad(b *testing.B) {
	loop(b, 0, func() {
		if _, err := loadGse(); err != nil {
			b.Fatal(err)
		}
	})
}
