package zh

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// foldTable maps every rune below 0x10000 to its folded form; it is built
// once per process (about 256 KB, a few milliseconds) on first use.
// Supplementary-plane runes go through foldSlow.
var foldTable = sync.OnceValue(func() *[0x10000]rune {
	var t [0x10000]rune
	t2s := t2sMap()
	for r := range rune(len(t)) {
		t[r] = foldRune(r, t2s)
	}
	return &t
})

// t2sSupplementary holds the traditional -> simplified pairs whose
// traditional rune is outside the BMP (the few that exist), built once.
var t2sSupplementary = sync.OnceValue(func() map[rune]rune {
	m := make(map[rune]rune)
	for t, s := range t2sMap() {
		if t >= 0x10000 {
			m[t] = s
		}
	}
	return m
})

// t2sMap decodes t2sPairs.
func t2sMap() map[rune]rune {
	m := make(map[rune]rune, 4200)
	s := t2sPairs
	for len(s) > 0 {
		t, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		m[t] = r
	}
	return m
}

// foldRune folds one rune: width (full-width to half-width, half-width
// katakana to full-width), then lower case, then traditional to simplified;
// the Russian ё is folded to е (Russian texts mostly write е for it).
func foldRune(r rune, t2s map[rune]rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if r == utf8.RuneError {
		return r
	}
	if f := width.LookupRune(r).Folded(); f != 0 {
		r = f
	}
	r = unicode.ToLower(r)
	if r == 'ё' {
		return 'е'
	}
	if s, ok := t2s[r]; ok {
		r = s
	}
	return r
}

// fold returns the folded form of r.
func fold(r rune) rune {
	if r < 0x10000 {
		if r < 0 {
			return utf8.RuneError
		}
		return foldTable()[r]
	}
	return foldSlow(r)
}

func foldSlow(r rune) rune {
	if r > unicode.MaxRune {
		return utf8.RuneError
	}
	r = unicode.ToLower(r)
	if s, ok := t2sSupplementary()[r]; ok {
		r = s
	}
	return r
}

// IsKeyRune reports whether a folded rune takes part in Key: letters and
// digits (unicode.IsLetter, unicode.IsDigit).
func IsKeyRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	if 0x4E00 <= r && r <= 0x9FFF { // CJK Unified Ideographs: all letters (Lo)
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// Fold maps s to its matching form, rune by rune: full-width to half-width
// (ＳＣＯ２０１９ → sco2019, ，→ ,), lower case, traditional to simplified
// characters (上海合作組織 → 上海合作组织), ё to е. Invalid UTF-8 becomes
// U+FFFD.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(fold(r))
	}
	return b.String()
}

// FoldBytes folds b as Fold does, in place when no rune grows (the usual
// case), and returns the folded bytes.
func FoldBytes(b []byte) []byte {
	out := b[:0] // folded runes are written behind the read position
	for j := 0; j < len(b); {
		r, n := rune(b[j]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(b[j:])
		}
		f := fold(r)
		if r == utf8.RuneError && n == 1 {
			f = utf8.RuneError // an invalid byte: U+FFFD, three bytes
		}
		if len(out)+utf8.RuneLen(f) > j+n {
			// it would overwrite what is still to be read
			return append(append([]byte(nil), out...), Fold(string(b[j:]))...)
		}
		out = utf8.AppendRune(out, f)
		j += n
	}
	return out
}

// Key is Fold(s) keeping only letters and digits: what near-identical
// paragraphs are compared by, and what tells whether a query holds anything
// to search for. (Quoted phrases match by ExactKey, which keeps
// punctuation.)
func Key(s string) string { return foldKeeping(s, IsKeyRune) }

