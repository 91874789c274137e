// Package zh is scosearch's Chinese analysis: a gse-based word tokenizer and a
// character-bigram tokenizer, both folding width, case and traditional
// characters while keeping byte offsets into the original text, registered
// with bleve's registry under the names below.
//
// PLACEHOLDER: this file is a temporary stand-in that registers bleve's cjk
// components under the final names so that other packages compile. It is
// being replaced by the real implementation.
package zh

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the analyzers are registered with bleve.
const (
	// AnalyzerWord: gse words in search mode (sub-words at their parent's
	// position), for the ranked "text" field.
	AnalyzerWord = "scosearch_zh_word"
	// AnalyzerWordQuery: gse words without sub-words, to analyse phrase
	// queries against the "text" field.
	AnalyzerWordQuery = "scosearch_zh_word_query"
	// AnalyzerBigram: overlapping character bigrams of the folded text,
	// letters and digits only, for exact-substring recall.
	AnalyzerBigram = "scosearch_zh_bigram"
)

// Version changes whenever tokens for the same text could change.
const Version = "0-placeholder"

// Fingerprint identifies the analysis configuration (version, dictionaries,
// synonyms); an index built with another fingerprint must be rebuilt.
func Fingerprint() string { return Version }

// Fold maps s to its matching form: full-width to half-width, lower case,
// traditional to simplified characters.
func Fold(s string) string { return strings.ToLower(s) }

// Key is the form in which substring matching is defined: Fold(s) with every
// rune that is not a letter or a digit removed.
func Key(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, Fold(s))
}

// Variants returns q and the forms of q with abbreviations expanded or
// contracted (上合组织 ↔ 上海合作组织), q first, without duplicates.
func Variants(q string) []string { return []string{q} }

func init() {
	for _, name := range []string{AnalyzerWord, AnalyzerWordQuery, AnalyzerBigram} {
		registry.RegisterAnalyzer(name, func(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
			return cache.AnalyzerNamed(cjk.AnalyzerName)
		})
	}
}
