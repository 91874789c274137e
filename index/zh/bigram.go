package zh

import (
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// bigramTokenizer emits, over the visible characters of the folded text
// (the runes of ExactKey(text): letters, digits and punctuation, spaces
// skipped), each overlapping pair of runes at position i+1, so positions
// run on across spaces. Start and End span the pair in the original text.
// A text with a single visible character gives that rune alone. With
// positionsOnly, Start and End are 0 (AnalyzerBigramPositions).
//
// Punctuation is indexed so that a quoted phrase is exact: "出：" must not
// find every 出 (the laws corpus has 37,007 paragraphs with 出, 31 with 出：).
//
// Single characters are not indexed: with them the bigram field grew by
// 62% (8 MB of laws text: 91 MB -> 148 MB). A one-character query is a
// regular expression on the bigram terms instead, see SubstringQuery.
type bigramTokenizer struct{ positionsOnly bool }

// keyRune is a letter or digit of the folded text with its original span.
type keyRune struct {
	r          rune
	start, end int
}

// maxPooledKeyRunes bounds the scratch slices kept for reuse (a paragraph
// is far smaller; a huge text's slice is left to the garbage collector).
const maxPooledKeyRunes = 1 << 16

// keyRunePool recycles the per-call scratch slice of key runes.
var keyRunePool = sync.Pool{New: func() any { return new([]keyRune) }}

func (t *bigramTokenizer) Tokenize(text []byte) analysis.TokenStream {
	if len(text) == 0 {
		return nil
	}
	bufp := keyRunePool.Get().(*[]keyRune)
	defer func() {
		if cap(*bufp) <= maxPooledKeyRunes {
			keyRunePool.Put(bufp)
		}
	}()
	runes := (*bufp)[:0]
	termBytes := 0
	table := foldTable()
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if ' ' < c && c < 0x7f {
				runes = append(runes, keyRune{rune(c), i, i + 1})
				termBytes++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		if r < 0x10000 {
			r = table[r]
		} else {
			r = foldSlow(r)
		}
		if isExactRune(r) {
			runes = append(runes, keyRune{r, i, i + n})
			termBytes += utf8.RuneLen(r)
		}
		i += n
	}
	*bufp = runes
	if len(runes) == 0 {
		return nil
	}
	if len(runes) == 1 {
		k := runes[0]
		if t.positionsOnly {
			k.start, k.end = 0, 0
		}
		return analysis.TokenStream{{
			Term: utf8.AppendRune(nil, k.r), Start: k.start, End: k.end,
			Position: 1, Type: analysis.Single,
		}}
	}

	slab := make([]analysis.Token, 0, len(runes)-1)
	// Each term is the encoding of its two runes, all in one byte slab.
	terms := make([]byte, 0, 2*termBytes)
	for i := 0; i+1 < len(runes); i++ {
		a, b := runes[i], runes[i+1]
		off := len(terms)
		terms = utf8.AppendRune(terms, a.r)
		terms = utf8.AppendRune(terms, b.r)
		slab = append(slab, analysis.Token{
			Term: terms[off:len(terms):len(terms)], Start: a.start, End: b.end,
			Position: i + 1, Type: analysis.Double,
		})
	}
	stream := make(analysis.TokenStream, len(slab))
	for i := range slab {
		if t.positionsOnly {
			slab[i].Start, slab[i].End = 0, 0
		}
		stream[i] = &slab[i]
	}
	return stream
}
