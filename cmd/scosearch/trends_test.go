package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRunTrends(t *testing.T) {
	dir := searchCmdIndex(t)
	code, out, errOut := runCmd("trends", "--index", dir, "阿富汗", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Query string `json:"query"`
		Total int    `json:"total"`
		Years []struct {
			Year       string `json:"year"`
			Paragraphs int    `json:"paragraphs"`
		} `json:"years"`
		First struct {
			Doc       string `json:"doc"`
			Paragraph int    `json:"paragraph"`
		} `json:"first"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	sum := 0
	for _, y := range got.Years {
		sum += y.Paragraphs
	}
	if got.Query != "阿富汗" || got.Total == 0 || sum != got.Total || got.First.Doc == "" || got.First.Paragraph < 1 {
		t.Errorf("answer %+v", got)
	}
	code, out, _ = runCmd("trends", "--index", dir, "阿富汗")
	if code != exitOK || !strings.Contains(out, "阿富汗: ") || !strings.Contains(out, "first: ") || !strings.Contains(out, "#") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	for _, args := range [][]string{{"trends", "--index", dir, `"阿富汗`}, {"trends", "--index", dir}} {
		if code, _, errOut := runCmd(args...); code != exitUsage || !strings.HasPrefix(errOut, "scosearch trends: ") {
			t.Errorf("%q: exit %d, %s; want %d", args, code, errOut, exitUsage)
		}
	}
}
