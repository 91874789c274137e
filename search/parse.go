package search

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scosearch/scosearch/index/zh"
)

// Limits of the query language and of a Request. Breaking one is an
// ErrBadQuery.
const (
	DefaultSize   = 10    // hits per page when Request.Size is 0
	MaxSize       = 100   // largest Request.Size
	MaxFrom       = 10000 // largest Request.From
	MaxQueryRunes = 1000  // longest query, in characters
	MaxTerms      = 64    // most words, phrases and filters in one query
	MaxDepth      = 8     // deepest nesting of parentheses
)

// The query's syntax tree.
type (
	// qnode is one node of a parsed query.
	qnode interface{ String() string }

	// qterm is an unquoted word (phrase=false) or a quoted phrase.
	qterm struct {
		text   string
		phrase bool
	}

	// qfilter is field:value, or field:lo..hi for a range (either end may be
	// empty) on date and year.
	qfilter struct {
		field, value string
		ranged       bool
		lo, hi       string // inclusive bounds of a range; "" is an open end
	}

	// qand requires every node of must and none of not.
	qand struct {
		must, not []qnode
	}

	// qor requires at least one of its nodes.
	qor struct {
		any []qnode
	}
)

func (t qterm) String() string {
	if t.phrase {
		return fmt.Sprintf("%q", t.text)
	}
	return t.text
}

func (f qfilter) String() string {
	if f.ranged {
		return f.field + ":" + f.value
	}
	return f.field + ":" + fmt.Sprintf("%q", f.value)
}

func (a qand) String() string {
	parts := make([]string, 0, len(a.must)+len(a.not))
	for _, n := range a.must {
		parts = append(parts, n.String())
	}
	for _, n := range a.not {
		parts = append(parts, "-"+n.String())
	}
	return "AND(" + strings.Join(parts, " ") + ")"
}

func (o qor) String() string {
	parts := make([]string, 0, len(o.any))
	for _, n := range o.any {
		parts = append(parts, n.String())
	}
	return "OR(" + strings.Join(parts, " ") + ")"
}

// badQuery returns a *QueryError: code, the 1-based character at which
// the problem is (0: none), the text it concerns, and an English message.
func badQuery(code string, at int, arg, format string, args ...any) error {
	return &QueryError{Code: code, At: at, Arg: arg, Msg: fmt.Sprintf(format, args...)}
}

// Lexical tokens.
type tokKind int

const (
	tokWord   tokKind = iota // text, possibly field:value
	tokPhrase                // "text"
	tokLParen
	tokRParen
	tokPlus
	tokMinus
	tokOR
)

type token struct {
	kind  tokKind
	text  string
	field string // for a field filter: the lower-cased field name
	pos   int    // rune offset in the query, for messages
}

// operatorRunes maps full-width and typographic forms of the operator
// characters to their ASCII form.
var operatorRunes = map[rune]rune{
	'（': '(', '）': ')', '＂': '"', '＋': '+', '－': '-', '：': ':',
}

func normaliseOperators(r rune) rune {
	if a, ok := operatorRunes[r]; ok {
		return a
	}
	return r
}

// closingQuote returns the mark that closes a quoted phrase opened by r,
// and whether r opens one: straight and curly double quotes, Russian
// «ёлочки» and „лапки“, the corner brackets of traditional Chinese.
func closingQuote(r rune) (rune, bool) {
	switch r {
	case '"':
		return '"', true
	case '“':
		return '”', true
	case '«':
		return '»', true
	case '„':
		return '“', true
	case '「':
		return '」', true
	case '『':
		return '』', true
	}
	return 0, false
}

