package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/scosearch/scosearch/index/lang"
)

// Errors of Open, to be tested with errors.Is.
var (
	// ErrNotFound: there is no index at the directory.
	ErrNotFound = errors.New("no index")
	// ErrLocked: another process holds the index for writing.
	ErrLocked = errors.New("index is locked by another process")
	// ErrIncompatible: the index was built by another analyzer configuration
	// or index format; it must be rebuilt with reindex.
	ErrIncompatible = errors.New("index built with an incompatible configuration")
	// ErrDamaged: the index files cannot be read.
	ErrDamaged = errors.New("index is damaged")
)

// FormatVersion changes whenever the mapping or the layout of an index
// changes in a way that needs a rebuild.
const FormatVersion = 8 // 3: the char field; 4: the dockey field; 5: words per language (index/lang); 6: no title field, words without positions; 7: text and section stored alone, n a keyword (NKey), similar.json.gz; 8: short ids (InternalID), section and text stored compressed (stored.go)

const (
	currentFile = "CURRENT"        // names the current generation directory
	metaFile    = "scosearch.json" // Meta of a generation
	genPrefix   = "gen-"
	tmpSuffix   = ".tmp"
)

// DefaultTimeout bounds how long Open waits for another process's lock.
const DefaultTimeout = time.Second

// Meta describes one built index generation. It is stored beside the bleve
// shards as scosearch.json.
type Meta struct {
	Format     int       `json:"format"`
	Analyzer   string    `json:"analyzer"` // lang.Fingerprint() at build time
	Built      time.Time `json:"built"`
	Shards     int       `json:"shards"`
	Paragraphs int       `json:"paragraphs"`
	Documents  []DocMeta `json:"documents"` // in corpus order
	// Checksum is the SHA-256 of this metadata encoded with an empty
	// Checksum, to detect a changed or damaged scosearch.json.
	Checksum string `json:"checksum,omitempty"`
}

// DocMeta is what the index records of one document.
type DocMeta struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Date   string `json:"date,omitempty"`
	Place  string `json:"place,omitempty"`
	Lang   string `json:"lang"`
	Source string `json:"source"`
	Hash   string `json:"hash"` // of the file and its sidecar
	// Form is a hash of the indexed form of the document: every field of
	// every paragraph as indexed, and its shard. A document is reused by an
	// incremental build only when its Form is unchanged.
	Form       string `json:"form,omitempty"`
	Paragraphs int    `json:"paragraphs"`
	Shard      int    `json:"shard"`

	// TranslationOf is the document's translation_of metadata: the id of
	// the document it translates, or "" (X.ru and X.en translate X by
	// their names alone).
	TranslationOf string `json:"translation_of,omitempty"`
}

// OpenOptions tune Open.
type OpenOptions struct {
	// ReadOnly opens with a shared lock: several readers may coexist, and
	// a reindex can build a new generation meanwhile.
	ReadOnly bool
	// Timeout bounds the wait for a lock held by another process;
	// 0 means DefaultTimeout.
	Timeout time.Duration
}

// Index is an opened index generation: one or more bleve shards searched as one.
type Index struct {
	dir    string // the generation directory
	meta   Meta
	shards []bleve.Index
	bleve  bleve.Index // the single shard, or an alias over all of them
	text   *TextDecoder

	closeOnce sync.Once
	closeErr  error
}

// Bleve returns the index to search. With several shards it is a
// bleve.IndexAlias; writes go through the index package only.
func (x *Index) Bleve() bleve.Index { return x.bleve }

// Shards returns the bleve indexes of the generation, one per shard (for
// statistics that an alias does not merge, such as a term's document
// frequency). Callers must not write to them.
func (x *Index) Shards() []bleve.Index { return x.shards }

// Text decodes the stored value of a paragraph (FieldStored) of this
// index into its section and text.
func (x *Index) Text() *TextDecoder { return x.text }

// Dir returns the generation directory that was opened.
func (x *Index) Dir() string { return x.dir }

// Meta returns what the index records of its build.
func (x *Index) Meta() Meta { return x.meta }

// Close closes every shard. Closing twice is harmless (bleve itself panics).
func (x *Index) Close() error {
	x.closeOnce.Do(x.closeShards)
	return x.closeErr
}

func (x *Index) closeShards() {
	x.text.close()
	var errs []error
	for _, s := range x.shards {
		if err := s.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		x.closeErr = fmt.Errorf("close index %q: %w", x.dir, err)
	}
}

// Current returns the directory of the current generation of the index at
// indexDir. It changes when a reindex swaps in a new generation.
func Current(indexDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(indexDir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w at %q (build one with: scosearch reindex)", ErrNotFound, indexDir)
	}
	if err != nil {
		return "", fmt.Errorf("read index %q: %w", indexDir, err)
	}
	name := strings.TrimSpace(string(b))
	if !strings.HasPrefix(name, genPrefix) || strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, tmpSuffix) {
		return "", fmt.Errorf("%w: %q names no generation (%q); run scosearch reindex --full", ErrDamaged, filepath.Join(indexDir, currentFile), name)
	}
	return filepath.Join(indexDir, name), nil
}

// openAttempts bounds how often Open follows CURRENT to a newer generation.
const openAttempts = 3

