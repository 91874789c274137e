package index_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/corpus"
	"github.com/scosearch/scosearch/internal/archive"
)

// benchLawsArchive is the large benchmark corpus of issue 7, outside the
// repository; benchmarks that need it are skipped when it is absent.
const benchLawsArchive = "../../shared/bench/laws-zh-2f4c5c2.tar.gz"

// benchLaws unpacks the laws corpus into a temporary directory, or skips.
func benchLaws(b *testing.B) string {
	b.Helper()
	if _, err := os.Stat(benchLawsArchive); errors.Is(err, os.ErrNotExist) {
		b.Skipf("%s not found", benchLawsArchive)
	}
	dir := b.TempDir()
	if err := archive.Unpack(benchLawsArchive, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}

// benchTextBytes is the paragraph text of a corpus, the bytes a build analyses.
func benchTextBytes(b *testing.B, dir string) int64 {
	b.Helper()
	docs, _, err := corpus.ReadDir(dir, corpus.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, d := range docs {
		for _, p := range d.Paragraphs {
			n += int64(len(p.Text))
		}
	}
	return n
}

// benchBuild times full builds of corpusDir, each into a fresh directory.
func benchBuild(b *testing.B, corpusDir string, opts index.BuildOptions) {
	b.SetBytes(benchTextBytes(b, corpusDir))
	opts.Full = true
	// Load the gse dictionary outside the timed loop.
	if _, err := index.Build(context.Background(), corpusDir, b.TempDir(), opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		b.StartTimer()
		if _, err := index.Build(context.Background(), corpusDir, dir, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildBundled(b *testing.B) {
	for _, tc := range []struct {
		name string
		opts index.BuildOptions
	}{
		{"shards=1", index.BuildOptions{}},
		{"shards=4", index.BuildOptions{Shards: 4}},
		{"batch=100", index.BuildOptions{BatchSize: 100}},
	} {
		b.Run(tc.name, func(b *testing.B) { benchBuild(b, "../testdata/corpus", tc.opts) })
	}
}

// BenchmarkBuildLaws builds the whole laws corpus (minutes per iteration:
// run with -benchtime=1x).
func BenchmarkBuildLaws(b *testing.B) {
	benchBuild(b, benchLaws(b), index.BuildOptions{})
}
