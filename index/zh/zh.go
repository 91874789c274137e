// Package zh is scosearch's Chinese analysis, registered with bleve's
// registry under the names below:
//
//   - a word tokenizer on gse (dictionary segmentation, gse's simplified
//     dictionary plus the SCO terms of dict/sco.txt) for the ranked text
//     field, in search mode (sub-words such as 上海/合作/组织 share the
//     position of their parent 上海合作组织) for indexing and in plain mode
//     for analysing phrase and match queries;
//   - a character-bigram tokenizer over the visible characters of the text
//     (letters, digits and punctuation; spaces skipped), which gives exact
//     substring matching: a quoted query X matches a paragraph T exactly
//     when strings.Contains(ExactKey(T), ExactKey(X)).
//
// Both fold the text rune by rune (full-width to half-width, lower case,
// traditional to simplified characters, see Fold) while keeping token
// offsets as byte offsets into the original text, so highlights stay
// exact. Positions start at 1.
//
// The word dictionary is compiled ahead of time (go generate, see
// dict.go), opened once per process on first use of a word analyzer (in
// microseconds, read in place) and shared by every index.
package zh

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/width"
)

// Names under which the analyzers are registered with bleve.
const (
	// AnalyzerWord: gse words in search mode (sub-words of two or more
	// characters at their parent's position), for the ranked "text" field
	// and the title.
	AnalyzerWord = "scosearch_zh_word"
	// AnalyzerWordQuery: gse words without sub-words, to analyse phrase and
	// match queries against a field indexed with AnalyzerWord (with the
	// search-mode analyzer, 上海合作组织 would falsely match 上海很大).
	AnalyzerWordQuery = "scosearch_zh_word_query"
	// AnalyzerBigram: overlapping bigrams of the visible characters of the
	// folded text (spaces skipped, positions consecutive across them; a
	// text of one visible character gives that character),
	// for exact-substring recall. Query such a field with SubstringQuery.
	AnalyzerBigram = "scosearch_zh_bigram"
	// AnalyzerBigramQuery analyses phrase queries against a field indexed
	// with AnalyzerBigram. It gives the same tokens as AnalyzerBigram; it
	// is a name of its own so that the two may differ in a later Version.
	AnalyzerBigramQuery = "scosearch_zh_bigram_query"
	// AnalyzerBigramPositions gives the tokens of AnalyzerBigram with
	// Start and End 0: what the bigram field indexes. Its term vectors
	// serve the positions of phrases; nothing reads their offsets
	// (snippets and highlights find matches in the stored text), and
	// offsets took 2.6% of an index of laws.
	AnalyzerBigramPositions = "scosearch_zh_bigram_positions"
	// AnalyzerChar: each distinct letter or digit of the folded text once,
	// for one-character queries (see SubstringQuery).
	AnalyzerChar = "scosearch_zh_char"
)

// Names under which the tokenizers are registered with bleve; each
// analyzer above is its tokenizer alone (the tokenizers fold the text).
const (
	TokenizerWord            = "scosearch_zh_word_tokenizer"
	TokenizerWordQuery       = "scosearch_zh_word_query_tokenizer"
	TokenizerBigram          = "scosearch_zh_bigram_tokenizer"
	TokenizerBigramQuery     = "scosearch_zh_bigram_query_tokenizer"
	TokenizerBigramPositions = "scosearch_zh_bigram_positions_tokenizer"
	TokenizerChar            = "scosearch_zh_char_tokenizer"
)

// Version changes whenever the code could produce other tokens for the
// same text. Fingerprint adds the data files.
const Version = "5" // 2: punctuation in the bigram field; 3: the char analyzer; 4: ё folds to е; 5: AnalyzerBigramPositions

// gseVersion is the gse module whose embedded dictionary is used; its
// dictionary changes the word tokens. Keep it in step with go.mod.
const gseVersion = "github.com/go-ego/gse@v0.80.3"

// Fingerprint identifies the analysis configuration: Version, the gse
// dictionary version, the user dictionary, the synonyms list, the
// traditional→simplified table and the Unicode tables. An index built with
// another fingerprint must be rebuilt.
func Fingerprint() string {
	h := sha256.New()
	for _, s := range []string{
		Version, gseVersion, userDict, synonymsText, t2sSource, t2sPairs,
		unicode.Version, width.UnicodeVersion,
	} {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	return "zh" + Version + "-" + hex.EncodeToString(h.Sum(nil))[:16]
}

func init() {
	registry.RegisterTokenizer(TokenizerWord, wordTokenizerConstructor(true))
	registry.RegisterTokenizer(TokenizerWordQuery, wordTokenizerConstructor(false))
	registry.RegisterTokenizer(TokenizerBigram, bigramTokenizerConstructor)
	registry.RegisterTokenizer(TokenizerBigramQuery, bigramTokenizerConstructor)
	registry.RegisterAnalyzer(AnalyzerWord, analyzerConstructor(TokenizerWord))
	registry.RegisterAnalyzer(AnalyzerWordQuery, analyzerConstructor(TokenizerWordQuery))
	registry.RegisterAnalyzer(AnalyzerBigram, analyzerConstructor(TokenizerBigram))
	registry.RegisterAnalyzer(AnalyzerBigramQuery, analyzerConstructor(TokenizerBigramQuery))
	registry.RegisterTokenizer(TokenizerBigramPositions, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return &bigramTokenizer{positionsOnly: true}, nil
	})
	registry.RegisterAnalyzer(AnalyzerBigramPositions, analyzerConstructor(TokenizerBigramPositions))
	registry.RegisterTokenizer(TokenizerChar, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return charTokenizer{}, nil
	})
	registry.RegisterAnalyzer(AnalyzerChar, analyzerConstructor(TokenizerChar))
}

func analyzerConstructor(tokenizer string) registry.AnalyzerConstructor {
	return func(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		tok, err := cache.TokenizerNamed(tokenizer)
		if err != nil {
			return nil, fmt.Errorf("zh: tokenizer %s: %w", tokenizer, err)
		}
		return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
	}
}

func wordTokenizerConstructor(subWords bool) registry.TokenizerConstructor {
	return func(config map[string]interface{}, cache *registry.Cache) (analysis.Tokenizer, error) {
		seg, err := segmenter()
		if err != nil {
			return nil, err
		}
		return &wordTokenizer{seg: seg, subWords: subWords}, nil
	}
}

func bigramTokenizerConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.Tokenizer, error) {
	return &bigramTokenizer{}, nil
}
