package zh

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// charTokenizer emits each distinct letter or digit of the folded text
// once (the runes of Key(text)), at consecutive positions from 1, with the
// span of its first occurrence. Indexed without term vectors, it tells
// which paragraphs hold a character, for one-character queries: a term
// lookup instead of a walk over every bigram holding the character (的 on
// the laws corpus: a regular expression over the bigram dictionary took
// 7 s).
type charTokenizer struct{}

func (charTokenizer) Tokenize(text []byte) analysis.TokenStream {
	var stream analysis.TokenStream
	seen := make(map[rune]bool, 64)
	table := foldTable()
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		if r < 0x10000 {
			r = table[r]
		} else {
			r = foldSlow(r)
		}
		if IsKeyRune(r) && !seen[r] {
			seen[r] = true
			stream = append(stream, &analysis.Token{
				Term: utf8.AppendRune(nil, r), Start: i, End: i + n,
				Position: len(stream) + 1, Type: analysis.Single,
			})
		}
		i += n
	}
	return stream
}
