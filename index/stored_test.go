package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/scosearch/scosearch/index/corpus"
)

// TestStoredTextRoundTrip: every paragraph of the SCO test corpus (Chinese,
// Russian, English; sections and none) comes back from its stored value as
// it went in, compressed with a dictionary trained on the corpus and raw;
// the compressed values take less than the text.
func TestStoredTextRoundTrip(t *testing.T) {
	docs, _, err := corpus.ReadDir(filepath.Join("..", "testdata", "sco"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ptrs []*corpus.Document
	for i := range docs {
		ptrs = append(ptrs, &docs[i])
	}
	dict := trainTextDict(ptrs)
	if dict == nil {
		t.Fatal("no dictionary trained on the SCO corpus")
	}
	if again := trainTextDict(ptrs); string(again) != string(dict) {
		t.Error("two dictionaries trained on the same corpus differ")
	}
	for _, tc := range []struct {
		name string
		dict []byte
	}{{"zstd", dict}, {"raw", nil}} {
		t.Run(tc.name, func(t *testing.T) {
			enc, err := newTextEncoder(tc.dict)
			if err != nil {
				t.Fatal(err)
			}
			defer enc.close()
			dec := decoderOf(t, tc.dict)
			text, stored, sections := 0, 0, 0
			for _, d := range docs {
				for _, p := range d.Paragraphs {
					v := enc.encode(p.Section, p.Text)
					section, got, err := dec.Decode([]byte(v))
					if err != nil || section != p.Section || got != p.Text {
						t.Fatalf("%s-p%d: decoded %q, %q, %v; want %q, %q", d.ID, p.N, section, got, err, p.Section, p.Text)
					}
					text += len(p.Section) + len(p.Text)
					stored += len(v)
					if p.Section != "" {
						sections++
					}
				}
			}
			if sections == 0 {
				t.Error("no paragraph with a section: the corpus does not test them")
			}
			t.Logf("%s: %d bytes of sections and text stored in %d", tc.name, text, stored)
			if tc.dict != nil && stored >= text*3/4 {
				t.Errorf("compressed: %d bytes of sections and text stored in %d, want at most three quarters", text, stored)
			}
		})
	}
}

// decoderOf returns a TextDecoder with dict, as an index whose shard holds
// it would open one.
func decoderOf(t testing.TB, dict []byte) *TextDecoder {
	t.Helper()
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := bleve.New(filepath.Join(t.TempDir(), "shard"), m)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if dict != nil {
		if err := idx.SetInternal([]byte(textDictKey), dict); err != nil {
			t.Fatal(err)
		}
	}
	dec, err := newTextDecoder([]bleve.Index{idx})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dec.close)
	return dec
}

// TestStoredTextDamaged: a damaged stored value is an error, never a panic
// or a wrong text.
func TestStoredTextDamaged(t *testing.T) {
	docs, _, err := corpus.ReadDir(filepath.Join("..", "testdata", "corpus"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dict := trainTextDict([]*corpus.Document{&docs[0]})
	if dict == nil {
		t.Fatal("no dictionary trained on the bundled declaration")
	}
	enc, err := newTextEncoder(dict)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.close()
	p := docs[0].Paragraphs[10]
	v := enc.encode("第一章", p.Text)
	withDict, noDict := decoderOf(t, dict), decoderOf(t, nil)
	for _, tc := range []struct {
		name string
		v    string
		dec  *TextDecoder
	}{
		{"empty", "", withDict},
		{"unknown codec", "x" + v[1:], withDict},
		{"truncated", v[:len(v)/2], withDict},
		{"compressed, no dictionary", v, noDict},
		{"raw, section longer than the value", string(codecRaw) + "\x7f第一章", withDict},
		{"raw, bad length", string(codecRaw) + "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", withDict},
	} {
		section, text, err := tc.dec.Decode([]byte(tc.v))
		if !errors.Is(err, errStored) {
			t.Errorf("%s: got %q, %q, %v; want an errStored error", tc.name, section, text, err)
		}
	}
	// every byte flipped in turn: an error or, rarely, a text, never a panic
	for i := 1; i < len(v); i++ {
		b := []byte(v)
		b[i] ^= 0x55
		_, _, _ = withDict.Decode(b)
	}
}

// TestTextDictionaryAcrossBuilds: a full build trains the dictionary; an
// incremental build that adds little reuses the copied shards' one; a
// build that would analyse more text than it keeps (the bundled corpus
// replaced by another) builds afresh, with a dictionary of the new text.
// Every paragraph reads back each time.
func TestTextDictionaryAcrossBuilds(t *testing.T) {
	dir, sco := t.TempDir(), t.TempDir()
	if err := os.CopyFS(sco, os.DirFS(filepath.Join("..", "testdata", "sco"))); err != nil {
		t.Fatal(err)
	}
	dictAndCheck := func() []byte {
		t.Helper()
		x, err := Open(dir, OpenOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if err := verifyStored(x.Shards()[0], dir, x.Meta().Documents); err != nil {
			t.Error(err)
		}
		d, err := x.Shards()[0].GetInternal([]byte(textDictKey))
		if err != nil || len(d) == 0 {
			t.Fatalf("no text dictionary in the index (%v)", err)
		}
		return d
	}
	build := func(corpusDir string) *Report {
		t.Helper()
		rep, err := Build(context.Background(), corpusDir, dir, BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	build(sco)
	first := dictAndCheck()

	// a small document added: incremental, the same dictionary
	if err := os.WriteFile(filepath.Join(sco, "2025-note.zh.txt"), []byte("上合组织成员国外长理事会会议在天津举行。\n\n会议通过联合公报。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep := build(sco); rep.Full || rep.Analysed != 1 {
		t.Fatalf("a document added: full %v (%s), %d analysed; want it alone analysed", rep.Full, rep.FullReason, rep.Analysed)
	}
	if string(dictAndCheck()) != string(first) {
		t.Error("an incremental build changed the text dictionary")
	}

	// another corpus: a full build, a dictionary of its text
	rep := build(filepath.Join("..", "testdata", "corpus"))
	if !rep.Full || !strings.Contains(rep.FullReason, "more text to analyse") {
		t.Fatalf("the corpus replaced: full %v, reason %q; want a full build, more text to analyse than to keep", rep.Full, rep.FullReason)
	}
	if string(dictAndCheck()) == string(first) {
		t.Error("the corpus replaced, the text dictionary is still the old corpus's")
	}
}

// FuzzTextDecode: any stored value decodes to an error or to a section and
// a text, never a panic; a value made by the encoder decodes to what went
// in.
func FuzzTextDecode(f *testing.F) {
	docs, _, err := corpus.ReadDir(filepath.Join("..", "testdata", "corpus"), corpus.Options{})
	if err != nil {
		f.Fatal(err)
	}
	dict := trainTextDict([]*corpus.Document{&docs[0]})
	enc, err := newTextEncoder(dict)
	if err != nil {
		f.Fatal(err)
	}
	defer enc.close()
	for _, p := range docs[0].Paragraphs[:5] {
		f.Add([]byte(enc.encode(p.Section, p.Text)), p.Section, p.Text)
	}
	f.Add([]byte("r\x00"), "", "")
	f.Add([]byte("z"), "", "")
	dec := decoderOf(f, dict)
	f.Fuzz(func(t *testing.T, v []byte, section, text string) {
		_, _, _ = dec.Decode(v)
		s, x, err := dec.Decode([]byte(enc.encode(section, text)))
		if err != nil || s != section || x != text {
			t.Errorf("encode(%q, %q) decodes to %q, %q, %v", section, text, s, x, err)
		}
	})
}
