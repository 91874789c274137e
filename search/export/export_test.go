package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
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
)

var shared struct {
	once   sync.Once
	dir    string
	engine *search.Engine
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.engine != nil {
		shared.engine.Close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// scoEngine is an Engine over testdata/sco, built once.
func scoEngine(t *testing.T) *search.Engine {
	t.Helper()
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "scosearch-export-test-")
		if shared.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		idx := filepath.Join(shared.dir, "idx")
		if _, shared.err = index.Build(ctx, filepath.Join("..", "..", "testdata", "sco"), idx, index.BuildOptions{}); shared.err != nil {
			return
		}
		shared.engine, shared.err = search.Open(idx)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.engine
}

func ids(hits []search.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

// TestCollect: page by page, the hits are those of one big page, in the
// same order, none twice; a cap truncates and says so.
func TestCollect(t *testing.T) {
	e := scoEngine(t)
	ctx := context.Background()
	for _, req := range []search.Request{
		{Query: "合作", NoCollapse: true},
		{Query: "合作"}, // collapsed: fewer hits than Total
		{Query: "合作 发展 改革 地区", Sort: search.SortDate}, // partial matches follow full ones
	} {
		t.Run(fmt.Sprintf("%+v", req), func(t *testing.T) {
			one := req
			one.Size = search.MaxSize
			whole, err := e.Search(ctx, one)
			if err != nil {
				t.Fatal(err)
			}
			if len(whole.Hits) < 10 || uint64(len(whole.Hits)) != whole.Total-whole.Collapsed {
				t.Fatalf("test data: %d hits of %d (%d collapsed); want 10 to 100, all on one page", len(whole.Hits), whole.Total, whole.Collapsed)
			}
			for _, pageSize := range []int{1, 7, 100} {
				c, err := collect(ctx, e, req, 0, pageSize)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(ids(whole.Hits), ids(c.Hits)); diff != "" {
					t.Errorf("pages of %d (-one page +pages):\n%s", pageSize, diff)
				}
				if c.Truncated || c.Total != whole.Total || c.Complete != whole.Complete {
					t.Errorf("pages of %d: truncated %v, total %d complete %d; want false, %d, %d", pageSize, c.Truncated, c.Total, c.Complete, whole.Total, whole.Complete)
				}
			}
			c, err := collect(ctx, e, req, 9, 4)
			if err != nil {
				t.Fatal(err)
			}
			if !c.Truncated || len(c.Hits) != 9 {
				t.Errorf("cap 9: %d hits, truncated %v; want 9, true", len(c.Hits), c.Truncated)
			}
			if diff := cmp.Diff(ids(whole.Hits[:9]), ids(c.Hits)); diff != "" {
				t.Errorf("cap 9 (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := Collect(ctx, e, search.Request{Query: `"合作`}, 0); !errors.Is(err, search.ErrBadQuery) {
		t.Errorf("bad query: %v, want ErrBadQuery", err)
	}
}

// hostileHits are hits whose text has what breaks naive writers.
var hostileHits = []search.Hit{
	{ID: "x-p1", Doc: "x", Title: `标题,带"引号"`, Date: "2019-06-14", Place: "比什凯克", Lang: "zh", Section: "一", Paragraph: 1,
		Text: "第一行，逗号, \"引号\" 与 “中文引号”\n第二行\r\n第三行 {大括号} 100% & #_$~^\\", Match: search.MatchAll, Score: 1.5},
	{ID: "x-p2", Doc: "x", Title: "=HYPERLINK(\"http://evil\")", Paragraph: 2, Text: "-2+3", Match: search.MatchPartial, Missing: []string{"改革", "开放"}},
	{ID: "刑法/修正案（七）-p3", Doc: "刑法/修正案（七）", Title: "", Paragraph: 3, Text: "无标题"},
}

// exportHits are the hostile hits and real hits of the sco corpus,
// partial ones among them.
func exportHits(t *testing.T) []search.Hit {
	t.Helper()
	c, err := Collect(context.Background(), scoEngine(t), search.Request{Query: "阿富汗 禁毒"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.Complete == 0 || c.Complete == c.Total {
		t.Fatalf("test data: %d of %d complete; want some partial matches", c.Complete, c.Total)
	}
	return append(append([]search.Hit{}, hostileHits...), c.Hits...)
}

var accessed = time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC)

func link(h search.Hit) string {
	return "https://sco.example.org/docs/" + h.Doc + "#p" + fmt.Sprint(h.Paragraph)
}

func write(t *testing.T, f Format, hits []search.Hit) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, hits, Options{Link: link, Accessed: accessed}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCSV(t *testing.T) {
	hits := exportHits(t)
	out := write(t, CSV, hits)
	if !bytes.HasPrefix(out, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 BOM: %q", out[:min(20, len(out))])
	}
	if bytes.Count(out, []byte("\n")) != bytes.Count(out, []byte("\r\n")) {
		t.Error("a line ends without CRLF")
	}
	rows, err := csv.NewReader(bytes.NewReader(out[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(csvHeader, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if len(rows) != len(hits)+1 {
		t.Fatalf("%d rows, want %d", len(rows)-1, len(hits))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for i, h := range hits {
		row := rows[i+1]
		// encoding/csv reads CRLF inside a quoted field as LF.
		wantText := strings.ReplaceAll(cell(h.Text), "\r\n", "\n")
		got := map[string]string{"id": row[col["id"]], "text": row[col["text"]], "match": row[col["match"]], "missing": row[col["missing"]], "title": row[col["title"]], "url": row[col["url"]]}
		want := map[string]string{"id": h.ID, "text": wantText, "match": matchOf(h), "missing": strings.Join(h.Missing, " "), "title": cell(h.Title), "url": link(h)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("row %d (-want +got):\n%s", i+1, diff)
		}
		if !strings.Contains(row[col["citation"]], "[EB/OL]") {
			t.Errorf("row %d: citation %q", i+1, row[col["citation"]])
		}
	}
	if rows[2][col["title"]] != `'=HYPERLINK("http://evil")` || rows[2][col["text"]] != "'-2+3" {
		t.Errorf("formula not defused: %q %q", rows[2][col["title"]], rows[2][col["text"]])
	}
	if rows[2][col["match"]] != "partial" {
		t.Errorf("partial hit marked %q", rows[2][col["match"]])
	}
}

func TestJSONL(t *testing.T) {
	hits := exportHits(t)
	out := write(t, JSONL, hits)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		h := hits[n]
		if r.ID != h.ID || r.Text != h.Text || r.Match != matchOf(h) || !cmp.Equal(r.Missing, h.Missing) || r.URL != link(h) {
			t.Errorf("line %d: %+v, want the hit %+v", n+1, r, h)
		}
		n++
	}
	if n != len(hits) {
		t.Errorf("%d lines, want %d", n, len(hits))
	}
}

var risLine = regexp.MustCompile(`^([A-Z][A-Z0-9])  - (.*)$`)

func TestRIS(t *testing.T) {
	hits := exportHits(t)
	out := string(write(t, RIS, hits))
	if strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Error("a line ends without CRLF")
	}
	var recs []map[string][]string
	var cur map[string][]string
	for i, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if line == "" {
			continue
		}
		m := risLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %d is not a RIS line: %q", i+1, line)
		}
		switch {
		case m[1] == "TY":
			if cur != nil {
				t.Fatalf("line %d: TY inside a record", i+1)
			}
			cur = map[string][]string{}
		case cur == nil:
			t.Fatalf("line %d: %s outside a record", i+1, m[1])
		case m[1] == "ER":
			recs = append(recs, cur)
			cur = nil
			continue
		}
		cur[m[1]] = append(cur[m[1]], m[2])
	}
	if cur != nil || len(recs) != len(hits) {
		t.Fatalf("%d records (last open: %v), want %d", len(recs), cur != nil, len(hits))
	}
	for i, h := range hits {
		r := recs[i]
		title := h.Title
		if title == "" {
			title = h.Doc
		}
		if r["ID"][0] != h.ID || r["TI"][0] != risValue(title) || r["UR"][0] != link(h) || r["Y2"][0] != "2025/01/15" {
			t.Errorf("record %d: %v", i, r)
		}
		if !strings.Contains(r["N1"][0], risValue(h.Text)) {
			t.Errorf("record %d: N1 %q lacks the text %q", i, r["N1"][0], h.Text)
		}
		partial := len(r["N1"]) == 2 && strings.HasPrefix(r["N1"][1], "部分匹配")
		if partial != (h.Match == search.MatchPartial) {
			t.Errorf("record %d: notes %q, match %q", i, r["N1"], h.Match)
		}
	}
	if recs[0]["DA"][0] != "2019/06/14" || recs[0]["PY"][0] != "2019" || recs[0]["CY"][0] != "比什凯克" {
		t.Errorf("record 0 dates and place: %v", recs[0])
	}
}

func TestBibTeX(t *testing.T) {
	hits := exportHits(t)
	out := string(write(t, BibTeX, hits))
	if got := strings.Count(out, "@misc{"); got != len(hits) {
		t.Errorf("%d entries, want %d", got, len(hits))
	}
	// Braces balance once escaped ones are left out, entry by entry.
	for i, entry := range strings.Split(out, "@misc{")[1:] {
		depth := 1
		unescaped := strings.ReplaceAll(strings.ReplaceAll(entry, `\{`, ""), `\}`, "")
		unescaped = strings.ReplaceAll(unescaped, `{}`, "")
		for _, r := range unescaped {
			if r == '{' {
				depth++
			} else if r == '}' {
				depth--
			}
			if depth < 0 {
				t.Fatalf("entry %d: unbalanced braces:\n%s", i, entry)
			}
		}
		if depth != 0 {
			t.Errorf("entry %d: %d braces left open:\n%s", i, depth, entry)
		}
	}
	for _, want := range []string{`100\% \& \#\_\$\textasciitilde{}\textasciicircum{}\textbackslash{}`, `\{大括号\}`, "部分匹配，缺少：改革、开放", "@misc{刑法_修正案_七_-p3,"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestCitations(t *testing.T) {
	r := Ref{Title: "上海合作组织成员国元首理事会比什凯克宣言", Date: "2019-06-14", Place: "比什凯克", Paragraph: 28,
		Text: "成员国\n强调", URL: "https://sco.example.org/docs/2019-bishkek-declaration#p28"}
	tests := []struct {
		name, got, want string
	}{
		{"gbt", r.Citation(StyleGBT7714, accessed), "“成员国 强调”\n上海合作组织成员国元首理事会比什凯克宣言[EB/OL]. 比什凯克, 2019-06-14: 第28段[2025-01-15]. https://sco.example.org/docs/2019-bishkek-declaration#p28."},
		{"plain", r.Citation(StylePlain, accessed), "“成员国 强调”\n《上海合作组织成员国元首理事会比什凯克宣言》（2019年6月14日，比什凯克），第28段。https://sco.example.org/docs/2019-bishkek-declaration#p28（2025年1月15日访问）"},
		{"gbt bare", Ref{Title: "x", Paragraph: 1}.GBT7714(accessed), "x[EB/OL]. 第1段[2025-01-15]."},
		{"plain bare", Ref{Title: "x", Paragraph: 1}.Plain(accessed), "《x》，第1段。（2025年1月15日访问）"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("xlsx"); err == nil || !strings.Contains(err.Error(), "csv, jsonl, ris or bibtex") {
		t.Errorf("ParseFormat(xlsx): %v", err)
	}
}
