package web_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// The research corpora: testdata/sco (eleven documents, 2015-2024, one
// translation), and a small corpus whose text holds what breaks naive
// CSV and RIS writers.
var research struct {
	once          sync.Once
	sco, quotes   *search.Engine
	err           error
	quotesDocID   string
	quotesDocText string
}

const quotesText = `第一条 甲方,乙方称"合同"为“协议”，并约定 "价款, 含税"。`

func buildResearchEngines() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	open := func(corpusDir, name string) (*search.Engine, error) {
		dir := filepath.Join(tmpRoot, name)
		if _, err := index.Build(ctx, corpusDir, dir, index.BuildOptions{}); err != nil {
			return nil, fmt.Errorf("build %s: %w", name, err)
		}
		return search.Open(dir)
	}
	if research.sco, research.err = open(filepath.Join("..", "testdata", "sco"), "sco"); research.err != nil {
		return
	}
	qc := filepath.Join(tmpRoot, "quotes-corpus")
	if research.err = os.MkdirAll(qc, 0o755); research.err != nil {
		return
	}
	body := "---\ntitle: 合同,\"样本\"\ndate: 2020-05-06\nplace: 北京\n---\n\n" + quotesText + "\n\n第二条 本合同自签字之日起生效。\n"
	if research.err = os.WriteFile(filepath.Join(qc, "contract.zh.txt"), []byte(body), 0o644); research.err != nil {
		return
	}
	research.quotes, research.err = open(qc, "quotes")
}

func researchEngines(t testing.TB) (sco, quotes *search.Engine) {
	t.Helper()
	research.once.Do(buildResearchEngines)
	if research.err != nil {
		t.Fatal(research.err)
	}
	t.Cleanup(func() {}) // engines are closed with the process's temporary directory
	return research.sco, research.quotes
}

var dataCitation = regexp.MustCompile(`data-citation="([^"]*)"`)

