package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
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
func decoderOf(t *testing.T, dict []byte) *TextDecoder {
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

// TestTextDictionaryKeptByIncrementalBuild: a full build trains the
// dictionary; an incremental build reuses the copied shards' one, and
// every paragraph of both generations reads back.
func TestTextDictionaryKeptByIncrementalBuild(t *testing.T) {
	dir, sco := t.TempDir(), t.TempDir()
	if err := os.CopyFS(sco, os.DirFS(filepath.Join("..", "testdata", "sco"))); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), sco, dir, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	dict := func() []byte {
		x, err := Open(dir, OpenOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		d, err := x.Shards()[0].GetInternal([]byte(textDictKey))
		if err != nil || len(d) == 0 {
			t.Fatalf("no text dictionary in the index (%v)", err)
		}
		return d
	}
	first := dict()
	// an incremental build adding the bundled declaration
	decl, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", "2019-bishkek-declaration.zh.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sco, "2019-bishkek-declaration.zh.txt"), decl, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Build(context.Background(), sco, dir, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Full || rep.Analysed != 1 {
		t.Fatalf("the second build: full %v (%s), %d analysed; want one document added", rep.Full, rep.FullReason, rep.Analysed)
	}
	if string(dict()) != string(first) {
		t.Error("the incremental build changed the text dictionary")
	}
	x, err := Open(dir, OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := verifyStored(x.Shards()[0], dir, x.Meta().Documents); err != nil {
		t.Error(err)
	}
}
