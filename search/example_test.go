package search_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
)

// exampleIndex builds the bundled corpus into a temporary directory and
// returns it with a function removing it.
func exampleIndex() (string, func()) {
	dir, err := os.MkdirTemp("", "scosearch-example-")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := index.Build(context.Background(), "../testdata/corpus", dir, index.BuildOptions{}); err != nil {
		log.Fatal(err)
	}
	return dir, func() { os.RemoveAll(dir) }
}

// Open an index and search it: 乔蓬阿塔, a name no dictionary knows, is
// found, and the snippet marks it.
func Example() {
	dir, cleanup := exampleIndex()
	defer cleanup()

	engine, err := search.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()

	res, err := engine.Search(context.Background(), search.Request{Query: "乔蓬阿塔 会议", Sort: search.SortDate})
	if err != nil {
		log.Fatal(err)
	}
	// Paragraphs holding every word come first; as they are fewer than a
	// page, paragraphs holding some of the words follow, saying which
	// words they miss.
	fmt.Println(res.Complete, "of", res.Total, "paragraphs hold every word")
	for _, h := range res.Hits[:3] {
		fmt.Println(h.ID, h.Date, h.Place, h.Match, h.Missing)
		fmt.Println(h.Snippets[0])
	}
	// Output:
	// 2 of 11 paragraphs hold every word
	// 2019-bishkek-declaration-p42 2019-06-14 比什凯克 all []
	// …,深化各领域禁毒合作,共同应对国际和地区毒品问题。为此,成员国欢迎签署《(2018—2023年上合组织成员国禁毒战略落实行动计划)2019—2021年工作计划》,以及2019年4月25日在<mark>乔蓬阿塔</mark>举行的上合组织成员国禁毒部门领导人<mark>会议</mark>成果。
	// 2019-bishkek-declaration-p46 2019-06-14 比什凯克 all []
	// 成员国重申,将开展立法和司法监督方面务实合作,加强审判和司法鉴定独立性。成员国肯定2018年8月24日在<mark>乔蓬阿塔</mark>举行的成员国司法部长<mark>会议</mark>和2018年9月20日在杜尚别举行的上合组织总检察长<mark>会议</mark>成果。
	// 2019-bishkek-declaration-p1 2019-06-14 比什凯克 partial [乔蓬阿塔]
	// 上海合作组织(以下称“上合组织”或“本组织”)成员国领导人于2019年6月14日在比什凯克举行元首理事会<mark>会议</mark>,并声明如下:
}

// Filters narrow a search by section, year, document, language or date,
// in the query or in the Request; an unparsable query is an ErrBadQuery.
func ExampleEngine_Search_filters() {
	dir, cleanup := exampleIndex()
	defer cleanup()
	engine, err := search.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()

	for _, req := range []search.Request{
		{Query: "旅游 section:五 date:2019-01-01..2019-12-31"},
		{Query: `"上合组织" -合作`, Section: "三"},
		{Query: "旅游 date:2020-01-01.."},
		{Query: "旅游 date:2019-02-30"},
	} {
		res, err := engine.Search(context.Background(), req)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Print(res.Total, ":")
		for _, h := range res.Hits {
			fmt.Print(" ", h.Section, h.Paragraph)
		}
		fmt.Println()
	}
	// Output:
	// 2: 五75 五72
	// 1: 三63
	// 0:
	// bad query: bad date "2019-02-30": want YYYY-MM-DD, YYYY-MM or YYYY, e.g. date:2019-01-01..2019-12-31
}

// Pages follow each other without gaps or repeats: ties are broken by
// document and paragraph number.
func ExampleEngine_Search_paging() {
	dir, cleanup := exampleIndex()
	defer cleanup()
	engine, err := search.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()

	for from := 0; from < 6; from += 4 {
		res, err := engine.Search(context.Background(), search.Request{Query: "禁毒", Size: 4, From: from, Sort: search.SortDate})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("hits %d-%d of %d:", from+1, from+len(res.Hits), res.Total)
		for _, h := range res.Hits {
			fmt.Print(" ¶", h.Paragraph)
		}
		fmt.Println()
	}
	// Output:
	// hits 1-4 of 6: ¶39 ¶40 ¶41 ¶42
	// hits 5-6 of 6: ¶43 ¶44
}
