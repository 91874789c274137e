package index

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/gofrs/flock"

	"github.com/scosearch/scosearch/index/corpus"
	"github.com/scosearch/scosearch/index/lang"
)

// Limits of BuildOptions.
const (
	MaxShards        = 64
	DefaultBatchSize = 1000
	// DefaultMaxParagraphBytes is the longest paragraph indexed when
	// BuildOptions.MaxParagraphBytes is 0. Analysing one paragraph takes
	// memory in the hundreds of times its size (a 4 MB paragraph took
	// 1.3 GB), so a document with a longer one, such as a 50 MB file on
	// a single line, is skipped with a Problem instead.
	DefaultMaxParagraphBytes = 64 << 10
	// maxBatchBytes flushes a batch early once it holds this much text,
	// whatever BatchSize says, to bound the memory of a batch of long
	// paragraphs.
	maxBatchBytes = 4 << 20
)

// ErrBuildRunning: another reindex holds the index directory.
var ErrBuildRunning = errors.New("another reindex is running")

// BuildOptions tune Build. The zero value builds incrementally, one shard,
// in batches of DefaultBatchSize.
type BuildOptions struct {
	// Full re-analyses every document even when the current generation
	// could be reused.
	Full bool
	// Reread reads every corpus file, even those whose size, modification
	// and change times are what the last build recorded (files.json
	// beside CURRENT; see Report.Read). Full implies it.
	Reread bool
	// Shards splits the index into this many bleve indexes searched as one
	// (0 means 1). A change of shard count forces a full build.
	Shards int
	// BatchSize is the number of paragraphs per bleve batch (0: default).
	BatchSize int
	// MaxParagraphBytes is the longest paragraph indexed (0: default);
	// documents with a longer one are skipped and reported in Problems.
	MaxParagraphBytes int
	// Corpus tunes the reading of the corpus.
	Corpus corpus.Options
	// CorpusFS, if set, is read as the corpus instead of corpusDir (which
	// then only names it in messages): the bundled corpus is an embed.FS.
	CorpusFS fs.FS
	// Progress, if set, is called as the build advances (from one goroutine).
	Progress func(Progress)
	// Logger receives a line per stage; nil means silent.
	Logger *slog.Logger
}

// Progress is a snapshot of a running build.
type Progress struct {
	Stage          string // "read", "index", "similar", "merge", "verify", "swap"
	Documents      int    // documents done in this stage
	TotalDocuments int
	Paragraphs     int   // paragraphs indexed so far
	Bytes          int64 // text bytes indexed so far
	TotalBytes     int64 // text bytes to index
}

// Report is the outcome of a successful Build.
type Report struct {
	Dir        string           // the new current generation
	Documents  int              // documents in the index
	Paragraphs int              // paragraphs in the index
	Analysed   int              // documents analysed in this build
	Reused     int              // documents carried over unchanged from the previous generation
	Removed    int              // documents of the previous generation no longer in the corpus
	Bytes      int64            // text bytes analysed
	Problems   []corpus.Problem // files skipped, with reasons
	Took       time.Duration
	Full       bool // whether the build started from scratch
	// FullReason says why an incremental build started from scratch
	// ("" when it did not, or when Full was asked for or there was no
	// index): for example, the current generation is damaged.
	FullReason string
	// Unchanged: the corpus holds what the current generation holds; no
	// generation was written (Dir is the current one).
	Unchanged bool
	// Read is the number of corpus files read and parsed, of Files found:
	// an incremental build reads only the files whose size, modification
	// or change time differ from what the last build recorded (and those
	// skipped then), unless BuildOptions.Reread; it reads them all when
	// one of them makes a different document.
	Read, Files int
}

