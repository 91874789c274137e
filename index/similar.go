package index

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/scosearch/scosearch/index/corpus"
	"github.com/scosearch/scosearch/index/zh"
)

// SimilarFile is the file of a generation, beside scosearch.json, that
// lists for each paragraph the most similar paragraphs of other documents
// (written by Build, read by ReadSimilar): a JSON object by paragraph id,
// gzip-compressed (the long document ids repeat: on the laws corpus 41 MB
// of JSON, 3.4 MB compressed).
const SimilarFile = "similar.json.gz"

// Bounds of the similar paragraphs found at build time.
const (
	// SimilarThreshold is the least Jaccard similarity of two paragraphs'
	// sets of folded character bigrams for them to be similar: a paragraph
	// and last year's wording of it with a clause changed score 0.5 to
	// 0.9; two paragraphs sharing only formulas (成员国认为…合作) score
	// below 0.3.
	SimilarThreshold = 0.5
	// MaxSimilar is the most similar paragraphs kept for one paragraph.
	MaxSimilar = 5
	// similarMinBigrams: shorter paragraphs ("（一）贸易便利化；") are
	// left out, they would be similar to every list item.
	similarMinBigrams = 8
	// minhashes and bands: a MinHash signature of 48 hashes cut into 16
	// bands of 3; two paragraphs sharing a band are candidates. Jaccard
	// 0.5 makes a candidate with probability 1-(1-0.5^3)^16 = 0.88, 0.6
	// 0.98, 0.7 0.997, 0.3 0.35: the threshold is checked exactly on the
	// candidates.
	minhashes, bands = 48, 16
	// maxBucket: a band value shared by more paragraphs than this is
	// boilerplate (本法自公布之日起施行。 in a thousand laws) and pairs none.
	maxBucket = 64
)

// Similar is a paragraph of another document similar to a given one.
type Similar struct {
	ID         string  `json:"id"` // paragraph id, "2018-qingdao-declaration-p7"
	Similarity float64 `json:"similarity"`
}

// similarStage finds, for each paragraph of docs, the most similar
// paragraphs of the other documents (MinHash over folded bigrams, then the
// exact Jaccard similarity of the candidates) and writes them to dir.
func (b *builder) similarStage(docs []corpus.Document, dir string) error {
	b.progress(Progress{Stage: "similar", Paragraphs: b.meta.Paragraphs})
	sim, err := findSimilar(b.ctx, docs)
	if err != nil {
		return err
	}
	data, err := json.Marshal(sim)
	if err != nil {
		return fmt.Errorf("encode similar paragraphs: %w", err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		return fmt.Errorf("compress similar paragraphs: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress similar paragraphs: %w", err)
	}
	if err := writeFileSync(filepath.Join(dir, SimilarFile), buf.Bytes()); err != nil {
		return fmt.Errorf("write similar paragraphs: %w", err)
	}
	return nil
}

// findSimilar returns the similar paragraphs of other documents by
// paragraph id, for the paragraphs that have any.
func findSimilar(ctx context.Context, docs []corpus.Document) (map[string][]Similar, error) {
	type para struct {
		doc int
		id  string
		set []uint32 // sorted hashes of its distinct folded bigrams
	}
	var paras []para
	// keys[i*bands+b] is paragraph i's bucket in band b; a band's buckets
	// of more than maxBucket paragraphs are not compared
	var keys []uint64
	var buckets [bands]map[uint64][]int32
	for b := range buckets {
		buckets[b] = map[uint64][]int32{}
	}
	for di, d := range docs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("similar paragraphs: %w", err)
		}
		for _, p := range d.Paragraphs {
			set := bigramSet(p.Text)
			if len(set) < similarMinBigrams {
				continue
			}
			i := int32(len(paras))
			paras = append(paras, para{doc: di, id: ParagraphID(d.ID, p.N), set: set})
			sig := signature(set)
			for band := range bands {
				key := uint64(band + 1)
				for _, h := range sig[band*minhashes/bands : (band+1)*minhashes/bands] {
					key = mix(key ^ uint64(h))
				}
				keys = append(keys, key)
				if bk := buckets[band][key]; len(bk) <= maxBucket {
					buckets[band][key] = append(bk, i)
				}
			}
		}
	}
	// comparedBefore: i and j met in a compared bucket of a band before
	// band (a pair is compared once, in the first band it shares)
	comparedBefore := func(i, j int32, band int) bool {
		ki, kj := keys[int(i)*bands:int(i)*bands+band], keys[int(j)*bands:int(j)*bands+band]
		for b := range band {
			if ki[b] == kj[b] && len(buckets[b][ki[b]]) <= maxBucket {
				return true
			}
		}
		return false
	}
	best := make(map[int32][]Similar)
	for band := range bands {
		for _, bk := range buckets[band] {
			if len(bk) > maxBucket {
				continue
			}
			for x := range bk {
				for y := x + 1; y < len(bk); y++ {
					i, j := bk[x], bk[y]
					if paras[i].doc == paras[j].doc || comparedBefore(i, j, band) {
						continue
					}
					s := zh.Jaccard(paras[i].set, paras[j].set)
					if s < SimilarThreshold {
						continue
					}
					s = float64(int(s*1000+0.5)) / 1000
					best[i] = append(best[i], Similar{ID: paras[j].id, Similarity: s})
					best[j] = append(best[j], Similar{ID: paras[i].id, Similarity: s})
				}
			}
		}
	}
	out := make(map[string][]Similar, len(best))
	for i, list := range best {
		slices.SortFunc(list, func(a, b Similar) int {
			return cmp.Or(cmp.Compare(b.Similarity, a.Similarity), cmp.Compare(a.ID, b.ID))
		})
		out[paras[i].id] = list[:min(len(list), MaxSimilar)]
	}
	return out, nil
}

