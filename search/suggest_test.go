package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/lang"
	"github.com/scosearch/scosearch/index/zh"
)

func suggestTexts(ss []Suggestion) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Text
	}
	return out
}

// TestSuggest: completions of typed prefixes on the bundled corpus.
func TestSuggest(t *testing.T) {
	e := openTestEngine(t)
	ctx := context.Background()
	for _, tc := range []struct {
		prefix  string
		n       int
		first   string   // the top suggestion
		include []string // also offered
		exclude []string // never offered
	}{
		{prefix: "上合", first: "上合组织", include: []string{"上合组织秘书处", "上合组织宪章"}, exclude: []string{"上海合作组织"}},
		// traditional and full-width input: simplified completions
		{prefix: "上合組", first: "上合组织", include: []string{"上合组织秘书处"}},
		{prefix: "上海合作組", first: "上海合作组织", include: []string{"上海合作组织秘书处"}},
		{prefix: "ＳＣＯ上合", n: 3}, // no such word: nothing, and no error
		// 上海合作组织 is found in 41 paragraphs (as 上合组织 too), 上海 in 2:
		// the count ranks, not the word's own frequency (1)
		{prefix: "上海", first: "上海合作组织", include: []string{"上海", "上海精神"}},
		// 反恐 also matches inside 反恐怖: 6 paragraphs
		{prefix: "反", first: "反恐", include: []string{"反对", "反恐怖"}},
		// the words before the last one stay as typed and narrow the count
		{prefix: "阿富汗  合", first: "阿富汗  合作"},
		{prefix: "  上合", first: "上合组织"},
		{prefix: "阿富汗 +合", first: "阿富汗 +合作"},
		{prefix: "year:2019 禁", first: "year:2019 禁毒"},
		// a lone exclusion finds nothing: nothing to suggest
		{prefix: "-阿"},
		{prefix: "上合", n: 1, first: "上合组织"},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.prefix, tc.n), func(t *testing.T) {
			got, err := e.Suggest(ctx, tc.prefix, tc.n)
			if err != nil {
				t.Fatal(err)
			}
			texts := suggestTexts(got)
			n := tc.n
			if n == 0 {
				n = DefaultSuggestions
			}
			if len(got) > n {
				t.Errorf("%d suggestions, asked for %d", len(got), n)
			}
			if tc.first == "" && len(got) > 0 {
				t.Errorf("suggestions %q, want none", texts)
			}
			if tc.first != "" && (len(got) == 0 || got[0].Text != tc.first) {
				t.Errorf("suggestions %q, want %q first", texts, tc.first)
			}
			for _, w := range tc.include {
				if !slices.Contains(texts, w) {
					t.Errorf("suggestions %q lack %q", texts, w)
				}
			}
			for _, w := range tc.exclude {
				if slices.Contains(texts, w) {
					t.Errorf("suggestions %q include %q", texts, w)
				}
			}
			for i := 1; i < len(got); i++ {
				if got[i].Count > got[i-1].Count {
					t.Errorf("not ranked by count: %v", got)
				}
			}
		})
	}
}

// TestSuggestCountsAreSearchTotals: every suggestion's Count is the Total
// of a Search for its Text, and its last word starts with the folded last
// word typed.
func TestSuggestCountsAreSearchTotals(t *testing.T) {
	e := openTestEngine(t)
	ctx := context.Background()
	checked := 0
	for _, prefix := range []string{"上", "上合", "上海", "阿", "反", "合作", "2", "组", "禁", "乔", "成员国 上", "安", "联", "經濟", "恐怖"} {
		got, err := e.Suggest(ctx, prefix, MaxSuggestions)
		if err != nil {
			t.Fatalf("%s: %v", prefix, err)
		}
		if len(got) == 0 {
			t.Errorf("%s: no suggestions", prefix)
		}
		_, want, _ := splitPrefix(prefix)
		for _, s := range got {
			res, err := e.Search(ctx, Request{Query: s.Text})
			if err != nil {
				t.Fatalf("%s: search %q: %v", prefix, s.Text, err)
			}
			if uint64(s.Count) != res.Complete {
				t.Errorf("%s: %q has count %d, a search finds %d paragraphs holding all of it", prefix, s.Text, s.Count, res.Complete)
			}
			fields := strings.Fields(s.Text)
			if last := zh.Fold(strings.TrimLeft(fields[len(fields)-1], "+-")); !strings.HasPrefix(last, want) {
				t.Errorf("%s: %q does not complete %q", prefix, s.Text, want)
			}
			checked++
		}
	}
	t.Logf("%d suggestions checked", checked)
}