// Build rebuilds the index at indexDir from the corpus at corpusDir (or
// opts.CorpusFS). It writes a new generation beside the current one and
// makes it current only once it is complete and its paragraph count
// verified, by an atomic rename of the CURRENT file; on any error,
// cancellation or crash the previous generation stays current and
// servable, and the leftovers are removed by the next Build. Unless
// opts.Full, documents whose indexed form is unchanged are copied over,
// not re-analysed.
//
// It runs in stages: read the corpus, plan what to analyse, reuse and
// remove, write the new generation, find similar paragraphs across
// documents, verify it and swap it in.
func Build(ctx context.Context, corpusDir, indexDir string, opts BuildOptions) (*Report, error) {
	b := &builder{ctx: ctx, opts: opts, indexDir: indexDir, start: time.Now(), log: opts.Logger}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	b.shards = cmp.Or(opts.Shards, 1)
	if b.shards < 1 || b.shards > MaxShards {
		return nil, fmt.Errorf("shards: %d is not between 1 and %d", b.shards, MaxShards)
	}
	if err := os.MkdirAll(indexDir, 0o755); err != nil {
		return nil, fmt.Errorf("create index directory: %w", err)
	}
	unlock, err := lockDir(indexDir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	cleanLeftovers(indexDir, b.log)
	b.previous()
	reader, absCorpus := "", ""
	if opts.CorpusFS == nil { // the bundled corpus is small, and has no file times
		reader = readerKey(opts)
		absCorpus, _ = filepath.Abs(corpusDir)
	}
	walk, err := b.scan(corpusDir)
	if err != nil {
		return nil, err
	}
	if b.prev != "" && !opts.Reread {
		same, err := b.unchangedFiles(walk, reader, absCorpus)
		if err != nil {
			return nil, err
		}
		if same {
			return b.doneUnchanged(), nil
		}
	}
	docs, err := b.read(walk, nil)
	if err != nil {
		return nil, err
	}
	b.gen = filepath.Join(indexDir, genPrefix+time.Now().UTC().Format("20060102T150405.000000000")+"-"+randomSuffix())
	tmp := b.gen + tmpSuffix
	swapped := false
	defer func() {
		if !swapped {
			if err := os.RemoveAll(tmp); err != nil {
				b.log.Warn("remove unfinished generation", "dir", tmp, "err", err)
			}
		}
	}()
	todo, dels, err := b.plan(docs)
	if err != nil {
		return nil, err
	}
	if b.prev != "" && b.report.Bytes > b.kept {
		// Most of the text is new (the bundled corpus replaced by the
		// user's, say): a full build costs at most twice the analysis,
		// trains the text dictionary on this corpus (stored.go: the
		// laws text takes 30 MB with its own dictionary, 47 MB with the
		// bundled declaration's) and merges each shard into one segment.
		b.report.FullReason = fmt.Sprintf("more text to analyse (%d bytes) than to keep (%d bytes)", b.report.Bytes, b.kept)
		b.log.Info("index: building from scratch: " + b.report.FullReason)
		b.prev, b.prevMeta, b.report.Full = "", Meta{}, true
		b.report.Reused, b.report.Removed, b.report.Bytes = 0, 0, 0
		if todo, dels, err = b.plan(docs); err != nil {
			return nil, err
		}
	}
	if b.unchanged(todo, dels) {
		// Nothing to analyse, remove or record: no generation is written.
		swapped = true // nothing was made to remove
		b.writeFileCache(b.prev, reader, absCorpus, walk, docIDs(docs))
		return b.doneUnchanged(), nil
	}
	w, err := b.open(tmp)
	if err != nil {
		return nil, err
	}
	defer w.close()
	if b.prev == "" && !b.report.Full { // the copy failed: start afresh
		b.report.Full = true
		b.report.Reused, b.report.Removed, b.report.Bytes = 0, 0, 0
		if todo, dels, err = b.plan(docs); err != nil {
			return nil, err
		}
	}
	for _, d := range dels {
		w.deleteDoc(d)
	}
	if err := b.write(w, todo); err != nil {
		return nil, err
	}
	if err := b.similarStage(docs, tmp); err != nil { // similar.go
		return nil, err
	}
	if b.report.Full {
		if err := b.compact(w, tmp); err != nil {
			return nil, err
		}
	}
	if err := b.verify(w, tmp); err != nil {
		return nil, err
	}
	if err := b.swap(tmp); err != nil {
		return nil, err
	}
	swapped = true
	b.writeFileCache(b.gen, reader, absCorpus, walk, docIDs(docs))
	b.report.Dir = b.gen
	b.report.Documents = len(docs)
	b.report.Paragraphs = b.meta.Paragraphs
	b.report.Analysed = len(todo)
	b.report.Took = time.Since(b.start)
	return &b.report, nil
}

// builder is one Build in progress: what its stages share.
// ReadCorpus reads the corpus as Build would, writing nothing: the
// documents Build would index and every file it would skip, with the
// reason (the problems of corpus.ReadDir and documents with an oversized
// paragraph). corpusDir names the corpus, or opts.CorpusFS is read. The
// error is non-nil when the corpus cannot be read or has no document.
func ReadCorpus(corpusDir string, opts BuildOptions) ([]corpus.Document, []corpus.Problem, error) {
	opts.Progress = nil
	b := &builder{opts: opts}
	w, err := b.scan(corpusDir)
	if err != nil {
		return nil, nil, err
	}
	docs, err := b.read(w, nil)
	return docs, b.report.Problems, err
}

type builder struct {
	ctx      context.Context
	opts     BuildOptions
	indexDir string
	shards   int
	start    time.Time
	log      *slog.Logger

	gen      string // the new generation's directory
	prev     string // the previous generation, "" for a full build
	prevMeta Meta
	meta     Meta // of the new generation
	report   Report
	// kept counts the text bytes of the documents an incremental build
	// reuses (see plan)
	kept int64
	// hooksCalled: a read of the corpus called opts.Corpus's hooks.
	hooksCalled bool
}

func (b *builder) progress(p Progress) {
	if b.opts.Progress != nil {
		b.opts.Progress(p)
	}
}

// doneUnchanged is the report of a build that found the current
// generation up to date (b.meta or, after unchangedFiles, b.prevMeta).
func (b *builder) doneUnchanged() *Report {
	b.log.Info("index: unchanged", "dir", b.prev, "read", b.report.Read, "files", b.report.Files)
	b.report.Dir, b.report.Unchanged = b.prev, true
	b.report.Documents, b.report.Paragraphs = len(b.prevMeta.Documents), b.prevMeta.Paragraphs
	b.report.Took = time.Since(b.start)
	return &b.report
}

// unchangedFiles tells whether the corpus makes what the current
// generation holds, reading only the files whose records (files.json)
// no longer hold: the others make the documents they made. When it
// returns true, b.report holds the problems and counts.
func (b *builder) unchangedFiles(w *walk, reader, absCorpus string) (bool, error) {
	c, ok := loadFileCache(b.indexDir, b.prev, reader, absCorpus)
	if !ok {
		return false, nil
	}
	byPath := make(map[string]*cachedFile, len(c.Files))
	for i := range c.Files {
		byPath[c.Files[i].Path] = &c.Files[i]
	}
	skipped := map[string]string{} // path → id of the document it made
	docs, err := b.read(w, func(f corpus.File) (string, bool) {
		id, ok := c.trusted(byPath, f)
		if ok {
			skipped[f.Path] = id
		}
		return id, ok
	})
	if err != nil {
		return false, err
	}
	prevByID := make(map[string]DocMeta, len(b.prevMeta.Documents))
	for _, d := range b.prevMeta.Documents {
		prevByID[d.ID] = d
	}
	read := make(map[string]*corpus.Document, len(docs))
	for i := range docs {
		read[docs[i].Source] = &docs[i]
	}
	// The documents in corpus order, as the current generation must hold
	// them: its own record of the files skipped, the others as read now.
	var now []DocMeta
	for _, f := range w.files {
		if id, ok := skipped[f.Path]; ok {
			dm, found := prevByID[id]
			if !found || dm.Source != f.Path {
				return false, nil
			}
			now = append(now, dm)
		} else if d := read[f.Path]; d != nil {
			dm, err := b.docMeta(d)
			if err != nil {
				return false, err
			}
			now = append(now, dm)
		}
	}
	if len(now) != len(b.prevMeta.Documents) {
		return false, nil
	}
	for i, d := range now {
		if d != b.prevMeta.Documents[i] {
			return false, nil
		}
	}
	if !generationSound(b.prev) {
		return false, nil
	}
	ids := docIDs(docs)
	for p, id := range skipped {
		ids[p] = id
	}
	b.writeFileCache(b.prev, reader, absCorpus, w, ids)
	b.report.Reused = len(now)
	return true, nil
}

// docIDs maps the source path of each document to its id.
func docIDs(docs []corpus.Document) map[string]string {
	m := make(map[string]string, len(docs))
	for _, d := range docs {
		m[d.Source] = d.ID
	}
	return m
}

// walk is the corpus as scan found it, no file read yet.
type walk struct {
	dir      string // names the corpus in messages
	fsys     fs.FS
	files    []corpus.File
	problems []corpus.Problem // of the walk
	started  time.Time
}

// scan walks the corpus (corpusDir, or opts.CorpusFS), reading no file.
func (b *builder) scan(corpusDir string) (*walk, error) {
	w := &walk{dir: corpusDir, fsys: b.opts.CorpusFS, started: time.Now()}
	if w.fsys == nil {
		var err error
		if w.fsys, err = corpus.DirFS(corpusDir); err != nil {
			return nil, err // it says "read corpus" and the directory
		}
	}
	var err error
	w.files, w.problems, err = corpus.Scan(w.fsys)
	return w, err
}

// read reads the files of the walk and drops the documents that cannot be
// indexed, recording them as problems. skip (nil, or see
// corpus.Options.Skip) is called with every corpus file; the files it
// skips are not read. The caller's corpus hooks (Corpus.OnScan, OnFile)
// are called by the first read of a build only.
func (b *builder) read(w *walk, skip func(corpus.File) (string, bool)) ([]corpus.Document, error) {
	copts := b.opts.Corpus
	if b.hooksCalled {
		copts.OnScan, copts.OnFile = nil, nil
	}
	b.hooksCalled = true
	b.report.Read, b.report.Files = 0, 0
	skipped := 0
	copts.Skip = func(f corpus.File) (string, bool) {
		b.report.Files++
		if skip != nil {
			if id, ok := skip(f); ok {
				skipped++
				return id, true
			}
		}
		b.report.Read++
		return "", false
	}
	if copts.OnScan == nil && copts.OnFile == nil && b.opts.Progress != nil {
		read := Progress{Stage: "read"}
		copts.OnScan = func(files int, bytes int64) { read.TotalDocuments, read.TotalBytes = files, bytes }
		copts.OnFile = func(_ string, size int64) {
			read.Documents++
			read.Bytes += size
			b.progress(read)
		}
	}
	docs, problems := corpus.ReadFiles(w.fsys, w.files, w.problems, copts)
	docs, problems = dropOversized(docs, problems, cmp.Or(b.opts.MaxParagraphBytes, DefaultMaxParagraphBytes))
	b.report.Problems = problems
	if len(docs) == 0 && skipped == 0 {
		return nil, fmt.Errorf("corpus %q has no document to index (%d files skipped)", w.dir, len(problems))
	}
	return docs, nil
}

// previous finds the current generation an incremental build can start
// from (b.prev, "" for a full build, with the reason when one was
// expected to be possible).
func (b *builder) previous() {
	var reason string
	b.prev, b.prevMeta, reason = previousGeneration(b.indexDir, b.shards, b.opts.Full)
	b.report.Full, b.report.FullReason = b.prev == "", reason
	if reason != "" {
		b.log.Info("index: building from scratch: " + reason)
	}
}

// unchanged reports whether the build would write what the current
// generation already holds: nothing to analyse or remove, and the same
// metadata (documents, their order and sources).
func (b *builder) unchanged(todo []*corpus.Document, dels []DocMeta) bool {
	if b.prev == "" || len(todo) > 0 || len(dels) > 0 || b.meta.Paragraphs != b.prevMeta.Paragraphs ||
		len(b.meta.Documents) != len(b.prevMeta.Documents) {
		return false
	}
	for i, d := range b.meta.Documents {
		if d != b.prevMeta.Documents[i] {
			return false
		}
	}
	return generationSound(b.prev)
}

// generationSound tells whether the generation opens and verifies as a
// server would open it: a damaged one is rebuilt, not kept.
func generationSound(gen string) bool {
	x, err := openGeneration(gen, OpenOptions{ReadOnly: true})
	if err != nil {
		return false
	}
	return x.Close() == nil
}

// open creates the new generation's shards in tmp: copies of the current
// generation's when it can be reused, else empty ones (a damaged current
// generation stays current until this build replaces it; b.prev is then
// "" and the plan must be made again, for a full build).
func (b *builder) open(tmp string) (*writer, error) {
	w, err := newWriter(tmp, b.prev, b.prevMeta, b.shards)
	if err != nil && b.prev != "" {
		b.report.FullReason = cannotReuse(err)
		b.log.Info("index: building from scratch: " + b.report.FullReason)
		if rmErr := os.RemoveAll(tmp); rmErr != nil {
			return nil, fmt.Errorf("remove unusable copy: %w", rmErr)
		}
		b.prev, b.prevMeta = "", Meta{}
		w, err = newWriter(tmp, "", Meta{}, b.shards)
	}
	return w, err
}

// plan records the new generation's metadata and decides, per document,
// whether to reuse its copy (only when what would be indexed is exactly
// the same: a renamed file, en.txt → en.zh.txt, a sidecar or a corpus
// reader change can change a document's metadata with the same bytes),
// analyse it again, or remove it. It returns the documents to analyse and
// those of the previous generation to delete.
func (b *builder) plan(docs []corpus.Document) ([]*corpus.Document, []DocMeta, error) {
	old := map[string]DocMeta{}
	for _, d := range b.prevMeta.Documents {
		old[d.ID] = d
	}
	b.meta = Meta{Format: FormatVersion, Analyzer: lang.Fingerprint(), Shards: b.shards}
	b.kept = 0
	var todo []*corpus.Document
	var dels []DocMeta
	keys := make(map[string]string, len(docs)) // DocKey -> id
	for i := range docs {
		d := &docs[i]
		k := DocKey(d.ID)
		if other, ok := keys[k]; ok && other != d.ID {
			// (48 bits of SHA-256: about one chance in 50,000 for 100,000 documents)
			return nil, nil, fmt.Errorf("documents %q and %q have the same key %s in the index; rename one", other, d.ID, k)
		}
		keys[k] = d.ID
		dm, err := b.docMeta(d)
		if err != nil {
			return nil, nil, err
		}
		b.meta.Documents = append(b.meta.Documents, dm)
		b.meta.Paragraphs += len(d.Paragraphs)
		o, found := old[d.ID]
		if found && b.prev != "" && o.Form != "" && o.Form == dm.Form && o.Shard == dm.Shard && o.Paragraphs == dm.Paragraphs {
			b.report.Reused++
			for _, p := range d.Paragraphs {
				b.kept += int64(len(p.Text))
			}
			delete(old, d.ID)
			continue
		}
		if found {
			dels = append(dels, o) // changed: its old paragraphs go
			delete(old, d.ID)
		}
		todo = append(todo, d)
		for _, p := range d.Paragraphs {
			b.report.Bytes += int64(len(p.Text))
		}
	}
	for _, o := range b.prevMeta.Documents { // no longer in the corpus
		if _, gone := old[o.ID]; gone {
			dels = append(dels, o)
			b.report.Removed++
		}
	}
	b.log.Info("index: plan", "documents", len(docs), "analyse", len(todo), "reuse", b.report.Reused, "remove", b.report.Removed, "full", b.prev == "")
	return todo, dels, nil
}

// docMeta is what the new generation records of document d.
func (b *builder) docMeta(d *corpus.Document) (DocMeta, error) {
	dm := DocMeta{ID: d.ID, Title: d.Title, Date: d.Date, Place: d.Place, Lang: d.Lang,
		Source: d.Source, Hash: d.Hash, Paragraphs: len(d.Paragraphs), Shard: shardOf(d.ID, b.shards),
		TranslationOf: d.TranslationOf}
	var err error
	dm.Form, err = indexedForm(d, dm.Shard)
	return dm, err
}

// write analyses and adds the paragraphs of todo, in batches.
func (b *builder) write(w *writer, todo []*corpus.Document) error {
	batchSize := cmp.Or(b.opts.BatchSize, DefaultBatchSize)
	if batchSize < 0 {
		batchSize = DefaultBatchSize
	}
	if err := w.textFor(todo); err != nil {
		return err
	}
	pr := Progress{Stage: "index", TotalDocuments: len(todo), TotalBytes: b.report.Bytes}
	batchBytes := 0
	for _, d := range todo {
		for _, p := range d.Paragraphs {
			if err := w.add(InternalID(d.ID, p.N), shardOf(d.ID, b.shards), newParagraphDoc(d, p, w.text.encode(p.Section, p.Text))); err != nil {
				return err
			}
			pr.Paragraphs++
			pr.Bytes += int64(len(p.Text))
			batchBytes += len(p.Text)
			if w.pending >= batchSize || batchBytes >= maxBatchBytes {
				batchBytes = 0
				if err := b.ctx.Err(); err != nil {
					return fmt.Errorf("reindex interrupted: %w", err)
				}
				if err := w.flush(); err != nil {
					return err
				}
				b.progress(pr)
			}
		}
		pr.Documents++
	}
	if err := w.flush(); err != nil {
		return err
	}
	b.progress(pr)
	if err := b.ctx.Err(); err != nil {
		return fmt.Errorf("reindex interrupted: %w", err)
	}
	return nil
}

// compact merges each shard of a full build into one segment. bleve's
// merger leaves a shard of the laws corpus in about 20 segments, and a
// query pays for each: a dictionary lookup per term and segment, a
// postings iterator per term and segment (on the laws query mix, one
// segment is 15 % less time per query, a filtered one 22 %). It also
// makes the ranking independent of how the merges fell: bleve's BM25
// reads each field's average length from its dictionaries, summed over
// the segments. Incremental builds keep bleve's segments: merging the
// whole index again for a changed file costs more than it saves.
//
// bleve keeps the snapshot before the merge on disk until a later one is
// written, so each merged shard is copied (CopyTo: only the files of the
// current snapshot) to a fresh directory that replaces it.
func (b *builder) compact(w *writer, tmp string) error {
	b.progress(Progress{Stage: "merge", Paragraphs: b.meta.Paragraphs})
	// The analysis of the batches left garbage that the merge's
	// allocations would otherwise add to: return it first (laws corpus:
	// peak RSS of reindex --full 1,345 MB before this, 1,208 MB after).
	debug.FreeOSMemory()
	for i, idx := range w.shards {
		adv, err := idx.Advanced()
		if err != nil {
			return fmt.Errorf("merge shard %d: %w", i, err)
		}
		sc, ok := adv.(*scorch.Scorch)
		if !ok {
			return fmt.Errorf("merge shard %d: not a scorch index", i)
		}
		// one merge task of every segment: each paragraph is written once
		opts := mergeplan.SingleSegmentMergePlanOptions
		opts.SegmentsPerMergeTask = 1 << 20
		if err := forceMerge(b.ctx, sc, &opts); err != nil {
			if cerr := b.ctx.Err(); cerr != nil {
				return fmt.Errorf("reindex interrupted: %w", cerr)
			}
			return fmt.Errorf("merge shard %d: %w", i, err)
		}
		if err := b.ctx.Err(); err != nil {
			return fmt.Errorf("reindex interrupted: %w", err)
		}
		c, ok := idx.(bleve.IndexCopyable)
		if !ok {
			return fmt.Errorf("merge shard %d: the bleve index cannot be copied", i)
		}
		dir := shardDir(tmp, i)
		d := &syncDirectory{dir: dir + ".merged"}
		err = guard(fmt.Sprintf("copy merged shard %d", i), func() error { return c.CopyTo(d) })
		if err == nil {
			err = d.sync()
		}
		if err != nil {
			return fmt.Errorf("copy merged shard %d: %w", i, err)
		}
		w.shards[i] = nil // closed: writer.close skips it
		if err := idx.Close(); err != nil {
			return fmt.Errorf("close shard %d: %w", i, err)
		}
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("replace shard %d: %w", i, err)
		}
		if err := os.Rename(d.dir, dir); err != nil {
			return fmt.Errorf("replace shard %d: %w", i, err)
		}
		syncDir(tmp) // the rename, before the generation is swapped in
		if w.shards[i], err = openShardGuarded(dir, map[string]interface{}{"bolt_timeout": DefaultTimeout.String()}); err != nil {
			w.shards[i] = nil
			return fmt.Errorf("reopen merged shard %d: %w", i, err)
		}
	}
	return nil
}

