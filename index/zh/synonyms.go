package zh

import (
	_ "embed"
	"strings"
	"sync"
)

// synonymsText is the synonyms list, see synonyms.txt for the format.
//
//go:embed synonyms.txt
var synonymsText string

// maxVariantsInput bounds the length in bytes of a query Variants looks
// into; a longer one is returned alone.
const maxVariantsInput = 4096

// MaxVariants bounds the number of forms Variants returns.
const MaxVariants = 8

// synonymGroups is the parsed synonyms list, built once per process.
type synonymGroups struct {
	groups  [][]string     // folded members of each group
	members []string       // every member, longest first
	group   map[string]int // member -> index in groups
}

var synonyms = sync.OnceValue(func() *synonymGroups { return parseSynonyms(synonymsText) })

// parseSynonyms parses the synonyms format: groups separated by newlines
// or ';', members by spaces, '#' comments. A member listed in two groups
// belongs to the first; groups of fewer than two members are ignored.
func parseSynonyms(text string) *synonymGroups {
	sg := &synonymGroups{group: make(map[string]int)}
	for _, line := range strings.Split(text, "\n") {
		line, _, _ = strings.Cut(line, "#")
		for _, g := range strings.Split(line, ";") {
			var members []string
			for _, m := range strings.Fields(g) {
				m = Fold(m)
				if _, dup := sg.group[m]; dup {
					continue
				}
				sg.group[m] = len(sg.groups)
				members = append(members, m)
			}
			if len(members) < 2 {
				for _, m := range members {
					delete(sg.group, m)
				}
				continue
			}
			sg.groups = append(sg.groups, members)
			sg.members = append(sg.members, members...)
		}
	}
	// Longest first, so that matching is leftmost-longest (联合国安理会
	// before 安理会).
	sortByLenDesc(sg.members)
	return sg
}

func sortByLenDesc(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && len(s[j]) > len(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// SynonymTerms returns every member of the synonyms list, folded, longest
// first (a new slice each call).
func SynonymTerms() []string { return append([]string(nil), synonyms().members...) }

// Variants returns q followed by the forms of q with abbreviations from
// the synonyms list expanded or contracted (上合组织 ↔ 上海合作组织,
// 联大 ↔ 联合国大会, 安理会 ↔ 联合国安理会), at most MaxVariants forms, without
// duplicates. Matching is on Fold(q), leftmost-longest, so the variants
// other than q are folded text. A q without a listed term gives []string{q}.
func Variants(q string) []string {
	sg := synonyms()
	if len(q) > maxVariantsInput {
		return []string{q}
	}
	f := Fold(q)
	// A member is replaced only where it is a whole word of f (苏联大使
	// holds 联大 but is 苏联/大使): word boundaries from gse, or every
	// position if the dictionary cannot be loaded.
	var boundary func(i int) bool
	if seg, err := segmenter(); err == nil {
		at := make(map[int]bool)
		for _, s := range seg.Segment([]byte(f)) {
			at[s.start] = true
			at[s.end] = true
		}
		boundary = func(i int) bool { return at[i] }
	} else {
		boundary = func(int) bool { return true }
	}
	// Cut f into literal pieces and slots holding a group member.
	type piece struct {
		lit   string
		group int // -1 for a literal
	}
	var pieces []piece
	lit := 0
	for i := 0; i < len(f); {
		m := sg.matchAt(f, i, boundary)
		if m == "" {
			i++ // byte steps are safe: members are valid UTF-8, matched at byte i
			continue
		}
		if lit < i {
			pieces = append(pieces, piece{f[lit:i], -1})
		}
		pieces = append(pieces, piece{m, sg.group[m]})
		i += len(m)
		lit = i
	}
	out := []string{q}
	if len(pieces) == 0 {
		return out
	}
	if lit < len(f) {
		pieces = append(pieces, piece{f[lit:], -1})
	}
	seen := map[string]bool{f: true}
	// Expand slot by slot, keeping at most MaxVariants partial forms: the
	// first partial form always keeps the original members, so q's own
	// form leads and forms changing earlier slots come first.
	partial := []string{""}
	for _, p := range pieces {
		var next []string
		for _, prefix := range partial {
			if p.group < 0 {
				next = append(next, prefix+p.lit)
				continue
			}
			next = append(next, prefix+p.lit)
			for _, alt := range sg.groups[p.group] {
				if alt != p.lit && len(next) < MaxVariants {
					next = append(next, prefix+alt)
				}
			}
		}
		if len(next) > MaxVariants {
			next = next[:MaxVariants]
		}
		partial = next
	}
	for _, v := range partial {
		if !seen[v] && len(out) < MaxVariants {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// matchAt returns the longest member that f has at byte offset i as a
// whole word, or "".
func (sg *synonymGroups) matchAt(f string, i int, boundary func(int) bool) string {
	if !boundary(i) {
		return ""
	}
	for _, m := range sg.members {
		if strings.HasPrefix(f[i:], m) && boundary(i+len(m)) {
			return m
		}
	}
	return ""
}
