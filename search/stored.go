package search

import (
	"fmt"
	"sort"

	"github.com/blevesearch/bleve/v2"
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

// load sets dm.Fields[FieldSection] and [FieldText] from the stored value
// of hit dm, decoded with text.
func (s *storedReader) load(dm *bsearch.DocumentMatch, text *index.TextDecoder) error {
	if len(dm.IndexInternalID) != 8 {
		return fmt.Errorf("hit %s: no document number", dm.ID)
	}
	errStored := fmt.Errorf("hit %s: no stored text", dm.ID)
	err := s.visit(dm.IndexInternalID.Value(), func(val []byte) {
		errStored = setStored(dm, val, text)
	})
	if err != nil {
		return fmt.Errorf("hit %s: %w", dm.ID, err)
	}
	return errStored
}

// text returns the section and text of document number num, decoded
// with text.
func (s *storedReader) text(num uint64, text *index.TextDecoder) (section, t string, err error) {
	errStored := fmt.Errorf("document number %d: no stored text", num)
	err = s.visit(num, func(val []byte) {
		section, t, errStored = text.Decode(val)
	})
	if err != nil {
		return "", "", err
	}
	return section, t, errStored
}

// visit calls f with the stored value of document number num, if it has
// one. val is zap's buffer, reused once visit returns: f decodes (copies)
// it.
func (s *storedReader) visit(num uint64, f func(val []byte)) error {
	i := sort.Search(len(s.offsets), func(i int) bool { return s.offsets[i] > num }) - 1
	if i < 0 {
		return fmt.Errorf("document number %d is in no segment", num)
	}
	return s.segs[i].VisitDocument(num-s.offsets[i], func(name string, _ byte, val []byte, _ []uint64) bool {
		if name == index.FieldStored {
			f(val)
			return false
		}
		return true
	})
}

// setStored sets the section and text fields of hit dm from its stored
// value.
func setStored(dm *bsearch.DocumentMatch, stored []byte, text *index.TextDecoder) error {
	section, t, err := text.Decode(stored)
	if err != nil {
		return fmt.Errorf("hit %s: %w", dm.ID, err)
	}
	if dm.Fields == nil {
		dm.Fields = make(map[string]any, 8)
	}
	dm.Fields[index.FieldSection], dm.Fields[index.FieldText] = section, t
	return nil
}

// withStored asks br for the stored value of each hit when bleve is to
// load it (no storedReader: several shards); loadHits decodes it.
func (g *generation) withStored(br *bleve.SearchRequest) {
	if g.stored == nil {
		br.Fields = []string{index.FieldStored}
	}
}

// loadHits gives every hit of sr its paragraph id, document and number
// (setIDFields) and, with text, its section and text (loadText).
func (g *generation) loadHits(sr *bleve.SearchResult, text bool) error {
	for _, dm := range sr.Hits {
		if text {
			if err := g.loadText(dm); err != nil {
				return err
			}
		}
		if err := g.setIDFields(dm); err != nil {
			return err
		}
	}
	return nil
}

// loadText gives hit dm its section and text, unless it has them
// (textCheck.fill).
func (g *generation) loadText(dm *bsearch.DocumentMatch) error {
	if _, has := dm.Fields[index.FieldText]; has {
		return nil
	}
	if g.stored != nil {
		return g.stored.load(dm, g.idx.Text())
	}
	v, _ := dm.Fields[index.FieldStored].(string)
	delete(dm.Fields, index.FieldStored)
	return setStored(dm, []byte(v), g.idx.Text())
}

// setIDFields gives hit dm its paragraph id (index.ParagraphID: bleve's is
// index.InternalID) and sets its document and paragraph number fields
// (FieldDoc as a string, FieldN as a float64, as the rest of the package
// reads them): the index does not store them.
func (g *generation) setIDFields(dm *bsearch.DocumentMatch) error {
	key, n, ok := index.SplitInternalID(dm.ID)
	doc, known := g.byKey[key]
	if !ok || !known {
		return fmt.Errorf("hit %q: not a paragraph of this index", dm.ID)
	}
	if dm.Fields == nil {
		dm.Fields = make(map[string]any, 8)
	}
	dm.ID = index.ParagraphID(doc, n)
	dm.Fields[index.FieldDoc] = doc
	dm.Fields[index.FieldN] = float64(n)
	return nil
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
