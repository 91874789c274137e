package search

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/corpus"
	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/index/zh"
)

// scoCorpusDir is the multi-document test corpus: eleven short SCO-style
// declarations and communiqués of 2015-2024 written for the tests, two in
// traditional characters, one in Russian (index/corpus TestReadDirSCO pins
// their metadata).
const scoCorpusDir = "../testdata/sco"

// scoIndex is the index of scoCorpusDir, built once for the package's tests
// in a temporary directory removed by TestMain.
var scoIndex struct {
	once sync.Once
	dir  string
	err  error
}

// openSCOEngine opens the shared index of the sco test corpus.
func openSCOEngine(t testing.TB) *Engine {
	t.Helper()
	scoIndex.once.Do(func() {
		scoIndex.dir, scoIndex.err = os.MkdirTemp("", "scosearch-sco-test-")
		if scoIndex.err == nil {
			_, scoIndex.err = index.Build(context.Background(), scoCorpusDir, scoIndex.dir, index.BuildOptions{})
		}
	})
	if scoIndex.err != nil {
		t.Fatalf("build the sco test index: %v", scoIndex.err)
	}
	e, err := Open(scoIndex.dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// scoPara is one paragraph of the sco corpus as the corpus reader sees it:
// the oracle the searches are compared with.
type scoPara struct {
	id, doc, date, place, lang, section, text string
	n                                         int
}

// scoCorpus reads the sco corpus with the corpus reader, in corpus order.
func scoCorpus(t testing.TB) (docs []corpus.Document, paras []scoPara) {
	t.Helper()
	docs, problems, err := corpus.ReadDir(scoCorpusDir, corpus.Options{})
	if err != nil || len(problems) > 0 {
		t.Fatalf("read %s: %v %v", scoCorpusDir, err, problems)
	}
	for _, d := range docs {
		for _, p := range d.Paragraphs {
			paras = append(paras, scoPara{
				id: index.ParagraphID(d.ID, p.N), doc: d.ID, date: d.Date, place: d.Place,
				lang: d.Lang, section: p.Section, text: p.Text, n: p.N,
			})
		}
	}
	return docs, paras
}

// allHits pages through every hit of req, 100 at a time.
func allHits(t testing.TB, e *Engine, req Request) []Hit {
	t.Helper()
	req.Size = MaxSize
	var hits []Hit
	for req.From = 0; req.From <= MaxFrom; req.From += MaxSize {
		res, err := e.Search(context.Background(), req)
		if err != nil {
			t.Fatalf("Search(%q): %v", req.Query, err)
		}
		hits = append(hits, res.Hits...)
		if len(res.Hits) < MaxSize {
			break
		}
	}
	return hits
}

// containsPhrase reports whether paragraph p holds x: a Chinese x once
// both are folded, keeping punctuation; an x without Chinese characters,
// in a Russian or English paragraph, as whole words in a row
// (lang.Language.ExactKey). That is what a quoted phrase matches. (The
// test phrases are chosen so that ignoring punctuation gives the same
// paragraphs: see phraseScan.)
func containsPhrase(p scoPara, x string) bool {
	if l := lang.Of(p.lang); l.Alphabetic() && !strings.ContainsFunc(x, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		k := l.ExactKey(x)
		return k != "" && strings.Contains(l.ExactKey(p.text), k)
	}
	return strings.Contains(zh.Fold(p.text), zh.Fold(x))
}

// phraseScan returns the paragraphs matching one of the quoted phrases xs
// and keep, in corpus order. It fails the test if punctuation-insensitive
// matching (zh.Key) would find other paragraphs, so the expectation holds
// whether punctuation in a phrase counts or not.
func phraseScan(t testing.TB, paras []scoPara, keep func(scoPara) bool, xs ...string) []scoPara {
	t.Helper()
	var out []scoPara
	for _, p := range paras {
		folded, keyed := false, false
		for _, x := range xs {
			folded = folded || containsPhrase(p, x)
			keyed = keyed || strings.Contains(zh.Key(p.text), zh.Key(x)) && (!lang.Of(p.lang).Alphabetic() || containsPhrase(p, x))
		}
		if folded != keyed {
			t.Fatalf("test data: %s matches %q with punctuation %v, without %v", p.id, xs, folded, keyed)
		}
		if folded && (keep == nil || keep(p)) {
			out = append(out, p)
		}
	}
	return out
}

func paraIDs(ps []scoPara) []string {
	ids := []string{}
	for _, p := range ps {
		ids = append(ids, p.id)
	}
	return ids
}

// dateOrder is the order of SortDate: newest first, then document id,
// then paragraph number.
func dateOrder(aDate, aDoc string, aN int, bDate, bDoc string, bN int) int {
	return cmp.Or(cmp.Compare(bDate, aDate), cmp.Compare(aDoc, bDoc), cmp.Compare(aN, bN))
}

func TestMultiDocDocuments(t *testing.T) {
	e := openSCOEngine(t)
	docs, _ := scoCorpus(t)
	got, err := e.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The translations of the corpus: the Samarkand declaration's Russian
	// and English texts, linked by their names.
	translations := map[string][]string{
		"2022-samarkand-declaration":    {"2022-samarkand-declaration.en", "2022-samarkand-declaration.ru"},
		"2022-samarkand-declaration.ru": {"2022-samarkand-declaration", "2022-samarkand-declaration.en"},
		"2022-samarkand-declaration.en": {"2022-samarkand-declaration", "2022-samarkand-declaration.ru"},
	}
	var want []DocumentInfo
	for _, d := range docs {
		tr := translations[d.ID]
		if tr == nil {
			tr = []string{}
		}
		want = append(want, DocumentInfo{ID: d.ID, Title: d.Title, Date: d.Date, Place: d.Place, Lang: d.Lang, Paragraphs: len(d.Paragraphs), Translations: tr})
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("Documents (-corpus reader +index):\n%s", diff)
	}
}

// TestMultiDocSortDate: date order across documents is newest first, and
// documents of the same date (the Qingdao declaration and communiqué; the
// Samarkand declaration and its Russian text) keep document order.
func TestMultiDocSortDate(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	for _, tc := range []struct {
		query   string
		phrases []string
	}{
		{`"上海精神"`, []string{"上海精神"}},
		{`"合作" OR "государства"`, []string{"合作", "государства"}},
		{`"阿富汗" OR "в Афганистане"`, []string{"阿富汗", "в Афганистане"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			want := phraseScan(t, paras, nil, tc.phrases...)
			slices.SortStableFunc(want, func(a, b scoPara) int { return dateOrder(a.date, a.doc, a.n, b.date, b.doc, b.n) })
			hits := allHits(t, e, Request{Query: tc.query, Sort: SortDate, NoCollapse: true})
			if diff := gocmp.Diff(paraIDs(want), hitIDs(hits)); diff != "" {
				t.Errorf("date order (-scan +search):\n%s", diff)
			}
			dates := map[string]bool{}
			for _, h := range hits {
				dates[h.Date] = true
			}
			if len(dates) < 4 {
				t.Errorf("hits from %d dates, want a query across documents", len(dates))
			}
		})
	}
	// The ties are in the data: both 2018 documents, both 2022 documents.
	hits := allHits(t, e, Request{Query: `"合作" OR "государства"`, Sort: SortDate, NoCollapse: true})
	var order []string
	for _, h := range hits {
		if len(order) == 0 || order[len(order)-1] != h.Doc {
			order = append(order, h.Doc)
		}
	}
	want := []string{
		"2024-07-04-astana-declaration", "2023-new-delhi-declaration",
		"2022-samarkand-declaration", "2022-samarkand-declaration.ru",
		"2021-dushanbe-declaration",
		"2018-qingdao-declaration", "2018-qingdao-press-communique",
		"2017-astana-declaration", "2016-tashkent-declaration", "2015-ufa-declaration",
	}
	if diff := gocmp.Diff(want, order); diff != "" {
		t.Errorf("documents in date order (-want +got):\n%s", diff)
	}
}

// TestMultiDocFilters: every filter keeps exactly the paragraphs whose
// document has the value, compared with a scan of the corpus, and leaves
// some out.
func TestMultiDocFilters(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	const base = `"合作" OR "государства"`
	phrases := []string{"合作", "государства"}
	all := phraseScan(t, paras, nil, phrases...)
	inRange := func(lo, hi string) func(scoPara) bool {
		return func(p scoPara) bool { return p.date >= lo && p.date <= hi }
	}
	tests := []struct {
		filter string
		keep   func(scoPara) bool
	}{
		{"place:阿斯塔纳", func(p scoPara) bool { return p.place == "阿斯塔纳" }},
		{"place:青岛", func(p scoPara) bool { return p.place == "青岛" }},
		{"place:撒马尔罕", func(p scoPara) bool { return p.place == "撒马尔罕" }},
		{"year:2018", func(p scoPara) bool { return strings.HasPrefix(p.date, "2018") }},
		{"year:2021..2023", inRange("2021-01-01", "2023-12-31")},
		{"year:..2016", inRange("", "2016-12-31")},
		{"date:2018-06-10", inRange("2018-06-10", "2018-06-10")},
		{"date:2022-09", inRange("2022-09-01", "2022-09-30")},
		{"date:2016-06-25..2021-09-17", inRange("2016-06-25", "2021-09-17")},
		{"date:2023..", inRange("2023-01-01", "9999")},
		{"date:..2017-06", inRange("", "2017-06-30")},
		{"doc:2016-tashkent-declaration", func(p scoPara) bool { return p.doc == "2016-tashkent-declaration" }},
		{"doc:2022-samarkand-declaration.ru", func(p scoPara) bool { return p.doc == "2022-samarkand-declaration.ru" }},
		{"lang:ru", func(p scoPara) bool { return p.lang == "ru" }},
		{"lang:zh", func(p scoPara) bool { return p.lang == "zh" }},
		{"section:二", func(p scoPara) bool { return p.section == "二" }},
		{`section:""`, func(p scoPara) bool { return p.section == "" }},
		{`section:"" year:2018`, func(p scoPara) bool { return p.section == "" && strings.HasPrefix(p.date, "2018") }},
		{`-section:""`, func(p scoPara) bool { return p.section != "" }},
		{"place:阿斯塔纳 year:2024", func(p scoPara) bool { return p.place == "阿斯塔纳" && strings.HasPrefix(p.date, "2024") }},
		{"-place:阿斯塔纳", func(p scoPara) bool { return p.place != "阿斯塔纳" }},
		{"year:2018 -doc:2018-qingdao-press-communique", func(p scoPara) bool {
			return strings.HasPrefix(p.date, "2018") && p.doc != "2018-qingdao-press-communique"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.filter, func(t *testing.T) {
			want := paraIDs(phraseScan(t, paras, tc.keep, phrases...))
			if len(want) == 0 || len(want) == len(all) {
				t.Fatalf("test data: the filter keeps %d of %d paragraphs; want some, not all", len(want), len(all))
			}
			got := hitIDs(allHits(t, e, Request{Query: base + " " + tc.filter, NoCollapse: true}))
			if diff := gocmp.Diff(sorted(want), sorted(got)); diff != "" {
				t.Errorf("%s (-scan +search):\n%s", tc.filter, diff)
			}
		})
	}
}

// TestNoSectionRequest: Request.Section = NoSection keeps the paragraphs
// outside any section, as section:"" does; an empty quoted value of
// another field is an error.
func TestNoSectionRequest(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	const doc = "2018-qingdao-declaration"
	want := paraIDs(phraseScan(t, paras, func(p scoPara) bool { return p.doc == doc && p.section == "" }, "合作"))
	if len(want) == 0 {
		t.Fatal("test data: no paragraph of the document outside a section holds 合作")
	}
	got := hitIDs(allHits(t, e, Request{Query: `"合作"`, Doc: doc, Section: NoSection, NoCollapse: true}))
	if diff := gocmp.Diff(sorted(want), sorted(got)); diff != "" {
		t.Errorf("Section: NoSection (-scan +search):\n%s", diff)
	}
	res, err := e.Search(context.Background(), Request{Query: `"合作"`, Doc: doc, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	last := res.Facets.Section[len(res.Facets.Section)-1]
	if last != (FacetCount{Value: NoSection, Label: NoSectionLabel, Count: len(want)}) {
		t.Errorf("last section facet %+v, want NoSection with %d", last, len(want))
	}
	for _, q := range []string{`合作 doc:""`, `合作 place:""`, `合作 section:`} {
		if _, err := e.Search(context.Background(), Request{Query: q}); !errors.Is(err, ErrBadQuery) {
			t.Errorf("%s: error %v, want ErrBadQuery", q, err)
		}
	}
}

// TestMultiDocFacets: document and year facets count what a scan counts,
// across documents; sections are counted within one document.
func TestMultiDocFacets(t *testing.T) {
	e := openSCOEngine(t)
	docs, paras := scoCorpus(t)
	titles := map[string]string{}
	for _, d := range docs {
		titles[d.ID] = d.Title
	}
	for _, tc := range []struct {
		query   string
		phrases []string
		keep    func(scoPara) bool
	}{
		{`"合作"`, []string{"合作"}, nil},
		{`"阿富汗" OR "в Афганистане"`, []string{"阿富汗", "в Афганистане"}, nil},
		{`"合作" year:2021..2024`, []string{"合作"}, func(p scoPara) bool { return p.date >= "2021" }},
		{`"合作" doc:2018-qingdao-declaration`, []string{"合作"}, func(p scoPara) bool { return p.doc == "2018-qingdao-declaration" }},
	} {
		t.Run(tc.query, func(t *testing.T) {
			res, err := e.Search(context.Background(), Request{Query: tc.query, Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			want := phraseScan(t, paras, tc.keep, tc.phrases...)
			docCount, yearCount, sectionCount := map[string]int{}, map[string]int{}, map[string]int{}
			for _, p := range want {
				docCount[p.doc]++
				yearCount[p.date[:4]]++
				if p.section != "" {
					sectionCount[p.section]++
				} else {
					sectionCount[NoSection]++
				}
			}
			if res.Total != uint64(len(want)) {
				t.Errorf("Total %d, scan %d", res.Total, len(want))
			}
			counts := func(fs []FacetCount, labels bool) map[string]int {
				m := map[string]int{}
				for _, f := range fs {
					m[f.Value] = f.Count
					if labels && f.Label != titles[f.Value] {
						t.Errorf("facet %s labelled %q, want %q", f.Value, f.Label, titles[f.Value])
					}
				}
				return m
			}
			if diff := gocmp.Diff(docCount, counts(res.Facets.Doc, true)); diff != "" {
				t.Errorf("doc facet (-scan +search):\n%s", diff)
			}
			if diff := gocmp.Diff(yearCount, counts(res.Facets.Year, false)); diff != "" {
				t.Errorf("year facet (-scan +search):\n%s", diff)
			}
			if len(docCount) == 1 {
				if diff := gocmp.Diff(sectionCount, counts(res.Facets.Section, false)); diff != "" {
					t.Errorf("section facet (-scan +search):\n%s", diff)
				}
			}
			for i := 1; i < len(res.Facets.Doc); i++ {
				if res.Facets.Doc[i-1].Count < res.Facets.Doc[i].Count {
					t.Errorf("doc facet not by count: %v", res.Facets.Doc)
				}
			}
		})
	}
}

// TestMultiDocTraditional: a traditional query finds simplified text and
// a simplified query the traditional documents, quoted or not.
func TestMultiDocTraditional(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	for _, tc := range []struct{ query, phrase string }{
		{`"阿富汗問題"`, "阿富汗问题"},
		{`"數字經濟"`, "数字经济"},
		{`"国际信息安全"`, "國際信息安全"},
		{`"擴大人文交流"`, "扩大人文交流"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			want := phraseScan(t, paras, nil, tc.phrase)
			scripts := map[bool]int{}
			for _, p := range want {
				scripts[isTraditional(p.text)]++
			}
			if scripts[true] == 0 || scripts[false] == 0 {
				t.Fatalf("test data: %q is in %d traditional and %d simplified paragraphs; want both", tc.phrase, scripts[true], scripts[false])
			}
			got := hitIDs(allHits(t, e, Request{Query: tc.query, NoCollapse: true}))
			if diff := gocmp.Diff(sorted(paraIDs(want)), sorted(got)); diff != "" {
				t.Errorf("(-scan +search):\n%s", diff)
			}
		})
	}
	// Unquoted: the words in either script, and the synonyms.
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"傳染病防控", []string{"2021-dushanbe-declaration-p9", "2018-qingdao-declaration-p15", "2022-samarkand-declaration-p17", "2023-new-delhi-declaration-p14", "2015-ufa-declaration-p13", "2017-astana-declaration-p11"}},
		{"三股勢力", []string{"2021-dushanbe-declaration-p6", "2017-astana-declaration-p4", "2015-ufa-declaration-p5", "2016-tashkent-declaration-p4", "2024-07-04-astana-declaration-p4"}},
		{"网络安全", []string{"2021-dushanbe-declaration-p10", "2017-astana-declaration-p9", "2023-new-delhi-declaration-p8"}},
	} {
		got := hitIDs(allHits(t, e, Request{Query: tc.query, NoCollapse: true}))
		for _, id := range tc.want {
			if !slices.Contains(got, id) {
				t.Errorf("%s: %s not found; hits %v", tc.query, id, got)
			}
		}
	}
}

// TestMultiDocQuotedExact: a quoted phrase matches exactly its characters
// after folding (traditional, width, case), with no synonym expansion:
// "上海合作组织宪章" does not find 《上合组织宪章》, "传染病防控" does not
// find 传染性疾病防控. Unquoted, the same words do (TestMultiDocSynonyms).
// This is the semantics of issue 11 being implemented; the engine of this
// commit still expands synonyms inside quotes and fails it.
func TestMultiDocQuotedExact(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	for _, tc := range []struct{ query, phrase, synonym string }{
		{`"上海合作組織憲章"`, "上海合作组织宪章", "上合组织宪章"},
		{`"上海合作组织宪章"`, "上海合作組織憲章", "上合组织宪章"},
		{`"恐怖主義、分裂主義和極端主義"`, "恐怖主义、分裂主义和极端主义", "三股势力"},
		{`"三股势力"`, "三股势力", "恐怖主义、分裂主义"},
		{`"传染病防控"`, "傳染病防控", "传染性疾病防控"},
		{`“世贸组织改革”`, "世贸组织改革", "世界贸易组织改革"},
		{`"安理会改革"`, "安理会改革", "联合国安理会改革"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			want := phraseScan(t, paras, nil, tc.phrase)
			if len(phraseScan(t, paras, nil, tc.synonym)) == 0 {
				t.Fatalf("test data: no paragraph holds the synonym %s", tc.synonym)
			}
			got := hitIDs(allHits(t, e, Request{Query: tc.query, NoCollapse: true}))
			if diff := gocmp.Diff(sorted(paraIDs(want)), sorted(got)); diff != "" {
				t.Errorf("(-scan +search):\n%s", diff)
			}
		})
	}
}

// isTraditional reports whether text has a Han character that folds to
// another (a traditional one).
func isTraditional(text string) bool {
	for _, r := range text {
		if unicode.Is(unicode.Han, r) && zh.Fold(string(r)) != string(r) {
			return true
		}
	}
	return false
}

// TestMultiDocFormulation: one formulation found across documents and
// years, and the near-identical Afghanistan paragraphs of 2022 and 2023
// (建立 → 组建) collapsed into one hit.
func TestMultiDocFormulation(t *testing.T) {
	e := openSCOEngine(t)
	hits := allHits(t, e, Request{Query: "阿富汗问题", NoCollapse: true})
	want := []string{
		"2015-ufa-declaration-p7", "2016-tashkent-declaration-p6", "2018-qingdao-declaration-p7",
		"2021-dushanbe-declaration-p7", "2022-samarkand-declaration-p6", "2023-new-delhi-declaration-p6",
	}
	got := hitIDs(hits)
	for _, id := range want {
		if !slices.Contains(got, id) {
			t.Errorf("阿富汗问题: %s not found; hits %v", id, got)
		}
	}
	res, err := e.Search(context.Background(), Request{Query: `"包容性政府"`})
	if err != nil {
		t.Fatal(err)
	}
	var covered [][]string
	for _, h := range res.Hits {
		covered = append(covered, sorted(covers(h)))
	}
	wantCovered := [][]string{
		{"2021-dushanbe-declaration-p7"},
		{"2022-samarkand-declaration-p6", "2023-new-delhi-declaration-p6"},
	}
	slices.SortFunc(covered, func(a, b []string) int { return cmp.Compare(a[0], b[0]) })
	if diff := gocmp.Diff(wantCovered, covered); diff != "" {
		t.Errorf("collapsed hits of \"包容性政府\" (-want +got):\n%s", diff)
	}
	if res.Total != 3 {
		t.Errorf("Total %d, want 3 (collapsing changes hits, not the count)", res.Total)
	}
}

// synonymGroups reads the groups of index/zh/synonyms.txt (the format of
// its header: one group a line or ';'-separated, members by spaces).
func synonymGroups(t testing.TB) [][]string {
	t.Helper()
	f, err := os.Open("../index/zh/synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var groups [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		for _, g := range strings.Split(line, ";") {
			if m := strings.Fields(g); len(m) > 1 {
				groups = append(groups, m)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return groups
}

// TestMultiDocSynonyms: searching a member of a synonym group finds every
// paragraph of the sco corpus that holds another member of its group. The
// SCO groups must have two members or more in the corpus, so that the
// test means something.
func TestMultiDocSynonyms(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	mustCover := []string{
		"上合组织", "上合组织地区反恐怖机构", "上合组织宪章", "上合组织秘书长", "上合组织—阿富汗联络组",
		"安理会", "世贸组织", "集安组织", "独联体", "亚信", "三股势力", "传染病", "新冠肺炎",
		"欧亚经济联盟", "一带一路",
	}
	holds := func(m string) []string {
		var ids []string
		for _, p := range paras {
			if containsPhrase(p, m) {
				ids = append(ids, p.id)
			}
		}
		return ids
	}
	covered := map[string]bool{}
	for _, group := range synonymGroups(t) {
		present := 0
		for _, m := range group {
			if len(holds(m)) > 0 {
				present++
			}
		}
		covered[group[0]] = present >= 2
		if present == 0 {
			continue
		}
		for _, m := range group {
			got := hitIDs(allHits(t, e, Request{Query: m, NoCollapse: true}))
			for _, other := range group {
				if other == m {
					continue
				}
				for _, id := range holds(other) {
					if !slices.Contains(got, id) {
						t.Errorf("%s: %s (holding %s) not found", m, id, other)
					}
				}
			}
		}
	}
	for _, head := range mustCover {
		if !covered[head] {
			t.Errorf("test data: fewer than two members of the group of %s are in the sco corpus", head)
		}
	}
}

// TestJudgedSCO runs the judged queries of testdata/searches.json whose
// corpus is "sco" and logs their quality. It asserts only that the
// judgements are sound (every expected paragraph exists, every query
// parses); ranks are measured, not asserted, while ranking changes.
func TestJudgedSCO(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	exists := map[string]bool{}
	for _, p := range paras {
		exists[p.id] = true
	}
	type total struct {
		n, zero, first int
		mrr, ndcg      float64
	}
	byKind := map[string]*total{}
	add := func(kind string, rr, ndcg float64, hits int) {
		if byKind[kind] == nil {
			byKind[kind] = &total{}
		}
		s := byKind[kind]
		s.n++
		s.mrr += rr
		s.ndcg += ndcg
		if hits == 0 {
			s.zero++
		}
		if rr == 1 {
			s.first++
		}
	}
	var cases []searchCase
	for _, tc := range loadSearchCases(t) {
		if tc.Corpus == "sco" {
			cases = append(cases, tc)
		}
	}
	if len(cases) < 60 {
		t.Errorf("%d judged sco queries, want at least 60", len(cases))
	}
	for _, tc := range cases {
		if len(tc.Expect) == 0 {
			t.Errorf("%s: no expected paragraphs", tc.Query)
		}
		for _, id := range tc.Expect {
			if !exists[id] {
				t.Errorf("%s: expected paragraph %s is not in the sco corpus", tc.Query, id)
			}
		}
		if _, err := parseQuery(tc.Query); err != nil {
			t.Errorf("%s: %v", tc.Query, err)
			continue
		}
		// Near-identical paragraphs are judged one by one: not collapsed,
		// so that a perfect ranking scores 1.
		res, err := e.Search(context.Background(), Request{Query: tc.Query, Size: 10, NoCollapse: true})
		if err != nil {
			t.Errorf("%s: %v", tc.Query, err)
			continue
		}
		rr, ndcg := rankMetrics(res.Hits, tc.Expect)
		add("all", rr, ndcg, len(res.Hits))
		add(cmp.Or(tc.Kind, "other"), rr, ndcg, len(res.Hits))
		if testing.Verbose() {
			t.Logf("%-8s rr %.2f ndcg %.2f hits %d  %s", tc.Kind, rr, ndcg, res.Total, tc.Query)
		}
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		s := byKind[k]
		n := float64(s.n)
		t.Logf("%-8s %3d queries: MRR@10 %.3f, nDCG@10 %.3f, success@1 %.3f, zero results %.3f",
			k, s.n, s.mrr/n, s.ndcg/n, float64(s.first)/n, float64(s.zero)/n)
	}
	// Goals of the relevance work (issue 11): no judged query whose words
	// occur in the corpus dead-ends, and questions rank nearly as well as
	// keywords. Floors a little under the measured values, so that a
	// regression fails.
	if all := byKind["all"]; all != nil && all.zero > 0 {
		t.Errorf("%d judged queries return nothing; want none", all.zero)
	}
	for kind, floor := range map[string]float64{"all": 0.9, "question": 0.8, "topic": 0.9, "keyword": 0.9, "phrase": 0.9} {
		if s := byKind[kind]; s != nil && s.mrr/float64(s.n) < floor {
			t.Errorf("%s queries: MRR@10 %.3f, want at least %.2f", kind, s.mrr/float64(s.n), floor)
		}
	}
}

// TestMultiDocTexts: the index holds the paragraphs the corpus reader
// reads, so that scans of the reader's output compare like with like.
func TestMultiDocTexts(t *testing.T) {
	e := openSCOEngine(t)
	docs, _ := scoCorpus(t)
	for _, d := range docs {
		got, err := e.Document(context.Background(), d.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range got.Paragraphs {
			if p.Text != d.Paragraphs[i].Text || p.Section != d.Paragraphs[i].Section {
				t.Errorf("%s: index %q, corpus %q", p.ID, p.Text, d.Paragraphs[i].Text)
			}
		}
		if len(got.Paragraphs) != len(d.Paragraphs) {
			t.Errorf("%s: %d paragraphs indexed, %d read", d.ID, len(got.Paragraphs), len(d.Paragraphs))
		}
	}
}

// TestExamples: the frequent formulations are words of four or more
// Chinese characters, each found by a search in as many paragraphs as
// Count says at least, most first, none part of another.
func TestExamples(t *testing.T) {
	e := openSCOEngine(t)
	ctx := context.Background()
	ex, err := e.Examples(ctx, 8)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 8 {
		t.Fatalf("%d examples, want 8: %v", len(ex), ex)
	}
	for i, s := range ex {
		if utf8.RuneCountInString(s.Text) < 4 || !allHan(s.Text) {
			t.Errorf("%q is not a formulation", s.Text)
		}
		if i > 0 && ex[i-1].Count < s.Count {
			t.Errorf("not most first: %v", ex)
		}
		for _, o := range ex[:i] {
			if strings.Contains(o.Text, s.Text) || strings.Contains(s.Text, o.Text) {
				t.Errorf("%q and %q overlap", o.Text, s.Text)
			}
		}
		res, err := e.Search(ctx, Request{Query: s.Text, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.Complete < uint64(s.Count) {
			t.Errorf("%q: count %d, but a search finds %d", s.Text, s.Count, res.Complete)
		}
	}
	again, err := e.Examples(ctx, 3)
	if err != nil || !slices.Equal(again, ex[:3]) {
		t.Errorf("Examples(3) = %v, %v; want the first 3 of %v", again, err, ex)
	}
	for _, n := range []int{0, -1, MaxExamples + 1} {
		if _, err := e.Examples(ctx, n); !errors.Is(err, ErrBadQuery) {
			t.Errorf("Examples(%d): %v, want ErrBadQuery", n, err)
		}
	}
	t.Logf("examples: %v", ex)
}

// TestFilterBound: the bound of a query's filters is the number of
// paragraphs they let through (the least of them when there are several),
// and +Inf for filters it does not bound (ranges, sections).
func TestFilterBound(t *testing.T) {
	e := openSCOEngine(t)
	_, paras := scoCorpus(t)
	count := func(keep func(scoPara) bool) float64 {
		n := 0
		for _, p := range paras {
			if keep(p) {
				n++
			}
		}
		return float64(n)
	}
	place := func(v string) func(scoPara) bool { return func(p scoPara) bool { return p.place == v } }
	year := func(v string) func(scoPara) bool { return func(p scoPara) bool { return strings.HasPrefix(p.date, v) } }
	lang := func(v string) func(scoPara) bool { return func(p scoPara) bool { return p.lang == v } }
	doc := func(v string) func(scoPara) bool { return func(p scoPara) bool { return p.doc == v } }
	tests := []struct {
		filters string
		want    float64
	}{
		{"place:阿斯塔纳", count(place("阿斯塔纳"))},
		{"place:撒马尔罕", count(place("撒马尔罕"))},
		{"place:巴黎", 0},
		{"year:2018", count(year("2018"))},
		{"year:2022", count(year("2022"))},
		{"year:1999", 0},
		{"lang:ru", count(lang("ru"))},
		{"lang:zh", count(lang("zh"))},
		{"doc:2016-tashkent-declaration", count(doc("2016-tashkent-declaration"))},
		{"doc:nope", 0},
		{"lang:zh year:2022", min(count(lang("zh")), count(year("2022")))},
		{"year:2021..2023", math.Inf(1)},
		{"section:二", math.Inf(1)},
		{"", math.Inf(1)},
	}
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer e.release(g)
	for _, tc := range tests {
		root, err := parseQuery("合作 " + tc.filters)
		if err != nil {
			t.Fatalf("parse %q: %v", tc.filters, err)
		}
		if got := g.filterBound(root); got != tc.want {
			t.Errorf("filterBound(%q) = %v, want %v", tc.filters, got, tc.want)
		}
		if tc.want == 0 && !strings.Contains(tc.filters, "nope") && !strings.Contains(tc.filters, "巴黎") && !strings.Contains(tc.filters, "1999") {
			t.Errorf("%q: the corpus should have paragraphs for it", tc.filters)
		}
	}
}
