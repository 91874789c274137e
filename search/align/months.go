package align

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// monthForms maps the forms of the month names to their numbers: the
// Russian ones in every case (январь, января, январе, январю, январём;
// май, мая, …) and the English ones, capitalised or in capitals. It is
// built once and only read.
var monthForms = func() map[string]int {
	soft := []string{"ь", "я", "е", "ю", "ем", "ём"}
	hard := []string{"", "а", "е", "у", "ом"}
	russian := []struct {
		stem    string
		endings []string
	}{
		{"январ", soft}, {"феврал", soft}, {"март", hard}, {"апрел", soft},
		{"ма", []string{"й", "я", "е", "ю", "ем", "ём"}}, {"июн", soft}, {"июл", soft},
		{"август", hard}, {"сентябр", soft}, {"октябр", soft}, {"ноябр", soft}, {"декабр", soft},
	}
	english := []string{"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December"}
	forms := map[string]int{}
	for k, m := range russian {
		for _, e := range m.endings {
			forms[m.stem+e] = k + 1
		}
	}
	for k, m := range english {
		forms[m], forms[strings.ToUpper(m)] = k+1, k+1
	}
	return forms
}()

// month returns the number of the month word names ("июня", "June"), as
// a token. An English name must be capitalised; March and May (март,
// май) also need a digit nearby (nearDigit), as they are words of their
// own too.
func month(word string, nearDigit func() bool) (string, bool) {
	k, ok := monthForms[word]
	if !ok {
		if r, _ := utf8.DecodeRuneInString(word); unicode.Is(unicode.Cyrillic, r) && unicode.IsUpper(r) {
			k, ok = monthForms[strings.ToLower(word)]
		}
	}
	if !ok || (k == 3 || k == 5) && !nearDigit() {
		return "", false
	}
	return strconv.Itoa(k), true
}
