package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scosearch/scosearch/web"
)

// TestBrowserParallel: the parallel view is two columns on a desktop and
// one on a phone (390 px: nothing scrolls sideways), and a link from a
// search hit (…#r3) lands on its row, highlighted, below the sticky
// header.
func TestBrowserParallel(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	ctx := newBrowser(t, 60*time.Second)
	ts := startServer(t, parallelEngine(t), web.Options{})
	type state struct {
		Overflow   float64
		Columns    string // grid columns of a row
		Stacked    bool   // the B cell of row 3 is below its A cell
		Target     string // id of the :target row
		TargetBG   string
		TargetTop  float64 // of the target row, in the viewport
		HeaderBot  float64 // the bottom of the sticky site header
		ViewHeight float64
	}
	measure := chromedp.Evaluate[state](`(() => {
		const row = document.getElementById("r3");
		const [a, b] = row.querySelectorAll(".par-cell");
		const t = document.querySelector(":target");
		return {
			Overflow: document.documentElement.scrollWidth - window.innerWidth,
			Columns: getComputedStyle(row).gridTemplateColumns,
			Stacked: b.getBoundingClientRect().top >= a.getBoundingClientRect().bottom,
			Target: t ? t.id : "",
			TargetBG: t ? getComputedStyle(t).backgroundColor : "",
			TargetTop: t ? t.getBoundingClientRect().top : -1,
			HeaderBot: document.querySelector("header.site").getBoundingClientRect().bottom,
			ViewHeight: window.innerHeight,
		};
	})()`)
	for _, width := range []int64{390, 1280} {
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(ts.URL+"/docs/2019-bishkek-declaration/parallel/2019-bishkek-declaration.ru#r3"),
			chromedp.WaitVisible(chromedp.CSS("#r3")),
		); err != nil {
			t.Fatal(err)
		}
		s, err := chromedp.Run(ctx, measure)
		if err != nil {
			t.Fatal(err)
		}
		screenshots(t, ctx, "parallel")
		cols := len(splitColumns(s.Columns))
		if s.Overflow > 0 || s.Target != "r3" || s.TargetBG == "rgba(0, 0, 0, 0)" || s.TargetTop < s.HeaderBot || s.TargetTop > s.ViewHeight ||
			width == 390 && (cols != 1 || !s.Stacked) || width == 1280 && (cols != 2 || s.Stacked) {
			t.Errorf("width %d: %+v (%d columns)", width, s, cols)
		}
	}
}
