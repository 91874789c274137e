package corpus

import (
	"regexp"
	"strings"
)

var (
	infoEndRE     = regexp.MustCompile(`<!--\s*INFO END\s*-->`)
	commentRE     = regexp.MustCompile(`(?s)<!--.*?-->`)
	atxHeadingRE  = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	thematicRE    = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	fenceRE       = regexp.MustCompile("^ {0,3}(```|~~~)")
	listMarkerRE  = regexp.MustCompile(`^\s{0,3}(?:[-*+]|>)\s+`)
	imageRE       = regexp.MustCompile(`!\[([^\]\n]*)\]\([^)\n]*\)`)
	linkRE        = regexp.MustCompile(`\[([^\]\n]+)\]\([^)\n]*\)`)
	tableDelimRE  = regexp.MustCompile(`^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$`)
	maxListMarker = 8 // nested "> - " markers stripped from one line at most
)

// reconstructMarkdown rebuilds the paragraphs of a Markdown body shaped like
// the laws corpus and returns them with the title from its "# " headings and
// the info lines. See the package documentation for the rules.
func reconstructMarkdown(body string, tr *trace) (paras []Paragraph, title string, info []string) {
	var head string
	if loc := infoEndRE.FindStringIndex(body); loc != nil {
		head, body = body[:loc[0]], body[loc[1]:]
	}
	head = commentRE.ReplaceAllString(head, "\n")
	body = commentRE.ReplaceAllString(body, "\n")

	var titles []string
	addTitle := func(t string) {
		if t = cleanLine(t); t != "" {
			titles = append(titles, t)
			tr.drop(t)
		}
	}
	for _, line := range strings.Split(head, "\n") {
		if m := atxHeadingRE.FindStringSubmatch(line); m != nil {
			addTitle(m[2])
			continue
		}
		if l := cleanLine(line); l != "" && !thematicRE.MatchString(line) {
			info = append(info, l)
			tr.drop(l)
		}
	}

	var sec sectionPath
	var cur textBuilder
	curSection := ""
	flush := func() {
		if cur.Len() > 0 {
			paras = append(paras, Paragraph{N: len(paras) + 1, Section: curSection, Text: cur.String()})
		}
		cur.Reset()
	}
	add := func(text string) {
		if text = cleanLine(text); text == "" {
			return
		}
		if cur.Len() == 0 {
			curSection = sec.String()
		}
		cur.join(text)
	}
	inFence := false
	for _, line := range strings.Split(body, "\n") {
		if fenceRE.MatchString(line) {
			inFence = !inFence
			flush()
			continue
		}
		if inFence {
			add(line)
			continue
		}
		if m := atxHeadingRE.FindStringSubmatch(line); m != nil {
			flush()
			level, text := len(m[1]), cleanLine(m[2])
			switch {
			case text == "":
			case level == 1 && len(titles) == 0:
				addTitle(text)
			case level == 1 && len(titles) == 1 && len(paras) == 0:
				addTitle(text) // a subtitle: 中华人民共和国民法典 / 总则
			default:
				tr.section(text)
				sec.set(level, text)
			}
			continue
		}
		if strings.TrimSpace(line) == "" || thematicRE.MatchString(line) {
			flush()
			continue
		}
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "|") {
			// A table row is a paragraph of its own; the delimiter row is dropped.
			flush()
			if !tableDelimRE.MatchString(t) {
				add(tableRow(t))
				flush()
			}
			continue
		}
		add(inlineText(line))
	}
	flush()
	if len(titles) > 2 {
		titles = titles[:2]
	}
	return paras, strings.Join(titles, " "), info
}

// inlineText removes the Markdown markup of one line: list and quote
// markers, link and image syntax (keeping their text), strong emphasis.
func inlineText(line string) string {
	for i := 0; i < maxListMarker; i++ {
		loc := listMarkerRE.FindStringIndex(line)
		if loc == nil {
			break
		}
		line = line[loc[1]:]
	}
	if strings.Contains(line, "](") {
		line = imageRE.ReplaceAllString(line, "$1")
		line = linkRE.ReplaceAllString(line, "$1")
	}
	if !strings.ContainsAny(line, "*_`") {
		return line
	}
	return markupReplacer.Replace(line)
}

// markupReplacer removes strong emphasis and code spans.
var markupReplacer = strings.NewReplacer("**", "", "__", "", "`", "")

// tableRow turns "| a | b |" into "a | b".
func tableRow(row string) string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	row = strings.TrimSuffix(row, "|")
	cells := strings.Split(row, "|")
	out := cells[:0]
	for _, c := range cells {
		if c = strings.TrimSpace(inlineText(c)); c != "" {
			out = append(out, c)
		}
	}
	return strings.Join(out, " | ")
}