// TestSuggestOffersEveryWord: with room enough, every word of the index
// that starts with the prefix and that a search finds is offered.
func TestSuggestOffersEveryWord(t *testing.T) {
	e := openTestEngine(t)
	for _, prefix := range []string{"上合", "阿", "反"} {
		d, err := e.cur.Load().idx.Bleve().FieldDictPrefix(lang.Of("").WordField, []byte(prefix))
		if err != nil {
			t.Fatal(err)
		}
		var words []string
		for i := 0; i < 1000; i++ {
			de, err := d.Next()
			if err != nil {
				t.Fatal(err)
			}
			if de == nil {
				break
			}
			words = append(words, de.Term)
		}
		d.Close()
		if len(words) == 0 || len(words) > MaxSuggestions-suggestExtraWords {
			t.Fatalf("%s: %d words in the index: pick a prefix with 1 to %d", prefix, len(words), MaxSuggestions-suggestExtraWords)
		}
		got, err := e.Suggest(context.Background(), prefix, MaxSuggestions)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range words {
			if !slices.Contains(suggestTexts(got), w) {
				t.Errorf("%s: the index's word %q is not offered: %v", prefix, w, got)
			}
		}
	}
}

// TestSuggestNothingToComplete: prefixes with nothing to complete give an
// empty list, not an error.
func TestSuggestNothingToComplete(t *testing.T) {
	e := openTestEngine(t)
	for _, prefix := range []string{"", "   ", "\u3000", "上合 ", "doc:2019", `"上合`, "上合)", "反恐 -", "，", "zzzzqqq"} {
		got, err := e.Suggest(context.Background(), prefix, 0)
		if err != nil {
			t.Errorf("%q: %v", prefix, err)
		}
		if got == nil || len(got) != 0 {
			t.Errorf("%q: %#v, want an empty list", prefix, got)
		}
	}
}

