package zh

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// wordTokenizer segments the folded text with the dictionary (as gse's
// dictionary-based Segment does; gse's Analyze reports wrong offsets) and maps the offsets back
// to the original text. Tokens without any letter or digit (punctuation,
// spaces) are dropped; each kept word takes the next position, from 1.
// With subWords, the sub-words of two or more characters of each word
// (gse's search-mode segments, recursively) follow it at its position.
type wordTokenizer struct {
	seg      *dictionary
	subWords bool
}

func (t *wordTokenizer) Tokenize(text []byte) analysis.TokenStream {
	if len(text) == 0 {
		return nil
	}
	var f folded
	foldText(&f, text)
	segs := t.seg.Segment(f.text)

	// Sub-words add about half as many tokens again in search mode; the
	// slab may grow, the stream of pointers is made once it is complete.
	n := len(segs)
	if t.subWords {
		n += len(segs) / 2
	}
	slab := make([]analysis.Token, 0, n)
	pos := 0
	for i := range segs {
		s := &segs[i]
		// Full slice expressions: a filter appending to one term must not
		// overwrite the next.
		term := f.text[s.start:s.end:s.end]
		if !hasKeyRune(term) {
			continue
		}
		pos++
		slab = append(slab, analysis.Token{
			Term:     term,
			Start:    f.origOffset(s.start),
			End:      f.origOffset(s.end),
			Position: pos,
			Type:     tokenType(term),
		})
		if t.subWords {
			slab = appendSubWords(slab, &f, t.seg, s.tok, s.start, s.end, pos)
		}
	}
	if len(slab) == 0 {
		return nil
	}
	stream := make(analysis.TokenStream, len(slab))
	for i := range slab {
		stream[i] = &slab[i]
	}
	return stream
}

// isSubWord reports whether a sub-segment is indexed as a sub-word: two or
// more runes, at least one a letter or digit.
func isSubWord(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	if _, n := utf8.DecodeRune(b); n == len(b) {
		return false
	}
	return hasKeyRune(b)
}

// appendSubWords appends the sub-words of the dictionary word tok
// (none for -1) at bytes [start, end) of the folded text, recursively, at
// position pos.
func appendSubWords(dst []analysis.Token, f *folded, d *dictionary, tok int32, start, end, pos int) []analysis.Token {
	if !d.hasSubWords(tok) {
		return dst // most words: none, or only single characters
	}
	var sc subScratch
	for _, s := range d.SubSegments(f.text[start:end], &sc) {
		s0, s1 := start+s.start, start+s.end
		term := f.text[s0:s1:s1]
		if isSubWord(term) {
			dst = append(dst, analysis.Token{
				Term:     term,
				Start:    f.origOffset(s0),
				End:      f.origOffset(s1),
				Position: pos,
				Type:     tokenType(term),
			})
		}
		dst = appendSubWords(dst, f, d, s.tok, s0, s1, pos)
	}
	return dst
}

// hasKeyRune reports whether folded text b has a letter or a digit.
func hasKeyRune(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			if IsKeyRune(rune(b[i])) {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if IsKeyRune(r) {
			return true
		}
		i += n
	}
	return false
}

// tokenType is Numeric for ASCII digits, AlphaNumeric for other text
// starting with an ASCII rune, Ideographic otherwise.
func tokenType(term []byte) analysis.TokenType {
	if len(term) == 0 || term[0] >= utf8.RuneSelf {
		return analysis.Ideographic
	}
	for _, c := range term {
		if c < '0' || c > '9' {
			return analysis.AlphaNumeric
		}
	}
	return analysis.Numeric
}

// WordSpans returns the byte spans [start, end) in text of its gse words,
// as the index's word field has them (without sub-words; punctuation and
// spaces are in no span), in order. Snippets cut text only outside them.
func WordSpans(text string) [][2]int {
	seg, err := segmenter()
	if err != nil {
		return nil
	}
	toks := (&wordTokenizer{seg: seg}).Tokenize([]byte(text))
	out := make([][2]int, 0, len(toks))
	for _, t := range toks {
		out = append(out, [2]int{t.Start, t.End})
	}
	return out
}
