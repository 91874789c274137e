package zh

import (
	"strings"
	"unicode/utf8"
)

// Unit is one requirement of an unquoted query word, as a user types it:
// 上合组织怎么看阿富汗问题 is the units 上合组织, 怎么 (a question word),
// 看 (a function word), 阿富汗 and 问题.
type Unit struct {
	// Text is the unit in the folded query.
	Text string
	// Alts are the folded forms that satisfy the unit: Text first, then
	// the other members of its synonym group (上合组织: 上海合作组织, ...).
	Alts []string
	// Stop marks a question or function word (怎么, 什么, 的, 吗, 关于, ...):
	// it is never required.
	Stop bool
}

// stopWords are question and function words: a question typed as a
// sentence (醉驾怎么处罚, 离婚冷静期多久, 禁毒方面有哪些合作) would match
// nothing if they were required, and they carry no topic. Folded
// (simplified) forms.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		怎么 怎样 怎么样 怎么办 如何 什么 啥 哪些 哪个 哪里 哪儿 哪 哪一年 哪年 哪一 谁 为什么 为何 何时 何种 多久 多少 多长
		几 几年 是否 能否 可否 有没有 是不是 能不能 会不会 可不可以 要不要 吗 呢 吧 啊 呀 么 嘛
		的 了 着 过 地 得 之 所 关于 方面 有关 对于 对 和 与 及 或 或者 以及 跟 同 在 是 有 被 把 将 也 都 就 还 又 再
		说 说了 讲 谈 谈到 提到 提 看 看待 怎么看 认为 请问 一下 要 能 可以 会 应该 应当是 该 这 那 这个 那个 这些 那些 些
		做 做了 做过 干 搞
		我 你 他 她 它 我们 你们 他们 其 哪方面 方面的 有哪些 是什么 什么样 怎么说 立场 态度 时候 情况 内容
	`) {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether the folded word w is a question or function
// word that a query never requires.
func IsStopWord(w string) bool { return stopWords[w] }

// Units splits an unquoted query word into its units: members of the
// synonyms list (found anywhere in a longer word when they have three or
// more characters, so 上合组织宪章 holds 上合组织; two-character members
// only as whole gse words, so 苏联大使 does not hold 联大), and between
// them gse's words, a run of single characters that gse does not know as
// words (乔/蓬/阿/塔) kept together as one unit. Punctuation and spaces
// separate units and are dropped. If every unit is a stop word, none is
// marked Stop: a query of only 什么 still searches for it.
func Units(q string) []Unit {
	if len(q) > maxVariantsInput {
		q = q[:maxVariantsInput]
		for len(q) > 0 && !utf8.ValidString(q) {
			q = q[:len(q)-1]
		}
	}
	f := Fold(q)
	seg, err := segmenter()
	var words []string // gse words of f, in order, with their byte spans
	var starts, ends []int
	if err == nil {
		for _, s := range seg.Segment([]byte(f)) {
			words = append(words, f[s.start:s.end])
			starts = append(starts, s.start)
			ends = append(ends, s.end)
		}
	} else { // no dictionary: one word per run of key runes
		for i, r := range f {
			words = append(words, string(r))
			starts = append(starts, i)
			ends = append(ends, i+utf8.RuneLen(r))
		}
	}
	boundary := map[int]bool{}
	for i := range words {
		boundary[starts[i]] = true
		boundary[ends[i]] = true
	}
	sg := synonyms()
	var units []Unit
	var run strings.Builder // pending single characters
	flush := func() {
		if run.Len() > 0 {
			units = append(units, newUnit(run.String(), sg))
			run.Reset()
		}
	}
	// member returns the synonym-list member at byte i of f, or "".
	member := func(i int) string {
		for _, m := range sg.members {
			if !strings.HasPrefix(f[i:], m) {
				continue
			}
			if utf8.RuneCountInString(m) >= 3 || boundary[i] && boundary[i+len(m)] {
				return m
			}
		}
		return ""
	}
	for w := 0; w < len(words); {
		// A member may start inside a gse word (宪章 after 上合组织 in
		// one segment): look for one at each rune of this word.
		found := false
		for i := starts[w]; i < ends[w]; {
			if m := member(i); m != "" {
				if i > starts[w] {
					addWord(&units, &run, f[starts[w]:i], flush)
				}
				flush()
				units = append(units, newUnit(m, sg))
				end := i + len(m)
				// skip the words the member covers; a word it ends
				// inside keeps its rest
				for w < len(words) && ends[w] <= end {
					w++
				}
				if w < len(words) && starts[w] < end {
					starts[w] = end
				}
				found = true
				break
			}
			_, n := utf8.DecodeRuneInString(f[i:])
			i += n
		}
		if found {
			continue
		}
		addWord(&units, &run, f[starts[w]:ends[w]], flush)
		w++
	}
	flush()
	allStop := true
	for _, u := range units {
		allStop = allStop && u.Stop
	}
	if allStop {
		for i := range units {
			units[i].Stop = false
		}
	}
	return units
}

// addWord adds one gse word to units: a word without letters or digits is
// dropped, a single character joins the pending run, a longer word ends
// the run and becomes a unit of its own.
func addWord(units *[]Unit, run *strings.Builder, w string, flush func()) {
	if Key(w) == "" {
		flush()
		return
	}
	if stopWords[w] {
		flush()
		*units = append(*units, Unit{Text: w, Alts: []string{w}, Stop: true})
		return
	}
	if utf8.RuneCountInString(w) == 1 {
		run.WriteString(w)
		return
	}
	flush()
	*units = append(*units, newUnit(w, synonyms()))
}

// newUnit makes the unit of the folded text w, with its synonyms.
func newUnit(w string, sg *synonymGroups) Unit {
	u := Unit{Text: w, Alts: []string{w}}
	if g, ok := sg.group[w]; ok {
		for _, m := range sg.groups[g] {
			if m != w {
				u.Alts = append(u.Alts, m)
			}
		}
	}
	return u
}

// Parts returns smaller pieces of the folded word w, for finding
// paragraphs that hold part of a word the corpus lacks as a whole: the
// sub-words that the index holds inside it (gse's search-mode segments of
// two or more characters: 网络安全 → 网络, 安全), or, when gse has none,
// its character bigrams (乔蓬阿塔 → 乔蓬, 蓬阿, 阿塔; bigrams is then true),
// each once. A word of fewer than three characters has no parts.
func Parts(w string) (parts []string, bigrams bool) {
	f := Fold(w)
	if utf8.RuneCountInString(Key(f)) < 3 {
		return nil, false
	}
	seen := map[string]bool{f: true}
	var out []string
	if seg, err := segmenter(); err == nil {
		for _, t := range (&wordTokenizer{seg: seg, subWords: true}).Tokenize([]byte(f)) {
			term := string(t.Term)
			if utf8.RuneCountInString(term) >= 2 && !seen[term] {
				seen[term] = true
				out = append(out, term)
			}
		}
	}
	if len(out) > 0 {
		return out, false
	}
	rs := []rune(ExactKey(f))
	for i := 0; i+1 < len(rs); i++ {
		if b := string(rs[i : i+2]); !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	return out, true
}
