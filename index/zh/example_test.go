package zh_test

import (
	"fmt"

	"github.com/scosearch/scosearch/index/zh"
)

func ExampleFold() {
	fmt.Println(zh.Fold("ＳＣＯ２０１９，上海合作組織"))
	// Output: sco2019,上海合作组织
}

func ExampleKey() {
	fmt.Println(zh.Key("《上合組織憲章》，第 １ 条"))
	// Output: 上合组织宪章第1条
}

func ExampleVariants() {
	fmt.Println(zh.Variants("上合组织峰会"))
	fmt.Println(zh.Variants("联大决议"))
	// Output:
	// [上合组织峰会 上海合作组织峰会 sco峰会 шос峰会]
	// [联大决议 联合国大会决议]
}
