package zh

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// textSegmenter is gse loaded from its text dictionary, as the compiled
// dictionary is made; shared by the tests of this file (about 2 s).
var textSegmenter = sync.OnceValues(loadGse)

func textGse(t testing.TB) *gse.Segmenter {
	t.Helper()
	seg, err := textSegmenter()
	if err != nil {
		t.Fatal(err)
	}
	return seg
}

func compiled(t testing.TB) *dictionary {
	t.Helper()
	d, err := openDictionary(compiledDict)
	if err != nil {
		t.Fatalf("open %s: %v", dictFile, err)
	}
	return d
}

// TestCompiledDictionaryUpToDate compiles the dictionary again from gse's
// text dictionary and the user entries and compares it with
// dict/compiled.bin (go generate, or go test -run
// TestCompiledDictionaryUpToDate -update, rewrites it).
func TestCompiledDictionaryUpToDate(t *testing.T) {
	data, err := compileDictionary(textGse(t))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(dictFile, data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d bytes", dictFile, len(data))
		return
	}
	if _, err := openDictionary(compiledDict); err != nil {
		t.Fatalf("%s: %v", dictFile, err)
	}
	if !bytes.Equal(data, compiledDict) {
		t.Fatalf("%s differs from the dictionary compiled now (%d bytes, %d embedded): run go generate ./index/zh", dictFile, len(data), len(compiledDict))
	}
}

// TestCompiledDictionaryStale checks that a dictionary compiled from other
// inputs is refused (the segmenter then compiles it again).
func TestCompiledDictionaryStale(t *testing.T) {
	stale := bytes.Replace(compiledDict, []byte("inputs "+dictInputs()), []byte("inputs "+strings.Repeat("0", len(dictInputs()))), 1)
	if _, err := openDictionary(stale); !errors.Is(err, errDictStale) {
		t.Errorf("stale inputs: err = %v, want errDictStale", err)
	}
	for _, bad := range [][]byte{nil, []byte("not a dictionary"), compiledDict[:len(compiledDict)-1], append(compiledDict[:len(compiledDict):len(compiledDict)], 0)} {
		if _, err := openDictionary(bad); err == nil {
			t.Errorf("%d bytes of damaged data opened without error", len(bad))
		}
	}
}

// tokenIDs maps gse's tokens to their numbers (the compiled dictionary
// keeps gse's numbering); an unknown character's pseudo-token is -1.
func tokenIDs(seg *gse.Segmenter) func(*gse.Token) int32 {
	id := make(map[*gse.Token]int32, len(seg.Dict.Tokens))
	for i := range seg.Dict.Tokens {
		id[&seg.Dict.Tokens[i]] = int32(i)
	}
	return func(t *gse.Token) int32 {
		if i, ok := id[t]; ok {
			return i
		}
		return -1
	}
}

// TestCompiledLookup looks up every byte prefix of every dictionary word
// in gse's trie and in the compiled one: the same word, or none.
func TestCompiledLookup(t *testing.T) {
	seg, d := textGse(t), compiled(t)
	lookup := func(key []byte) (int32, bool) {
		node := uint32(0)
		for len(key) > 0 {
			r, n := utf8.DecodeRune(key)
			if r == utf8.RuneError && n == 1 {
				return 0, false
			}
			c := d.code(r)
			if c == 0 {
				return 0, false
			}
			var ok bool
			if node, ok = d.next(node, c); !ok {
				return 0, false
			}
			key = key[n:]
		}
		return d.value(node)
	}
	checked := 0
	for i := range seg.Dict.Tokens {
		key := []byte(seg.Dict.Tokens[i].Text())
		for n := 1; n <= len(key); n++ {
			gv, _, gerr := seg.Dict.Value(key[:n])
			cv, ok := lookup(key[:n])
			if (gerr == nil) != ok || ok && int32(gv) != cv {
				t.Fatalf("%q: gse %d, %v; compiled %d, %v", key[:n], gv, gerr, cv, ok)
			}
			checked++
		}
		if cv, ok := lookup(append(key, "\ue000"...)); ok {
			t.Fatalf("%q+U+E000 found as token %d", key, cv)
		}
	}
	if checked < 1e6 {
		t.Fatalf("checked only %d prefixes", checked)
	}
}

// TestCompiledSubSegments compares every token's sub-segments (what the
// search-mode tokenizer indexes, recursively) in gse and compiled.
func TestCompiledSubSegments(t *testing.T) {
	seg, d := textGse(t), compiled(t)
	id := tokenIDs(seg)
	if n := len(d.tokens) / 4; n != len(seg.Dict.Tokens) {
		t.Fatalf("compiled %d tokens, gse %d", n, len(seg.Dict.Tokens))
	}
	total := 0
	var sc subScratch
	for i := range seg.Dict.Tokens {
		text := seg.Dict.Tokens[i].Text()
		want := seg.Dict.Tokens[i].Segments()
		got := d.SubSegments([]byte(text), &sc)
		if len(got) != len(want) {
			t.Fatalf("%s: %d sub-segments, gse %d", text, len(got), len(want))
		}
		long := false
		for _, w := range want {
			long = long || utf8.RuneCountInString(w.Token().Text()) >= 2
		}
		if d.hasSubWords(int32(i)) != long {
			t.Fatalf("%s: hasSubWords %v, gse sub-segments %d", text, !long, len(want))
		}
		for j, w := range want {
			g := got[j]
			if w.Start() != g.start || w.End() != g.end || id(w.Token()) != g.tok {
				t.Fatalf("%s: sub-segment %d = [%d,%d) token %d, gse [%d,%d) token %d", text, j, g.start, g.end, g.tok, w.Start(), w.End(), id(w.Token()))
			}
			total++
		}
	}
	withSubWords := 0
	for i := range seg.Dict.Tokens {
		if d.hasSubWords(int32(i)) {
			withSubWords++
		}
	}
	t.Logf("%d tokens, %d sub-segments equal; %d tokens with sub-words", len(seg.Dict.Tokens), total, withSubWords)
}

