package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/search"
)

// shared is the index of the bundled corpus, built once for the tests
// that only read it.
var shared struct {
	once sync.Once
	dir  string
	err  error
}

// searchCmdIndex returns the shared index of the bundled corpus. Tests
// must not change it.
func searchCmdIndex(t *testing.T) string {
	t.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		shared.dir = filepath.Join(testRoot, "bundled-index")
		if _, err := index.Build(ctx, bundledCorpus, shared.dir, index.BuildOptions{}); err != nil {
			shared.err = fmt.Errorf("build the shared index: %w", err)
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.dir
}

func runSearchCmd(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = runSearch(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunSearch(t *testing.T) {
	dir := searchCmdIndex(t)
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // parts of stdout
		stderr   string   // a part of stderr
		noStdout bool
	}{
		{"hits", []string{"--index", dir, "乔蓬阿塔"}, exitOK,
			[]string{"2 results for 乔蓬阿塔", "1. 上海合作组织成员国元首理事会比什凯克宣言 · 2019-06-14 · ¶", "在[乔蓬阿塔]举行", "(score "}, "", false},
		{"several words", []string{"--index", dir, "交通运输", "多边合作"}, exitOK,
			[]string{"3 results for 交通运输 多边合作", "2 hold every word of the query", "section 三", "+ 1 near-identical: 2019-bishkek-declaration-p", "lacks: 交通运输"}, "", false},
		{"no collapse", []string{"--index", dir, "--no-collapse", "交通运输领域多边合作"}, exitOK,
			[]string{"1. ", "2. "}, "", false},
		{"paging", []string{"--index", dir, "--size", "2", "--from", "2", "--sort", "date", "禁毒"}, exitOK,
			[]string{"6 results for 禁毒", "3 to 4:", "3. ", "¶41", "4. ", "¶42"}, "", false},
		{"no results", []string{"--index", dir, `"上合组织反恐"`}, exitOK,
			[]string{`No results for "上合组织反恐"`}, "", false},
		{"page past the end", []string{"--index", dir, "--from", "50", "阿富汗"}, exitOK,
			[]string{"2 results for 阿富汗, none from 51 on"}, "", false},
		{"bad query", []string{"--index", dir, `"上海`}, exitUsage, nil, "unbalanced quote", true},
		{"unknown field", []string{"--index", dir, "foo:bar"}, exitUsage, nil, `unknown field "foo"`, true},
		{"bad size", []string{"--index", dir, "--size", "1000", "反恐"}, exitUsage, nil, "size 1000", true},
		{"bad sort", []string{"--index", dir, "--sort", "random", "反恐"}, exitUsage, nil, `sort "random"`, true},
		{"no query", []string{"--index", dir}, exitUsage, nil, "no query", true},
		{"bad flag", []string{"--nope", "反恐"}, exitUsage, nil, "flag provided but not defined", true},
		{"no index", []string{"--index", filepath.Join(dir, "missing"), "反恐"}, exitFailure, nil, "scosearch reindex", true},
		// Flags may follow the query; "--" ends them.
		{"flags after the query", []string{"乔蓬阿塔", "--size", "1", "--index", dir, "--sort=date"}, exitOK,
			[]string{"2 results for 乔蓬阿塔 (", "1 to 1:"}, "", false},
		{"flags between words", []string{"--index", dir, "交通运输", "--no-collapse", "多边合作"}, exitOK,
			[]string{"results for 交通运输 多边合作 (", "1. ", "2. "}, "", false},
		{"an excluded word is no flag", []string{"--index", dir, "乔蓬阿塔", "-会议"}, exitOK,
			[]string{"results for 乔蓬阿塔 -会议 ("}, "", false},
		{"double dash ends the flags", []string{"--index", dir, "--", "乔蓬阿塔", "-abc"}, exitOK,
			[]string{"2 results for 乔蓬阿塔 -abc ("}, "", false},
		{"without it -abc is a flag", []string{"--index", dir, "乔蓬阿塔", "-abc"}, exitUsage, nil, "flag provided but not defined: -abc", true},
		{"mistyped flag after the query", []string{"--index", dir, "乔蓬阿塔", "--jsno"}, exitUsage, nil, "flag provided but not defined: -jsno", true},
		{"flag without its value", []string{"--index", dir, "乔蓬阿塔", "--size"}, exitUsage, nil, "flag needs an argument: -size", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runSearchCmd(tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tc.code, stderr)
			}
			for _, part := range tc.stdout {
				if !strings.Contains(stdout, part) {
					t.Errorf("stdout lacks %q:\n%s", part, stdout)
				}
			}
			if tc.noStdout && stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tc.stderr)
			}
			if strings.Contains(stdout, "<mark>") || strings.Contains(stdout, "\x1b[") {
				t.Errorf("markup or colour in non-terminal output:\n%s", stdout)
			}
		})
	}
}