// scorchMergeDone is the context key under which scorch's merger sends
// the outcome of a requested merge (bleve's unexported mergeDoneKey, a
// plain string; scorch's own DropFileWriterIDs uses it the same way).
const scorchMergeDone = "mergeDone"

// forceMerge is sc.ForceMerge, but returns when the merge fails. ForceMerge
// alone returns nil whatever happened, and when a merge fails (a full
// disk) it never returns: the merger reports the error to the async error
// callback (none here) and retries the merge for ever, without reading
// the request again if it failed on one of its own. So the merger's
// failures are watched in its statistics, and its outcome of the request
// read under scorchMergeDone when it gets that far. On error ForceMerge
// returns when the caller closes the index (writer.close).
func forceMerge(ctx context.Context, sc *scorch.Scorch, opts *mergeplan.MergePlanOptions) error {
	failures := func() uint64 {
		n, _ := sc.StatsMap()["TotFileMergeLoopErr"].(uint64)
		return n
	}
	before := failures()
	outcome := make(chan error, 1)
	//lint:ignore SA1029 the key is scorch's, a string
	mctx := context.WithValue(ctx, scorchMergeDone, outcome) //nolint:staticcheck
	returned := make(chan error, 1)
	go func() { returned <- sc.ForceMerge(mctx, opts) }()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-returned: // done, invalid options, or the index closed
			return err
		case err := <-outcome:
			if err != nil {
				return err
			}
			return <-returned // done: ForceMerge returns at once
		case <-tick.C:
			if n := failures(); n > before {
				return fmt.Errorf("bleve's merger failed %d times (a full disk?)", n-before)
			}
		}
	}
}

