package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index"
	"github.com/scosearch/scosearch/index/zh"
)

// compareOriginal is a declaration of twelve paragraphs, two of them
// identical (a duplicate must not confuse the alignment).
var compareOriginal = []string{
	"上海合作组织成员国元首理事会会议于2020年11月10日以视频方式举行。",
	"成员国重申恪守《上海合作组织宪章》宗旨和原则，坚持“上海精神”。",
	"成员国强调，将继续打击恐怖主义、分裂主义和极端主义。",
	"成员国认为，阿富汗问题的解决应基于政治对话和包容性和平进程。",
	"成员国将继续打击毒品及其前体的非法贩运。",
	"成员国支持世界贸易组织改革，维护多边贸易体制。",
	"成员国愿深化能源合作，确保能源安全。",
	"成员国愿深化能源合作，确保能源安全。",
	"成员国总结抗击新冠肺炎疫情的经验，加强传染病防控合作。",
	"成员国欢迎扩大人文交流，支持举办上合组织电影节。",
	"成员国支持联合国在国际事务中的中心协调作用。",
	"成员国决定下次会议在杜尚别举行。",
}

// compareEdited is compareOriginal with paragraphs 4, 6 and 10 reworded,
// 2 and one of the duplicates 7 and 8 removed, and one added after 11.
var compareEdited = []string{
	compareOriginal[0],
	compareOriginal[2],
	"成员国认为，阿富汗问题的解决应基于政治对话，尽快组建有广泛代表性的包容性政府。", // 4 changed
	compareOriginal[4],
	"成员国支持世界贸易组织改革，维护开放、透明的多边贸易体制。", // 6 changed
	compareOriginal[6],
	compareOriginal[8],
	"成员国欢迎扩大人文交流，支持举办上合组织电影节和艺术节。", // 10 changed
	compareOriginal[10],
	"成员国欢迎宣布2021年为上合组织文化年。", // added
	compareOriginal[11],
}

