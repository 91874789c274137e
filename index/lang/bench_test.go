package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/registry"
)

// benchTexts returns the paragraphs of the test corpora's files in
// language code (testdata/sco and any testdata/*/ directory), for
// analysis throughput: every paragraph is analysed in turn, none twice in
// a row.
func benchTexts(b *testing.B, code string) []string {
	files, _ := filepath.Glob("../../testdata/*/*." + code + ".txt")
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range strings.Split(string(data), "\n\n") {
			if p = strings.TrimSpace(p); p != "" && !strings.HasPrefix(p, "---") {
				out = append(out, p)
			}
		}
	}
	if len(out) < 5 {
		b.Skipf("only %d %s paragraphs in testdata", len(out), code)
	}
	return out
}

// benchAnalyzer analyses the texts with the named analyzer, b.N
// paragraphs in all, and reports MB/s.
func benchAnalyzer(b *testing.B, name string, texts []string) {
	a, err := registry.NewCache().AnalyzerNamed(name)
	if err != nil {
		b.Fatal(err)
	}
	data := make([][]byte, len(texts))
	size := 0
	for i, t := range texts {
		data[i] = []byte(t)
		size += len(t)
	}
	b.SetBytes(int64(size / len(texts)))
	b.ResetTimer()
	var tokens int
	for i := 0; i < b.N; i++ {
		tokens += len(a.Analyze(data[i%len(data)]))
	}
	b.ReportMetric(float64(tokens)/float64(b.N), "tokens/op")
}

// BenchmarkAnalyzeRussian: scosearch's Russian word analysis (folding,
// stop words, Snowball) and exact analysis beside bleve's plain "ru"
// analyzer, on the same paragraphs.
func BenchmarkAnalyzeRussian(b *testing.B) {
	texts := benchTexts(b, "ru")
	b.Run("scosearch_ru_word", func(b *testing.B) { benchAnalyzer(b, AnalyzerRuWord, texts) })
	b.Run("scosearch_ru_exact", func(b *testing.B) { benchAnalyzer(b, AnalyzerRuExact, texts) })
	b.Run("bleve_ru", func(b *testing.B) { benchAnalyzer(b, ru.AnalyzerName, texts) })
}

// BenchmarkAnalyzeEnglish: the same for English beside bleve's "en".
func BenchmarkAnalyzeEnglish(b *testing.B) {
	texts := benchTexts(b, "en")
	b.Run("scosearch_en_word", func(b *testing.B) { benchAnalyzer(b, AnalyzerEnWord, texts) })
	b.Run("scosearch_en_exact", func(b *testing.B) { benchAnalyzer(b, AnalyzerEnExact, texts) })
	b.Run("bleve_en", func(b *testing.B) { benchAnalyzer(b, en.AnalyzerName, texts) })
}