// verify checks the new generation's paragraph count before anything
// becomes visible, closes it and writes its metadata.
func (b *builder) verify(w *writer, tmp string) error {
	b.progress(Progress{Stage: "verify", Paragraphs: b.meta.Paragraphs})
	n, err := w.count()
	if err != nil {
		return err
	}
	if n != uint64(b.meta.Paragraphs) {
		return fmt.Errorf("verify new index: it holds %d paragraphs, the corpus has %d; nothing was swapped", n, b.meta.Paragraphs)
	}
	if err := w.close(); err != nil {
		return err
	}
	b.meta.Built = time.Now().UTC()
	mb, err := encodeMeta(b.meta)
	if err != nil {
		return fmt.Errorf("encode index metadata: %w", err)
	}
	if err := writeFileSync(filepath.Join(tmp, metaFile), mb); err != nil {
		return fmt.Errorf("write index metadata: %w", err)
	}
	if err := b.ctx.Err(); err != nil {
		return fmt.Errorf("reindex interrupted: %w", err)
	}
	return nil
}

// swap renames the generation into place, then points CURRENT at it, and
// removes the generations no longer needed.
func (b *builder) swap(tmp string) error {
	b.progress(Progress{Stage: "swap", Paragraphs: b.meta.Paragraphs})
	if err := os.Rename(tmp, b.gen); err != nil {
		return fmt.Errorf("move new generation into place: %w", err)
	}
	if err := writeFileSync(filepath.Join(b.indexDir, currentFile+tmpSuffix), []byte(filepath.Base(b.gen)+"\n")); err != nil {
		_ = os.RemoveAll(b.gen)
		return fmt.Errorf("write %s: %w", currentFile, err)
	}
	if err := os.Rename(filepath.Join(b.indexDir, currentFile+tmpSuffix), filepath.Join(b.indexDir, currentFile)); err != nil {
		_ = os.RemoveAll(b.gen)
		return fmt.Errorf("swap in new generation: %w", err)
	}
	syncDir(b.indexDir)
	b.log.Info("index: swapped in", "dir", b.gen)
	removeOldGenerations(b.indexDir, b.gen, b.prev, b.log)
	return nil
}

