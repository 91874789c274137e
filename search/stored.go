package search

import (
	"fmt"
	"slices"
	"sort"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"github.com/scosearch/scosearch/index"
)

// storedReader loads the stored fields of hits by their internal document
// number. bleve's SearchRequest.Fields loads each hit by its id, which it
// first looks up in the _id term dictionary of every segment: on the laws
// index (20 segments) that lookup took 12% of the CPU of uncached queries,
// more than reading the fields. A generation is opened read-only and never
// changes, so the snapshot held here numbers documents as every search of
// the generation does.
type storedReader struct {
	snap    *scorch.IndexSnapshot
	segs    []*scorch.SegmentSnapshot
	offsets []uint64  // first global number of each segment
	tbl     tableOnce // facetcount.go
}

// newStoredReader holds a snapshot of a generation of one shard; nil for
// several shards (hits of an alias are numbered per shard) or an index
// that is not scorch's, whose hits bleve loads.
func newStoredReader(x *index.Index) *storedReader {
	if len(x.Shards()) != 1 {
		return nil
	}
	adv, err := x.Shards()[0].Advanced()
	if err != nil {
		return nil
	}
	r, err := adv.Reader()
	if err != nil {
		return nil
	}
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		_ = r.Close()
		return nil
	}
	s := &storedReader{snap: snap, segs: snap.Segments()}
	var n uint64
	for _, seg := range s.segs {
		s.offsets = append(s.offsets, n)
		n += seg.Segment().Count() // deleted documents keep their numbers
	}
	return s
}

// close lets the snapshot go, once the facet table is built if it is
// being built; nil is fine. The generation is no longer used by then.
func (s *storedReader) close() error {
	if s == nil {
		return nil
	}
	if s.tbl.done != nil {
		<-s.tbl.done
	}
	return s.snap.Close()
}

// load sets dm.Fields to the stored fields of dm named in fields, as bleve
// would (text as string).
func (s *storedReader) load(dm *bsearch.DocumentMatch, fields []string) error {
	if len(dm.IndexInternalID) != 8 {
		return fmt.Errorf("hit %s: no document number", dm.ID)
	}
	num := dm.IndexInternalID.Value()
	i := sort.Search(len(s.offsets), func(i int) bool { return s.offsets[i] > num }) - 1
	if i < 0 {
		return fmt.Errorf("hit %s: document number %d is in no segment", dm.ID, num)
	}
	if dm.Fields == nil {
		dm.Fields = make(map[string]any, len(fields)+4)
	}
	return s.segs[i].VisitDocument(num-s.offsets[i], func(name string, typ byte, val []byte, _ []uint64) bool {
		if !slices.Contains(fields, name) {
			return true
		}
		if typ == 't' { // a paragraph stores text fields only (index.NewMapping)
			dm.Fields[name] = string(val)
		}
		return true
	})
}

// setIDFields sets the document and paragraph number fields of hit dm
// (FieldDoc as a string, FieldN as a float64, as the rest of the package
// reads them) from its id: the index does not store them.
func setIDFields(dm *bsearch.DocumentMatch) {
	doc, n, ok := index.SplitParagraphID(dm.ID)
	if !ok {
		return // not a paragraph id: cannot happen in a scosearch index
	}
	if dm.Fields == nil {
		dm.Fields = make(map[string]any, 8)
	}
	dm.Fields[index.FieldDoc] = doc
	dm.Fields[index.FieldN] = float64(n)
}

// docFreq is the number of paragraphs holding term in field: the sum over
// the segments of their postings of the term, deleted paragraphs included,
// as bleve's FieldDict counts them (shardFreqs), but with one lookup in
// each segment's dictionary instead of a range iterator over all of them
// (a goroutine per segment: 11 % of the CPU of a search in one document).
func (s *storedReader) docFreq(field, term string) int {
	n := 0
	for _, seg := range s.segs {
		d, err := seg.Segment().Dictionary(field)
		if err != nil || d == nil {
			continue
		}
		pl, err := d.PostingsList([]byte(term), nil, nil)
		if err != nil || pl == nil {
			continue
		}
		n += int(pl.Count())
	}
	return n
}
