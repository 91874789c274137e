package align

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/scosearch/scosearch/index/corpus"
)

// The texts: the bundled Chinese declaration (76 paragraphs) and our own
// Russian and English translations of its first twelve paragraphs
// (testdata/parallel). The Russian splits paragraph 3 in two and leaves
// out paragraph 6; the English opens with a translator's note that has
// no counterpart and merges paragraphs 7 and 8.
var texts = map[string]string{
	"zh": "../../testdata/corpus/2019-bishkek-declaration.zh.txt",
	"ru": "../../testdata/parallel/2019-bishkek-declaration.ru.txt",
	"en": "../../testdata/parallel/2019-bishkek-declaration.en.txt",
}

// paragraphs reads a text of texts as the index would.
func paragraphs(t testing.TB, lang string) []string {
	t.Helper()
	data, err := os.ReadFile(texts[lang])
	if err != nil {
		t.Fatal(err)
	}
	d, err := corpus.Parse(filepath.Base(texts[lang]), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(d.Paragraphs))
	for i, p := range d.Paragraphs {
		out[i] = p.Text
	}
	return out
}

// TestAlignGolden aligns the translations with each other and with the
// original, both ways round, against alignments made by hand (the
// golden files, written from what the translations did, not from the
// program's output).
func TestAlignGolden(t *testing.T) {
	for _, tc := range []struct{ a, b string }{{"zh", "ru"}, {"zh", "en"}, {"ru", "en"}} {
		data, err := os.ReadFile(filepath.Join("testdata", tc.a+"-"+tc.b+".golden.json"))
		if err != nil {
			t.Fatal(err)
		}
		var want []Pair
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		a, b := paragraphs(t, tc.a), paragraphs(t, tc.b)
		t.Run(tc.a+"-"+tc.b, func(t *testing.T) {
			if diff := cmp.Diff(want, Align(a, b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
		t.Run(tc.b+"-"+tc.a, func(t *testing.T) {
			if diff := cmp.Diff(swap(want), Align(b, a)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func swap(ps []Pair) []Pair {
	out := make([]Pair, len(ps))
	for i, p := range ps {
		out[i] = Pair{A: p.B, B: p.A}
	}
	return out
}

func TestAlignSmall(t *testing.T) {
	one := func(a, b []int) Pair { return Pair{A: a, B: b} }
	n := func(xs ...int) []int {
		if xs == nil {
			return []int{}
		}
		return xs
	}
	tests := []struct {
		name string
		a, b []string
		want []Pair
	}{
		{"both empty", nil, nil, []Pair{}},
		{"b empty", []string{"甲", "乙"}, nil, []Pair{one(n(1), n()), one(n(2), n())}},
		{"a empty", nil, []string{"x"}, []Pair{one(n(), n(1))}},
		{"same text", []string{"成员国强调合作。", "2019年6月14日。", "上合组织"}, []string{"成员国强调合作。", "2019年6月14日。", "上合组织"},
			[]Pair{one(n(1), n(1)), one(n(2), n(2)), one(n(3), n(3))}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Align(tc.a, tc.b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestAlignCovers checks on random lists that every paragraph of each
// side is in exactly one pair, in order, and no pair is empty.
func TestAlignCovers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"合作", "2019年", "SCO", "成员国", "14", "и", "сотрудничество", "", "июня"}
	para := func() string {
		var sb strings.Builder
		for range r.IntN(12) {
			sb.WriteString(words[r.IntN(len(words))])
			sb.WriteByte(' ')
		}
		return sb.String()
	}
	for trial := range 200 {
		a, b := make([]string, r.IntN(15)), make([]string, r.IntN(15))
		for i := range a {
			a[i] = para()
		}
		for i := range b {
			b[i] = para()
		}
		pairs := Align(a, b)
		na, nb := 0, 0
		for _, p := range pairs {
			if len(p.A) == 0 && len(p.B) == 0 || p.A == nil || p.B == nil || len(p.A) > 2 || len(p.B) > 2 {
				t.Fatalf("trial %d: bad pair %+v", trial, p)
			}
			for _, x := range p.A {
				if na++; x != na {
					t.Fatalf("trial %d: A paragraph %d out of order in %v", trial, x, pairs)
				}
			}
			for _, y := range p.B {
				if nb++; y != nb {
					t.Fatalf("trial %d: B paragraph %d out of order in %v", trial, y, pairs)
				}
			}
		}
		if na != len(a) || nb != len(b) {
			t.Fatalf("trial %d: covered %d of %d and %d of %d", trial, na, len(a), nb, len(b))
		}
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"成员国领导人于2019年6月14日在比什凯克举行会议", []string{"2019", "6", "14"}},
		{"провели 14 июня 2019 года в Бишкеке", []string{"14", "6", "2019"}},
		{"in Bishkek on 14 June 2019", []string{"BISHKEK", "14", "6", "2019"}},
		{"ШОС и SCO, COVID-19, ２０１９年０６月", []string{"SCO", "COVID", "19", "2019", "6"}},
		{"You may march in May 2019; the March report", []string{"YOU", "5", "2019", "MARCH"}},
		{"в марте и 1 мая, а также мая", []string{"1", "5"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, tokens(tc.in)); diff != "" {
			t.Errorf("tokens(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func BenchmarkAlign(b *testing.B) {
	zh, ru, en := paragraphs(b, "zh"), paragraphs(b, "ru"), paragraphs(b, "en")
	for _, bc := range []struct {
		name string
		a, b []string
	}{
		{"zh76-ru12", zh, ru},
		{"zh76-en12", zh, en},
		{"zh76-zh76", zh, zh},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				Align(bc.a, bc.b)
			}
		})
	}
	// A long pair: the declaration repeated to 760 paragraphs each way.
	var long []string
	for range 10 {
		long = append(long, zh...)
	}
	b.Run(fmt.Sprintf("zh%d-zh%d", len(long), len(long)), func(b *testing.B) {
		for b.Loop() {
			Align(long, long)
		}
	})
}

// TestAnchorsMatter aligns the Russian and English translations by their
// lengths alone: the English paragraph the Russian leaves out (7, the
// candidacies) is then taken for a translation of Russian 7 and 8, and
// English 8 left alone. The date both hold (27 ноября 2018 года, 27
// November 2018) puts it right (TestAlignGolden).
func TestAnchorsMatter(t *testing.T) {
	ru, en := paragraphs(t, "ru"), paragraphs(t, "en")
	got := align(ru, en, 0)
	want := []Pair{{A: []int{7, 8}, B: []int{7}}, {A: []int{}, B: []int{8}}}
	if !slices.ContainsFunc(got, func(p Pair) bool { return cmp.Equal(p, want[0]) }) ||
		!slices.ContainsFunc(got, func(p Pair) bool { return cmp.Equal(p, want[1]) }) {
		t.Errorf("by lengths alone: %v, want it to hold %v (else this test shows nothing)", got, want)
	}
	if anchors := tokens(ru[6]); !slices.Contains(anchors, "27") || !slices.Contains(anchors, "11") {
		t.Errorf("anchors of Russian 7: %v", anchors)
	}
}

// TestLengthCost: the interpolated table is within 0.1% of the exact
// tail probability's negative logarithm, and continuous at the asymptote.
func TestLengthCost(t *testing.T) {
	for d := 0.0; d < 12; d += 0.0137 {
		exact := -math.Log(math.Erfc(d / math.Sqrt2))
		// x and y with |y-x| / sqrt(variance·mean) = d
		mean := 100.0
		diff := d * math.Sqrt(variance*mean)
		got := lengthCost(mean-diff/2, mean+diff/2)
		if math.Abs(got-exact) > 0.001*exact+1e-4 && d < tailFrom || math.Abs(got-exact) > 0.02*exact {
			t.Errorf("d %.3f: %g, want %g", d, got, exact)
		}
	}
}