// shardOf routes every paragraph of a document to one shard.
func shardOf(docID string, shards int) int {
	if shards <= 1 {
		return 0
	}
	h := fnv.New32a()
	_, _ = io.WriteString(h, docID)
	return int(h.Sum32() % uint32(shards))
}

// dropOversized skips the documents with a paragraph longer than maxBytes,
// reporting each as a Problem wrapping corpus.ErrTooLarge.
func dropOversized(docs []corpus.Document, problems []corpus.Problem, maxBytes int) ([]corpus.Document, []corpus.Problem) {
	out := docs[:0]
	for _, d := range docs {
		big := -1
		for i, p := range d.Paragraphs {
			if len(p.Text) > maxBytes {
				big = i
				break
			}
		}
		if big >= 0 {
			p := d.Paragraphs[big]
			problems = append(problems, corpus.Problem{Path: d.Source,
				Err: fmt.Errorf("%w: paragraph %d is %d bytes, the limit is %d; split it with blank lines", corpus.ErrTooLarge, p.N, len(p.Text), maxBytes)})
			continue
		}
		out = append(out, d)
	}
	return out, problems
}

// previousGeneration returns the current generation and its metadata when an
// incremental build can start from it, or "" for a full build, with the
// reason when one was expected to be possible.
func previousGeneration(indexDir string, shards int, full bool) (string, Meta, string) {
	if full {
		return "", Meta{}, ""
	}
	cur, err := Current(indexDir)
	if errors.Is(err, ErrNotFound) {
		return "", Meta{}, ""
	}
	if err != nil {
		return "", Meta{}, cannotReuse(err)
	}
	m, err := readMeta(cur)
	switch {
	case err != nil:
		return "", Meta{}, cannotReuse(err)
	case m.Format != FormatVersion || m.Analyzer != lang.Fingerprint():
		return "", Meta{}, fmt.Sprintf("the analyzer or index format changed (was %q format %d, now %q format %d)", m.Analyzer, m.Format, lang.Fingerprint(), FormatVersion)
	case m.Shards != shards:
		return "", Meta{}, fmt.Sprintf("the shard count changed from %d to %d", m.Shards, shards)
	case len(m.Documents) > 0 && m.Documents[0].Form == "":
		// Built before documents recorded their indexed form: none could
		// be reused, and replacing every one in a copy is slower than
		// starting afresh.
		return "", Meta{}, "the index predates the per-document check of what changed"
	}
	return cur, m, ""
}

