package zh

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzAnalyzers checks that no analyzer panics and that every token keeps
// the invariants of checkTokens, for any input including invalid UTF-8.
// The seed corpus (the golden inputs, lines of the bundled declaration and
// testdata/fuzz/FuzzAnalyzers) runs with every go test.
func FuzzAnalyzers(f *testing.F) {
	for _, in := range goldenInputs {
		f.Add(in.text)
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "2019-bishkek-declaration.zh.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		if i%10 == 0 && line != "" {
			f.Add(line)
		}
	}
	var analyzers []namedAnalyzer
	for _, name := range goldenAnalyzers {
		analyzers = append(analyzers, namedAnalyzer{name, analyzer(f, name)})
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, a := range analyzers {
			checkTokens(t, text, a.Analyze([]byte(text)))
		}
		if k := Key(text); !strings.Contains(k, Key(k)) {
			t.Fatalf("Key not idempotent on %q", text)
		}
		if k := ExactKey(text); k != ExactKey(k) {
			t.Fatalf("ExactKey not idempotent on %q", text)
		}
		if len(Variants(text)) == 0 {
			t.Fatalf("no variants for %q", text)
		}
	})
}
