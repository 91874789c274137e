package corpus

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// meta is the explicit metadata of a document, from front matter or sidecar.
// An empty field is not given.
type meta struct {
	Title, Date, Place, Lang, ID string
	// TranslationOf is the id of the document this one translates
	// (translation_of: X), linking files whose names do not say so.
	TranslationOf string
}

// merge returns m with the non-empty fields of over replacing its own.
func (m meta) merge(over meta) meta {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&m.Title, over.Title}, {&m.Date, over.Date}, {&m.Place, over.Place},
		{&m.Lang, over.Lang}, {&m.ID, over.ID}, {&m.TranslationOf, over.TranslationOf},
	} {
		if f.src != "" {
			*f.dst = f.src
		}
	}
	return m
}

// maxFrontMatterLines bounds the search for the closing "---" of front matter.
const maxFrontMatterLines = 200

// splitFrontMatter returns the key: value lines of front matter at the top of
// text and the rest of the text. Front matter is a first line "---", then
// lines, then a line "---" (or "...") within maxFrontMatterLines lines;
// without the closing line there is no front matter. The number of lines
// consumed is returned so line numbers can be reported.
func splitFrontMatter(text string) (fm []string, body string) {
	first, rest, ok := strings.Cut(text, "\n")
	if !ok || strings.TrimRight(first, " \t") != "---" {
		return nil, text
	}
	var lines []string
	for i := 0; i < maxFrontMatterLines && rest != ""; i++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if t := strings.TrimRight(line, " \t"); t == "---" || t == "..." {
			return lines, rest
		}
		lines = append(lines, line)
	}
	return nil, text
}

// parseMeta reads key: value lines (front matter or a sidecar). Keys are
// case-insensitive; title, date, place, lang, id and translation_of are used, other keys are
// ignored, as are blank lines, lines starting with "#", "---" lines and lines
// without a colon. Values may be quoted with "" or ”. Values are validated:
// a bad date, language or id is an ErrMetadata error naming the line.
func parseMeta(lines []string, where string) (meta, error) {
	var m meta
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || line == "---" || line == "..." {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = unquote(strings.TrimSpace(value))
		bad := func(want string) error {
			return fmt.Errorf("%w: %s line %d: %s %q: want %s", ErrMetadata, where, i+1, key, value, want)
		}
		switch key {
		case "title":
			m.Title = cleanLine(value)
		case "place":
			m.Place = cleanLine(value)
		case "date":
			if value == "" {
				continue
			}
			d, ok := parseExplicitDate(value)
			if !ok {
				return meta{}, bad("YYYY-MM-DD or YYYY年M月D日")
			}
			m.Date = d
		case "lang", "language":
			if value == "" {
				continue
			}
			if !langRE.MatchString(value) {
				return meta{}, bad(`a language code such as "zh", "ru", "en"`)
			}
			m.Lang = strings.ToLower(value)
		case "id":
			if value == "" {
				continue
			}
			if !validID(value) {
				return meta{}, bad(`a path-like id such as "2019-bishkek-declaration" (no leading or trailing "/", no "." or ".." segments, no control characters)`)
			}
			m.ID = value
		case "translation_of", "translation-of":
			if value == "" {
				continue
			}
			if !validID(value) {
				return meta{}, bad(`the id of the document translated, such as "2019-bishkek-declaration"`)
			}
			m.TranslationOf = value
		}
	}
	return m, nil
}

var langRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		if v[0] == '"' {
			if u, err := strconv.Unquote(v); err == nil {
				return u
			}
		}
		return v[1 : len(v)-1]
	}
	return v
}

