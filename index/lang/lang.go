// Package lang is scosearch's registry of document languages. For each
// language (zh, ru, en) it gives the index fields and analyzers of its
// words and of its exact phrases, the keys in which a paragraph is
// checked against a query, the script that routes a query to it, and the
// fingerprint of its analysis. The index mapping (package index) and the
// query planner (package search) read everything from here, so adding a
// language is one entry in the table below (and its analyzers).
//
// Chinese keeps its own analysis (package zh: gse words, and the bigram
// and char fields that every paragraph has, for exact substrings);
// Russian and English use bleve's Snowball stemmers and stop words after
// scosearch's folding (lower case, full-width to half-width, ё to е), and
// match quoted phrases word by word on a field of unstemmed words.
package lang

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	bleveunicode "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"

	"golang.org/x/text/unicode/norm"

	"github.com/scosearch/scosearch/index/zh"
)

// Language is one language of the corpus and how it is indexed.
type Language struct {
	Code string // "zh", "ru", "en": Document.Lang
	Name string // its own name, for users: "中文", "Русский", "English"

	// WordField holds the paragraph's words for unquoted queries, indexed
	// with WordAnalyzer; QueryAnalyzer analyses a query's words against
	// it. Only paragraphs of the language have it, so its BM25
	// statistics are the language's own.
	WordField, WordAnalyzer, QueryAnalyzer string
	// ExactField holds the paragraph's words as written (folded, not
	// stemmed, no stop words left out), indexed with ExactAnalyzer, for
	// quoted phrases: a phrase matches the paragraphs holding its words
	// in a row. "" for Chinese, whose quoted phrases match characters on
	// the bigram field shared by all paragraphs (zh.SubstringQuery).
	ExactField, ExactAnalyzer string

	// script reports whether a rune is a letter of the language's own
	// script (Han, Cyrillic, Latin).
	script func(r rune) bool
	// version changes whenever the language's analysis could give other
	// tokens for the same text.
	version string
}

// Property is the property of a paragraph in the index that holds its
// text once per language (a map from Code to text, see index): the word
// and exact fields are named after it.
const Property = "words"

// Names of the analyzers registered here.
const (
	AnalyzerRuWord  = "scosearch_ru_word"
	AnalyzerRuExact = "scosearch_ru_exact"
	AnalyzerEnWord  = "scosearch_en_word"
	AnalyzerEnExact = "scosearch_en_exact"
	// FilterFold folds each token's term like zh.Fold (lower case, width,
	// ё to е), keeping its offsets into the original text.
	FilterFold = "scosearch_fold"
	// FilterRuStem is bleve's Russian Snowball stemmer, except for the
	// country and city names it cuts apart (see ruName).
	FilterRuStem = "scosearch_ru_stem"
)

// languages is the registry, in the order facets and links list them;
// the first is the default for paragraphs of unknown language.
var languages = []Language{
	{
		Code: "zh", Name: "中文",
		WordField: Property + ".zh", WordAnalyzer: zh.AnalyzerWord, QueryAnalyzer: zh.AnalyzerWordQuery,
		script:  isHan,
		version: zh.Fingerprint(),
	},
	{
		Code: "ru", Name: "Русский",
		WordField: Property + ".ru", WordAnalyzer: AnalyzerRuWord, QueryAnalyzer: AnalyzerRuWord,
		ExactField: Property + ".ru_exact", ExactAnalyzer: AnalyzerRuExact,
		script:  func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) },
		version: "ru3:unicode,fold(nfc,-cf),stop_ru,scosearch_ru_stem(names,stemmer_ru_snowball)",
	},
	{
		Code: "en", Name: "English",
		WordField: Property + ".en", WordAnalyzer: AnalyzerEnWord, QueryAnalyzer: AnalyzerEnWord,
		ExactField: Property + ".en_exact", ExactAnalyzer: AnalyzerEnExact,
		script:  func(r rune) bool { return unicode.Is(unicode.Latin, r) },
		version: "en2:unicode,possessive_en,fold(nfc,-cf),stop_en,stemmer_en_snowball",
	},
}

// All returns the languages of the registry; the first is the default.
func All() []Language { return append([]Language(nil), languages...) }

