package corpus_test

import (
	"fmt"

	"github.com/scosearch/scosearch/index/corpus"
)

// A PDF extraction with a running header inside a sentence, a page break
// that duplicated a character, a section numeral and a truncated end.
func ExampleParse() {
	text := "成员国领导人于2019年6月14日在比什凯克举行会议，并声明如下：\n\n" +
		"成员国强调，应共同构建开放型世界经济\n\n" +
		"比什凯克宣言\n\n" +
		"济，不断巩固多边贸易体系。\n\n" +
		"三\n\n" +
		"成员国"
	doc, err := corpus.Parse("2019-bishkek.zh.txt", []byte(text), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.ID, doc.Title, doc.Date, doc.Place, doc.Lang)
	for _, p := range doc.Paragraphs {
		fmt.Printf("%d [%s] %s\n", p.N, p.Section, p.Text)
	}
	// Output:
	// 2019-bishkek 比什凯克宣言 2019-06-14 比什凯克 zh
	// 1 [] 成员国领导人于2019年6月14日在比什凯克举行会议，并声明如下：
	// 2 [] 成员国强调，应共同构建开放型世界经济，不断巩固多边贸易体系。
	// 3 [三] 成员国
}

// Metadata given in a sidecar file wins over what is inferred.
func ExampleParse_sidecar() {
	sidecar := "title: 上海合作组织成员国元首理事会比什凯克宣言\nplace: 比什凯克\n"
	doc, err := corpus.Parse("declaration.txt", []byte("成员国认为，合作十分重要。"), []byte(sidecar))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s | %s | %s | %q\n", doc.ID, doc.Title, doc.Place, doc.Date)
	// Output:
	// declaration | 上海合作组织成员国元首理事会比什凯克宣言 | 比什凯克 | ""
}