// lex splits a query into tokens.
func lex(q string) ([]token, error) {
	orig := []rune(q) // field values keep their own characters: ids hold （）
	rs := []rune(q)
	for i, r := range rs {
		rs[i] = normaliseOperators(r)
	}
	var toks []token
	isSpace := func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' }
	// readQuoted reads a phrase opened at rs[i] by a mark of closingQuote
	// and closed by its pair ("…", “…”, «…», „…“, 「…」, 『…』);
	// other quotation marks inside are text.
	readQuoted := func(i int) (string, int, error) {
		closing, _ := closingQuote(rs[i])
		for j := i + 1; j < len(rs); j++ {
			if rs[j] == closing {
				return string(orig[i+1 : j]), j + 1, nil
			}
		}
		return "", 0, badQuery(CodeUnbalancedQuote, i+1, string(rs[i]), "unbalanced quote: the %c at character %d is never closed", rs[i], i+1)
	}
	isQuote := func(r rune) bool { _, ok := closingQuote(r); return ok }
	i := 0
	for i < len(rs) {
		r := rs[i]
		switch {
		case isSpace(r):
			i++
		case r == '(':
			toks = append(toks, token{kind: tokLParen, pos: i})
			i++
		case r == ')':
			toks = append(toks, token{kind: tokRParen, pos: i})
			i++
		case isQuote(r):
			text, next, err := readQuoted(i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokPhrase, text: text, pos: i})
			i = next
		case (r == '+' || r == '-') && i+1 < len(rs) && !isSpace(rs[i+1]) && rs[i+1] != ')':
			kind := tokPlus
			if r == '-' {
				kind = tokMinus
			}
			toks = append(toks, token{kind: kind, pos: i})
			i++
		default:
			start := i
			for i < len(rs) && !isSpace(rs[i]) && rs[i] != '(' && rs[i] != ')' && !isQuote(rs[i]) {
				if rs[i] == ':' && isFieldName(rs[start:i]) {
					// field:value or field:"value"
					field := strings.ToLower(string(rs[start:i]))
					i++
					if i < len(rs) && isQuote(rs[i]) {
						text, next, err := readQuoted(i)
						if err != nil {
							return nil, err
						}
						if text == "" {
							text = NoSection // field:"" (only section takes it)
						}
						toks = append(toks, token{kind: tokWord, field: field, text: text, pos: start})
						i = next
					} else {
						// A value runs to a space, a quote or a ')' that
						// closes a group; parentheses inside it are its
						// own: doc:司法解释/规则(2019-12-02).
						vs, depth := i, 0
						for i < len(rs) && !isSpace(rs[i]) && !isQuote(rs[i]) {
							if rs[i] == '(' {
								depth++
							} else if rs[i] == ')' {
								if depth == 0 {
									break
								}
								depth--
							}
							i++
						}
						toks = append(toks, token{kind: tokWord, field: field, text: string(orig[vs:i]), pos: start})
					}
					start = -1
					break
				}
				i++
			}
			if start < 0 {
				continue
			}
			text := string(rs[start:i])
			if text == "OR" || text == "|" || text == "||" {
				toks = append(toks, token{kind: tokOR, pos: start})
				continue
			}
			if text == "AND" || text == "&&" {
				continue // AND is the default
			}
			if text == "NOT" {
				toks = append(toks, token{kind: tokMinus, pos: start})
				continue
			}
			toks = append(toks, token{kind: tokWord, text: text, pos: start})
		}
	}
	return toks, nil
}