// segmentationTexts returns the texts TestCompiledSegmentation compares:
// every paragraph of the bundled corpus and of testdata/sco, a sample of
// the laws corpus when ../shared/bench holds it, and tricky inputs.
func segmentationTexts(t *testing.T) (texts []string, laws bool) {
	t.Helper()
	for _, dir := range []string{"../../testdata/corpus", "../../testdata/sco"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no corpus files in %s: %v", dir, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, strings.Split(string(b), "\n")...)
		}
	}
	texts = append(texts, lawsSample(t, 6<<20)...)
	laws = len(texts) > 20000
	for _, in := range goldenInputs {
		texts = append(texts, in.text)
	}
	texts = append(texts,
		"SCO峰会在BISHKEK举行,ABC123def Ünïcödé ΑΒΓ абв ²½ a\u0301b",
		"上海合作組織成員國ＳＣＯ２０１９",
		"\xe4\xb8\x8a\xe6\xb5\xb7\xe5\x90\x88\xe4\xbd\x9c\xe7\xbb\x84\xe7\xbb", // cut inside a rune
		"上\xed\xa0\x80海\xf0\x28\x8c\x28合作\xc0\xaf",
		"𠀀𪚥𫝈丝😀🇨🇳ｶﾀｶﾅ ひらがな カタカナ",
	)
	// Random mutations of corpus paragraphs: bytes dropped, cut
	// anywhere, letters upper-cased.
	r := rand.New(rand.NewPCG(13, 13))
	n := len(texts)
	for range 3000 {
		s := []byte(texts[r.IntN(n)])
		if len(s) == 0 {
			continue
		}
		switch r.IntN(3) {
		case 0:
			i := r.IntN(len(s))
			s = append(s[:i:i], s[i+1:]...)
		case 1:
			s = s[r.IntN(len(s)):]
		case 2:
			s = bytes.ToUpper(s)
		}
		texts = append(texts, string(s))
	}
	return texts, laws
}

// lawsSample reads up to max bytes of the Markdown files of the laws
// corpus archive in ../shared/bench (relative to the repository root),
// or nothing, saying so, if it is absent.
func lawsSample(t *testing.T, max int) []string {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "bench", "laws-zh-2f4c5c2.tar.gz")
	f, err := os.Open(path)
	if err != nil {
		t.Logf("laws corpus not compared: %v", err)
		return nil
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	tr := tar.NewReader(gz)
	var out []string
	total := 0
	for total < max {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(h.Name, ".md") {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, 1<<20))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		total += len(b)
		out = append(out, strings.Split(string(b), "\n\n")...)
	}
	t.Logf("laws sample: %d paragraphs, %d bytes", len(out), total)
	return out
}

// TestCompiledSegmentation segments the corpora, as they are and folded
// (as the tokenizers see them), with gse loaded from its text dictionary
// and with the compiled dictionary, and requires the same segments: the
// same byte spans and the same dictionary tokens (hence, by
// TestCompiledSubSegments, the same sub-segments).
func TestCompiledSegmentation(t *testing.T) {
	seg, d := textGse(t), compiled(t)
	id := tokenIDs(seg)
	texts, laws := segmentationTexts(t)
	segments, byteCount := 0, 0
	for _, text := range texts {
		for _, s := range []string{text, Fold(text)} {
			want := seg.Segment([]byte(s))
			got := d.Segment([]byte(s))
			if len(got) != len(want) {
				t.Fatalf("%q: %d segments, gse %d", s, len(got), len(want))
			}
			for i, w := range want {
				g := got[i]
				if g.start != w.Start() || g.end != w.End() || g.tok != id(w.Token()) {
					t.Fatalf("%q: segment %d = [%d,%d) %q token %d, gse [%d,%d) %q token %d",
						s, i, g.start, g.end, s[g.start:g.end], g.tok, w.Start(), w.End(), w.Token().Text(), id(w.Token()))
				}
				segments += compareSubSegments(t, d, id, s[g.start:g.end], g.tok, w.Token())
			}
			byteCount += len(s)
		}
	}
	t.Logf("%d texts, %d bytes, %d segments and sub-segments equal (laws sample: %v)", 2*len(texts), byteCount, segments, laws)
}

// compareSubSegments compares the sub-segments of word (tok in compiled,
// want in gse), recursively, and returns how many segments it compared.
func compareSubSegments(t *testing.T, d *dictionary, id func(*gse.Token) int32, word string, tok int32, want *gse.Token) int {
	t.Helper()
	if tok < 0 {
		if len(want.Segments()) != 0 {
			t.Fatalf("%q: unknown character with gse sub-segments", word)
		}
		return 1
	}
	var sc subScratch
	got := d.SubSegments([]byte(word), &sc)
	ws := want.Segments()
	if len(got) != len(ws) {
		t.Fatalf("%q: %d sub-segments, gse %d", word, len(got), len(ws))
	}
	n := 1
	for i, w := range ws {
		g := got[i]
		if g.start != w.Start() || g.end != w.End() || g.tok != id(w.Token()) {
			t.Fatalf("%q: sub-segment %d = [%d,%d) token %d, gse [%d,%d) token %d", word, i, g.start, g.end, g.tok, w.Start(), w.End(), id(w.Token()))
		}
		n += compareSubSegments(t, d, id, word[g.start:g.end], g.tok, w.Token())
	}
	return n
}
