package search

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/index/zh"
)

// words splits text into its words for the tests, independently of the
// analyzers: runs of letters, digits and apostrophes, lower case, ё as е.
func words(text string) []string {
	fs := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	})
	for i, f := range fs {
		fs[i] = strings.NewReplacer("ё", "е").Replace(strings.ToLower(zh.Fold(f)))
	}
	return fs
}

// hasRun reports whether ws holds want in a row.
func hasRun(ws, want []string) bool {
	for i := 0; i+len(want) <= len(ws); i++ {
		if slices.Equal(ws[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// TestLangStemming: an unquoted Russian or English word finds its other
// forms in paragraphs of its language, and nothing else there. The
// expectation is a scan for the forms' common beginnings, written by hand.
func TestLangStemming(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	for _, c := range []struct {
		query, lang string
		stems       []string // a paragraph of lang matches when it holds a word starting with one
	}{
		{"Шанхайская организация", "ru", nil}, // both words: checked below
		{"резолюция", "ru", []string{"резолюц"}},
		{"РЕЗОЛЮЦИЙ", "ru", []string{"резолюц"}},
		{"провёл", "ru", []string{"провел", "провёл"}},
		{"осуждать", "ru", []string{"осужда"}},
		{"Афганистан", "ru", []string{"афганистан"}},
		{"resolution", "en", []string{"resolution"}},
		{"organisations", "en", []string{"organisation"}},
		{"condemned", "en", []string{"condemn"}},
	} {
		var want []string
		for _, p := range paras {
			if p.lang != c.lang {
				continue
			}
			ws := words(p.text)
			ok := false
			if c.stems == nil {
				ok = slices.ContainsFunc(ws, func(w string) bool { return strings.HasPrefix(w, "шанхайск") }) &&
					slices.ContainsFunc(ws, func(w string) bool { return strings.HasPrefix(w, "организац") })
			}
			for _, s := range c.stems {
				ok = ok || slices.ContainsFunc(ws, func(w string) bool { return strings.HasPrefix(w, s) })
			}
			if ok {
				want = append(want, p.id)
			}
		}
		if len(want) == 0 {
			t.Fatalf("%s: test data: no paragraph of %s holds it", c.query, c.lang)
		}
		var got []string
		for _, h := range allHits(t, e, Request{Query: c.query, Lang: c.lang, NoCollapse: true}) {
			if h.Match == MatchAll {
				got = append(got, h.ID)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s in %s: got %v, want %v", c.query, c.lang, got, want)
		}
	}
}

// TestLangExactPhrases: random quoted phrases of one to four words taken
// from the Russian and English paragraphs (some in upper case, some with
// ё for е) find exactly the paragraphs holding those words in a row,
// checked by a scan; Chinese paragraphs by their folded characters.
func TestLangExactPhrases(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	var alpha []scoPara
	for _, p := range paras {
		if lang.Of(p.lang).Alphabetic() {
			alpha = append(alpha, p)
		}
	}
	rng := rand.New(rand.NewPCG(16, 2022))
	const n = 250
	checked := 0
	for i := 0; i < n*4 && checked < n; i++ {
		p := alpha[rng.IntN(len(alpha))]
		ws := words(p.text)
		size := 1 + rng.IntN(4)
		if len(ws) < size {
			continue
		}
		from := rng.IntN(len(ws) - size + 1)
		phrase := ws[from : from+size]
		typed := strings.Join(phrase, " ")
		switch rng.IntN(3) {
		case 0:
			typed = strings.ToUpper(typed)
		case 1:
			typed = strings.ReplaceAll(typed, "е", "ё")
		}
		var want []string
		for _, q := range paras {
			var ok bool
			if lang.Of(q.lang).Alphabetic() {
				ok = hasRun(words(q.text), phrase)
			} else {
				// a Chinese paragraph: the characters, spaces aside
				ok = strings.Contains(zh.ExactKey(q.text), zh.ExactKey(typed))
			}
			if ok {
				want = append(want, q.id)
			}
		}
		got := hitIDs(allHits(t, e, Request{Query: `"` + typed + `"`, NoCollapse: true}))
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %v, want %v", typed, got, want)
		}
		checked++
	}
	if checked < n {
		t.Fatalf("only %d phrases checked", checked)
	}
}

// TestLangRouting: a word is searched in the languages of its script;
// Latin words are words in English (no "Samar" inside "Samarkand"),
// synonym groups cross scripts, and lang: filters and the lang facet work.
func TestLangRouting(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	langOf := map[string]string{}
	for _, p := range paras {
		langOf[p.id] = p.lang
	}
	langs := func(hits []Hit) map[string]int {
		m := map[string]int{}
		for _, h := range hits {
			if h.Match == MatchAll {
				m[langOf[h.ID]]++
			}
		}
		return m
	}
	if got := langs(allHits(t, e, Request{Query: "Samar", NoCollapse: true})); len(got) != 0 {
		t.Errorf("Samar: matches %v, want none (no substrings of English words: Samarkand)", got)
	}
	if got := langs(allHits(t, e, Request{Query: "恐怖主义", NoCollapse: true})); got["ru"]+got["en"] != 0 || got["zh"] == 0 {
		t.Errorf("恐怖主义: matches by language %v, want Chinese only", got)
	}
	if got := langs(allHits(t, e, Request{Query: "терроризм", NoCollapse: true})); got["ru"] == 0 || len(got) != 1 {
		t.Errorf("терроризм: matches by language %v, want Russian only", got)
	}
	// SCO: the English word, ШОС in Russian, 上合组织 and its forms in Chinese
	sco := langs(allHits(t, e, Request{Query: "SCO", NoCollapse: true}))
	if sco["zh"] == 0 || sco["ru"] == 0 || sco["en"] == 0 {
		t.Errorf("SCO: matches by language %v, want all three", sco)
	}
	// 上合组织's synonyms in Latin and Cyrillic letters are words in
	// English and Russian paragraphs: "sco" inside "scope" is not SCO
	for _, q := range []string{"上合组织", "SCO"} {
		for _, h := range allHits(t, e, Request{Query: q, NoCollapse: true}) {
			ws := words(h.Text)
			switch h.Lang {
			case "en":
				if !slices.Contains(ws, "sco") {
					t.Errorf("%s: English hit %s without the word SCO: %s", q, h.ID, h.Text)
				}
			case "ru":
				if !slices.Contains(ws, "шос") {
					t.Errorf("%s: Russian hit %s without the word ШОС: %s", q, h.ID, h.Text)
				}
			}
		}
	}
	if zhSCO := langs(allHits(t, e, Request{Query: "上合组织", NoCollapse: true})); zhSCO["ru"] == 0 || zhSCO["en"] == 0 {
		t.Errorf("上合组织: matches by language %v, want its Russian and English synonyms found", zhSCO)
	}
	res, err := e.Search(context.Background(), Request{Query: "SCO", Lang: "en", NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	if int(res.Total) != sco["en"] {
		t.Errorf("SCO lang:en: %d matches, want %d", res.Total, sco["en"])
	}
	for _, h := range res.Hits {
		if h.Lang != "en" {
			t.Errorf("SCO lang:en: hit %s in %s", h.ID, h.Lang)
		}
	}
	res, err = e.Search(context.Background(), Request{Query: "SCO", NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	facet := map[string]int{}
	for _, c := range res.Facets.Lang {
		facet[c.Value] = c.Count
		if c.Label != lang.Name(c.Value) {
			t.Errorf("lang facet %s labelled %q", c.Value, c.Label)
		}
	}
	if len(facet) != 3 || facet["zh"] != sco["zh"] || facet["ru"] != sco["ru"] || facet["en"] != sco["en"] {
		t.Errorf("lang facet %v, want %v", facet, sco)
	}
	// "the" is an English stop word: never required
	the, err := e.Search(context.Background(), Request{Query: "the Member States", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := e.Search(context.Background(), Request{Query: "Member States", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if the.Complete != ms.Complete || ms.Complete == 0 {
		t.Errorf("the Member States: %d full matches, Member States: %d", the.Complete, ms.Complete)
	}
}

// TestLangHighlight: hits in Russian and English mark the words the query
// found, in their own forms.
func TestLangHighlight(t *testing.T) {
	e := openSCOEngine(t)
	for _, c := range []struct{ query, mark string }{
		{"резолюция", "<mark>резолюцию</mark>"},
		{"резолюция", "<mark>резолюций</mark>"},
		{"resolutions", "<mark>resolution</mark>"},
		{`"Шанхайской организации"`, "<mark>Шанхайской организации</mark>"},
		{"ШОС", "<mark>ШОС</mark>"},
	} {
		res, err := e.Search(context.Background(), Request{Query: c.query})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			found = found || slices.ContainsFunc(h.Snippets, func(s string) bool { return strings.Contains(s, c.mark) })
		}
		if !found {
			t.Errorf("%s: no snippet with %s", c.query, c.mark)
		}
	}
}

// TestLangFields: each language's words are indexed in its own fields
// only, so that its BM25 statistics are its own: every paragraph holding
// a term of a Russian or English field is in that language, and the
// Chinese word field holds no Cyrillic word.
func TestLangFields(t *testing.T) {
	e := openSCOEngine(t)
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer e.release(g)
	for _, l := range lang.All() {
		fields := []string{l.WordField}
		if l.Alphabetic() {
			fields = append(fields, l.ExactField)
		}
		for _, field := range fields {
			d, err := g.idx.Bleve().FieldDict(field)
			if err != nil {
				t.Fatal(err)
			}
			var terms []string
			for i := 0; i < 100000; i++ {
				de, err := d.Next()
				if err != nil {
					t.Fatal(err)
				}
				if de == nil {
					break
				}
				terms = append(terms, de.Term)
			}
			d.Close()
			if len(terms) == 0 {
				t.Errorf("%s: no terms", field)
			}
			for _, term := range terms {
				if !l.Alphabetic() {
					if strings.ContainsFunc(term, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
						t.Errorf("%s holds the Russian word %q", field, term)
					}
					continue
				}
				q := query.NewTermQuery(term)
				q.SetField(field)
				for _, h := range searchIDs(t, g, q) {
					if doc, _, _ := index.SplitParagraphID(h); g.docs[doc].Lang != l.Code {
						t.Errorf("%s: term %q in %s, a paragraph in %s", field, term, h, g.docs[doc].Lang)
					}
				}
			}
		}
	}
}

// searchIDs returns the ids (index.ParagraphID) of the paragraphs matching q in g (at most
// 10,000).
func searchIDs(t *testing.T, g *generation, q query.Query) []string {
	t.Helper()
	sr, err := g.idx.Bleve().Search(bleve.NewSearchRequestOptions(q, 10000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	if err := g.loadHits(sr, false); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range sr.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// TestLangSuggest: a Russian or English prefix is completed with the
// words as written in the texts (not their stems), and each completion
// finds what it counts.
func TestLangSuggest(t *testing.T) {
	e := openSCOEngine(t)
	ru, _ := lang.Get("ru")
	en, _ := lang.Get("en")
	for _, c := range []struct{ prefix, want string }{
		{"шанха", "шанхайской"},
		{"резол", "резолюций"},
		{"Reso", "resolution"},
		{"上合", "上合组织"},
		{"Шанхайская орг", "Шанхайская организации"},
		{"the Mem", "the member"},
	} {
		got, err := e.Suggest(context.Background(), c.prefix, MaxSuggestions)
		if err != nil {
			t.Fatal(err)
		}
		// Russian and English words are searched stemmed: a form of
		// the wanted word will do, and two forms of one word are one
		// search, suggested once (Шанхайская организации,
		// организаций, организация, организацией all found the same 3)
		found := false
		for i, s := range got {
			found = found || ru.Key(s.Text) == ru.Key(c.want) || en.Key(s.Text) == en.Key(c.want)
			if s.Count == 0 {
				t.Errorf("%s: suggestion %q finds nothing", c.prefix, s.Text)
			}
			for _, o := range got[:i] {
				if ru.Key(o.Text) == ru.Key(s.Text) || en.Key(o.Text) == en.Key(s.Text) {
					t.Errorf("%s: suggestions %q and %q are the same search", c.prefix, o.Text, s.Text)
				}
			}
		}
		if !found {
			t.Errorf("%s: suggestions %v lack a form of %q", c.prefix, got, c.want)
		}
	}
}

// openLangCorpus builds an index of the given files (name: text) in a
// temporary directory and opens it.
func openLangCorpus(t *testing.T, files map[string]string) *Engine {
	t.Helper()
	corpus, dir := t.TempDir(), t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(corpus, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := index.Build(context.Background(), corpus, dir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestLangUnknownCyrillic: a document in a language the registry does not
// know (Kazakh, lang: kk) is analysed as Chinese, and a Chinese paragraph
// may quote a Russian name; a Cyrillic query word finds them too, not only
// the Russian paragraphs (Қазақстан found nothing at all).
func TestLangUnknownCyrillic(t *testing.T) {
	e := openLangCorpus(t, map[string]string{
		"2023-kk.txt":    "---\ntitle: Қазақша құжат\ndate: 2023-05-03\nlang: kk\n---\nШанхай ынтымақтастық ұйымы қауіпсіздікті нығайтады.\n\nҚырғызстан және Қазақстан үкіметтері кездесті.\n",
		"2023-zh.zh.txt": "---\ntitle: 会见\ndate: 2023-05-04\n---\n普京（Путин）会见秘书长。\n\n成员国支持多边贸易体制。\n",
		"2023-ru.ru.txt": "---\ntitle: Встреча\ndate: 2023-05-05\n---\nПутин встретился с генеральным секретарём.\n\nКазахстан и Киргизия подписали соглашение и договор.\n",
	})
	for _, c := range []struct {
		query string
		want  []string // the full matches, sorted
		mark  string   // marked in the first of them
	}{
		{"Қазақстан", []string{"2023-kk-p2"}, "Қазақстан"},
		{"ынтымақтастық ұйымы", []string{"2023-kk-p1"}, "ынтымақтастық"},
		{`"Қазақстан үкіметтері"`, []string{"2023-kk-p2"}, "Қазақстан үкіметтері"},
		{"Путин", []string{"2023-ru.ru-p1", "2023-zh-p1"}, "Путин"},
		{"Казахстан", []string{"2023-ru.ru-p2"}, "Казахстан"},
		{"Путин и", []string{"2023-ru.ru-p1", "2023-zh-p1"}, "Путин"}, // и: a Russian stop word, not required anywhere
	} {
		res, err := e.Search(context.Background(), Request{Query: c.query, NoCollapse: true})
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		var got []string
		for _, h := range res.Hits {
			if h.Match == MatchAll {
				got = append(got, h.ID)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: full matches %v, want %v", c.query, got, c.want)
			continue
		}
		if c.mark != "" && !slices.ContainsFunc(res.Hits[0].Snippets, func(s string) bool { return strings.Contains(s, "<mark>"+c.mark+"</mark>") }) {
			t.Errorf("%s: snippets %q, want %s marked", c.query, res.Hits[0].Snippets, c.mark)
		}
	}
	s, err := e.Suggest(context.Background(), "Қаз", 5)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(s, func(s Suggestion) bool { return strings.HasPrefix(s.Text, "қазақстан") }) {
		t.Errorf("Suggest(Қаз) = %v, want қазақстан", s)
	}
}

// TestLangStopWordsInGroups: inside parentheses, a word that is never
// required (a Russian or English stop word) neither empties its group nor, after a minus, excludes anything, as at
// the top level: (ШОС и) OR Iran found nothing, and partial hits of
// (ШОС -и) Пекин said they lacked (ШОС -и) although they held ШОС.
func TestLangStopWordsInGroups(t *testing.T) {
	e := openLangCorpus(t, map[string]string{
		"2023-ru.ru.txt": "---\ntitle: Встреча\ndate: 2023-05-05\n---\nГенеральный секретарь ШОС и министры провели встречу.\n\nШанхайская организация сотрудничества и её партнёры.\n\nДругой абзац без аббревиатуры.\n",
		"2023-zh.zh.txt": "---\ntitle: 会见\ndate: 2023-05-04\n---\n上合组织秘书长会见记者。\n\n成员国支持多边贸易体制。\n",
		"2023-en.en.txt": "---\ntitle: Meeting\ndate: 2023-05-03\n---\nThe Member States of the SCO met.\n\nNothing else here.\n",
	})
	for _, c := range []struct {
		query string
		full  []string            // the full matches, sorted
		miss  map[string][]string // partial hits: what they lack
	}{
		{"(ШОС и) OR Iran", []string{"2023-en.en-p1", "2023-ru.ru-p1", "2023-zh-p1"}, nil},
		{"(Шанхайская и организация) OR Пекин", []string{"2023-ru.ru-p2"}, nil},
		{"(the Member States) OR Пекин", []string{"2023-en.en-p1"}, nil},
		{"(ШОС the) OR 伊朗", []string{"2023-en.en-p1", "2023-ru.ru-p1", "2023-zh-p1"}, nil},
		{"(ШОС -и) Пекин", nil, map[string][]string{
			"2023-en.en-p1": {"Пекин"}, "2023-ru.ru-p1": {"Пекин"}, "2023-zh-p1": {"Пекин"},
		}},
	} {
		res, err := e.Search(context.Background(), Request{Query: c.query, NoCollapse: true})
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		var full []string
		miss := map[string][]string{}
		for _, h := range res.Hits {
			if h.Match == MatchAll {
				full = append(full, h.ID)
			} else {
				miss[h.ID] = h.Missing
			}
		}
		slices.Sort(full)
		if !slices.Equal(full, c.full) {
			t.Errorf("%s: full matches %v, want %v", c.query, full, c.full)
		}
		if c.miss != nil && !reflect.DeepEqual(miss, c.miss) {
			t.Errorf("%s: partial hits lack %v, want %v", c.query, miss, c.miss)
		}
	}
}

// TestLangOnlyStopWords: a query of only Russian or English stop words
// searches for them, as a query of only 什么 does in Chinese, instead of
// finding nothing and saying no paragraph holds "the"; beside other
// words they are still never required.
func TestLangOnlyStopWords(t *testing.T) {
	e := openLangCorpus(t, map[string]string{
		"2023-ru.ru.txt": "---\ntitle: Встреча\ndate: 2023-05-05\n---\nГенеральный секретарь ШОС и министры провели встречу.\n\nДругой абзац без союза.\n",
		"2023-en.en.txt": "---\ntitle: Meeting\ndate: 2023-05-03\n---\nThe Member States of the SCO met.\n\nIt is what it is.\n\nNothing else here.\n",
	})
	for _, c := range []struct {
		query string
		full  []string // the full matches, sorted
		mark  string   // marked in the first hit
	}{
		{"the", []string{"2023-en.en-p1"}, "The"},
		{"и", []string{"2023-ru.ru-p1"}, "и"},
		{"it is what it is", []string{"2023-en.en-p2"}, "It"},
		{"THE year:2023", []string{"2023-en.en-p1"}, "The"},
		{"the SCO", []string{"2023-en.en-p1", "2023-ru.ru-p1"}, "SCO"}, // the: not required
		{"и министры", []string{"2023-ru.ru-p1"}, "министры"},
	} {
		res, err := e.Search(context.Background(), Request{Query: c.query, NoCollapse: true})
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		var full []string
		for _, h := range res.Hits {
			if h.Match == MatchAll {
				full = append(full, h.ID)
			}
		}
		slices.Sort(full)
		if !slices.Equal(full, c.full) {
			t.Errorf("%s: full matches %v, want %v", c.query, full, c.full)
			continue
		}
		if !slices.ContainsFunc(res.Hits[0].Snippets, func(s string) bool { return strings.Contains(s, "<mark>"+c.mark+"</mark>") }) {
			t.Errorf("%s: snippets %q, want %s marked", c.query, res.Hits[0].Snippets, c.mark)
		}
	}
}

// TestLangHyphenatedWords: an unquoted word that the analysis cuts into
// several words (государства-члены, SCO-2022) matches them anywhere in a
// paragraph of its language, as a Chinese word matches its gse words:
// those holding them in a row rank first, every hit has them marked, and
// a partial hit holding them does not say it lacks the word (ШОС-2022
// found "ШОС ... в 2022 году" as a full match with nothing marked, and listed
// ШОС-2022 as missing from partial hits that held it).
func TestLangHyphenatedWords(t *testing.T) {
	e := openLangCorpus(t, map[string]string{
		"2023-ru.ru.txt": "---\ntitle: Встреча\ndate: 2023-05-05\n---\nЧлены делегаций и государства ШОС провели встречу в 2022 году.\n\nГосударства-члены ШОС провели встречу.\n\nСаммит ШОС-2022 прошёл успешно.\n",
		"2023-en.en.txt": "---\ntitle: Meeting\ndate: 2023-05-03\n---\nThe SCO met in 2022.\n\nThe member of the general staff, the states and the secretary.\n\nThe SCO-2022 summit was held.\n\nThe Member-States met; the Secretary-General spoke.\n",
	})
	for _, c := range []struct {
		query string
		full  []string // the full matches, sorted
		first []string // the first of them, sorted: those holding the word in a row
	}{
		{"государства-члены", []string{"2023-ru.ru-p1", "2023-ru.ru-p2"}, []string{"2023-ru.ru-p2"}},
		{"SCO-2022", []string{"2023-en.en-p1", "2023-en.en-p3", "2023-ru.ru-p1", "2023-ru.ru-p3"}, []string{"2023-en.en-p3"}},
		{"ШОС-2022", []string{"2023-en.en-p1", "2023-en.en-p3", "2023-ru.ru-p1", "2023-ru.ru-p3"}, []string{"2023-ru.ru-p3"}},
		{"Secretary-General", []string{"2023-en.en-p2", "2023-en.en-p4"}, []string{"2023-en.en-p4"}},
	} {
		res, err := e.Search(context.Background(), Request{Query: c.query, NoCollapse: true})
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		var full []string
		for _, h := range res.Hits {
			if h.Match != MatchAll {
				continue
			}
			full = append(full, h.ID)
			if !slices.ContainsFunc(h.Snippets, func(s string) bool { return strings.Contains(s, "<mark>") }) {
				t.Errorf("%s: hit %s marks nothing: %q", c.query, h.ID, h.Snippets)
			}
		}
		first := slices.Clone(full[:min(len(full), len(c.first))])
		slices.Sort(full)
		slices.Sort(first)
		if !slices.Equal(full, c.full) || !slices.Equal(first, c.first) {
			t.Errorf("%s: full matches %v (first %v), want %v (first %v)", c.query, full, first, c.full, c.first)
		}
	}
	res, err := e.Search(context.Background(), Request{Query: "ШОС-2022 Пекин", NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if !slices.Equal(h.Missing, []string{"Пекин"}) {
			t.Errorf("ШОС-2022 Пекин: hit %s misses %v, want [Пекин]", h.ID, h.Missing)
		}
	}
}

// TestLangQuotes: Russian «ёлочки» and „лапки“ quote a phrase as "…" does.
func TestLangQuotes(t *testing.T) {
	e := openSCOEngine(t)
	want := hitIDs(allHits(t, e, Request{Query: `"Шанхайскому духу"`, NoCollapse: true}))
	if len(want) == 0 {
		t.Fatal("test data: no paragraph holds Шанхайскому духу")
	}
	for _, q := range []string{`«Шанхайскому духу»`, `„Шанхайскому духу“`} {
		if got := hitIDs(allHits(t, e, Request{Query: q, NoCollapse: true})); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}