// cannotReuse is the reason for a full build when the current generation
// cannot be read; the advice to run reindex --full, which this build does,
// is dropped.
func cannotReuse(err error) string {
	return "the current index cannot be reused: " + strings.TrimSuffix(err.Error(), "; run scosearch reindex --full")
}

// writer adds and deletes paragraphs in the shards of a new generation.
type writer struct {
	shards  []bleve.Index
	batches []*bleve.Batch
	pending int
	// text encodes the stored text (stored.go), with the dictionary of
	// the previous generation (copied with its shards) or, on a full
	// build, one trained on the corpus (textFor).
	text   *textEncoder
	copied bool // the shards are copies of a previous generation
}

// textFor sets w.text: the copies' dictionary, or a new one trained on
// docs (the whole corpus: a full build), given to every shard.
func (w *writer) textFor(docs []*corpus.Document) error {
	if w.text != nil {
		return nil
	}
	var dict []byte
	if w.copied {
		d, err := w.shards[0].GetInternal([]byte(textDictKey))
		if err != nil {
			return fmt.Errorf("read text dictionary: %w", err)
		}
		dict = d
	} else if dict = trainTextDict(docs); dict != nil {
		for i, s := range w.shards {
			if err := s.SetInternal([]byte(textDictKey), dict); err != nil {
				return fmt.Errorf("shard %d: write text dictionary: %w", i, err)
			}
		}
	}
	t, err := newTextEncoder(dict)
	if err != nil {
		return err
	}
	w.text = t
	return nil
}