// TestResultsCitations: every hit of the results page has a "复制引用"
// button whose citation quotes the paragraph and links to the configured
// base URL, never the request's host; the text of both styles is on the
// page for readers without JavaScript.
func TestResultsCitations(t *testing.T) {
	sco, _ := researchEngines(t)
	today := time.Now().Format("2006-01-02")
	for _, base := range []string{"https://sco.example.org", ""} {
		t.Run("base "+base, func(t *testing.T) {
			ts := startServer(t, sco, web.Options{BaseURL: base})
			res := do(t, "GET", ts.URL+"/search?q="+url.QueryEscape("阿富汗"))
			if res.status != 200 {
				t.Fatalf("status %d", res.status)
			}
			hits := strings.Count(res.body, `<li class="hit`)
			cites := dataCitation.FindAllStringSubmatch(res.body, -1)
			if hits == 0 || len(cites) != hits {
				t.Fatalf("%d hits, %d citation buttons", hits, len(cites))
			}
			if n := strings.Count(res.body, `<details class="citation">`); n != hits {
				t.Errorf("%d citation details, want %d", n, hits)
			}
			host := strings.TrimPrefix(ts.URL, "http://")
			for _, c := range cites {
				cite := htmlUnescape(c[1])
				quote, ref, ok := strings.Cut(cite, "\n")
				if !ok || !strings.HasPrefix(quote, "“") || !strings.Contains(quote, "阿富汗") {
					t.Errorf("citation does not quote the paragraph: %q", cite)
				}
				if !regexp.MustCompile(`^.+\[EB/OL\]\. .+, \d{4}-\d\d-\d\d: 第\d+段\[` + today + `\]\. ` + regexp.QuoteMeta(base) + `/docs/[^ ]+#p\d+\.$`).MatchString(ref) {
					t.Errorf("GB/T 7714 reference %q", ref)
				}
				if strings.Contains(cite, host) {
					t.Errorf("citation uses the request's host: %q", cite)
				}
			}
			checkBody(t, res.body, []string{"GB/T 7714-2015", "普通格式", "访问）", `class="cite-text"`}, nil)
		})
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#10;", "\n").Replace(s)
}

// TestExportAPI: /api/search/export writes every hit of the search, all
// pages, in each format, parsed back here; filters apply; a cap
// truncates and says so in the headers.
func TestExportAPI(t *testing.T) {
	sco, quotes := researchEngines(t)
	ts := startServer(t, sco, web.Options{BaseURL: "https://sco.example.org"})
	ctx := context.Background()
	q := "阿富汗 禁毒" // some full, some partial matches
	want, err := sco.Search(ctx, search.Request{Query: q, Size: search.MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	if want.Complete == 0 || want.Complete == want.Total || len(want.Hits) < 11 {
		t.Fatalf("test data: %d of %d complete, %d hits", want.Complete, want.Total, len(want.Hits))
	}
	exp := func(t *testing.T, base, query string) response {
		t.Helper()
		r := do(t, "GET", base+"/api/search/export?"+query)
		if r.status != 200 {
			t.Fatalf("%s: status %d: %s", query, r.status, r.body)
		}
		return r
	}
	qs := "q=" + url.QueryEscape(q)

	t.Run("csv", func(t *testing.T) {
		r := exp(t, ts.URL, qs+"&format=csv")
		if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		cd := r.header.Get("Content-Disposition")
		if !strings.HasPrefix(cd, `attachment; filename="scosearch-export.csv"; filename*=UTF-8''`) || !strings.Contains(cd, url.PathEscape("阿富汗_禁毒.csv")) {
			t.Errorf("Content-Disposition %q", cd)
		}
		if !strings.HasPrefix(r.body, "\uFEFF") || strings.Count(r.body, "\n") != strings.Count(r.body, "\r\n") {
			t.Error("want a BOM and CRLF line ends")
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(want.Hits)+1 {
			t.Fatalf("%d rows, want %d (all pages)", len(rows)-1, len(want.Hits))
		}
		if r.header.Get("X-Export-Truncated") != "false" || r.header.Get("X-Export-Count") != fmt.Sprint(len(want.Hits)) {
			t.Errorf("headers %v", r.header)
		}
		for i, h := range want.Hits {
			row := rows[i+1]
			if row[3] != h.ID || row[1] != h.Match || row[12] != h.Text {
				t.Errorf("row %d: %q, want %s %s", i+1, row[:4], h.ID, h.Match)
			}
			if !strings.HasPrefix(row[13], "https://sco.example.org/docs/") {
				t.Errorf("row %d: url %q", i+1, row[13])
			}
		}
	})

	t.Run("jsonl, filtered", func(t *testing.T) {
		r := exp(t, ts.URL, qs+"&format=jsonl&year=2018&collapse=false")
		n := 0
		sc := bufio.NewScanner(strings.NewReader(r.body))
		for sc.Scan() {
			var rec struct {
				search.Hit
				URL string `json:"url"`
			}
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatalf("line %d: %v", n+1, err)
			}
			if !strings.HasPrefix(rec.Date, "2018") {
				t.Errorf("line %d: date %s outside year=2018", n+1, rec.Date)
			}
			if rec.Match == search.MatchPartial && len(rec.Missing) == 0 {
				t.Errorf("line %d: partial without missing", n+1)
			}
			n++
		}
		w, err := sco.Search(ctx, search.Request{Query: q, Year: "2018", NoCollapse: true, Size: search.MaxSize})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || n != len(w.Hits) {
			t.Errorf("%d lines, want %d", n, len(w.Hits))
		}
	})

	t.Run("ris, capped", func(t *testing.T) {
		r := exp(t, ts.URL, qs+"&format=ris&max=3")
		if r.header.Get("X-Export-Truncated") != "true" || r.header.Get("X-Export-Count") != "3" ||
			r.header.Get("X-Export-Total") != fmt.Sprint(want.Total-want.Collapsed) {
			t.Errorf("headers %v", r.header)
		}
		line := regexp.MustCompile(`^[A-Z][A-Z0-9]  - `)
		records := 0
		for _, l := range strings.Split(strings.TrimRight(r.body, "\r\n"), "\r\n") {
			if l == "" {
				continue
			}
			if !line.MatchString(l) {
				t.Errorf("not a RIS line: %q", l)
			}
			if strings.HasPrefix(l, "ER  - ") {
				records++
			}
		}
		if records != 3 {
			t.Errorf("%d records, want 3", records)
		}
	})

	t.Run("commas and quotes", func(t *testing.T) {
		qts := startServer(t, quotes, web.Options{})
		r := exp(t, qts.URL, "q="+url.QueryEscape("价款")+"&format=csv")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[1][12] != quotesText || rows[1][5] != `合同,"样本"` || rows[1][13] != "/docs/contract#p1" {
			t.Errorf("rows %q", rows)
		}
		r = exp(t, qts.URL, "q="+url.QueryEscape("价款")+"&format=bibtex")
		if !strings.Contains(r.body, `title = {合同,"样本"}`) || r.header.Get("Content-Type") != "application/x-bibtex; charset=utf-8" {
			t.Errorf("bibtex:\n%s", r.body)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct{ query, code string }{
			{qs + "&format=xlsx", "bad_parameter"},
			{qs, "bad_parameter"},
			{qs + "&format=csv&max=0", "bad_parameter"},
			{qs + "&format=csv&max=20000", "bad_parameter"},
			{"q=%22%E9%98%BF&format=csv", "unbalanced_quote"},
			{"format=csv", "empty_query"},
		} {
			r := do(t, "GET", ts.URL+"/api/search/export?"+tc.query)
			if r.status != 400 || !strings.Contains(r.body, `"code":"`+tc.code+`"`) {
				t.Errorf("%s: %d %s, want 400 %s", tc.query, r.status, r.body, tc.code)
			}
		}
	})
}

// TestResultsPageResearch: the export links carry the search's
// parameters; the section facet offers 无章节, which selects the
// paragraphs outside any section; similar paragraphs are named by their
// documents' titles.
func TestResultsPageResearch(t *testing.T) {
	sco, _ := researchEngines(t)
	ts := startServer(t, sco, web.Options{})
	ctx := context.Background()

	res := do(t, "GET", ts.URL+"/search?q="+url.QueryEscape("合作")+"&year=2018&sort=date&page=2")
	checkBody(t, res.body, []string{
		`href="/api/search/export?format=csv&amp;q=%E5%90%88%E4%BD%9C&amp;sort=date&amp;year=2018"`,
		`format=jsonl`, `format=ris`, `format=bibtex`, "导出全部结果",
	}, []string{"export?format=csv&amp;page="})

	const doc = "2018-qingdao-declaration"
	res = do(t, "GET", ts.URL+"/search?q="+url.QueryEscape("合作")+"&doc="+doc)
	m := regexp.MustCompile(`<a href="([^"]*section=%22%22[^"]*)"><span class="label">无章节</span> <span class="n">(\d+)</span>`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no 无章节 facet:\n%s", truncate(res.body, 8000))
	}
	want, err := sco.Search(ctx, search.Request{Query: "合作", Doc: doc, Section: search.NoSection, Size: search.MaxSize, NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	if m[2] != fmt.Sprint(want.Total) || want.Total == 0 {
		t.Errorf("无章节 counts %s, want %d", m[2], want.Total)
	}
	res = do(t, "GET", ts.URL+htmlUnescape(m[1]))
	checkBody(t, res.body, []string{"章节：无章节"}, nil)
	for _, h := range want.Hits {
		if h.Section != "" {
			t.Errorf("%s has section %q", h.ID, h.Section)
		}
	}
	all, err := sco.Search(ctx, search.Request{Query: "合作", Doc: doc, Size: search.MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total <= want.Total {
		t.Errorf("section=\"\" keeps %d of %d: want fewer", want.Total, all.Total)
	}

	// Similar paragraphs, in another document of the hostile corpus.
	hts := startServer(t, hostileEngine(t), web.Options{})
	res = do(t, "GET", hts.URL+"/search?q="+url.QueryEscape("脚本标签"))
	checkBody(t, res.body, []string{`第1段</a></li>`, "另有 1 个相似段落"}, nil)
	sim := regexp.MustCompile(`<details class="similar">[\s\S]*?</details>`).FindString(res.body)
	if !strings.Contains(sim, "《") || strings.Contains(sim, "2021-copy 第") || strings.Contains(sim, "刑法/刑法修正案（七） 第") {
		t.Errorf("similar links not named by titles:\n%s", sim)
	}
}

// TestDocsPage: /docs lists every document with its metadata and
// translations; the orders and filters are links that work without
// JavaScript; bad parameters are 400.
func TestDocsPage(t *testing.T) {
	sco, _ := researchEngines(t)
	ts := startServer(t, sco, web.Options{})
	docs, err := sco.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`<tr>\s*<td><a href="/docs/([^"]+)">[^<]*</a></td>\s*<td class="nowrap">([^<]*)</td>\s*<td>([^<]*)</td>\s*<td class="nowrap">([^<]*)</td>\s*<td class="num">(\d+)</td>\s*<td>(.*)</td>`)
	rows := func(t *testing.T, query string) [][]string {
		t.Helper()
		r := do(t, "GET", ts.URL+"/docs"+query)
		if r.status != 200 {
			t.Fatalf("%s: status %d", query, r.status)
		}
		return row.FindAllStringSubmatch(r.body, -1)
	}

	all := rows(t, "")
	if len(all) != len(docs) {
		t.Fatalf("%d rows, want %d documents", len(all), len(docs))
	}
	byID := map[string]search.DocumentInfo{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	prev := "9999"
	for _, r := range all {
		d := byID[r[1]]
		if d.ID == "" || r[5] != fmt.Sprint(d.Paragraphs) || r[3] != d.Place {
			t.Errorf("row %q does not match %+v", r[1:6], d)
		}
		if d.Date > prev {
			t.Errorf("not newest first: %s after %s", d.Date, prev)
		}
		prev = d.Date
	}
	// The Samarkand declaration and its Russian and English translations
	// link to each other.
	for _, r := range all {
		switch r[1] {
		case "2022-samarkand-declaration":
			if !strings.Contains(r[6], `href="/docs/2022-samarkand-declaration.ru" hreflang="ru">俄文`) ||
				!strings.Contains(r[6], `href="/docs/2022-samarkand-declaration.en" hreflang="en">`) {
				t.Errorf("original: translations %q", r[6])
			}
		case "2022-samarkand-declaration.en":
			if !strings.Contains(r[6], `href="/docs/2022-samarkand-declaration" hreflang="zh">中文`) ||
				!strings.Contains(r[6], `href="/docs/2022-samarkand-declaration.ru" hreflang="ru">俄文`) {
				t.Errorf("English translation: %q", r[4:])
			}
		case "2022-samarkand-declaration.ru":
			if !strings.Contains(r[6], `href="/docs/2022-samarkand-declaration" hreflang="zh">中文`) || r[4] != "俄文" {
				t.Errorf("translation: %q", r[4:])
			}
		default:
			if r[6] != "" {
				t.Errorf("%s: translations %q", r[1], r[6])
			}
		}
	}

	byTitle := rows(t, "?sort=title")
	if len(byTitle) != len(docs) || byTitle[0][1] == all[0][1] && byTitle[1][1] == all[1][1] {
		t.Errorf("sort=title: %d rows, same order as by date", len(byTitle))
	}
	for _, tc := range []struct {
		query string
		keep  func(search.DocumentInfo) bool
	}{
		{"?year=2018", func(d search.DocumentInfo) bool { return strings.HasPrefix(d.Date, "2018") }},
		{"?lang=ru", func(d search.DocumentInfo) bool { return d.Lang == "ru" }},
		{"?lang=zh&year=2022&sort=title", func(d search.DocumentInfo) bool { return d.Lang == "zh" && strings.HasPrefix(d.Date, "2022") }},
	} {
		want := 0
		for _, d := range docs {
			if tc.keep(d) {
				want++
			}
		}
		got := rows(t, tc.query)
		if len(got) != want || want == 0 {
			t.Errorf("%s: %d rows, want %d", tc.query, len(got), want)
		}
		for _, r := range got {
			if !tc.keep(byID[r[1]]) {
				t.Errorf("%s: %s listed", tc.query, r[1])
			}
		}
	}
	res := do(t, "GET", ts.URL+"/docs?year=2018")
	checkBody(t, res.body, []string{`<a href="/docs" aria-current="true" class="on" title="取消此筛选">2018`, `href="/docs?sort=title&amp;year=2018"`, `<a href="/docs?lang=zh&amp;year=2018">中文`}, nil)
	for _, q := range []string{"?sort=size", "?year=20x8", "?year=12345"} {
		if r := do(t, "GET", ts.URL+"/docs"+q); r.status != 400 {
			t.Errorf("%s: status %d, want 400", q, r.status)
		}
	}
}

// TestHomePage: the home page says what the corpus holds, shows its
// latest documents and example searches that find something, and keeps
// the syntax help.
func TestHomePage(t *testing.T) {
	sco, _ := researchEngines(t)
	ts := startServer(t, sco, web.Options{})
	res := do(t, "GET", ts.URL+"/")
	docs, err := sco.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	paras := 0
	for _, d := range docs {
		paras += d.Paragraphs
	}
	checkBody(t, res.body, []string{
		fmt.Sprintf("本库收录 <strong>%d</strong> 份文件、%d 个段落，时间跨度 2015–2024 年", len(docs), paras),
		`<a href="/docs">浏览全部文件`,
		`<li><a href="/docs/2024-07-04-astana-declaration">`, // the latest document
		"检索语法", `<code>"三股势力"</code>`,
	}, nil)
	ex := regexp.MustCompile(`<li><a href="(/search\?q=[^"]+)">([^<]+)</a></li>`).FindAllStringSubmatch(res.body, -1)
	if len(ex) < 4 {
		t.Fatalf("%d example searches", len(ex))
	}
	for _, e := range ex {
		r := do(t, "GET", ts.URL+e[1])
		if !strings.Contains(r.body, `<li class="hit`) {
			t.Errorf("example %s finds nothing", e[2])
		}
	}
}
