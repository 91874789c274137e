package bench

import (
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/scosearch/scosearch/index/corpus"
	"github.com/scosearch/scosearch/index/zh"
)

// Query classes of the distinct mix, in report order.
var mixClasses = []string{"word", "multi", "phrase", "rare", "common", "char", "question", "filtered"}

// distinctMix builds about perClass distinct queries of each class from
// the corpus, with a fixed seed, so that no query repeats and no cache can
// answer one: words and quoted phrases drawn from random paragraphs, two
// words of one paragraph, rare strings (< 100 paragraphs), the most
// frequent words, single characters, questions (the judged questions, if
// any, else words with a question word) and words within the largest
// document or the most frequent year. Keys are what the scan baseline
// looks for (every content unit, for a question).
func distinctMix(docs []corpus.Document, questions []string, perClass int) []benchQuery {
	rng := rand.New(rand.NewPCG(2019, 614))
	type para struct{ doc, year, text string }
	var paras []para
	bigDoc, most := "", -1
	years := map[string]int{}
	for _, d := range docs {
		y := ""
		if len(d.Date) >= 4 {
			y = d.Date[:4]
			years[y] += len(d.Paragraphs)
		}
		if len(d.Paragraphs) > most {
			bigDoc, most = d.ID, len(d.Paragraphs)
		}
		for _, p := range d.Paragraphs {
			paras = append(paras, para{d.ID, y, p.Text})
		}
	}
	topYear, n := "", 0
	for y, c := range years {
		if c > n || c == n && y < topYear {
			topYear, n = y, c
		}
	}
	// df counts, over a sample of paragraphs, the paragraphs holding a key
	// (scaled to the corpus), to tell rare and common strings.
	sample := make([]string, 0, 20000)
	for range min(20000, len(paras)) {
		sample = append(sample, zh.Key(paras[rng.IntN(len(paras))].text))
	}
	df := func(key string) int {
		c := 0
		for _, s := range sample {
			if strings.Contains(s, key) {
				c++
			}
		}
		return c * len(paras) / max(1, len(sample))
	}
	words := func(text string) []string {
		var out []string
		for _, u := range zh.Units(text) {
			if !u.Stop && utf8.RuneCountInString(u.Text) >= 2 && zh.Key(u.Text) == u.Text {
				out = append(out, u.Text)
			}
		}
		return out
	}
	seen := map[string]bool{}
	var mix []benchQuery
	add := func(q benchQuery) bool {
		k := q.String()
		if seen[k] || q.Q == "" {
			return false
		}
		seen[k] = true
		mix = append(mix, q)
		return true
	}
	bounded := func(class string, gen func() (benchQuery, bool)) {
		got := 0
		for tries := 0; got < perClass && tries < perClass*200; tries++ {
			if q, ok := gen(); ok {
				q.Class = class
				if add(q) {
					got++
				}
			}
		}
	}
	randomPara := func() para { return paras[rng.IntN(len(paras))] }
	randomWord := func(p para) string {
		ws := words(p.text)
		if len(ws) == 0 {
			return ""
		}
		return ws[rng.IntN(len(ws))]
	}
	bounded("word", func() (benchQuery, bool) {
		w := randomWord(randomPara())
		return benchQuery{Q: w, Keys: []string{w}}, w != "" && df(w) >= 100
	})
	bounded("multi", func() (benchQuery, bool) {
		ws := words(randomPara().text)
		if len(ws) < 2 {
			return benchQuery{}, false
		}
		a, b := ws[rng.IntN(len(ws))], ws[rng.IntN(len(ws))]
		return benchQuery{Q: a + " " + b, Keys: []string{a, b}}, a != b
	})
	bounded("phrase", func() (benchQuery, bool) {
		rs := []rune(randomPara().text)
		l := 3 + rng.IntN(4)
		if len(rs) < l {
			return benchQuery{}, false
		}
		i := rng.IntN(len(rs) - l + 1)
		s := string(rs[i : i+l])
		k := zh.Key(s)
		if k != s || strings.ContainsRune(s, '"') {
			return benchQuery{}, false // letters only: the scan compares keys
		}
		return benchQuery{Q: `"` + s + `"`, Keys: []string{k}}, true
	})
	bounded("rare", func() (benchQuery, bool) {
		rs := []rune(zh.Key(randomPara().text))
		l := 4 + rng.IntN(3)
		if len(rs) < l {
			return benchQuery{}, false
		}
		i := rng.IntN(len(rs) - l + 1)
		s := string(rs[i : i+l])
		return benchQuery{Q: s, Keys: []string{s}}, df(s) < 100
	})
	// common: the most frequent words of a sample
	counts := map[string]int{}
	for range 3000 {
		for _, w := range words(randomPara().text) {
			counts[w]++
		}
	}
	common := make([]string, 0, len(counts))
	for w := range counts {
		common = append(common, w)
	}
	slices.SortFunc(common, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	for _, w := range common[:min(perClass, len(common))] {
		add(benchQuery{Class: "common", Q: w, Keys: []string{w}})
	}
	bounded("char", func() (benchQuery, bool) {
		rs := []rune(zh.Key(randomPara().text))
		if len(rs) == 0 {
			return benchQuery{}, false
		}
		c := string(rs[rng.IntN(len(rs))])
		return benchQuery{Q: c, Keys: []string{c}}, true
	})
	qi := 0
	bounded("question", func() (benchQuery, bool) {
		var q string
		if qi < len(questions) {
			q = questions[qi]
			qi++
		} else {
			w := randomWord(randomPara())
			if w == "" {
				return benchQuery{}, false
			}
			q = w + []string{"是什么", "有哪些规定", "怎么处理", "的条件是什么"}[rng.IntN(4)]
		}
		var keys []string
		for _, u := range zh.Units(q) {
			if !u.Stop {
				keys = append(keys, zh.Key(u.Text))
			}
		}
		return benchQuery{Q: q, Keys: keys}, len(keys) > 0
	})
	bounded("filtered", func() (benchQuery, bool) {
		p := randomPara()
		w := randomWord(p)
		if w == "" {
			return benchQuery{}, false
		}
		if rng.IntN(2) == 0 && bigDoc != "" {
			return benchQuery{Q: w, Keys: []string{w}, Doc: bigDoc}, true
		}
		return benchQuery{Q: w, Keys: []string{w}, Year: topYear}, topYear != ""
	})
	return mix
}
