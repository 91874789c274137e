package index

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// Damage detection. bleve trusts its files: a few bytes overwritten in a
// segment's footer make zapx panic at open, and damage elsewhere opens
// cleanly and fails (or panics) only when a search reads it. So every open
// of a shard runs under guard, and Open verifies what it opened before
// anything searches it:
//
//   - every segment file of the shard's current snapshot against the CRC-32
//     that zap writes in its footer (this reads the whole index once; see
//     RELIABILITY.md for its cost on the laws corpus);
//   - the paragraph count of each shard against the metadata;
//   - the term dictionary of the doc field: every document of the shard
//     has its id there;
//   - a sample of stored paragraphs (first and last paragraph of up to
//     sampleDocs documents): each is found and names its document.
//
// scosearch.json carries a SHA-256 checksum of its own content.

// sampleDocs is how many documents per shard have stored paragraphs read
// back at open.
const sampleDocs = 32

// guard runs f, turning a panic into an ErrDamaged error: bleve and zapx
// panic on some damaged files (slice bounds out of range on a bad footer),
// and reading a memory-mapped file that was cut short faults (a truncated
// root.bolt: SIGBUS, which would end the process), made a panic here.
func guard(what string, f func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: panic: %v; run scosearch reindex --full", ErrDamaged, what, r)
		}
	}()
	return f()
}

// openShardGuarded opens a shard with bleve under guard.
func openShardGuarded(dir string, cfg map[string]interface{}) (idx bleve.Index, err error) {
	err = guard(fmt.Sprintf("open shard %q", dir), func() error {
		var e error
		idx, e = bleve.OpenUsing(dir, cfg)
		return e
	})
	return idx, err
}

// verifyShard checks an opened shard of generation gen against what the
// metadata records of its documents (docs: those routed to this shard).
func verifyShard(idx bleve.Index, dir string, docs []DocMeta) error {
	return guard(fmt.Sprintf("verify shard %q", dir), func() error {
		if err := verifySegments(idx, dir); err != nil {
			return err
		}
		want := 0
		for _, d := range docs {
			want += d.Paragraphs
		}
		n, err := idx.DocCount()
		if err != nil {
			return fmt.Errorf("%w: count %q: %v; run scosearch reindex --full", ErrDamaged, dir, err)
		}
		if n != uint64(want) {
			return fmt.Errorf("%w: %q holds %d paragraphs, its metadata records %d; run scosearch reindex --full", ErrDamaged, dir, n, want)
		}
		if err := verifyDocTerms(idx, dir, docs); err != nil {
			return err
		}
		return verifyStored(idx, dir, docs)
	})
}

// verifySegments compares the CRC-32 of every segment file of the shard's
// current snapshot with the one zap recorded in the file's footer.
func verifySegments(idx bleve.Index, dir string) error {
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("%w: %q: %v; run scosearch reindex --full", ErrDamaged, dir, err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("%w: read %q: %v; run scosearch reindex --full", ErrDamaged, dir, err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return fmt.Errorf("%w: %q is not a scorch index; run scosearch reindex --full", ErrDamaged, dir)
	}
	for _, ss := range snap.Segments() {
		f, ok := ss.Segment().(interface {
			Path() string
			CRC() uint32
		})
		if !ok {
			continue // an in-memory segment: nothing on disk to check
		}
		got, err := fileCRC(f.Path())
		if err != nil {
			return fmt.Errorf("%w: segment %s: %v; run scosearch reindex --full", ErrDamaged, f.Path(), err)
		}
		if got != f.CRC() {
			return fmt.Errorf("%w: segment %s: checksum %08x, its footer records %08x; run scosearch reindex --full", ErrDamaged, f.Path(), got, f.CRC())
		}
	}
	return nil
}

// fileCRC is the CRC-32 (IEEE) of a zap file up to its last 4 bytes, which
// hold the CRC of what precedes them.
func fileCRC(path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if st.Size() < 4 {
		return 0, fmt.Errorf("%d bytes is too short for a segment", st.Size())
	}
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, io.LimitReader(f, st.Size()-4)); err != nil {
		return 0, err
	}
	return h.Sum32(), nil
}