// KeyOfExact returns Key(s) given k = ExactKey(s), without folding again:
// the letters and digits of k. A ranked hit's ExactKey is at hand where
// its Key is needed too (collapsing near-identical paragraphs).
func KeyOfExact(k string) string {
	i := 0
	for i < len(k) && k[i] < utf8.RuneSelf && IsKeyRune(rune(k[i])) {
		i++
	}
	if i == len(k) {
		return k
	}
	var b strings.Builder
	b.Grow(len(k))
	b.WriteString(k[:i])
	for _, r := range k[i:] {
		if IsKeyRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ExactKey is the form in which exact (quoted) matching is defined:
// Fold(s) without whitespace and invisible characters (controls, format
// characters such as zero-width spaces). Punctuation stays, folded to one
// width: a quoted query X matches a paragraph T exactly when
// strings.Contains(ExactKey(T), ExactKey(X)), so "出：" finds 出: and 出：
// but not 出 alone, and "恐怖主义分裂主义" does not find 恐怖主义、分裂主义.
func ExactKey(s string) string { return foldKeeping(s, isExactRune) }

// foldKeeping returns Fold(s) keeping only the folded runes that keep
// accepts.
func foldKeeping(s string, keep func(rune) bool) string {
	t := foldTable() // once, not per rune (ranking keys every hit)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		f := r
		if r < 0x10000 {
			f = t[r]
		} else {
			f = foldSlow(r)
		}
		if keep(f) {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// isExactRune reports whether a folded rune takes part in ExactKey: a
// visible character other than a space.
func isExactRune(r rune) bool {
	if r < utf8.RuneSelf {
		return ' ' < r && r < 0x7f
	}
	if 0x4E00 <= r && r <= 0x9FFF { // CJK Unified Ideographs: graphic, not spaces
		return true
	}
	return r != utf8.RuneError && unicode.IsGraphic(r) && !unicode.IsSpace(r)
}

// folded is a text folded rune by rune, with a map from byte offsets in
// the folded text back to byte offsets in the original text.
type folded struct {
	text []byte
	// orig[i] is the original byte offset of folded byte offset i, for i
	// at a rune start or len(text); nil when every rune kept its byte
	// length, so offsets are the same in both texts.
	orig []int32
}

// origOffset maps a folded byte offset (a rune start or the end) to the
// original text.
func (f *folded) origOffset(i int) int {
	if f.orig == nil {
		return i
	}
	return int(f.orig[i])
}

// foldText folds s into dst (reusing its storage).
func foldText(dst *folded, s []byte) {
	out := dst.text[:0]
	if cap(out) < len(s) {
		out = make([]byte, 0, len(s)+len(s)/8)
	}
	dst.orig = dst.orig[:0]
	sameLen := true
	t := foldTable()
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		var f rune
		if r < 0x10000 {
			f = t[r]
		} else {
			f = foldSlow(r)
		}
		before := len(out)
		out = utf8.AppendRune(out, f)
		if sameLen && len(out)-before != n {
			sameLen = false
		}
		i += n
	}
	dst.text = out
	if sameLen {
		dst.orig = nil
		return
	}
	// Second pass: the byte lengths differ somewhere, build the map.
	orig := make([]int32, len(out)+1)
	j := 0
	for i := 0; i < len(s); {
		var n int
		if s[i] < utf8.RuneSelf {
			n = 1
		} else {
			_, n = utf8.DecodeRune(s[i:])
		}
		_, m := utf8.DecodeRune(out[j:])
		for k := range m {
			orig[j+k] = int32(i)
		}
		j += m
		i += n
	}
	orig[len(out)] = int32(len(s))
	dst.orig = orig
}

// Find returns the byte spans in text of the occurrences of key, an
// ExactKey form: the stretches of text whose ExactKey is key (spaces
// inside them allowed, as ExactKey drops them), leftmost first, not
// overlapping. It finds what exact matching finds, for highlighting.
func Find(text, key string) [][2]int {
	want := []rune(key)
	if len(want) == 0 {
		return nil
	}
	type at struct {
		r          rune
		start, end int
	}
	var rs []at
	for i, r := range text {
		if f := fold(r); isExactRune(f) {
			rs = append(rs, at{f, i, i + utf8.RuneLen(r)})
		}
	}
	var out [][2]int
	for i := 0; i+len(want) <= len(rs); i++ {
		ok := true
		for j, w := range want {
			if rs[i+j].r != w {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, [2]int{rs[i].start, rs[i+len(want)-1].end})
			i += len(want) - 1
		}
	}
	return out
}