// ReadSimilar reads the similar paragraphs of generation directory gen;
// a generation built before they existed has none (nil, no error).
func ReadSimilar(gen string) (map[string][]Similar, error) {
	var out map[string][]Similar
	err := ReadSimilarEach(gen, func(id string, sims []Similar) {
		if out == nil {
			out = make(map[string][]Similar)
		}
		out[id] = sims
	})
	return out, err
}

// ReadSimilarEach calls f with each paragraph id of generation gen's
// similar paragraphs and its list, decoding the file as a stream: a
// reader that keeps them in a form of its own (the search engine) never
// holds the whole decoded map (on the laws corpus a 41 MB file). A
// generation built before they existed has none: f is not called.
func ReadSimilarEach(gen string, f func(id string, sims []Similar)) error {
	path := filepath.Join(gen, SimilarFile)
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read similar paragraphs: %w", err)
	}
	defer file.Close()
	bad := func(err error) error { return fmt.Errorf("read similar paragraphs %q: %w", path, err) }
	zr, err := gzip.NewReader(bufio.NewReaderSize(file, 1<<16))
	if err != nil {
		return bad(err)
	}
	defer zr.Close()
	dec := json.NewDecoder(zr)
	if t, err := dec.Token(); err != nil {
		return bad(err)
	} else if t != json.Delim('{') {
		return bad(fmt.Errorf("not a JSON object"))
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return bad(err)
		}
		id, _ := t.(string) // object keys are strings
		var sims []Similar
		if err := dec.Decode(&sims); err != nil {
			return bad(err)
		}
		f(id, sims)
	}
	if _, err := dec.Token(); err != nil {
		return bad(err)
	}
	// the end of the gzip stream: its checksum is verified there
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return bad(err)
	}
	return nil
}

// bigramSet returns the sorted distinct hashes of the bigrams of text
// folded as zh.Key folds it (letters and digits only).
func bigramSet(text string) []uint32 {
	rs := []rune(zh.Key(text))
	set := make([]uint32, 0, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		set = append(set, uint32(mix(uint64(rs[i])<<32|uint64(rs[i+1]))))
	}
	slices.Sort(set)
	return slices.Compact(set)
}

// signature is the MinHash signature of a set: for each of minhashes
// hash functions, the least hash of a member.
func signature(set []uint32) [minhashes]uint32 {
	var sig [minhashes]uint32
	for k := range sig {
		sig[k] = ^uint32(0)
	}
	for _, h := range set {
		for k := range sig {
			if v := uint32(mix(uint64(h) ^ seeds[k])); v < sig[k] {
				sig[k] = v
			}
		}
	}
	return sig
}

// seeds of the hash functions of signature: fixed, so that builds agree.
var seeds = func() [minhashes]uint64 {
	var s [minhashes]uint64
	for k := range s {
		s[k] = mix(uint64(k+1) * 0x9e3779b97f4a7c15)
	}
	return s
}()

// mix is the SplitMix64 finaliser: a fast, well-spread 64-bit hash.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
