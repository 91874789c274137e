package search

// QueryError is a query or Request that cannot be run: a user's mistake.
// errors.Is(err, ErrBadQuery) holds for it. Code is stable, for programs
// and for messages in other languages (the web page shows Chinese ones);
// Msg is an English sentence fit for the user.
type QueryError struct {
	Code string `json:"code"`
	// At is the 1-based character of the query where the problem is, or 0.
	At int `json:"at,omitempty"`
	// Arg is the text the problem concerns (a field name, a value, a
	// limit), or "".
	Arg string `json:"arg,omitempty"`
	Msg string `json:"error"`
}

func (e *QueryError) Error() string { return ErrBadQuery.Error() + ": " + e.Msg }

// Is makes errors.Is(err, ErrBadQuery) true.
func (e *QueryError) Is(target error) bool { return target == ErrBadQuery }

// Codes of a QueryError.
const (
	CodeEmpty           = "empty_query"
	CodeTooLong         = "query_too_long"
	CodeInvalidUTF8     = "invalid_utf8"
	CodeUnbalancedQuote = "unbalanced_quote"
	CodeUnbalancedParen = "unbalanced_parenthesis"
	CodeEmptyParens     = "empty_parentheses"
	CodeTooDeep         = "parentheses_too_deep"
	CodeTooManyTerms    = "too_many_terms"
	CodeNoLetters       = "no_letters"
	CodeOnlyExcludes    = "only_exclusions"
	CodeORLeft          = "or_without_left"
	CodeORRight         = "or_without_right"
	CodeNotInOR         = "exclusion_in_or"
	CodeSignAlone       = "sign_without_word"
	CodeWildcard        = "wildcard"
	CodeEmptyPhrase     = "empty_phrase"
	CodeUnexpected      = "unexpected_token"
	CodeUnknownField    = "unknown_field"
	CodeMissingValue    = "missing_value"
	CodeBadYear         = "bad_year"
	CodeBadDate         = "bad_date"
	CodeBadRange        = "bad_range"
	CodeBadSize         = "bad_size"
	CodeBadFrom         = "bad_from"
	CodeBadSort         = "bad_sort"
)

// QueryErrorCodes returns every Code a QueryError may have.
func QueryErrorCodes() []string {
	return []string{
		CodeEmpty, CodeTooLong, CodeInvalidUTF8, CodeUnbalancedQuote, CodeUnbalancedParen,
		CodeEmptyParens, CodeTooDeep, CodeTooManyTerms, CodeNoLetters, CodeOnlyExcludes,
		CodeORLeft, CodeORRight, CodeNotInOR, CodeSignAlone, CodeWildcard, CodeEmptyPhrase,
		CodeUnexpected, CodeUnknownField, CodeMissingValue, CodeBadYear, CodeBadDate,
		CodeBadRange, CodeBadSize, CodeBadFrom, CodeBadSort,
	}
}

// Validate reports whether the Request can be run, without searching: nil,
// or a *QueryError.
func (r Request) Validate() error {
	r, err := r.normalise()
	if err != nil {
		return err
	}
	_, err = r.parse()
	return err
}
