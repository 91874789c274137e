package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/blevesearch/bleve/v2"
	"github.com/klauspost/compress/zstd"

	"github.com/scosearch/scosearch/index/corpus"
)

// A paragraph's text and section are stored together in FieldStored, as
// one value: a codec byte, then, raw or compressed, the section's length
// (uvarint), the section and the text. bleve compresses each paragraph's
// stored fields alone with snappy, which leaves Chinese text as it is
// (51.4 of 55.8 MB on the laws corpus): compressed with zstd and a
// dictionary trained on the corpus at a full build it takes 30.6 MB, and
// a paragraph decodes in about half a microsecond.
const (
	codecRaw  = 'r' // the payload as it is
	codecZstd = 'z' // a zstd frame with the shard's dictionary
)

// textDictKey is the bleve internal key under which a shard keeps the
// zstd dictionary of its stored text (copied with the shard).
const textDictKey = "scosearch/text-dict"

// Dictionary training: a history of up to dictHistory bytes of paragraphs
// taken evenly from the corpus, and statistics from up to dictSamples
// paragraphs; below minDictHistory bytes of text the text is stored raw.
const (
	dictHistory    = 256 << 10
	dictSamples    = 20000
	minDictHistory = 16 << 10
)

// trainTextDict builds a zstd dictionary from paragraphs spread evenly over
// docs, the same for the same corpus; nil when the corpus holds too little
// text to train one (it is then stored raw).
func trainTextDict(docs []*corpus.Document) []byte {
	var paras []string // (not copied: only the picked ones are)
	total := 0
	for _, d := range docs {
		for _, p := range d.Paragraphs {
			paras = append(paras, p.Text)
			total += len(p.Text)
		}
	}
	if total < minDictHistory || len(paras) < 16 {
		return nil
	}
	// every step-th paragraph until the history is full
	var hist []byte
	step := max(1, total/dictHistory)
	for i := 0; i < len(paras) && len(hist) < dictHistory; i += step {
		hist = append(hist, paras[i]...)
	}
	if len(hist) < minDictHistory {
		return nil
	}
	samples := make([][]byte, 0, min(dictSamples, len(paras)))
	for i, s := 0, max(1, len(paras)/dictSamples); i < len(paras) && len(samples) < dictSamples; i += s {
		samples = append(samples, []byte(paras[i]))
	}
	dict, err := zstd.BuildDict(zstd.BuildDictOptions{
		ID: crc32.ChecksumIEEE(hist) | 1, Contents: samples, History: hist[:min(len(hist), dictHistory)],
		Offsets: [3]int{1, 4, 8}, Level: zstd.SpeedBetterCompression,
	})
	if err != nil {
		return nil // too little to learn from: raw
	}
	return dict
}

// textEncoder encodes the stored value of paragraphs, with a dictionary
// or raw; safe for concurrent use.
type textEncoder struct {
	enc *zstd.Encoder // nil: raw
}

func newTextEncoder(dict []byte) (*textEncoder, error) {
	if dict == nil {
		return &textEncoder{}, nil
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderDict(dict), zstd.WithEncoderLevel(zstd.SpeedBetterCompression),
		zstd.WithEncoderCRC(false), zstd.WithSingleSegment(true), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("text encoder: %w", err)
	}
	return &textEncoder{enc: enc}, nil
}

// encode returns the stored value of a paragraph.
func (e *textEncoder) encode(section, text string) string {
	payload := binary.AppendUvarint(make([]byte, 0, 1+binary.MaxVarintLen64+len(section)+len(text)), uint64(len(section)))
	payload = append(append(payload, section...), text...)
	if e.enc == nil {
		return string(codecRaw) + string(payload)
	}
	return string(e.enc.EncodeAll(payload, []byte{codecZstd}))
}

func (e *textEncoder) close() {
	if e.enc != nil {
		_ = e.enc.Close()
	}
}

// TextDecoder decodes the stored value of paragraphs (FieldStored) with
// the dictionaries of an index's shards; safe for concurrent use.
type TextDecoder struct {
	dec *zstd.Decoder // nil: no shard has a dictionary
}

// newTextDecoder reads the text dictionaries of shards.
func newTextDecoder(shards []bleve.Index) (*TextDecoder, error) {
	var dicts [][]byte
	seen := map[string]bool{}
	for _, s := range shards {
		d, err := s.GetInternal([]byte(textDictKey))
		if err != nil {
			return nil, fmt.Errorf("read text dictionary: %w", err)
		}
		if len(d) > 0 && !seen[string(d)] {
			seen[string(d)] = true
			dicts = append(dicts, d)
		}
	}
	if len(dicts) == 0 {
		return &TextDecoder{}, nil
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderDicts(dicts...), zstd.WithDecoderConcurrency(0))
	if err != nil {
		return nil, fmt.Errorf("%w: text dictionary: %v", ErrDamaged, err)
	}
	return &TextDecoder{dec: dec}, nil
}

// errStored: a stored value that cannot be decoded.
var errStored = errors.New("stored text cannot be decoded")

// Decode returns the section and text of a paragraph's stored value.
func (t *TextDecoder) Decode(v []byte) (section, text string, err error) {
	if len(v) == 0 {
		return "", "", fmt.Errorf("%w: empty", errStored)
	}
	payload := v[1:]
	switch v[0] {
	case codecRaw:
	case codecZstd:
		if t == nil || t.dec == nil {
			return "", "", fmt.Errorf("%w: compressed, and the index has no dictionary", errStored)
		}
		if payload, err = t.dec.DecodeAll(payload, nil); err != nil {
			return "", "", fmt.Errorf("%w: %v", errStored, err)
		}
	default:
		return "", "", fmt.Errorf("%w: codec %q", errStored, v[0])
	}
	n, k := binary.Uvarint(payload)
	if k <= 0 || n > uint64(len(payload)-k) {
		return "", "", fmt.Errorf("%w: bad section length", errStored)
	}
	rest := string(payload[k:]) // one copy for both
	return rest[:n], rest[n:], nil
}

func (t *TextDecoder) close() {
	if t != nil && t.dec != nil {
		t.dec.Close()
	}
}
