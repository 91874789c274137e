package web_test

import (
	"context"
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

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
	"github.com/scosearch/scosearch/web"
)

// The parallel corpus: the bundled declaration, our Russian and English
// translations of its opening (testdata/parallel), and a document whose id
// holds "/parallel/".
var parallelIdx struct {
	once   sync.Once
	engine *search.Engine
	err    error
}

const (
	zhDoc      = "2019-bishkek-declaration"
	ruDoc      = zhDoc + ".ru"
	enDoc      = zhDoc + ".en"
	trickyDoc  = "notes/parallel/x"
	trickyText = "成员国注意到这份文件的编号含有路径。"
)

func buildParallelEngine() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := filepath.Join(tmpRoot, "parallel-corpus")
	files := map[string]string{
		"../testdata/corpus/2019-bishkek-declaration.zh.txt":   "2019-bishkek-declaration.zh.txt",
		"../testdata/parallel/2019-bishkek-declaration.ru.txt": "2019-bishkek-declaration.ru.txt",
		"../testdata/parallel/2019-bishkek-declaration.en.txt": "2019-bishkek-declaration.en.txt",
	}
	for from, to := range files {
		data, err := os.ReadFile(from)
		if err == nil {
			err = os.MkdirAll(dir, 0o755)
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, to), data, 0o644)
		}
		if err != nil {
			parallelIdx.err = err
			return
		}
	}
	tricky := filepath.Join(dir, filepath.FromSlash(trickyDoc)+".zh.txt")
	if err := os.MkdirAll(filepath.Dir(tricky), 0o755); err != nil {
		parallelIdx.err = err
		return
	}
	if err := os.WriteFile(tricky, []byte(trickyText+"\n"), 0o644); err != nil {
		parallelIdx.err = err
		return
	}
	idx := filepath.Join(tmpRoot, "parallel")
	if _, err := index.Build(ctx, dir, idx, index.BuildOptions{}); err != nil {
		parallelIdx.err = fmt.Errorf("build parallel: %w", err)
		return
	}
	parallelIdx.engine, parallelIdx.err = search.Open(idx)
}

func parallelEngine(t testing.TB) *search.Engine {
	t.Helper()
	parallelIdx.once.Do(buildParallelEngine)
	if parallelIdx.err != nil {
		t.Fatal(parallelIdx.err)
	}
	return parallelIdx.engine
}

// TestAPIParallel: the alignment of the declaration with our English
// translation, against the golden answer (made by hand from what the
// translation does: a translator's note first, paragraphs 7 and 8 merged,
// nothing after paragraph 12); the translations of /api/docs/{doc};
// errors through the one error mapping.
func TestAPIParallel(t *testing.T) {
	ts := startServer(t, parallelEngine(t), web.Options{})

	r := do(t, "GET", ts.URL+"/api/docs/"+zhDoc+"/parallel/"+enDoc)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	golden, err := os.ReadFile("testdata/parallel-zh-en.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	if err := json.Unmarshal(golden, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answer (-golden +got):\n%s", diff)
	}

	for _, tc := range []struct {
		doc  string
		want []string
	}{
		{zhDoc, []string{enDoc, ruDoc}},
		{ruDoc, []string{zhDoc, enDoc}},
		{trickyDoc, []string{}},
	} {
		r := do(t, "GET", ts.URL+"/api/docs/"+tc.doc+"?size=1")
		var d struct {
			Translations []string `json:"translations"`
		}
		if err := json.Unmarshal([]byte(r.body), &d); err != nil || r.status != 200 {
			t.Fatalf("%s: %d %v", tc.doc, r.status, err)
		}
		if !cmp.Equal(tc.want, d.Translations) || !strings.Contains(r.body, `"translations":[`) {
			t.Errorf("%s: translations %q, want %q (body %s)", tc.doc, d.Translations, tc.want, truncate(r.body, 300))
		}
	}

	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/api/docs/nope/parallel/" + zhDoc, 404, `"error":"not found"`},
		{"/api/docs/" + zhDoc + "/parallel/nope", 404, `"error":"not found"`},
		// a document whose id holds /parallel/ is itself
		{"/api/docs/" + trickyDoc, 200, trickyText},
		{"/api/docs/" + zhDoc + "/parallel/" + strings.Repeat("x", 600), 400, `"code":"bad_parameter"`},
		// any two documents align: a document with itself, pair by pair
		{"/api/docs/" + ruDoc + "/parallel/" + ruDoc, 200, `{"a":[12],"b":[12]}]`},
	} {
		r := do(t, "GET", ts.URL+tc.path)
		if r.status != tc.status || !strings.Contains(r.body, tc.want) {
			t.Errorf("GET %s: %d %s, want %d with %s", tc.path, r.status, truncate(r.body, 300), tc.status, tc.want)
		}
	}
}

var rowRE = regexp.MustCompile(`(?s)<div class="par-row" id="r(\d+)" role="row">(.*?)</div>\s*</div>`)