// Get returns the language of a code ("zh", "ru", "en").
func Get(code string) (Language, bool) {
	for _, l := range languages {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}

// Of returns the language whose analysis indexes a paragraph of a
// document in language code: its own, or the default (Chinese: gse
// segments any script) for an unknown or empty code.
func Of(code string) Language {
	if l, ok := Get(code); ok {
		return l
	}
	return languages[0]
}

// Name returns the name of a language code for users ("Русский"), or the
// code itself when the registry does not know it.
func Name(code string) string {
	if l, ok := Get(code); ok {
		return l.Name
	}
	return code
}

// Alphabetic reports whether the language writes words apart (its
// quoted phrases match whole words on ExactField).
func (l Language) Alphabetic() bool { return l.ExactField != "" }

// ForQuery returns the languages a query word is searched in, by its
// script: a word with Han characters is searched in Chinese, one with
// Cyrillic letters in Russian (both, when it has both). Latin letters and
// digits are written in every language's texts (SCO, 2019), so a word of
// only those is searched in every language. A word written only in
// alphabetic scripts is also searched in the default language, whose
// analysis reads any script: documents in a language the registry does
// not know (Kazakh, Қазақстан) are indexed as it, and a Chinese text may
// quote a Russian name (普京（Путин）). A word with no letter or digit
// gives none.
func ForQuery(word string) []Language {
	out := Scripts(word)
	if len(out) == 0 {
		for _, r := range word {
			if isShared(r) {
				return All()
			}
		}
		return nil
	}
	if !slices.ContainsFunc(out, func(l Language) bool { return !l.Alphabetic() }) {
		out = append([]Language{languages[0]}, out...)
	}
	return out
}

// Scripts returns the languages whose own script a word has letters of
// (Han: Chinese; Cyrillic: Russian), in registry order; none for a word
// of only Latin letters, digits and punctuation, written in every
// language's texts.
func Scripts(word string) []Language {
	var out []Language
	for _, l := range languages {
		for _, r := range word {
			if l.script(r) && !isShared(r) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// isShared reports whether r is written in texts of every language: Latin
// letters and digits.
func isShared(r rune) bool {
	return unicode.Is(unicode.Latin, r) || unicode.IsDigit(r)
}

func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

// Fingerprint identifies the analysis of every language: an index built
// with another fingerprint must be rebuilt.
func Fingerprint() string {
	h := sha256.New()
	for _, l := range languages {
		fmt.Fprintf(h, "%s=%s=%s=%s=%s=%s=%s\n", l.Code, l.version, l.WordField, l.WordAnalyzer, l.QueryAnalyzer, l.ExactField, l.ExactAnalyzer)
	}
	return "zh" + zh.Version + "-" + hex.EncodeToString(h.Sum(nil))[:16]
}

// Token is a term of a text with its byte offsets in the text.
type Token struct {
	Term       string
	Start, End int
}

// analyzers holds the analyzers of the registry, built once per process
// from bleve's registry.
var analyzers = sync.OnceValues(func() (map[string]analysis.Analyzer, error) {
	cache := registry.NewCache()
	out := map[string]analysis.Analyzer{}
	for _, l := range languages {
		for _, name := range []string{l.WordAnalyzer, l.QueryAnalyzer, l.ExactAnalyzer} {
			if name == "" || out[name] != nil {
				continue
			}
			a, err := cache.AnalyzerNamed(name)
			if err != nil {
				return nil, fmt.Errorf("lang: analyzer %s: %w", name, err)
			}
			out[name] = a
		}
	}
	return out, nil
})

// Tokens analyses text with one of the registry's analyzers.
func Tokens(analyzer, text string) []Token {
	as, err := analyzers()
	if err != nil {
		panic(err) // the registry's own analyzers are registered in init
	}
	a := as[analyzer]
	if a == nil {
		panic("lang: no analyzer " + analyzer)
	}
	stream := a.Analyze([]byte(text))
	out := make([]Token, len(stream))
	for i, t := range stream {
		out[i] = Token{Term: string(t.Term), Start: t.Start, End: t.End}
	}
	return out
}

// Key is the form in which a paragraph of language l is checked against
// an unquoted query: for Chinese, zh.ExactKey (a query's word holds when
// its key is a substring); for an alphabetic language, its stemmed words,
// each between spaces (" шанхайск организац "), so that a query's key
// holds when it is a substring: the same words, stemmed, in a row.
func (l Language) Key(text string) string {
	if !l.Alphabetic() {
		return zh.ExactKey(text)
	}
	return spaced(Tokens(l.WordAnalyzer, text))
}

// QueryKey is Key for a query's words.
func (l Language) QueryKey(text string) string {
	if !l.Alphabetic() {
		return zh.ExactKey(text)
	}
	return spaced(Tokens(l.QueryAnalyzer, text))
}

// ExactKey is the form in which quoted phrases are defined: for Chinese,
// zh.ExactKey (a phrase matches where its key is a substring of the
// paragraph's); for an alphabetic language, its folded words, each
// between spaces, so that a phrase matches the paragraphs holding its
// words in a row (case and ё/е aside), as the exact field's phrase query
// does.
func (l Language) ExactKey(text string) string {
	if !l.Alphabetic() {
		return zh.ExactKey(text)
	}
	return spaced(Tokens(l.ExactAnalyzer, text))
}

// spaced joins the terms with spaces, with a space before and after; no
// terms give "".
func spaced(ts []Token) string {
	if len(ts) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte(' ')
	for _, t := range ts {
		b.WriteString(t.Term)
		b.WriteByte(' ')
	}
	return b.String()
}

// foldFilter folds each token's term (zh.Fold) after composing it (NFC:
// й written as и and a combining breve, from some PDFs, is й) and leaving
// out invisible format characters (a soft hyphen from HTML's &shy; inside
// госу­дарства, a word joiner); offsets stay those of the original text.
type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if mayCompose(t.Term) {
			t.Term = norm.NFC.Bytes(bytes.Map(func(r rune) rune {
				if unicode.Is(unicode.Cf, r) {
					return -1 // soft hyphen, word joiner, zero-width joiners, BOM
				}
				return r
			}, t.Term))
		}
		t.Term = zh.FoldBytes(t.Term)
	}
	return input
}

// mayCompose reports whether b may hold a combining mark or a format
// character: a soft hyphen, a rune of U+0300–U+036F, or one from U+1AB0
// on; Latin and Cyrillic letters take the fast way.
func mayCompose(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == 0xAD || 0x300 <= r && r < 0x370 || r >= 0x1AB0 {
			return true
		}
		i += n
	}
	return false
}

// ruStemFilter stems Russian words with Snowball, but gives the names
// ruName knows their base: Snowball reads the -ан of Афганистан as a
// verb ending, so Афганистан and Афганистана stem to афганиста while
// Афганистане and Афганистаном stem to афганистан, and a search for the
// country missed half its mentions.
type ruStemFilter struct{ snowball analysis.TokenFilter }

func (f ruStemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	others := make(analysis.TokenStream, 0, len(input))
	for _, t := range input {
		if base, ok := ruName(string(t.Term)); ok {
			t.Term = []byte(base)
		} else {
			others = append(others, t)
		}
	}
	f.snowball.Filter(others) // stems the tokens in place
	return input
}

// ruNameEndings are the case endings of a masculine noun in -ан, longest
// first.
var ruNameEndings = []string{"ами", "ом", "ов", "ам", "ах", "а", "у", "е", "ы", ""}

// ruNames are names in -ан other than those in -стан.
var ruNames = map[string]bool{"иран": true, "азербайджан": true, "ереван": true, "оман": true, "судан": true, "ватикан": true}

// ruName returns the base of a folded Russian word that is a case form
// of a country or city name in -стан (Афганистан, Казахстаном,
// Кыргызстане) or of one of ruNames (Иране), and true; else false.
func ruName(w string) (string, bool) {
	for _, e := range ruNameEndings {
		base, ok := strings.CutSuffix(w, e)
		if !ok {
			continue
		}
		if strings.HasSuffix(base, "стан") && utf8.RuneCountInString(base) >= 6 || ruNames[base] {
			return base, true
		}
	}
	return "", false
}

func init() {
	registry.RegisterTokenFilter(FilterFold, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
	chain := func(filters ...string) registry.AnalyzerConstructor {
		return func(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
			tok, err := cache.TokenizerNamed(bleveunicode.Name)
			if err != nil {
				return nil, err
			}
			a := &analysis.DefaultAnalyzer{Tokenizer: tok}
			for _, name := range filters {
				f, err := cache.TokenFilterNamed(name)
				if err != nil {
					return nil, fmt.Errorf("lang: token filter %s: %w", name, err)
				}
				a.TokenFilters = append(a.TokenFilters, f)
			}
			return a, nil
		}
	}
	registry.RegisterTokenFilter(FilterRuStem, func(_ map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
		snowball, err := cache.TokenFilterNamed(ru.SnowballStemmerName)
		if err != nil {
			return nil, err
		}
		return ruStemFilter{snowball: snowball}, nil
	})
	registry.RegisterAnalyzer(AnalyzerRuWord, chain(FilterFold, ru.StopName, FilterRuStem))
	registry.RegisterAnalyzer(AnalyzerRuExact, chain(FilterFold))
	registry.RegisterAnalyzer(AnalyzerEnWord, chain(en.PossessiveName, FilterFold, en.StopName, en.SnowballStemmerName))
	registry.RegisterAnalyzer(AnalyzerEnExact, chain(FilterFold))
}