func writeDoc(t *testing.T, dir, name, title string, paras []string) {
	t.Helper()
	text := "---\ntitle: " + title + "\ndate: 2020-11-10\n---\n\n" + strings.Join(paras, "\n\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func pairKey(p ParagraphPair) [3]any {
	n := func(x *int) int {
		if x == nil {
			return 0
		}
		return *x
	}
	return [3]any{n(p.A), n(p.B), p.Status}
}

// checkPairs checks what every alignment must be: each paragraph of both
// documents once, in reading order; same pairs of equal text, changed
// pairs similar enough, their diff giving back both texts.
func checkPairs(t *testing.T, c *Comparison) {
	t.Helper()
	na, nb := 0, 0
	for _, p := range c.Pairs {
		if p.A != nil {
			if *p.A != na+1 {
				t.Errorf("paragraph %d of A after %d", *p.A, na)
			}
			na = *p.A
		}
		if p.B != nil {
			if *p.B != nb+1 {
				t.Errorf("paragraph %d of B after %d", *p.B, nb)
			}
			nb = *p.B
		}
		switch p.Status {
		case PairSame:
			if zh.ExactKey(p.AText) != zh.ExactKey(p.BText) {
				t.Errorf("same pair %v differs", pairKey(p))
			}
		case PairChanged:
			var a, b strings.Builder
			for _, d := range p.Diff {
				if d.Op != DiffInsert {
					a.WriteString(d.Text)
				}
				if d.Op != DiffDelete {
					b.WriteString(d.Text)
				}
			}
			if a.String() != p.AText || b.String() != p.BText {
				t.Errorf("diff of %v gives %q / %q", pairKey(p), a.String(), b.String())
			}
			if p.Similarity < ChangedSimilarity || p.Similarity >= 1 {
				t.Errorf("changed pair %v has similarity %v", pairKey(p), p.Similarity)
			}
		}
	}
	if na != c.A.Paragraphs || nb != c.B.Paragraphs {
		t.Errorf("pairs hold %d and %d paragraphs, documents %d and %d", na, nb, c.A.Paragraphs, c.B.Paragraphs)
	}
	s := c.Summary
	if s.Same+s.Changed+s.Added+s.Removed != len(c.Pairs) {
		t.Errorf("summary %+v for %d pairs", s, len(c.Pairs))
	}
}

// TestCompareEdited: a document and an edited copy with exactly 3
// changed, 2 removed and 1 added paragraphs align as edited.
func TestCompareEdited(t *testing.T) {
	corpus, dir := t.TempDir(), t.TempDir()
	writeDoc(t, corpus, "2020-original.zh.txt", "原件", compareOriginal)
	writeDoc(t, corpus, "2021-edited.zh.txt", "修改稿", compareEdited)
	if _, err := index.Build(context.Background(), corpus, dir, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	e, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c, err := e.Compare(context.Background(), "2020-original", "2021-edited")
	if err != nil {
		t.Fatal(err)
	}
	checkPairs(t, c)
	if want := (CompareSummary{Same: 7, Changed: 3, Added: 1, Removed: 2}); c.Summary != want {
		t.Errorf("summary %+v, want %+v", c.Summary, want)
	}
	var got [][3]any
	for _, p := range c.Pairs {
		got = append(got, pairKey(p))
	}
	want := [][3]any{
		{1, 1, "same"}, {2, 0, "removed"}, {3, 2, "same"}, {4, 3, "changed"}, {5, 4, "same"}, {6, 5, "changed"},
		{7, 0, "removed"}, {8, 6, "same"}, {9, 7, "same"}, {10, 8, "changed"}, {11, 9, "same"}, {0, 10, "added"}, {12, 11, "same"},
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("pairs (-want +got):\n%s", diff)
	}
	// the diff of paragraph 10 inserts 和艺术节 and keeps the rest
	for _, p := range c.Pairs {
		if p.A != nil && *p.A == 10 {
			if diff := gocmp.Diff([]DiffOp{{DiffEqual, "成员国欢迎扩大人文交流，支持举办上合组织电影节"}, {DiffInsert, "和艺术节"}, {DiffEqual, "。"}}, p.Diff); diff != "" {
				t.Errorf("diff of paragraph 10 (-want +got):\n%s", diff)
			}
		}
	}
	// compared the other way, what was removed is added
	back, err := e.Compare(context.Background(), "2021-edited", "2020-original")
	if err != nil {
		t.Fatal(err)
	}
	if want := (CompareSummary{Same: 7, Changed: 3, Added: 2, Removed: 1}); back.Summary != want {
		t.Errorf("reverse summary %+v, want %+v", back.Summary, want)
	}
	for _, c := range [][2]string{{"nope", "2021-edited"}, {"2020-original", "nope"}} {
		if _, err := e.Compare(context.Background(), c[0], c[1]); !errors.Is(err, ErrNotFound) {
			t.Errorf("Compare(%q, %q): %v, want ErrNotFound", c[0], c[1], err)
		}
	}
}

// TestCompareSCO: the 2022 and 2023 declarations of the sco corpus align
// their common paragraphs: the Afghanistan paragraph (建立 → 组建) and the
// Belt and Road one (a clause added) are changed, not removed and added.
func TestCompareSCO(t *testing.T) {
	e := openSCOEngine(t)
	c, err := e.Compare(context.Background(), "2022-samarkand-declaration", "2023-new-delhi-declaration")
	if err != nil {
		t.Fatal(err)
	}
	checkPairs(t, c)
	found := map[string]bool{}
	for _, p := range c.Pairs {
		if p.Status != PairChanged {
			continue
		}
		var del, ins string
		for _, d := range p.Diff {
			switch d.Op {
			case DiffDelete:
				del += d.Text
			case DiffInsert:
				ins += d.Text
			}
		}
		switch {
		case strings.Contains(p.AText, "阿富汗"):
			// gse cuts 建立有 and 组建有 alike: the words around stay equal
			found["阿富汗"] = strings.Contains(del, "建立") && strings.Contains(ins, "组建") && len(del) <= len("建立有") && len(ins) <= len("组建有")
		case strings.Contains(p.AText, "一带一路"):
			found["一带一路"] = del == "" && ins == "中华人民共和国提出的"
		}
	}
	if !found["阿富汗"] || !found["一带一路"] {
		t.Errorf("changed pairs found: %v", found)
	}
	// the opening, Afghanistan, Belt and Road and next chair paragraphs
	// are the same paragraph reworded; the rest of the 2023 text is new
	if want := (CompareSummary{Changed: 4, Added: 11, Removed: 16}); c.Summary != want {
		t.Errorf("summary %+v, want %+v", c.Summary, want)
	}
	t.Logf("2022 vs 2023: %+v", c.Summary)
}

// TestSimilarElsewhere: a document's paragraphs list the similar
// paragraphs of other documents found at build time: the 2023
// Afghanistan paragraph lists 2022's, and every one listed is similar.
func TestSimilarElsewhere(t *testing.T) {
	e := openSCOEngine(t)
	d, err := e.DocumentPage(context.Background(), "2023-new-delhi-declaration", "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	found, any := false, 0
	for _, p := range d.Paragraphs {
		for _, s := range p.SimilarElsewhere {
			any++
			if s.Doc == d.ID || s.Similarity < index.SimilarThreshold || s.Title == "" || s.Date == "" {
				t.Errorf("%s lists %+v", p.ID, s)
			}
			if p.N == 6 && s.ID == "2022-samarkand-declaration-p6" && s.Paragraph == 6 {
				found = true
			}
		}
	}
	if !found || any == 0 {
		t.Errorf("paragraph 6 lists %+v", d.Paragraphs[5].SimilarElsewhere)
	}
}

// TestSimilarTableAsFile: the engine's compact table of similar
// paragraphs gives every document's paragraphs exactly the lists of the
// generation's similar.json (index.ReadSimilar), in its order.
func TestSimilarTableAsFile(t *testing.T) {
	e := openSCOEngine(t)
	ctx := context.Background()
	want, err := index.ReadSimilar(e.Generation())
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("the sco index has no similar paragraphs")
	}
	docs, err := e.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	listed := 0
	for _, di := range docs {
		d, err := e.DocumentPage(ctx, di.ID, "", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range d.Paragraphs {
			var got []index.Similar
			for _, s := range p.SimilarElsewhere {
				got = append(got, index.Similar{ID: s.ID, Similarity: s.Similarity})
			}
			if !slices.Equal(got, want[p.ID]) {
				t.Errorf("%s: %v, similar.json has %v", p.ID, got, want[p.ID])
			}
			listed += len(got)
		}
	}
	if listed == 0 {
		t.Error("no paragraph lists a similar one")
	}
}
