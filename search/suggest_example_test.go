package search_test

import (
	"context"
	"fmt"
	"log"

	"github.com/scosearch/scosearch/search"
)

// Suggest completes the last word typed from the words of the index, most
// results first; each Count is what a Search for the Text finds. Traditional
// input gets simplified completions, and the words before the last one
// stay as typed.
func ExampleEngine_Suggest() {
	dir, cleanup := exampleIndex()
	defer cleanup()
	engine, err := search.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()

	for _, prefix := range []string{"上合", "上海合作組", "阿富汗 合", "上合\xff"} {
		sugs, err := engine.Suggest(context.Background(), prefix, 3)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Print(prefix, " →")
		for _, s := range sugs {
			fmt.Printf(" %s (%d)", s.Text, s.Count)
		}
		fmt.Println()
	}
	// Output:
	// 上合 → 上合组织 (41) 上合组织秘书处 (3) 上合组织宪章 (2)
	// 上海合作組 → 上海合作组织 (41) 上海合作组织秘书处 (3) 上海合作组织宪章 (2)
	// 阿富汗 合 → 阿富汗 合作 (2)
	// bad query: prefix is not valid UTF-8
}
