package bench

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/scosearch/scosearch/search"
)

// floodChars are 64 frequent characters: the attack that joined them with
// OR pinned the server (6 CPU-s, RSS 0.35 -> 1.3 GB, past the timeout).
const floodChars = "的一是不了人在有我他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事"

// chars measures one-character queries and a flood of them, in process with
// the engine's caches off, beside a scan of the paragraphs for the same
// characters: wall and CPU time, totals, and the growth of the peak RSS.
func (b *bencher) chars(ctx context.Context) error {
	if err := b.ensureFullIndex(ctx); err != nil {
		return err
	}
	w := b.w
	e, err := search.Open(b.fullIndex, search.WithoutCache())
	if err != nil {
		return err
	}
	defer e.Close()
	s := newScanner(b.docs)
	fmt.Fprintf(w, "\n## One-character queries (caches off, in process)\n\nLoad average before: %s.\n\n", loadAvg())
	fmt.Fprintf(w, "| query | hits | scan hits | median of 5, ms | CPU per query, ms | scan, ms |\n|---|---:|---:|---:|---:|---:|\n")
	for _, c := range []string{"的", "法", "国", "人", "条", "乔", "0"} {
		var ds []time.Duration
		var total uint64
		cpu0 := cpuTime()
		for range 5 {
			t0 := time.Now()
			res, err := e.Search(ctx, search.Request{Query: c})
			if err != nil {
				return fmt.Errorf("search %q: %w", c, err)
			}
			ds = append(ds, time.Since(t0))
			total = res.Total
		}
		cpu := (cpuTime() - cpu0) / 5
		t0 := time.Now()
		n := s.scan(benchQuery{Q: c, Keys: []string{c}})
		scan := time.Since(t0)
		fmt.Fprintf(w, "| `%s` | %d | %d | %s | %s | %s |\n", c, total, n, ms(median(ds)), ms(cpu), ms(scan))
	}

	var parts []string
	for _, r := range []rune(floodChars)[:64] {
		parts = append(parts, string(r))
	}
	flood := strings.Join(parts, " OR ")
	runtime.GC()
	rss0 := procStatusBytes("self", "VmHWM")
	cpu0 := cpuTime()
	t0 := time.Now()
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second) // the server's search timeout
	res, err := e.Search(fctx, search.Request{Query: flood})
	cancel()
	took, cpu := time.Since(t0), cpuTime()-cpu0
	outcome := "answered"
	var total uint64
	if err != nil {
		outcome = "refused: " + err.Error()
	} else {
		total = res.Total
	}
	fmt.Fprintf(w, "\n64 one-character words joined by OR: %s in %s ms (CPU %s ms), %d hits; peak RSS %.0f -> %.0f MB (+%.0f MB). Goals: < 2 s, < 100 MB growth.\n",
		outcome, ms(took), ms(cpu), total, mb(rss0), mb(procStatusBytes("self", "VmHWM")), mb(procStatusBytes("self", "VmHWM")-rss0))
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
