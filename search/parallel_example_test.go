package search_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/scosearch/scosearch/search"
)

// Align a document with its translation: the bundled Bishkek declaration
// (76 paragraphs) and a Russian translation of its opening, which splits
// paragraph 3 in two and leaves out paragraph 6.
func ExampleEngine_Parallel() {
	corpus, err := os.MkdirTemp("", "scosearch-example-corpus-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(corpus)
	for _, f := range []string{"../testdata/corpus/2019-bishkek-declaration.zh.txt", "../testdata/parallel/2019-bishkek-declaration.ru.txt"} {
		data, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(corpus, filepath.Base(f)), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	dir, cleanup := exampleIndexOf(corpus)
	defer cleanup()
	engine, err := search.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()

	ctx := context.Background()
	doc, err := engine.DocumentPage(ctx, "2019-bishkek-declaration", "", 0, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(doc.ID, "translations:", doc.Translations)
	p, err := engine.Parallel(ctx, doc.ID, doc.Translations[0])
	if err != nil {
		log.Fatal(err)
	}
	for _, pair := range p.Pairs[:7] {
		fmt.Println(pair.A, "↔", pair.B)
	}
	fmt.Println(len(p.Pairs), "rows")
	// Output:
	// 2019-bishkek-declaration translations: [2019-bishkek-declaration.ru]
	// [1] ↔ [1]
	// [2] ↔ [2]
	// [3] ↔ [3 4]
	// [4] ↔ [5]
	// [5] ↔ [6]
	// [6] ↔ []
	// [7] ↔ [7]
	// 76 rows
}
