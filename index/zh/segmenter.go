package zh

import (
	"bufio"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

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

// segmenter returns the process-wide gse segmenter: gse's embedded
// simplified dictionary plus the SCO user dictionary, without the HMM
// model (only the dictionary-based Segment is used).
//
// It is a sync.OnceValues cache because the dictionary is large (about
// 150 MB, 0.7-1 s to load) and every analyzer, index and shard of a
// process shares it. The segmenter is only read after loading, which gse
// supports from several goroutines.
var segmenter = sync.OnceValues(func() (*gse.Segmenter, error) {
	seg := &gse.Segmenter{NotLoadHMM: true, SkipLog: true}
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("zh: load gse dictionary zh_s: %w", err)
	}
	entries, err := parseUserDict(userDict)
	if err != nil {
		return nil, fmt.Errorf("zh: user dictionary dict/sco.txt: %w", err)
	}
	// Synonym members are words too (Variants replaces whole words only).
	for _, m := range synonyms().members {
		entries = append(entries, userEntry{word: m, freq: defaultUserFreq, pos: "nz", onlyNew: true})
	}
	for _, e := range entries {
		add := seg.AddToken
		if freq, _, ok := seg.Dict.Find([]byte(e.word)); ok {
			if freq >= e.freq || e.onlyNew {
				continue
			}
			add = seg.ReAddToken // raise the frequency of a known word
		}
		if err := add(e.word, e.freq, e.pos); err != nil {
			return nil, fmt.Errorf("zh: add user term %q: %w", e.word, err)
		}
	}
	seg.CalcToken()
	return seg, nil
})

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