// TestSuggestLimits: bad prefixes and sizes are ErrBadQuery errors;
// sizes at the limits work.
func TestSuggestLimits(t *testing.T) {
	e := openTestEngine(t)
	ctx := context.Background()
	long := strings.Repeat("上", MaxSuggestRunes)
	for _, tc := range []struct {
		prefix string
		n      int
		bad    bool
	}{
		{prefix: "上合\xff", bad: true},
		{prefix: long + "合", bad: true},
		{prefix: long},
		{prefix: "上", n: -1, bad: true},
		{prefix: "上", n: MaxSuggestions + 1, bad: true},
		{prefix: "上", n: MaxSuggestions},
		{prefix: "上", n: 1},
	} {
		got, err := e.Suggest(ctx, tc.prefix, tc.n)
		if tc.bad {
			if !errors.Is(err, ErrBadQuery) {
				t.Errorf("%.20q n=%d: error %v, want ErrBadQuery", tc.prefix, tc.n, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%.20q n=%d: %v", tc.prefix, tc.n, err)
		}
		if len(got) > max(tc.n, DefaultSuggestions) {
			t.Errorf("%.20q n=%d: %d suggestions", tc.prefix, tc.n, len(got))
		}
	}
	if got, _ := e.Suggest(ctx, "上", MaxSuggestions); len(got) <= DefaultSuggestions {
		t.Errorf("上 n=%d: %d suggestions, want more than %d (the corpus has 17)", MaxSuggestions, len(got), DefaultSuggestions)
	}
	// The dictionary walk stops at its bound (the corpus has 1,141 words).
	df := map[string]int{}
	if err := walkDict(ctx, e.cur.Load().idx.Shards()[0], lang.Of("").WordField, "", 100, df); err != nil || len(df) != 100 {
		t.Errorf("walkDict with limit 100: %d words, error %v", len(df), err)
	}
	if got, _ := e.Suggest(ctx, "上", 1); len(got) != 1 {
		t.Errorf("上 n=1: %d suggestions", len(got))
	}

	// A cancelled request stops and says why.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := e.Suggest(cctx, "联", 0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
	// A closed Engine says so.
	closed := openTestEngine(t)
	closed.Close()
	if _, err := closed.Suggest(ctx, "上合", 0); !errors.Is(err, ErrClosed) {
		t.Errorf("closed engine: error %v, want ErrClosed", err)
	}
}

// TestSuggestShards: an index split into shards suggests the same as one
// index: dictionary frequencies are summed over the shards.
func TestSuggestShards(t *testing.T) {
	corpusDir := t.TempDir()
	if err := os.CopyFS(corpusDir, os.DirFS("../testdata/corpus")); err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{
		"成员国支持上合组织框架内的反恐合作。\n\n上合组织秘书处发布说明。\n",
		"上合组织宪章规定了宗旨。上合组织开发银行。\n",
		"上合组织实业家委员会举行会议。\n",
	} {
		if err := os.WriteFile(filepath.Join(corpusDir, fmt.Sprintf("extra%d.zh.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	one, three := t.TempDir(), t.TempDir()
	engines := map[string]*Engine{}
	for dir, shards := range map[string]int{one: 1, three: 3} {
		if _, err := index.Build(context.Background(), corpusDir, dir, index.BuildOptions{Shards: shards}); err != nil {
			t.Fatal(err)
		}
		e, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		engines[dir] = e
	}
	if n := len(engines[three].cur.Load().idx.Shards()); n != 3 {
		t.Fatalf("%d shards, want 3", n)
	}
	for _, prefix := range []string{"上合", "上", "反", "合作"} {
		a, err := engines[one].Suggest(context.Background(), prefix, MaxSuggestions)
		if err != nil {
			t.Fatal(err)
		}
		b, err := engines[three].Suggest(context.Background(), prefix, MaxSuggestions)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: 1 shard vs 3 shards (-one +three):\n%s", prefix, diff)
		}
		if len(a) == 0 {
			t.Errorf("%s: no suggestions", prefix)
		}
	}
}

// TestSplitPrefix pins how a typed query splits into what stays and the
// folded word to complete.
func TestSplitPrefix(t *testing.T) {
	for _, tc := range []struct{ in, head, word string }{
		{"上合", "", "上合"},
		{"上合組", "", "上合组"},
		{"ＳＣＯ", "", "sco"},
		{"反恐 阿", "反恐 ", "阿"},
		{"反恐\u3000阿", "反恐\u3000", "阿"},
		{" 反恐 -阿", "反恐 -", "阿"},
		{"＋阿", "＋", "阿"},
		{"上合 ", "", ""},
		{"doc:x", "", ""},
		{`"上合`, "", ""},
	} {
		head, word, ok := splitPrefix(tc.in)
		if ok != (tc.word != "") || head != tc.head || word != tc.word {
			t.Errorf("splitPrefix(%q) = %q, %q, %v; want %q, %q", tc.in, head, word, ok, tc.head, tc.word)
		}
		if ok && !utf8.ValidString(word) || word != zh.Fold(word) {
			t.Errorf("splitPrefix(%q): word %q not folded", tc.in, word)
		}
	}
}

// FuzzSuggest: any prefix and n give either suggestions within the bounds
// (valid UTF-8, found by a search, ranked by count) or an ErrBadQuery
// error; no panic.
func FuzzSuggest(f *testing.F) {
	for _, s := range []string{"上合", "上海合作組", "阿富汗 合", "-阿", `"上合`, "doc:x 上", "ＳＣＯ", "上合\xff", "(禁 OR 毒", "2", " ", "上合 ", "+", "\ufeff上"} {
		f.Add(s, 0)
	}
	f.Add(strings.Repeat("上", MaxSuggestRunes+1), 3)
	e := openTestEngine(f)
	f.Fuzz(func(t *testing.T, prefix string, n int) {
		n %= MaxSuggestions + 5
		got, err := e.Suggest(context.Background(), prefix, n)
		if err != nil {
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("Suggest(%q, %d): %v, want nil or ErrBadQuery", prefix, n, err)
			}
			return
		}
		if got == nil || len(got) > max(n, DefaultSuggestions) {
			t.Fatalf("Suggest(%q, %d): %d suggestions (nil %v)", prefix, n, len(got), got == nil)
		}
		for i, s := range got {
			if !utf8.ValidString(s.Text) || s.Count <= 0 || i > 0 && s.Count > got[i-1].Count {
				t.Fatalf("Suggest(%q, %d): %v", prefix, n, got)
			}
		}
	})
}