// newWriter creates the shards of a new generation in dir, as copies of the
// previous generation's shards when prev is set.
func newWriter(dir, prev string, prevMeta Meta, shards int) (*writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create generation: %w", err)
	}
	m, err := NewMapping()
	if err != nil {
		return nil, err
	}
	w := &writer{copied: prev != ""}
	for i := 0; i < shards; i++ {
		var idx bleve.Index
		if prev != "" {
			if err := copyShard(shardDir(prev, i), shardDir(dir, i), docsOfShard(prevMeta, i)); err != nil {
				_ = w.close()
				return nil, fmt.Errorf("copy previous generation: %w", err)
			}
			idx, err = openShardGuarded(shardDir(dir, i), map[string]interface{}{"bolt_timeout": DefaultTimeout.String()})
		} else {
			idx, err = bleve.NewUsing(shardDir(dir, i), m, scorch.Name, scorch.Name, nil)
		}
		if err != nil {
			_ = w.close()
			return nil, fmt.Errorf("create shard %d: %w", i, err)
		}
		w.shards = append(w.shards, idx)
		w.batches = append(w.batches, idx.NewBatch())
	}
	return w, nil
}

func docsOfShard(m Meta, shard int) []DocMeta {
	var out []DocMeta
	for _, d := range m.Documents {
		if d.Shard == shard {
			out = append(out, d)
		}
	}
	return out
}

