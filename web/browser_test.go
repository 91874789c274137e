package web_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/scosearch/scosearch/web"
)

// chromiumPath finds Debian's Chromium: /usr/bin/chromium, else chromium
// on PATH; "" if there is none.
func chromiumPath() string {
	if fi, err := os.Stat("/usr/bin/chromium"); err == nil && !fi.IsDir() {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// newBrowser starts a headless Chromium for the test, bounded by timeout.
func newBrowser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("Chromium not found at /usr/bin/chromium or as chromium on PATH: install it (apt-get install chromium) to run the browser test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(cancelCtx)
	// The first action starts the browser; its life is bound to this context.
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelTimeout)
	return ctx
}

// TestBrowserSearchToParagraph types a query, sees highlighted results
// appear without a page load, follows a result to the document and lands
// on the highlighted paragraph; then copies its citation.
func TestBrowserSearchToParagraph(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	ctx := newBrowser(t, 60*time.Second)
	ts := startServer(t, bundledEngine(t), web.Options{BaseURL: "https://sco.example.org"})
	u, err := url.Parse(ts.URL)
	if err != nil {
		t.Fatal(err)
	}

	// The search box has the focus on arrival.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("q")),
	); err != nil {
		t.Fatal(err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement && document.activeElement.id`))
	if err != nil {
		t.Fatal(err)
	}
	if focused != "q" {
		t.Errorf("focused element %q, want the search box", focused)
	}

	// Typing updates the results in place (no navigation: a marker set on
	// window survives) and highlights the matches.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.__samePage = true`),
		chromedp.SendKeys(chromedp.ID("q"), "阿富汗"),
		chromedp.WaitVisible(chromedp.CSS("#results .hit mark")),
	); err != nil {
		t.Fatal(err)
	}
	type resultsState struct {
		SamePage bool     `json:"samePage"`
		Marks    []string `json:"marks"`
		Hits     int      `json:"hits"`
		Path     string   `json:"path"`
		Query    string   `json:"query"`
		Focused  string   `json:"focused"`
	}
	st, err := chromedp.Run(ctx, chromedp.Evaluate[resultsState](`({
		samePage: window.__samePage === true,
		marks: Array.from(document.querySelectorAll("#results .hit mark"), m => m.textContent),
		hits: document.querySelectorAll("#results .hit").length,
		path: location.pathname,
		query: new URLSearchParams(location.search).get("q"),
		focused: document.activeElement && document.activeElement.id,
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if !st.SamePage || st.Hits != 2 || len(st.Marks) == 0 || st.Path != "/search" || st.Query != "阿富汗" || st.Focused != "q" {
		t.Errorf("after typing: %+v; want the same page, 2 hits with marks, URL /search?q=阿富汗, focus kept", st)
	}
	for _, m := range st.Marks {
		if m != "阿富汗" {
			t.Errorf("highlighted %q, want 阿富汗", m)
		}
	}
	screenshots(t, ctx, "results")

	// Follow the first result to its paragraph in the document.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#results .hit-title a").getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	_, frag, _ := strings.Cut(href, "#")
	if !strings.HasPrefix(frag, "p") {
		t.Fatalf("result link %q has no #pN fragment", href)
	}
	// The suggestions for 阿富汗 cover the first result: Escape closes them
	// (once they have come, else it would clear the search box).
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#q-suggest [role=option]")),
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotVisible(chromedp.ID("q-suggest")),
		chromedp.Click(chromedp.CSS("#results .hit-title a")),
		chromedp.WaitVisible(chromedp.CSS(".para:target mark")),
	); err != nil {
		t.Fatal(err)
	}
	type docState struct {
		URL        string   `json:"url"`
		Target     string   `json:"target"`
		Marks      []string `json:"marks"`
		TargetBG   string   `json:"targetBG"`
		OtherBG    string   `json:"otherBG"`
		CiteHidden bool     `json:"citeHidden"`
	}
	ds, err := chromedp.Run(ctx, chromedp.Evaluate[docState](`(() => {
		const target = document.querySelector(":target");
		const other = document.querySelector(".para:not(:target)");
		return {
			url: location.href,
			target: target ? target.id : "",
			marks: target ? Array.from(target.querySelectorAll("mark"), m => m.textContent) : [],
			targetBG: target ? getComputedStyle(target).backgroundColor : "",
			otherBG: other ? getComputedStyle(other).backgroundColor : "",
			citeHidden: target ? target.querySelector("button.cite").hidden : true,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	wantURL := ts.URL + "/docs/2019-bishkek-declaration?q=" + url.QueryEscape("阿富汗") + "#" + frag
	if ds.URL != wantURL {
		t.Errorf("URL = %q, want %q", ds.URL, wantURL)
	}
	if ds.Target != frag || len(ds.Marks) == 0 {
		t.Errorf("target paragraph %q with marks %q; want %q with 阿富汗 highlighted", ds.Target, ds.Marks, frag)
	}
	if ds.TargetBG == ds.OtherBG {
		t.Errorf("the target paragraph looks like the others (background %s)", ds.TargetBG)
	}
	if ds.CiteHidden {
		t.Error("the copy button stays hidden with JavaScript on")
	}
	screenshots(t, ctx, "document")

	// Copy the citation of the target paragraph.
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "clipboard-write", AllowWithoutSanitization: true},
		Setting:    browser.PermissionSettingGranted,
		Origin:     u.Scheme + "://" + u.Host,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "clipboard-read"},
		Setting:    browser.PermissionSettingGranted,
		Origin:     u.Scheme + "://" + u.Host,
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".para:target button.cite")),
		chromedp.WaitVisible(chromedp.CSS(".para:target button.cite.done")),
	); err != nil {
		t.Fatal(err)
	}
	copied, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	n := strings.TrimPrefix(frag, "p")
	wantCite := "《上海合作组织成员国元首理事会比什凯克宣言》（2019年6月14日，比什凯克），第" + n + "段。https://sco.example.org/docs/2019-bishkek-declaration#" + frag
	if copied != wantCite {
		t.Errorf("copied %q, want %q", copied, wantCite)
	}
}