// verifyDocTerms checks that the term dictionary of the doc field has the
// id of every document of the shard.
func verifyDocTerms(idx bleve.Index, dir string, docs []DocMeta) error {
	d, err := idx.FieldDict(FieldDoc)
	if err != nil {
		return fmt.Errorf("%w: %q: read the %s dictionary: %v; run scosearch reindex --full", ErrDamaged, dir, FieldDoc, err)
	}
	defer d.Close()
	terms := make(map[string]bool, len(docs))
	for {
		e, err := d.Next()
		if err != nil {
			return fmt.Errorf("%w: %q: read the %s dictionary: %v; run scosearch reindex --full", ErrDamaged, dir, FieldDoc, err)
		}
		if e == nil {
			break
		}
		terms[e.Term] = true
	}
	for _, doc := range docs {
		if !terms[doc.ID] {
			return fmt.Errorf("%w: %q: document %q is not in the %s dictionary; run scosearch reindex --full", ErrDamaged, dir, doc.ID, FieldDoc)
		}
	}
	return nil
}

// verifyStored reads back the first and last paragraph of up to sampleDocs
// documents spread over docs: each must be there with its text, which must
// decode with the shard's dictionary.
func verifyStored(idx bleve.Index, dir string, docs []DocMeta) error {
	dec, err := newTextDecoder([]bleve.Index{idx})
	if err != nil {
		return fmt.Errorf("%w: %q: %v; run scosearch reindex --full", ErrDamaged, dir, err)
	}
	defer dec.close()
	step := max(1, len(docs)/sampleDocs)
	for i := 0; i < len(docs); i += step {
		d := docs[i]
		for _, n := range []int{1, d.Paragraphs} {
			id := ParagraphID(d.ID, n)
			doc, err := idx.Document(InternalID(d.ID, n))
			if err != nil {
				return fmt.Errorf("%w: %q: read paragraph %s: %v; run scosearch reindex --full", ErrDamaged, dir, id, err)
			}
			if doc == nil {
				return fmt.Errorf("%w: %q: paragraph %s is missing; run scosearch reindex --full", ErrDamaged, dir, id)
			}
			var stored []byte
			doc.VisitFields(func(f bleveindex.Field) {
				if f.Name() == FieldStored {
					stored = f.Value()
				}
			})
			if _, text, err := dec.Decode(stored); err != nil || text == "" {
				return fmt.Errorf("%w: %q: paragraph %s has no stored text (%v); run scosearch reindex --full", ErrDamaged, dir, id, err)
			}
		}
	}
	return nil
}

// metaChecksum is the SHA-256 of m encoded with an empty Checksum.
func metaChecksum(m Meta) (string, error) {
	m.Checksum = ""
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// encodeMeta encodes m with its checksum.
func encodeMeta(m Meta) ([]byte, error) {
	sum, err := metaChecksum(m)
	if err != nil {
		return nil, err
	}
	m.Checksum = sum
	return json.MarshalIndent(m, "", "  ")
}

// checkMeta verifies the checksum of metadata read from gen (absent in
// indexes built before it existed).
func checkMeta(gen string, m Meta) error {
	if m.Checksum == "" {
		return nil
	}
	sum, err := metaChecksum(m)
	if err != nil {
		return fmt.Errorf("%w: %s: %v; run scosearch reindex --full", ErrDamaged, filepath.Join(gen, metaFile), err)
	}
	if sum != m.Checksum {
		return fmt.Errorf("%w: %s: checksum mismatch (its content was changed); run scosearch reindex --full", ErrDamaged, filepath.Join(gen, metaFile))
	}
	return nil
}