// validID reports whether id can serve as a document id.
func validID(id string) bool {
	if id == "" || !utf8.ValidString(id) || strings.TrimSpace(id) != id ||
		strings.HasPrefix(id, "/") || strings.HasSuffix(id, "/") {
		return false
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return false
		}
	}
	for _, seg := range strings.Split(id, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// parseExplicitDate accepts "2019-06-14" (optionally followed by a time, as
// in Hugo front matter "2019-06-14T10:00:00+06:00") or a Chinese date.
func parseExplicitDate(v string) (string, bool) {
	if m := isoDateRE.FindStringSubmatch(v); m != nil && (len(v) == 10 || v[10] == 'T' || v[10] == ' ') {
		return isoDate(m[1], m[2], m[3])
	}
	if d := firstChineseDate(v); d != "" {
		return d, true
	}
	return "", false
}

var isoDateRE = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})`)

// fileDateRE finds a date in a file name.
var fileDateRE = regexp.MustCompile(`(?:^|[^0-9])(\d{4})-(\d{2})-(\d{2})(?:[^0-9]|$)`)

// chineseDateRE matches 2019年6月14日, ２０１９年６月１４日 and 二〇一九年六月十四日.
var chineseDateRE = regexp.MustCompile(`([0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日`)

// firstChineseDate returns the first valid Chinese date in s as ISO, or "".
func firstChineseDate(s string) string {
	if !strings.Contains(s, "年") {
		return ""
	}
	for _, m := range chineseDateRE.FindAllStringSubmatch(s, 20) {
		if d, ok := isoDate(m[1], m[2], m[3]); ok {
			return d
		}
	}
	return ""
}

// isoDate builds "YYYY-MM-DD" from year, month and day written with ASCII,
// full-width or Chinese digits, and checks that the date exists.
func isoDate(y, m, d string) (string, bool) {
	yi, mi, di := cnNumber(y), cnNumber(m), cnNumber(d)
	if yi < 1000 || yi > 9999 || mi < 1 || mi > 12 || di < 1 || di > 31 {
		return "", false
	}
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Day() != di {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// cnNumber reads a small number written with ASCII or full-width digits,
// digit-by-digit Chinese numerals (二〇一九) or Chinese tens (十四, 二十, 三十一).
// It returns -1 when s is not such a number.
func cnNumber(s string) int {
	digits := map[rune]int{'〇': 0, '○': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	if strings.ContainsRune(s, '十') {
		before, after, _ := strings.Cut(s, "十")
		tens, ones := 1, 0
		if before != "" {
			if t, ok := digits[[]rune(before)[0]]; ok && utf8.RuneCountInString(before) == 1 {
				tens = t
			} else {
				return -1
			}
		}
		if after != "" {
			if o, ok := digits[[]rune(after)[0]]; ok && utf8.RuneCountInString(after) == 1 {
				ones = o
			} else {
				return -1
			}
		}
		return tens*10 + ones
	}
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n = n*10 + int(r-'0')
		case r >= '０' && r <= '９':
			n = n*10 + int(r-'０')
		default:
			d, ok := digits[r]
			if !ok {
				return -1
			}
			n = n*10 + d
		}
	}
	return n
}

// dateFromFileName returns the first valid YYYY-MM-DD in the file name of
// source, or "".
func dateFromFileName(source string) string {
	for _, m := range fileDateRE.FindAllStringSubmatch(path.Base(source), 5) {
		if d, ok := isoDate(m[1], m[2], m[3]); ok {
			return d
		}
	}
	return ""
}

// placeRE finds the place of a meeting in a first paragraph: 在比什凯克举行.
var placeRE = regexp.MustCompile(`在(\p{Han}{2,10}?)(?:举行|召开|签署|发表)`)

// placeStop rejects candidates that are not place names (在上合组织框架内举行).
var placeStop = regexp.MustCompile(`框架|期间|范围|基础|组织|会议|国家|[内上中下前后间]$`)

// maxPlaceSearch bounds the text of the first paragraph searched for a place.
const maxPlaceSearch = 4 << 10

// inferPlace returns the place named in the first paragraph, or "".
func inferPlace(first string) string {
	m := placeRE.FindStringSubmatch(first[:min(len(first), maxPlaceSearch)])
	if m == nil || placeStop.MatchString(m[1]) {
		return ""
	}
	return m[1]
}

// langSuffixes are the language codes recognised as a file-name suffix
// (name.zh.txt): the SCO member, observer and partner languages and a few
// common others.
var langSuffixes = map[string]bool{
	"zh": true, "ru": true, "en": true, "kk": true, "ky": true, "tg": true, "uz": true,
	"hi": true, "ur": true, "fa": true, "mn": true, "be": true, "fr": true, "de": true,
	"es": true, "ar": true, "ja": true, "ko": true, "tr": true, "az": true, "hy": true,
	"ka": true, "km": true, "ne": true, "si": true, "pt": true, "it": true, "my": true,
}

// splitSource returns the id, language suffix and format of a source path:
// "a/2019-x.zh.txt" gives "a/2019-x", "zh", "txt". Only the Chinese suffix
// leaves the id, so that translations keep ids of their own:
// "a/2019-x.ru.txt" gives "a/2019-x.ru", "ru", "txt".
func splitSource(source string) (id, lang, format string) {
	ext := path.Ext(source)
	format = "txt"
	switch strings.ToLower(ext) {
	case ".md", ".markdown":
		format = "md"
	case ".docx":
		format = "docx"
	case ".html", ".htm":
		format = "html"
	case ".pdf":
		format = "pdf"
	}
	id = strings.TrimSuffix(source, ext)
	if l := path.Ext(id); len(l) > 1 && langSuffixes[strings.ToLower(l[1:])] {
		lang = strings.ToLower(l[1:])
		if lang == "zh" {
			id = strings.TrimSuffix(id, l)
		}
	}
	return id, lang, format
}

// inferLang guesses the language of a text from its letters: Han (or kana)
// gives "zh", Cyrillic "ru", Latin "en"; the most frequent script wins. It
// returns "" when the text has no letters. Only the first 64 KiB are looked at.
func inferLang(texts ...string) string {
	var han, cyr, lat int
	budget := 64 << 10
	for _, t := range texts {
		for _, r := range t {
			if budget--; budget < 0 {
				break
			}
			switch {
			case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
				han++
			case unicode.Is(unicode.Cyrillic, r):
				cyr++
			case unicode.Is(unicode.Latin, r):
				lat++
			}
		}
	}
	switch {
	case han == 0 && cyr == 0 && lat == 0:
		return ""
	case han >= cyr && han*3 >= lat: // a Chinese text with some Latin words
		return "zh"
	case cyr >= lat:
		return "ru"
	default:
		return "en"
	}
}