// screenshots saves the page at phone and desktop widths into the
// directory named by SCOSEARCH_SCREENSHOTS, if set (a development aid).
func screenshots(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SCOSEARCH_SCREENSHOTS")
	if dir == "" {
		return
	}
	for _, width := range []int64{390, 1280} {
		if err := chromedp.Do(ctx,
			chromedp.EmulateViewport(width, 900),
			// a new width reflows the page: bring the target back into view
			chromedp.Evaluate[chromedp.Void](`document.querySelector(":target") && document.querySelector(":target").scrollIntoView()`),
		); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, name+"-"+map[int64]string{390: "phone", 1280: "desktop"}[width]+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserSuggest: typing in the search box opens a listbox of
// suggestions (a WAI-ARIA combobox); ArrowDown and Enter pick one and land
// on its results; Escape closes the list; a click picks too.
func TestBrowserSuggest(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	ctx := newBrowser(t, 60*time.Second)
	ts := startServer(t, bundledEngine(t), web.Options{})

	type comboState struct {
		Role       string   `json:"role"`
		Expanded   string   `json:"expanded"`
		Controls   string   `json:"controls"`
		ListRole   string   `json:"listRole"`
		ListHidden bool     `json:"listHidden"`
		Options    []string `json:"options"`
		Active     string   `json:"active"`
		Selected   []string `json:"selected"`
		Focused    string   `json:"focused"`
	}
	state := func() comboState {
		t.Helper()
		st, err := chromedp.Run(ctx, chromedp.Evaluate[comboState](`(() => {
			const q = document.getElementById("q");
			const lb = document.getElementById(q.getAttribute("aria-controls") || "q-suggest");
			const act = q.getAttribute("aria-activedescendant");
			return {
				role: q.getAttribute("role") || "",
				expanded: q.getAttribute("aria-expanded") || "",
				controls: q.getAttribute("aria-controls") || "",
				listRole: lb ? lb.getAttribute("role") : "",
				listHidden: !lb || lb.hidden || lb.offsetParent === null,
				options: lb ? Array.from(lb.querySelectorAll("[role=option] .text"), o => o.textContent) : [],
				active: act && document.getElementById(act) ? document.getElementById(act).querySelector(".text").textContent : "",
				selected: lb ? Array.from(lb.querySelectorAll("[role=option][aria-selected=true] .text"), o => o.textContent) : [],
				focused: document.activeElement && document.activeElement.id,
			};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	typeAndWait := func(text string) {
		t.Helper()
		if err := chromedp.Do(ctx,
			chromedp.Navigate(ts.URL+"/"),
			chromedp.WaitVisible(chromedp.ID("q")),
			chromedp.SendKeys(chromedp.ID("q"), text),
			// the options of the whole text, not of its first characters
			// (typed one by one, each may have fetched its own list)
			chromedp.WaitVisible(chromedp.CSS(`#q-suggest[data-for="`+text+`"] [role=option]`)),
		); err != nil {
			t.Fatal(err)
		}
	}
	landedOn := func(want string) {
		t.Helper()
		// the page of the search, loaded (not the page typed on, whose
		// live results may be showing while the form's page loads)
		landed := `new URLSearchParams(location.search).get("q") === ` + strconv.Quote(want) + ` && document.readyState === "complete"`
		for try := 0; ; try++ { // a navigation interrupts an evaluation: ask again
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](landed))
			if err == nil && ok {
				break
			}
			if try == 400 {
				t.Fatalf("never landed on the results of %q (20 s): %v", want, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#results .hit"))); err != nil {
			t.Fatal(err)
		}
		type page struct {
			Path  string `json:"path"`
			Query string `json:"query"`
			Box   string `json:"box"`
			Hits  int    `json:"hits"`
		}
		p, err := chromedp.Run(ctx, chromedp.Evaluate[page](`({
			path: location.pathname,
			query: new URLSearchParams(location.search).get("q"),
			box: document.getElementById("q").value,
			hits: document.querySelectorAll("#results .hit").length,
		})`))
		if err != nil {
			t.Fatal(err)
		}
		if p.Path != "/search" || p.Query != want || p.Box != want || p.Hits == 0 {
			t.Errorf("landed on %+v, want the results of %q", p, want)
		}
	}

	// Before typing: a closed combobox.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("q"))); err != nil {
		t.Fatal(err)
	}
	if st := state(); st.Role != "combobox" || st.Expanded != "false" || st.Controls != "q-suggest" || st.ListRole != "listbox" || !st.ListHidden {
		t.Errorf("before typing: %+v; want a collapsed combobox controlling the listbox q-suggest", st)
	}

	// Typing opens the list, 上合组织 first.
	typeAndWait("上合")
	st := state()
	if st.Expanded != "true" || st.ListHidden || len(st.Options) == 0 || st.Options[0] != "上合组织" || st.Active != "" || st.Focused != "q" {
		t.Errorf("after typing 上合: %+v; want the list open with 上合组织 first, none active, focus in the box", st)
	}
	screenshots(t, ctx, "suggest")

	// ArrowDown makes the first option active; ArrowDown, ArrowUp move.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	if st := state(); st.Active != "上合组织" || !slices.Equal(st.Selected, []string{"上合组织"}) || st.Focused != "q" {
		t.Errorf("after ArrowDown: %+v; want 上合组织 active and selected, focus in the box", st)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowUp)); err != nil {
		t.Fatal(err)
	}
	if st := state(); st.Active != "上合组织" {
		t.Errorf("after ArrowDown ArrowUp: active %q, want 上合组织", st.Active)
	}
	// Enter picks it and searches.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	landedOn("上合组织")

	// Escape closes the list and keeps the text.
	typeAndWait("上合")
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	st = state()
	box, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("q").value`))
	if err != nil {
		t.Fatal(err)
	}
	if st.Expanded != "false" || !st.ListHidden || st.Active != "" || box != "上合" {
		t.Errorf("after Escape: %+v, box %q; want the list closed and 上合 kept", st, box)
	}

	// A click on an option picks it.
	typeAndWait("上合")
	second := state().Options
	if len(second) < 2 {
		t.Fatalf("options %q, want at least 2", second)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#q-suggest [role=option]:nth-child(2)"))); err != nil {
		t.Fatal(err)
	}
	landedOn(second[1])
}