// isFieldName reports whether rs looks like a field name: ASCII letters
// only. Anything else before a colon (Chinese text, digits) is plain text.
func isFieldName(rs []rune) bool {
	if len(rs) == 0 || len(rs) > 16 {
		return false
	}
	for _, r := range rs {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// parser turns tokens into a syntax tree.
type parser struct {
	toks    []token
	i       int
	terms   int
	dropped bool // some word was only punctuation and was ignored
}

// parseQuery parses the query language into a syntax tree. Every error wraps
// ErrBadQuery.
func parseQuery(q string) (qand, error) {
	if utf8.RuneCountInString(q) > MaxQueryRunes {
		return qand{}, badQuery(CodeTooLong, 0, strconv.Itoa(MaxQueryRunes), "query too long: %d characters, at most %d", utf8.RuneCountInString(q), MaxQueryRunes)
	}
	if !utf8.ValidString(q) {
		return qand{}, badQuery(CodeInvalidUTF8, 0, "", "query is not valid UTF-8")
	}
	if strings.TrimFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' }) == "" {
		return qand{}, badQuery(CodeEmpty, 0, "", "empty query")
	}
	toks, err := lex(q)
	if err != nil {
		return qand{}, err
	}
	if len(toks) == 0 {
		return qand{}, badQuery(CodeEmpty, 0, "", "empty query: nothing to search for")
	}
	p := &parser{toks: toks}
	root, err := p.parseAnd(0)
	if err != nil {
		return qand{}, err
	}
	if p.i < len(p.toks) { // a stray ')'
		return qand{}, badQuery(CodeUnbalancedParen, p.toks[p.i].pos+1, ")", "unbalanced parenthesis: the ) at character %d has no (", p.toks[p.i].pos+1)
	}
	if len(root.must) == 0 {
		if p.dropped && len(root.not) == 0 {
			return qand{}, badQuery(CodeNoLetters, 0, q, "%q has no letters or digits to search for", q)
		}
		if len(root.not) > 0 {
			return qand{}, badQuery(CodeOnlyExcludes, 0, "", "nothing to search for: the query only excludes (-); add a word to look for")
		}
		return qand{}, badQuery(CodeEmpty, 0, "", "empty query: nothing to search for")
	}
	return root, nil
}

func (p *parser) peek() (token, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return token{}, false
}

// parseAnd parses a sequence of clauses up to the end or a ')'.
func (p *parser) parseAnd(depth int) (qand, error) {
	var and qand
	for {
		t, ok := p.peek()
		if !ok || t.kind == tokRParen {
			return and, nil
		}
		if t.kind == tokOR {
			return and, badQuery(CodeORLeft, t.pos+1, "OR", "OR at character %d has nothing on its left", t.pos+1)
		}
		neg, n, err := p.parseSigned(depth)
		if err != nil {
			return and, err
		}
		var alts []qnode
		if n != nil {
			alts = append(alts, n)
		}
		for {
			t, ok := p.peek()
			if !ok || t.kind != tokOR {
				break
			}
			p.i++
			t2, ok := p.peek()
			if !ok || t2.kind == tokRParen || t2.kind == tokOR {
				return and, badQuery(CodeORRight, t.pos+1, "OR", "OR at character %d has nothing on its right", t.pos+1)
			}
			neg2, n2, err := p.parseSigned(depth)
			if err != nil {
				return and, err
			}
			if neg || neg2 {
				return and, badQuery(CodeNotInOR, t.pos+1, "-", "- cannot be used inside OR (at character %d); write -(a OR b) to exclude both", t.pos+1)
			}
			if n2 != nil {
				alts = append(alts, n2)
			}
		}
		var clause qnode
		switch len(alts) {
		case 0:
			continue
		case 1:
			clause = alts[0]
		default:
			clause = qor{any: alts}
		}
		if neg {
			and.not = append(and.not, clause)
		} else {
			and.must = append(and.must, clause)
		}
	}
}

// parseSigned parses an optional +, - or NOT and one primary.
func (p *parser) parseSigned(depth int) (neg bool, n qnode, err error) {
	t, _ := p.peek()
	switch t.kind {
	case tokPlus:
		p.i++
	case tokMinus:
		neg = true
		p.i++
	}
	if t2, ok := p.peek(); !ok || t2.kind == tokOR || t2.kind == tokRParen || t2.kind == tokPlus || t2.kind == tokMinus {
		return false, nil, badQuery(CodeSignAlone, t.pos+1, map[bool]string{true: "-", false: "+"}[neg], "%s at character %d is not followed by a word", map[bool]string{true: "-", false: "+"}[neg], t.pos+1)
	}
	n, err = p.parsePrimary(depth)
	return neg, n, err
}

// parsePrimary parses a word, a phrase, a filter or a parenthesised group.
func (p *parser) parsePrimary(depth int) (qnode, error) {
	t := p.toks[p.i]
	p.i++
	switch t.kind {
	case tokLParen:
		if depth+1 > MaxDepth {
			return nil, badQuery(CodeTooDeep, t.pos+1, strconv.Itoa(MaxDepth), "parentheses nested too deeply: at most %d levels", MaxDepth)
		}
		inner, err := p.parseAnd(depth + 1)
		if err != nil {
			return nil, err
		}
		closing, ok := p.peek()
		if !ok || closing.kind != tokRParen {
			return nil, badQuery(CodeUnbalancedParen, t.pos+1, "(", "unbalanced parenthesis: the ( at character %d is never closed", t.pos+1)
		}
		p.i++
		if len(inner.must) == 0 && len(inner.not) == 0 {
			return nil, badQuery(CodeEmptyParens, t.pos+1, "()", "empty parentheses at character %d", t.pos+1)
		}
		if len(inner.must) == 1 && len(inner.not) == 0 {
			return inner.must[0], nil
		}
		return inner, nil
	case tokWord, tokPhrase:
		p.terms++
		if p.terms > MaxTerms {
			return nil, badQuery(CodeTooManyTerms, t.pos+1, strconv.Itoa(MaxTerms), "too many terms: at most %d words, phrases and filters", MaxTerms)
		}
		if t.field != "" {
			return parseFilter(t.field, t.text)
		}
		if strings.ContainsRune(t.text, '*') {
			return nil, badQuery(CodeWildcard, t.pos+1, t.text, "wildcards (*) are not supported: %q; every word already matches inside longer words", t.text)
		}
		if zh.Key(t.text) == "" {
			if t.kind == tokPhrase && strings.TrimSpace(t.text) == "" {
				return nil, badQuery(CodeEmptyPhrase, t.pos+1, `""`, "empty phrase \"\" at character %d", t.pos+1)
			}
			if t.kind == tokPhrase {
				return nil, badQuery(CodeNoLetters, t.pos+1, t.text, "%q has no letters or digits to search for", t.text)
			}
			p.terms--
			p.dropped = true
			return nil, nil // stray punctuation between words is ignored
		}
		return qterm{text: t.text, phrase: t.kind == tokPhrase}, nil
	default:
		return nil, badQuery(CodeUnexpected, t.pos+1, t.kindName(), "unexpected %s at character %d", t.kindName(), t.pos+1)
	}
}

func (t token) kindName() string {
	switch t.kind {
	case tokRParen:
		return ")"
	case tokOR:
		return "OR"
	case tokPlus:
		return "+"
	case tokMinus:
		return "-"
	}
	return "token"
}

// parseFilter checks field:value and normalises it.
func parseFilter(field, value string) (qnode, error) {
	ff, known := filterField(field)
	if !known {
		return nil, badQuery(CodeUnknownField, 0, field, "unknown field %q: use one of %s", field, filterNames())
	}
	value = strings.TrimSpace(value)
	if value == NoSection && field == "section" {
		return qfilter{field: field, value: ""}, nil // indexed as the empty term
	}
	if value == "" || value == NoSection {
		return nil, badQuery(CodeMissingValue, 0, field, "%s: needs a value", field)
	}
	if field == "lang" {
		value = strings.ToLower(value)
	}
	if ff.Ranged {
		return parseDateFilter(field, value)
	}
	return qfilter{field: field, value: value}, nil
}

// parseDateFilter parses date:D, date:A..B (open ends allowed), year:Y and
// year:A..B. A date is YYYY, YYYY-MM or YYYY-MM-DD.
func parseDateFilter(field, value string) (qnode, error) {
	if field == "year" && !strings.Contains(value, "..") {
		if _, err := parseDate(field, value); err != nil || len(value) != 4 {
			return nil, badQuery(CodeBadYear, 0, value, "bad year %q: want four digits, e.g. year:2019", value)
		}
		return qfilter{field: field, value: value}, nil
	}
	lo, hi, isRange := strings.Cut(value, "..")
	if !isRange {
		hi = lo
	}
	if strings.Contains(hi, "..") {
		return nil, badQuery(CodeBadRange, 0, value, "bad %s range %q: want A..B", field, value)
	}
	if lo == "" && hi == "" {
		return nil, badQuery(CodeBadRange, 0, value, "bad %s range %q: give at least one end", field, value)
	}
	f := qfilter{field: field, value: value, ranged: true}
	if lo != "" {
		if _, err := parseDate(field, lo); err != nil {
			return nil, err
		}
		f.lo = lo
	}
	if hi != "" {
		if _, err := parseDate(field, hi); err != nil {
			return nil, err
		}
		if field == "date" && len(hi) < 10 {
			// a partial upper bound includes its whole period: 2019 means
			// up to 2019-12-31, i.e. up to "2019~" ('~' sorts after '-' and digits).
			f.hi = hi + "~"
		} else {
			f.hi = hi
		}
	}
	if f.lo != "" && f.hi != "" && f.lo > f.hi {
		return nil, badQuery(CodeBadRange, 0, value, "bad %s range %q: the start is after the end", field, value)
	}
	return f, nil
}

// parseDate checks a YYYY, YYYY-MM or YYYY-MM-DD date (year only for year:).
func parseDate(field, s string) (time.Time, error) {
	layouts := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}
	layout, ok := layouts[len(s)]
	if field == "year" && len(s) != 4 {
		ok = false
	}
	if ok {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if field == "year" {
		return time.Time{}, badQuery(CodeBadYear, 0, s, "bad year %q: want four digits, e.g. year:2019", s)
	}
	return time.Time{}, badQuery(CodeBadDate, 0, s, "bad date %q: want YYYY-MM-DD, YYYY-MM or YYYY, e.g. date:2019-01-01..2019-12-31", s)
}