func TestRunSearchJSON(t *testing.T) {
	dir := searchCmdIndex(t)
	code, stdout, stderr := runSearchCmd("乔蓬阿塔", "--index", dir, "--json", "--size", "1")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Count(strings.TrimSpace(stdout), "\n") != 0 {
		t.Errorf("want exactly one line, got:\n%s", stdout)
	}
	var got search.JSONResult
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode %s: %v", stdout, err)
	}
	if got.Total != 2 || len(got.Hits) != 1 || got.TookMS <= 0 {
		t.Fatalf("JSON result %+v", got)
	}
	h := got.Hits[0]
	h.Score = 0
	want := search.Hit{
		ID: "2019-bishkek-declaration-p" + map[bool]string{true: "42", false: "46"}[h.Paragraph == 42], Doc: "2019-bishkek-declaration",
		Title: "上海合作组织成员国元首理事会比什凯克宣言", Date: "2019-06-14", Place: "比什凯克", Lang: "zh",
		Paragraph: h.Paragraph, Text: h.Text, Snippets: h.Snippets, Match: search.MatchAll,
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("hit (-want +got):\n%s", diff)
	}
	if !strings.Contains(h.Text, "乔蓬阿塔") || len(h.Snippets) == 0 || !strings.Contains(strings.Join(h.Snippets, ""), "<mark>乔蓬阿塔</mark>") {
		t.Errorf("text %q snippets %q", h.Text, h.Snippets)
	}
	if !strings.Contains(stdout, "<mark>") {
		t.Errorf("<mark> escaped in JSON output: %s", stdout)
	}
	if len(got.Facets.Doc) != 1 || got.Facets.Doc[0].Count != 2 {
		t.Errorf("facets %+v", got.Facets)
	}
}

func TestPlainSnippet(t *testing.T) {
	tests := []struct {
		in     string
		colour bool
		want   string
	}{
		{"在<mark>乔蓬阿塔</mark>举行 &lt;b&gt;", false, "在[乔蓬阿塔]举行 <b>"},
		{"在<mark>乔蓬阿塔</mark>举行", true, "在\x1b[1;31m乔蓬阿塔\x1b[0m举行"},
		{"<mark>a&amp;b</mark><mark>", false, "[a&b]<mark>"},
		{"no marks", true, "no marks"},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, plainSnippet(tc.in, tc.colour)); diff != "" {
			t.Errorf("plainSnippet(%q, %v) (-want +got):\n%s", tc.in, tc.colour, diff)
		}
	}
}

// TestRunSearchExport: --format writes every hit, all pages, parsed back
// here; --max truncates and says so on stderr; bad combinations are usage
// errors.
func TestRunSearchExport(t *testing.T) {
	dir := searchCmdIndex(t)
	engine, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := engine.Search(context.Background(), search.Request{Query: "合作", Size: search.MaxSize})
	engine.Close()
	if err != nil {
		t.Fatal(err)
	}
	shown := len(want.Hits)
	if shown <= search.DefaultSize {
		t.Fatalf("test data: %d hits, want more than a page", shown)
	}

	code, stdout, stderr := runSearchCmd("--index", dir, "--format", "csv", "--base-url", "https://sco.example.org/", "合作")
	if code != exitOK || stderr != "" {
		t.Fatalf("csv: exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(stdout, "\uFEFF") || strings.Count(stdout, "\n") != strings.Count(stdout, "\r\n") {
		t.Error("csv: want a BOM and CRLF line ends")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(stdout, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != shown+1 {
		t.Fatalf("csv: %d rows, want %d", len(rows)-1, shown)
	}
	for i, h := range want.Hits {
		if rows[i+1][3] != h.ID || rows[i+1][13] != fmt.Sprintf("https://sco.example.org/docs/%s#p%d", h.Doc, h.Paragraph) {
			t.Errorf("row %d: %q, want %s", i+1, rows[i+1][3:4], h.ID)
		}
	}

	code, stdout, stderr = runSearchCmd("--index", dir, "--format", "jsonl", "--max", "5", "合作")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != exitOK || len(lines) != 5 || !strings.Contains(stderr, fmt.Sprintf("exported the first 5 of %d hits", shown)) {
		t.Errorf("jsonl --max 5: exit %d, %d lines, stderr %q", code, len(lines), stderr)
	}
	for i, l := range lines {
		var h search.Hit
		if err := json.Unmarshal([]byte(l), &h); err != nil || h.ID != want.Hits[i].ID {
			t.Errorf("line %d: %v, id %q want %q", i+1, err, h.ID, want.Hits[i].ID)
		}
	}

	code, stdout, _ = runSearchCmd("--index", dir, "--format", "ris", "乔蓬阿塔")
	if code != exitOK || strings.Count(stdout, "TY  - GOVDOC\r\n") != 2 || strings.Count(stdout, "ER  - \r\n") != 2 ||
		!strings.Contains(stdout, "UR  - http://127.0.0.1:8080/docs/2019-bishkek-declaration#p") {
		t.Errorf("ris: exit %d:\n%s", code, stdout)
	}

	for _, args := range [][]string{
		{"--format", "xlsx", "合作"},
		{"--format", "csv", "--json", "合作"},
		{"--format", "csv", "--max", "0", "合作"},
		{"--format", "csv", "--base-url", "ftp://x", "合作"},
		{"--format", "csv", `"合作`},
	} {
		code, stdout, stderr := runSearchCmd(append([]string{"--index", dir}, args...)...)
		if code != exitUsage || stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want usage error", args, code, stdout, stderr)
		}
	}
}
