package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/scosearch/scosearch/web"
)

// TestBrowserResultsCitation: on the results page, typed in the search
// box (the results replaced in place), every hit shows its "复制引用"
// button without hovering; a click copies the quoted paragraph and its
// GB/T 7714 reference with the configured base URL; the facet counts
// stay on one line beside long document titles.
func TestBrowserResultsCitation(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	ctx := newBrowser(t, 60*time.Second)
	// The bundled corpus: one document with a long title, counts of two digits.
	ts := startServer(t, bundledEngine(t), web.Options{BaseURL: "https://sco.example.org"})
	u, err := url.Parse(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, perm := range []string{"clipboard-write", "clipboard-read"} {
		if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: perm, AllowWithoutSanitization: true},
			Setting:    browser.PermissionSettingGranted,
			Origin:     u.Scheme + "://" + u.Host,
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "合作"),
		chromedp.WaitVisible(chromedp.CSS("#results .hit button.cite")),
	); err != nil {
		t.Fatal(err)
	}
	type state struct {
		Hits, Visible int
		Opacity       []string
		FacetLines    []float64
		FacetStyle    []string
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
		const hits = document.querySelectorAll("#results .hit");
		const buttons = Array.from(document.querySelectorAll("#results .hit > .hit-cite > button.cite"));
		return {
			Hits: hits.length,
			Visible: buttons.filter(b => !b.hidden && b.offsetWidth > 0).length,
			Opacity: buttons.map(b => getComputedStyle(b).opacity),
			// height of each count in lines of its own text
			FacetLines: Array.from(document.querySelectorAll(".facet .n"), n => n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight)),
			// what keeps a count whole however narrow the column gets
			FacetStyle: Array.from(document.querySelectorAll(".facet .n"), n => getComputedStyle(n).whiteSpace + " " + getComputedStyle(n).flexShrink),
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if st.Hits == 0 || st.Visible != st.Hits {
		t.Errorf("%d hits, %d visible citation buttons", st.Hits, st.Visible)
	}
	for _, o := range st.Opacity {
		if o != "1" {
			t.Errorf("citation button opacity %s without hovering", o)
		}
	}
	if len(st.FacetLines) == 0 {
		t.Error("no facet counts")
	}
	for i, st := range st.FacetStyle {
		if st != "nowrap 0" {
			t.Errorf("facet count %d: white-space and flex-shrink %q, want nowrap 0", i, st)
		}
	}
	for i, l := range st.FacetLines {
		if l > 1.2 {
			t.Errorf("facet count %d takes %.1f lines", i, l)
		}
	}

	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#results .hit > .hit-cite > button.cite")),
		chromedp.WaitVisible(chromedp.CSS("#results .hit button.cite.done")),
	); err != nil {
		t.Fatal(err)
	}
	copied, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#results .hit .cite-text").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	quote, ref, _ := strings.Cut(copied, "\n")
	if copied != first || !strings.HasPrefix(quote, "“") || !strings.Contains(quote, "合作") ||
		!strings.Contains(ref, "[EB/OL]") || !strings.Contains(ref, "https://sco.example.org/docs/") || strings.Contains(copied, u.Host) {
		t.Errorf("copied %q; the page shows %q", copied, first)
	}
}
