package zh

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"slices"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// compileDictionary compiles the dictionary of a loaded gse segmenter
// into the format that openDictionary reads (see dictionary). Tokens keep
// gse's numbering. It reads two unexported fields of gse's Token through
// reflect (the word count and the distance, which gse does not export),
// and fails rather than guess if gse's types change.
func compileDictionary(seg *gse.Segmenter) ([]byte, error) {
	toks := seg.Dict.Tokens
	if len(toks) > maxTokens {
		return nil, fmt.Errorf("compile dictionary: %d tokens, at most %d", len(toks), maxTokens)
	}
	// Rune codes, the most frequent runes first (a denser trie).
	keys := make([][]rune, len(toks))
	freq := map[rune]int{}
	var bounds []int32
	for i := range toks {
		key := toks[i].Text()
		if !utf8.ValidString(key) || key == "" {
			return nil, fmt.Errorf("compile dictionary: token %d %q: not a valid UTF-8 word", i, key)
		}
		tv := reflect.ValueOf(&toks[i]).Elem()
		words := tv.FieldByName("text")
		if !words.IsValid() || words.Kind() != reflect.Slice {
			return nil, fmt.Errorf("compile dictionary: gse.Token has no text slice")
		}
		// The segmenter steps over the text's words and takes a token's
		// word count from what it matched: they must agree.
		if bounds = splitWords([]byte(key), bounds); len(bounds)-1 != words.Len() {
			return nil, fmt.Errorf("compile dictionary: token %q: gse counts %d words, splitWords %d", key, words.Len(), len(bounds)-1)
		}
		keys[i] = []rune(key)
		for _, r := range keys[i] {
			freq[r]++
		}
	}
	runes := make([]rune, 0, len(freq))
	for r := range freq {
		runes = append(runes, r)
	}
	slices.SortFunc(runes, func(a, b rune) int {
		if c := cmp.Compare(freq[b], freq[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	if len(runes) >= 1<<16 {
		return nil, fmt.Errorf("compile dictionary: %d distinct runes, at most %d", len(runes), 1<<16-1)
	}
	code := make(map[rune]uint32, len(runes))
	for i, r := range runes {
		code[r] = uint32(i + 1)
	}
	coded := make([][]uint32, len(keys))
	for i, k := range keys {
		coded[i] = make([]uint32, len(k))
		for j, r := range k {
			coded[i][j] = code[r]
		}
	}

	// The trie, over the keys in code order.
	order := make([]int32, len(toks))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return slices.Compare(coded[a], coded[b]) })
	for i := 1; i < len(order); i++ {
		if slices.Equal(coded[order[i-1]], coded[order[i]]) {
			return nil, fmt.Errorf("compile dictionary: duplicate token %q", string(keys[order[i]]))
		}
	}
	tb := newTrieBuilder()
	tb.place(0, coded, order, 0)
	if len(tb.base) > freeCheck {
		return nil, fmt.Errorf("compile dictionary: %d trie slots, at most %d", len(tb.base), freeCheck)
	}

	// Token distances, and whether a token has sub-words.
	dists := make([]byte, 0, 4*len(toks))
	for i := range toks {
		dist := reflect.ValueOf(&toks[i]).Elem().FieldByName("distance")
		if !dist.IsValid() || dist.Kind() != reflect.Float32 {
			return nil, fmt.Errorf("compile dictionary: gse.Token has no float32 distance")
		}
		bits := math.Float32bits(float32(dist.Float()))
		if bits&subWordsBit != 0 || math.IsNaN(dist.Float()) {
			return nil, fmt.Errorf("compile dictionary: token %q: distance %v", toks[i].Text(), dist.Float())
		}
		for _, s := range toks[i].Segments() {
			if utf8.RuneCountInString(s.Token().Text()) >= 2 {
				bits |= subWordsBit
			}
		}
		dists = binary.LittleEndian.AppendUint32(dists, bits)
	}

	var out bytes.Buffer
	out.WriteString(dictHeader(dictInputs()))
	var astral []rune
	for _, r := range runes {
		if r >= 0x10000 {
			astral = append(astral, r)
		}
	}
	slices.Sort(astral)
	for _, n := range []int{len(astral), len(tb.base), len(toks)} {
		out.Write(binary.LittleEndian.AppendUint32(nil, uint32(n)))
	}
	codes := make([]byte, 2*0x10000)
	for r, c := range code {
		if r < 0x10000 {
			binary.LittleEndian.PutUint16(codes[2*r:], uint16(c))
		}
	}
	out.Write(codes)
	for _, r := range astral {
		out.Write(binary.LittleEndian.AppendUint32(nil, uint32(r)))
		out.Write(binary.LittleEndian.AppendUint32(nil, code[r]))
	}
	for i := range tb.base {
		s := uint64(tb.base[i]) | uint64(tb.check[i])<<slotBits | uint64(tb.val[i])<<(2*slotBits)
		out.Write(binary.LittleEndian.AppendUint64(nil, s))
	}
	out.Write(dists)
	return out.Bytes(), nil
}

// trieBuilder builds a static double-array trie, placing each node's
// children at the first base where they all fit.
type trieBuilder struct {
	base, check, val []uint32
	firstFree        int
}

func newTrieBuilder() *trieBuilder {
	tb := &trieBuilder{}
	tb.grow(1)
	tb.check[0] = freeCheck - 1 // the root: used, no parent
	tb.firstFree = 1
	return tb
}

func (tb *trieBuilder) grow(n int) {
	for len(tb.base) < n {
		tb.base = append(tb.base, 0)
		tb.check = append(tb.check, freeCheck)
		tb.val = append(tb.val, 0)
	}
}

func (tb *trieBuilder) free(i int) bool { return i >= len(tb.check) || tb.check[i] == freeCheck }

// place fills node s with the keys order[...] (sorted, sharing their
// first depth codes).
func (tb *trieBuilder) place(s uint32, keys [][]uint32, order []int32, depth int) {
	if len(keys[order[0]]) == depth {
		tb.val[s] = uint32(order[0]) + 1
		order = order[1:]
	}
	if len(order) == 0 {
		return
	}
	// Children: runs of keys with the same code at depth.
	var labels []uint32
	var starts []int
	for i, k := range order {
		c := keys[k][depth]
		if len(labels) == 0 || labels[len(labels)-1] != c {
			labels = append(labels, c)
			starts = append(starts, i)
		}
	}
	starts = append(starts, len(order))
	b := tb.findBase(labels)
	tb.base[s] = uint32(b)
	tb.grow(b + int(labels[len(labels)-1]) + 1)
	for _, c := range labels {
		tb.check[b+int(c)] = s
	}
	for tb.firstFree < len(tb.check) && !tb.free(tb.firstFree) {
		tb.firstFree++
	}
	for i, c := range labels {
		tb.place(uint32(b)+c, keys, order[starts[i]:starts[i+1]], depth+1)
	}
}

// findBase returns the smallest base b >= 0 at which every label's slot is
// free, starting from the first free slot.
func (tb *trieBuilder) findBase(labels []uint32) int {
	for p := tb.firstFree; ; p++ {
		if !tb.free(p) {
			continue
		}
		b := p - int(labels[0])
		if b < 0 {
			continue
		}
		ok := true
		for _, c := range labels[1:] {
			if !tb.free(b + int(c)) {
				ok = false
				break
			}
		}
		if ok {
			return b
		}
	}
}