// Open opens the current generation of the index at indexDir.
//
// A reindex removes generations two swaps old, so a slow opener can find
// the generation it read in CURRENT half deleted (bleve then reports a
// missing segment as "error parsing mapping JSON"). When opening fails and
// CURRENT names another generation by then, Open tries that one.
func Open(indexDir string, opts OpenOptions) (*Index, error) {
	gen, err := Current(indexDir)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		x, err := openGeneration(gen, opts)
		if err == nil || attempt == openAttempts {
			return x, err
		}
		now, cerr := Current(indexDir)
		if cerr != nil || now == gen {
			return nil, err
		}
		gen = now
	}
}

// CurrentMeta returns the metadata of the current generation of
// indexDir without opening its shards. An error wraps ErrNotFound when
// there is no index, ErrIncompatible (with the metadata still returned)
// when another format or analysis built it, or ErrDamaged.
func CurrentMeta(indexDir string) (Meta, error) {
	gen, err := Current(indexDir)
	if err != nil {
		return Meta{}, err
	}
	m, err := readMeta(gen)
	if err != nil {
		return m, err
	}
	if m.Format != FormatVersion || m.Analyzer != lang.Fingerprint() {
		return m, fmt.Errorf("%w: %q was built with format %d and analyzer %q, this program uses format %d and analyzer %q",
			ErrIncompatible, gen, m.Format, m.Analyzer, FormatVersion, lang.Fingerprint())
	}
	return m, nil
}

func readMeta(gen string) (Meta, error) {
	var m Meta
	b, err := os.ReadFile(filepath.Join(gen, metaFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return m, fmt.Errorf("%w: %q has no %s; run scosearch reindex --full", ErrDamaged, gen, metaFile)
		}
		return m, fmt.Errorf("read index metadata: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%w: %s: %v; run scosearch reindex --full", ErrDamaged, filepath.Join(gen, metaFile), err)
	}
	if m.Format != FormatVersion || m.Analyzer != lang.Fingerprint() {
		return m, nil // incompatible: the callers say so, whatever the checksum
	}
	return m, checkMeta(gen, m)
}

func openGeneration(gen string, opts OpenOptions) (*Index, error) {
	m, err := readMeta(gen)
	if err != nil {
		return nil, err
	}
	if m.Format != FormatVersion || m.Analyzer != lang.Fingerprint() {
		return nil, fmt.Errorf("%w: %q was built with format %d and analyzer %q, this program uses format %d and analyzer %q; run scosearch reindex --full",
			ErrIncompatible, gen, m.Format, m.Analyzer, FormatVersion, lang.Fingerprint())
	}
	if m.Shards < 1 || m.Shards > MaxShards {
		return nil, fmt.Errorf("%w: %q records %d shards; run scosearch reindex --full", ErrDamaged, gen, m.Shards)
	}
	byShard := make([][]DocMeta, m.Shards)
	total := 0
	for _, d := range m.Documents {
		if d.Shard < 0 || d.Shard >= m.Shards {
			return nil, fmt.Errorf("%w: %q records document %q in shard %d of %d; run scosearch reindex --full", ErrDamaged, gen, d.ID, d.Shard, m.Shards)
		}
		byShard[d.Shard] = append(byShard[d.Shard], d)
		total += d.Paragraphs
	}
	if total != m.Paragraphs {
		return nil, fmt.Errorf("%w: %q records %d paragraphs in all but %d in its documents; run scosearch reindex --full", ErrDamaged, gen, m.Paragraphs, total)
	}
	x := &Index{dir: gen, meta: m}
	for i := 0; i < m.Shards; i++ {
		s, err := openShard(shardDir(gen, i), opts)
		if err != nil {
			_ = x.Close() // the open error is the one worth reporting
			return nil, err
		}
		x.shards = append(x.shards, s)
		// scorch opens a shard whose segment files are missing as an
		// empty index (it only logs the problem), and damage inside a
		// segment shows only when a search reads it: verify now.
		if err := verifyShard(s, shardDir(gen, i), byShard[i]); err != nil {
			_ = x.Close()
			return nil, err
		}
	}
	if x.text, err = newTextDecoder(x.shards); err != nil {
		_ = x.Close()
		return nil, fmt.Errorf("%w: %q: %v; run scosearch reindex --full", ErrDamaged, gen, err)
	}
	x.bleve = x.shards[0]
	if len(x.shards) > 1 {
		x.bleve = bleve.NewIndexAlias(x.shards...)
	}
	return x, nil
}

func shardDir(gen string, i int) string { return filepath.Join(gen, fmt.Sprintf("shard-%02d", i)) }

func openShard(dir string, opts OpenOptions) (bleve.Index, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	cfg := map[string]interface{}{"bolt_timeout": timeout.String()}
	if opts.ReadOnly {
		cfg["read_only"] = true
	}
	idx, err := openShardGuarded(dir, cfg)
	switch {
	case errors.Is(err, ErrDamaged):
		return nil, err
	case err == nil:
		return idx, nil
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("open index %q: %w (waited %s; is a scosearch reindex or another writer running?)", dir, ErrLocked, timeout)
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist), errors.Is(err, bleve.ErrorIndexMetaMissing):
		return nil, fmt.Errorf("%w: shard %q is missing; run scosearch reindex --full", ErrDamaged, dir)
	default:
		return nil, fmt.Errorf("%w: open %q: %v; run scosearch reindex --full", ErrDamaged, dir, err)
	}
}
