package web

import (
	"errors"
	"fmt"

	"github.com/scosearch/scosearch/search"
)

// queryMessages are the Chinese messages of the search package's query
// error codes; %[1]s is the text concerned (QueryError.Arg).
var queryMessages = map[string]string{
	search.CodeEmpty:           "检索式为空：请输入要查找的词语。",
	search.CodeTooLong:         "检索式过长：最多 %[1]s 个字符。",
	search.CodeInvalidUTF8:     "检索式含有无法识别的字符（不是有效的 UTF-8）。",
	search.CodeUnbalancedQuote: "引号不成对：这个 %[1]s 没有对应的结束引号。",
	search.CodeUnbalancedParen: "括号不成对：这个 %[1]s 没有对应的括号。",
	search.CodeEmptyParens:     "括号内没有内容。",
	search.CodeTooDeep:         "括号嵌套过深：最多 %[1]s 层。",
	search.CodeTooManyTerms:    "检索词过多：最多 %[1]s 个词语、短语和筛选条件。",
	search.CodeNoLetters:       "「%[1]s」中没有可检索的文字或数字。",
	search.CodeOnlyExcludes:    "检索式只有排除条件（-）：请再加一个要查找的词。",
	search.CodeORLeft:          "OR 左边缺少检索词。",
	search.CodeORRight:         "OR 右边缺少检索词。",
	search.CodeNotInOR:         "OR 中不能使用排除号 -；要同时排除两个词，请写 -(甲 OR 乙)。",
	search.CodeSignAlone:       "%[1]s 后面缺少检索词。",
	search.CodeWildcard:        "不支持通配符 *（「%[1]s」）：检索词本来就会匹配更长词语中的部分。",
	search.CodeEmptyPhrase:     "引号内没有内容。",
	search.CodeUnexpected:      "此处不应出现 %[1]s。",
	search.CodeUnknownField:    "没有「%[1]s」这个筛选字段：可用 doc、year、section、lang、place、date。",
	search.CodeMissingValue:    "筛选字段 %[1]s: 后面缺少取值。",
	search.CodeBadYear:         "年份「%[1]s」有误：请写四位数字，例如 year:2019。",
	search.CodeBadDate:         "日期「%[1]s」有误：请写 年-月-日、年-月 或 年，例如 date:2019-01-01..2019-12-31。",
	search.CodeBadRange:        "范围「%[1]s」有误：请写 起..止，至少给出一端，且起点不晚于终点。",
	search.CodeBadSize:         "每页条数 %[1]s 超出范围。",
	search.CodeBadFrom:         "起始位置 %[1]s 超出范围。",
	search.CodeBadSort:         "排序方式「%[1]s」无效：请选相关度或日期。",
}

// chineseMessage returns the message of a user's mistake for a Chinese
// page: the query error's code in Chinese (with the position when known),
// a parameter error's Chinese text, or msg.
func chineseMessage(err error, msg string) string {
	var qe *search.QueryError
	if errors.As(err, &qe) {
		format, ok := queryMessages[qe.Code]
		if !ok {
			return msg
		}
		out := fmt.Sprintf(format, qe.Arg)
		if qe.At > 0 {
			out += fmt.Sprintf("（第 %d 个字符处）", qe.At)
		}
		return out
	}
	var ue *userError
	if errors.As(err, &ue) && ue.zh != "" {
		return ue.zh
	}
	return msg
}
