package search_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
)

// The timeline of a formulation: the paragraphs holding it, year by year,
// and where it appears first. The multi-document test corpus spans
// 2015-2024.
func ExampleEngine_Trends() {
	dir, cleanup := exampleIndexOf("../testdata/sco")
	defer cleanup()
	engine, err := search.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()

	t, err := engine.Trends(context.Background(), `"一带一路"`)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Total, "paragraphs,", *t.Occurrences, "occurrences")
	for _, y := range t.Years {
		if y.Paragraphs > 0 {
			fmt.Println(y.Year, y.Paragraphs)
		}
	}
	fmt.Println("first:", t.First.Doc, t.First.Paragraph)
	// Output:
	// 6 paragraphs, 8 occurrences
	// 2016 1
	// 2018 1
	// 2021 1
	// 2022 1
	// 2023 1
	// 2024 1
	// first: 2016-tashkent-declaration 10
}

// Compare two documents paragraph by paragraph: what changed between the
// 2022 and 2023 declarations, word by word.
func ExampleEngine_Compare() {
	dir, cleanup := exampleIndexOf("../testdata/sco")
	defer cleanup()
	engine, err := search.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()

	c, err := engine.Compare(context.Background(), "2022-samarkand-declaration", "2023-new-delhi-declaration")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", c.Summary)
	for _, p := range c.Pairs {
		if p.Status == search.PairChanged && *p.A == 20 {
			fmt.Println(*p.A, *p.B, p.Similarity, p.Diff)
		}
	}
	// Output:
	// {Same:0 Changed:4 Added:11 Removed:16}
	// 20 15 0.727 [{equal 成员国决定由} {delete 印度共和国} {insert 哈萨克斯坦共和国} {equal 接任主席国。}]
}

// exampleIndexOf builds corpus into a temporary directory and returns it
// with a function removing it.
func exampleIndexOf(corpus string) (string, func()) {
	dir, err := os.MkdirTemp("", "scosearch-example-")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := index.Build(context.Background(), corpus, dir, index.BuildOptions{}); err != nil {
		os.RemoveAll(dir)
		log.Fatal(err)
	}
	return dir, func() { os.RemoveAll(dir) }
}
