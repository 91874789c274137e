package zh

import (
	"bufio"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/go-ego/gse"
)

// userDict is the dictionary of SCO terms added to gse's dictionary: one
// term a line, optionally followed by a frequency and a part of speech;
// '#' starts a comment. See dict/sco.txt.
//
//go:embed dict/sco.txt
var userDict string

// defaultUserFreq is the frequency of a user term without one: high enough
// that the term wins over its parts (上海合作组织 over 上海/合作/组织).
const defaultUserFreq = 20000

// segmenter returns the process-wide word segmenter: gse's embedded
// simplified dictionary plus the SCO user dictionary, as compiled into
// dict/compiled.bin (see dictionary), which opens in microseconds.
//
// If the compiled dictionary does not match the inputs of this build (the
// user dictionary or the synonyms were edited without running go
// generate, which TestCompiledDictionaryUpToDate reports), it is compiled
// again from gse's text dictionary, which costs what every start used to
// (about 2 s of CPU and 130 MB of memory), and segments the same.
//
// It is a sync.OnceValues cache: every analyzer, index and shard of a
// process shares it; the dictionary is only read after loading.
var segmenter = sync.OnceValues(func() (*dictionary, error) {
	d, err := openDictionary(compiledDict)
	if err == nil {
		return d, nil
	}
	seg, err := loadGse()
	if err != nil {
		return nil, err
	}
	data, err := compileDictionary(seg)
	if err != nil {
		return nil, fmt.Errorf("zh: %w", err)
	}
	return openDictionary(data)
})

// loadGse loads gse's embedded text dictionary and the user entries into
// a gse segmenter without the HMM model (only the dictionary-based
// Segment is used): the source of the compiled dictionary.
func loadGse() (*gse.Segmenter, error) {
	entries, err := userEntries()
	if err != nil {
		return nil, err
	}
	// The user terms go in first and gse's dictionary after them: a word
	// already present is skipped, so a user term keeps its frequency, and
	// gse computes its tables (CalcToken, ~0.8 s) once instead of twice.
	// gseFreq (generated from gse's dictionary) tells which terms gse knows
	// and at what frequency, so the result equals loading gse's dictionary
	// first and then adding or raising the user terms.
	seg := &gse.Segmenter{NotLoadHMM: true, SkipLog: true}
	seg.Dict = gse.NewDict()
	seg.Init()
	var replaced float64 // gse frequencies of raised words, still counted in gse's total
	for _, e := range entries {
		if known, ok := gseFreq[e.word]; ok {
			if known >= e.freq || e.onlyNew {
				continue // gse's own entry stands
			}
			replaced += known
		}
		if err := seg.AddToken(e.word, e.freq, e.pos); err != nil {
			return nil, fmt.Errorf("zh: add user term %q: %w", e.word, err)
		}
	}
	if replaced > 0 {
		// gse keeps a replaced word's frequency in its total; so do we,
		// on a token no text contains.
		if err := seg.AddToken(totalAdjustToken, replaced, "x"); err != nil {
			return nil, fmt.Errorf("zh: adjust dictionary total: %w", err)
		}
	}
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("zh: load gse dictionary zh_s: %w", err)
	}
	return seg, nil
}

// totalAdjustToken is a dictionary entry no text contains (private-use
// characters), carrying frequency that gse's total must include.
const totalAdjustToken = "\ue000\ue001\ue002\ue003"

// userEntries returns the SCO user dictionary and the synonym members
// (words too: Variants replaces whole words only), folded. A member with
// punctuation (恐怖主义、分裂主义和极端主义) is a phrase, not a word: it is
// left out, so that gse keeps segmenting the text into its words.
func userEntries() ([]userEntry, error) {
	entries, err := parseUserDict(userDict)
	if err != nil {
		return nil, fmt.Errorf("zh: user dictionary dict/sco.txt: %w", err)
	}
	for _, m := range synonyms().members {
		if !isWord(m) {
			continue
		}
		entries = append(entries, userEntry{word: m, freq: defaultUserFreq, pos: "nz", onlyNew: true})
	}
	return entries, nil
}

// isWord reports whether s holds only letters, digits and marks.
func isWord(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
			return false
		}
	}
	return s != ""
}

type userEntry struct {
	word string
	freq float64
	pos  string
	// onlyNew: add the word only if gse does not know it.
	onlyNew bool
}

// parseUserDict parses the user dictionary format: "word [freq [pos]]"
// per line, '#' comments, blank lines ignored. Words are folded so that
// they match the folded text gse sees.
func parseUserDict(s string) ([]userEntry, error) {
	var out []userEntry
	sc := bufio.NewScanner(strings.NewReader(s))
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) > 3 {
			return nil, fmt.Errorf("line %d: want \"word [freq [pos]]\", got %q", n, line)
		}
		e := userEntry{word: Fold(f[0]), freq: defaultUserFreq, pos: "nz"}
		if len(f) > 1 {
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil || v < 2 {
				return nil, fmt.Errorf("line %d: bad frequency %q", n, f[1])
			}
			e.freq = v
		}
		if len(f) > 2 {
			e.pos = f[2]
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