// TestParallelPage: the rows of the parallel view, each paragraph number a
// permalink to its document's page, a side without counterpart shown as
// such; the document page links the translations and the view.
func TestParallelPage(t *testing.T) {
	ts := startServer(t, parallelEngine(t), web.Options{})
	r := do(t, "GET", ts.URL+"/docs/"+zhDoc+"/parallel/"+ruDoc)
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	rows := rowRE.FindAllStringSubmatch(r.body, -1)
	if len(rows) != 76 {
		t.Fatalf("%d rows, want 76 (every Chinese paragraph)", len(rows))
	}
	checkBody(t, rows[2][2], []string{
		`href="/docs/2019-bishkek-declaration#p3"`, `href="/docs/2019-bishkek-declaration.ru#p3"`, `href="/docs/2019-bishkek-declaration.ru#p4"`,
		"上合组织作为开展富有成效合作的可靠平台", "ШОС как надёжная площадка", "Государства-члены подчёркивают важность",
	}, []string{"par-none"})
	checkBody(t, rows[5][2], []string{`href="/docs/2019-bishkek-declaration#p6"`, `par-none`, "（Русский无对应段落）"}, []string{".ru#p"})
	checkBody(t, r.body, []string{
		`lang="ru"`, `<a href="/docs/2019-bishkek-declaration.ru/parallel/2019-bishkek-declaration">左右交换</a>`,
		`href="/docs/2019-bishkek-declaration/parallel/2019-bishkek-declaration.en" hreflang="en">改与 English 对照</a>`,
	}, nil)

	doc := do(t, "GET", ts.URL+"/docs/"+zhDoc)
	checkBody(t, doc.body, []string{
		`<a href="/docs/2019-bishkek-declaration.ru" hreflang="ru" lang="ru">Русский</a>（<a href="/docs/2019-bishkek-declaration/parallel/2019-bishkek-declaration.ru">对照阅读</a>）`,
		`<a href="/docs/2019-bishkek-declaration.en" hreflang="en" lang="en">English</a>`,
	}, nil)
	ru := do(t, "GET", ts.URL+"/docs/"+ruDoc)
	checkBody(t, ru.body, []string{`<a href="/docs/2019-bishkek-declaration" hreflang="zh" lang="zh">中文</a>`}, nil)
	if tricky := do(t, "GET", ts.URL+"/docs/"+trickyDoc); tricky.status != 200 || strings.Contains(tricky.body, "其他语言版本") {
		t.Errorf("a document without translations: %d, %s", tricky.status, truncate(tricky.body, 500))
	}
	for _, path := range []string{"/docs/nope/parallel/" + zhDoc, "/docs/" + zhDoc + "/parallel/nope"} {
		if r := do(t, "GET", ts.URL+path); r.status != 404 || !strings.Contains(r.body, "未找到") {
			t.Errorf("GET %s: %d", path, r.status)
		}
	}
}

// TestSearchParallelLinks: a hit of a document with translations links
// to the row of the parallel view holding it, labelled with the
// translation's paragraph there, or "¶—" where it has none.
func TestSearchParallelLinks(t *testing.T) {
	ts := startServer(t, parallelEngine(t), web.Options{})
	r := do(t, "GET", ts.URL+"/search?collapse=false&q="+url.QueryEscape(`"比什凯克举行"`))
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	checkBody(t, r.body, []string{
		// paragraph 1 of the Chinese: Russian 1, English 2 (after the note)
		`<a href="/docs/2019-bishkek-declaration/parallel/2019-bishkek-declaration.ru#r1" hreflang="ru" lang="ru">Русский ¶1</a>`,
		`<a href="/docs/2019-bishkek-declaration/parallel/2019-bishkek-declaration.en#r2" hreflang="en" lang="en">English ¶2</a>`,
		// paragraph 11: the 11th row of each
		`<a href="/docs/2019-bishkek-declaration/parallel/2019-bishkek-declaration.ru#r11" hreflang="ru" lang="ru">Русский ¶11</a>`,
		`<a href="/docs/2019-bishkek-declaration/parallel/2019-bishkek-declaration.en#r11" hreflang="en" lang="en">English ¶11</a>`,
	}, nil)
	// A hit in the Russian links to the Chinese and the English: its
	// paragraph 7 is Chinese 7, and half of English 8 (which merges the
	// Chinese 7 and 8, that the Russian keeps apart).
	r = do(t, "GET", ts.URL+"/search?collapse=false&q="+url.QueryEscape(`"Кыргызской Республикой"`))
	checkBody(t, r.body, []string{
		`<a href="/docs/2019-bishkek-declaration.ru/parallel/2019-bishkek-declaration#r7" hreflang="zh" lang="zh">中文 ¶7</a>`,
		`<a href="/docs/2019-bishkek-declaration.ru/parallel/2019-bishkek-declaration.en#r8" hreflang="en" lang="en">English ¶8</a>`,
	}, nil)
	// A paragraph beyond the translated opening.
	r = do(t, "GET", ts.URL+"/search?collapse=false&q="+url.QueryEscape(`"中亚无核武器区条约"`))
	checkBody(t, r.body, []string{`hreflang="ru" lang="ru">Русский ¶—</a>`}, nil)
}
