package web_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/scosearch/scosearch/web"
)

// TestBrowserTrendsCompare: on a phone (390 px wide) the timeline's chart
// and table and the comparison's redline fit the width (nothing scrolls
// sideways), the chart is drawn with its bars coloured by style.css (the
// CSP allows no inline style), and the comparison is one column; on a
// desktop it is two.
func TestBrowserTrendsCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	ctx := newBrowser(t, 60*time.Second)
	ts := startServer(t, scoEngine(t), web.Options{})
	type state struct {
		Overflow       float64 // page width beyond the viewport
		Bars           int
		BarFill        string
		ChartW, TableW float64
		Columns        string // grid columns of a redline row
		Ins, Del       int
		ChartH, ViewW  float64
	}
	measure := chromedp.Evaluate[state](`(() => {
		const bar = document.querySelector(".chart-bar");
		const svg = document.querySelector(".chart svg");
		const table = document.querySelector(".trends-table");
		const row = document.querySelector(".redline-row.changed");
		return {
			Overflow: document.documentElement.scrollWidth - window.innerWidth,
			Bars: document.querySelectorAll(".chart-bar").length,
			BarFill: bar ? getComputedStyle(bar).fill : "",
			ChartW: svg ? svg.getBoundingClientRect().width : 0,
			ChartH: svg ? svg.getBoundingClientRect().height : 0,
			TableW: table ? table.getBoundingClientRect().width : 0,
			Columns: row ? getComputedStyle(row).gridTemplateColumns : "",
			Ins: document.querySelectorAll(".redline ins").length,
			Del: document.querySelectorAll(".redline del").length,
			ViewW: window.innerWidth,
		};
	})()`)
	for _, width := range []int64{390, 1280} {
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(ts.URL+"/trends?q="+url.QueryEscape(`"恐怖主义"`)),
			chromedp.WaitVisible(chromedp.CSS(".chart svg")),
		); err != nil {
			t.Fatal(err)
		}
		tr, err := chromedp.Run(ctx, measure)
		if err != nil {
			t.Fatal(err)
		}
		screenshots(t, ctx, "trends")
		if tr.Overflow > 0 || tr.Bars < 5 || tr.BarFill == "" || tr.BarFill == "rgb(0, 0, 0)" || tr.ChartW < 200 || tr.ChartH < 80 || tr.TableW > tr.ViewW {
			t.Errorf("width %d: trends page %+v", width, tr)
		}
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(ts.URL+"/compare?a=2022-samarkand-declaration&b=2023-new-delhi-declaration"),
			chromedp.WaitVisible(chromedp.CSS(".redline")),
		); err != nil {
			t.Fatal(err)
		}
		c, err := chromedp.Run(ctx, measure)
		if err != nil {
			t.Fatal(err)
		}
		screenshots(t, ctx, "compare")
		cols := len(splitColumns(c.Columns))
		if c.Overflow > 0 || c.Ins == 0 || c.Del == 0 || width == 390 && cols != 1 || width == 1280 && cols != 3 {
			t.Errorf("width %d: compare page %+v (%d columns)", width, c, cols)
		}
	}
}

// splitColumns splits a computed grid-template-columns ("64px 500px 500px").
func splitColumns(s string) []string {
	var out []string
	start := -1
	for i, r := range s + " " {
		if r == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}
