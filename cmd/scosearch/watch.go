package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/scosearch/scosearch/index"
)

// Timing of serve --watch.
const (
	// watchQuiet is how long the corpus must be still before a change is
	// reindexed: copying a folder of files is one build, not one per file.
	watchQuiet = time.Second
	// watchMaxWait bounds the wait for quiet: a corpus that never stops
	// changing is still reindexed this long after its first change.
	watchMaxWait = 10 * time.Second
	// watchRetry is how long after a failed build the watcher tries again
	// without a further change (the index lock held by a reindex, a
	// full disk).
	watchRetry = time.Minute
)

// checkWatch refuses --watch without --corpus (the bundled corpus is
// inside the binary and never changes) and with the index inside the
// corpus (every build would change the folder it watches).
func checkWatch(watch bool, corpusDir, indexDir string) error {
	if !watch {
		return nil
	}
	if corpusDir == "" {
		return errors.New("--watch needs --corpus DIR (the bundled corpus is inside the binary and never changes)")
	}
	c, errC := filepath.Abs(corpusDir)
	i, errI := filepath.Abs(indexDir)
	if errC != nil || errI != nil {
		return nil // the build will say what is wrong
	}
	if rel, err := filepath.Rel(c, i); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("--watch: the index %q is inside the corpus %q; put it elsewhere", indexDir, corpusDir)
	}
	return nil
}

// corpusWatcher keeps the index of a corpus directory up to date while
// serve runs: it watches the directory and its subdirectories, waits for a
// burst of changes to end, and runs the incremental index.Build in the
// background, one at a time. After a build that wrote a generation it
// calls reload, so that serve swaps it in at once. It never stops serve:
// the outcome of the last build is what health reports.
type corpusWatcher struct {
	corpusDir, indexDir string
	log                 *slog.Logger
	reload              func()
	quiet, maxWait      time.Duration
	retry               time.Duration

	fw *fsnotify.Watcher

	mu       sync.Mutex
	err      error // of the last build; nil after a successful one
	skipped  int   // files skipped by the last successful build
	problems map[string]string
	lastErr  string // last build error logged
}

// newCorpusWatcher watches corpusDir and its subdirectories (not hidden
// ones, which the corpus reader skips too). Call run to start it.
func newCorpusWatcher(corpusDir, indexDir string, log *slog.Logger, reload func()) (*corpusWatcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch corpus: %w", err)
	}
	w := &corpusWatcher{
		corpusDir: corpusDir, indexDir: indexDir, log: log, reload: reload,
		quiet: watchQuiet, maxWait: watchMaxWait, retry: watchRetry, fw: fw,
	}
	if err := fw.Add(corpusDir); err != nil {
		fw.Close()
		return nil, fmt.Errorf("watch corpus %q: %w", corpusDir, err)
	}
	w.addTree(corpusDir)
	return w, nil
}

// addTree watches the subdirectories of dir. A directory that cannot be
// watched (too many watches) is logged; its changes are picked up by the
// next build that something else triggers.
func (w *corpusWatcher) addTree(dir string) {
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone meanwhile, or unreadable: the build reports it
		}
		if !d.IsDir() {
			return nil
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if path == w.corpusDir {
			return nil // watched by newCorpusWatcher
		}
		if err := w.fw.Add(path); err != nil {
			w.log.Warn("watch corpus: cannot watch a directory; its changes wait for another change", "dir", path, "err", err)
		}
		return nil
	})
}

// relevant reports whether an event may change the index: not a change of
// permissions only, not a hidden file (editors' swap files).
func relevant(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	return !strings.HasPrefix(filepath.Base(ev.Name), ".")
}

// run builds once at start (the corpus may have changed while serve was
// down), then after every burst of changes, until ctx ends; it returns
// once the build in progress, if any, has stopped.
func (w *corpusWatcher) run(ctx context.Context) {
	defer w.fw.Close()
	var (
		timer    = time.NewTimer(0) // the build at start
		first    time.Time          // first change of the burst waited for; zero if none
		building bool
		again    bool // a burst ended during the build: build again after it
		done     = make(chan error, 1)
	)
	defer timer.Stop()
	schedule := func(d time.Duration) {
		now := time.Now()
		if first.IsZero() {
			first = now
		}
		if rest := first.Add(w.maxWait).Sub(now); rest < d {
			d = max(rest, 0)
		}
		timer.Reset(d)
	}
	for {
		select {
		case <-ctx.Done():
			if building {
				<-done
			}
			return
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			if ev.Has(fsnotify.Create) {
				w.addTree(ev.Name) // a new directory, and what was copied into it before its watch
			}
			if relevant(ev) {
				schedule(w.quiet)
			}
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			// An overflow loses events: rebuild to be sure.
			w.log.Warn("watch corpus", "err", err)
			schedule(w.quiet)
		case <-timer.C:
			first = time.Time{}
			if building {
				again = true
				continue
			}
			building = true
			go func() { done <- w.build(ctx) }()
		case err := <-done:
			building = false
			switch {
			case again:
				again = false
				building = true
				go func() { done <- w.build(ctx) }()
			case err != nil && ctx.Err() == nil && first.IsZero():
				timer.Reset(w.retry) // unless a change comes first
			}
		}
	}
}

// build runs one incremental build and records its outcome.
func (w *corpusWatcher) build(ctx context.Context) error {
	rep, err := index.Build(ctx, w.corpusDir, w.indexDir, index.BuildOptions{Logger: w.log.With("watch", true)})
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return err // serve is stopping
		}
		w.mu.Lock()
		w.err = err
		logIt := err.Error() != w.lastErr
		w.lastErr = err.Error()
		w.mu.Unlock()
		if logIt { // once per problem, not at every retry
			w.log.Error("watch corpus: reindex failed; the previous index is still served", "corpus", w.corpusDir, "err", err)
		}
		return err
	}
	problems := make(map[string]string, len(rep.Problems))
	for _, p := range rep.Problems {
		problems[p.Path] = p.Err.Error()
	}
	w.mu.Lock()
	for path, reason := range problems {
		if w.problems[path] != reason { // each skipped file once, not at every build
			w.log.Warn("watch corpus: skipped a corpus file", "path", path, "reason", reason)
		}
	}
	if w.err != nil {
		w.log.Info("watch corpus: reindex succeeded again")
	}
	w.err, w.lastErr, w.skipped, w.problems = nil, "", len(rep.Problems), problems
	w.mu.Unlock()
	if rep.Unchanged {
		return nil
	}
	w.log.Info("watch corpus: reindexed", "documents", rep.Documents, "analysed", rep.Analysed,
		"removed", rep.Removed, "skipped", len(rep.Problems), "took", rep.Took.Round(time.Millisecond))
	w.reload()
	return nil
}

// degraded says why the watched corpus needs attention ("" if it does
// not): the last build failed, or skipped files. A skipped file counts:
// it was dropped into the folder to be searched and is not, as reindex
// exits 3 for it. A nil watcher (no --watch) never does.
func (w *corpusWatcher) degraded() string {
	if w == nil {
		return ""
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.err != nil:
		return "the watched corpus could not be reindexed; the previous index is searched (see the server log)"
	case w.skipped == 1:
		return "1 file of the watched corpus was skipped (see the server log)"
	case w.skipped > 1:
		return fmt.Sprintf("%d files of the watched corpus were skipped (see the server log)", w.skipped)
	}
	return ""
}