// copyShard copies a consistent snapshot of the shard at src to dst: it
// opens src read-only, verifies it, and has bleve write the segment files
// of its current snapshot and a fresh root.bolt naming only them
// (IndexCopyable.CopyTo). Copying the directory file by file, as this did
// before, copies whatever is there, including files of other snapshots.
func copyShard(src, dst string, docs []DocMeta) error {
	idx, err := openShard(src, OpenOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer idx.Close()
	if err := verifyShard(idx, src, docs); err != nil {
		return err
	}
	c, ok := idx.(bleve.IndexCopyable)
	if !ok {
		return fmt.Errorf("copy %q: the bleve index cannot be copied", src)
	}
	d := &syncDirectory{dir: dst}
	err = guard(fmt.Sprintf("copy shard %q", src), func() error { return c.CopyTo(d) })
	if err == nil {
		err = d.sync()
	}
	if err != nil {
		return fmt.Errorf("copy %q to %q: %w", src, dst, err)
	}
	return nil
}

// syncDirectory is a bleve index.Directory writing files under dir; sync
// flushes them to disk.
type syncDirectory struct {
	dir   string
	files []string
}

func (d *syncDirectory) GetWriter(name string) (io.WriteCloser, error) {
	p := filepath.Join(d.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	d.files = append(d.files, p)
	return f, nil // an *os.File: bleve requires one for root.bolt
}

func (d *syncDirectory) sync() error {
	for _, p := range d.files {
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("sync %s: %w", p, err)
		}
	}
	return nil
}

func (w *writer) add(id string, shard int, doc paragraphDoc) error {
	if err := w.batches[shard].Index(id, doc); err != nil {
		return fmt.Errorf("index paragraph %s: %w", id, err)
	}
	w.pending++
	return nil
}

func (w *writer) deleteDoc(d DocMeta) {
	for n := 1; n <= d.Paragraphs; n++ {
		w.batches[d.Shard].Delete(InternalID(d.ID, n))
		w.pending++
	}
}

func (w *writer) flush() error {
	for i, b := range w.batches {
		if b.Size() == 0 {
			continue
		}
		if err := w.shards[i].Batch(b); err != nil {
			return fmt.Errorf("write batch to shard %d: %w", i, err)
		}
		// A new batch, not b.Reset(): scorch's analysis goroutine may
		// still read the old batch's map after Batch returns (the race
		// detector caught it).
		w.batches[i] = w.shards[i].NewBatch()
	}
	w.pending = 0
	return nil
}

func (w *writer) count() (uint64, error) {
	var n uint64
	for i, s := range w.shards {
		c, err := s.DocCount()
		if err != nil {
			return 0, fmt.Errorf("count shard %d: %w", i, err)
		}
		n += c
	}
	return n, nil
}

// close closes the shards once; later calls do nothing.
func (w *writer) close() error {
	if w.text != nil {
		w.text.close()
	}
	var errs []error
	for _, s := range w.shards {
		if s == nil {
			continue
		}
		if err := s.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	w.shards = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close new index: %w", err)
	}
	return nil
}

// lockDir takes an exclusive, non-blocking lock on indexDir/.lock so that two
// builds never run at once. The lock dies with the process (kill -9 too).
// gofrs/flock uses flock(2) on Unix and LockFileEx on Windows.
func lockDir(indexDir string) (func(), error) {
	path := filepath.Join(indexDir, ".lock")
	l := flock.New(path)
	locked, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock index directory: %w", err)
	}
	if !locked {
		return nil, fmt.Errorf("%w on %q (lock %s is held)", ErrBuildRunning, indexDir, path)
	}
	return func() { _ = l.Unlock() }, nil
}

// cleanLeftovers removes what an interrupted build left behind. It runs
// under the build lock, so no build is using them.
func cleanLeftovers(indexDir string, log *slog.Logger) {
	entries, err := os.ReadDir(indexDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, tmpSuffix) && (strings.HasPrefix(name, genPrefix) || name == currentFile+tmpSuffix || name == fileCacheName+tmpSuffix) {
			log.Info("index: removing leftover of an interrupted reindex", "path", name)
			if err := os.RemoveAll(filepath.Join(indexDir, name)); err != nil {
				log.Warn("remove leftover", "path", name, "err", err)
			}
		}
	}
}

// removeOldGenerations keeps the new generation and the one before it (a
// running server may still have it open until it reloads).
func removeOldGenerations(indexDir, keep, prevKeep string, log *slog.Logger) {
	entries, err := os.ReadDir(indexDir)
	if err != nil {
		return
	}
	var gens []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), genPrefix) && !strings.HasSuffix(e.Name(), tmpSuffix) {
			gens = append(gens, filepath.Join(indexDir, e.Name()))
		}
	}
	sort.Strings(gens)
	// Keep the newest two besides keep, in case prevKeep is "" (full build).
	for i, g := range gens {
		if g == keep || g == prevKeep || i >= len(gens)-2 {
			continue
		}
		log.Info("index: removing old generation", "dir", g)
		if err := os.RemoveAll(g); err != nil {
			log.Warn("remove old generation", "dir", g, "err", err)
		}
	}
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		_ = f.Sync()
		f.Close()
	}
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
