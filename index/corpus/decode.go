package corpus

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Names of the encodings Decode recognises, as returned by it and stored in
// Document.Encoding.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF8BOM = "UTF-8 with BOM"
	EncodingUTF16LE = "UTF-16LE"
	EncodingUTF16BE = "UTF-16BE"
	EncodingGB18030 = "GB18030"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Decode detects the encoding of a corpus file and returns its text as UTF-8
// with the byte order mark removed and line endings normalised to "\n"
// ("\r\n", "\r", U+2028 and U+0085 become "\n"; U+2029 and form feeds, which
// pdftotext writes between pages, become a blank line), together with the name
// of the encoding.
//
// Detection, in order:
//   - an empty input is ErrEmpty;
//   - a UTF-8 byte order mark: the rest must be valid UTF-8;
//   - a UTF-16 byte order mark (FF FE little endian, FE FF big endian): the
//     rest must be valid UTF-16 of even length;
//   - NUL bytes, or more than 2 + 1% of the bytes being other C0 control
//     characters: ErrBinary;
//   - valid UTF-8;
//   - GB18030 (a superset of GBK and GB2312), only when the text is plausibly
//     Chinese: it decodes with no invalid sequence, yields no private-use or
//     unassigned characters, and most of its two-byte characters lie in the
//     GB2312 area (both bytes 0xA1 or above) as in real Chinese text;
//   - anything else is ErrEncoding.
//
// Decoded UTF-16 text is checked for control characters like raw bytes are.
func Decode(data []byte) (text, encoding string, err error) {
	if len(data) == 0 {
		return "", "", ErrEmpty
	}
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		rest := data[len(bomUTF8):]
		if !utf8.Valid(rest) {
			return "", "", fmt.Errorf("%w: invalid UTF-8 after a UTF-8 byte order mark", ErrEncoding)
		}
		if err := checkControls(rest); err != nil {
			return "", "", err
		}
		return normalizeNewlines(string(rest)), EncodingUTF8BOM, nil
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		return decodeUTF16(data)
	}
	if err := checkControls(data); err != nil {
		return "", "", err
	}
	if utf8.Valid(data) {
		return normalizeNewlines(string(data)), EncodingUTF8, nil
	}
	if !plausibleGB(data) {
		return "", "", fmt.Errorf("%w: neither UTF-8 nor plausible GB18030/GBK text", ErrEncoding)
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", fmt.Errorf("%w: GB18030: %v", ErrEncoding, err)
	}
	for _, r := range string(out) {
		if r == utf8.RuneError || unicode.Is(unicode.Co, r) || !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc) {
			return "", "", fmt.Errorf("%w: GB18030 decoding gave unlikely character %U", ErrEncoding, r)
		}
	}
	return normalizeNewlines(string(out)), EncodingGB18030, nil
}

// decodeUTF16 decodes data that starts with a UTF-16 byte order mark.
func decodeUTF16(data []byte) (string, string, error) {
	order, name := xunicode.LittleEndian, EncodingUTF16LE
	if bytes.HasPrefix(data, bomUTF16BE) {
		order, name = xunicode.BigEndian, EncodingUTF16BE
	}
	rest := data[2:]
	if len(rest)%2 != 0 {
		return "", "", fmt.Errorf("%w: %s with an odd number of bytes", ErrEncoding, name)
	}
	// Check the code units ourselves: the decoder replaces unpaired
	// surrogates with U+FFFD instead of failing.
	for i := 0; i+1 < len(rest); i += 2 {
		u := uint16(rest[i]) | uint16(rest[i+1])<<8
		if order == xunicode.BigEndian {
			u = uint16(rest[i])<<8 | uint16(rest[i+1])
		}
		switch {
		case u >= 0xD800 && u < 0xDC00: // high surrogate: a low one must follow
			if i+3 >= len(rest) {
				return "", "", fmt.Errorf("%w: %s with an unpaired surrogate", ErrEncoding, name)
			}
			v := uint16(rest[i+2]) | uint16(rest[i+3])<<8
			if order == xunicode.BigEndian {
				v = uint16(rest[i+2])<<8 | uint16(rest[i+3])
			}
			if v < 0xDC00 || v >= 0xE000 {
				return "", "", fmt.Errorf("%w: %s with an unpaired surrogate", ErrEncoding, name)
			}
			i += 2
		case u >= 0xDC00 && u < 0xE000:
			return "", "", fmt.Errorf("%w: %s with an unpaired surrogate", ErrEncoding, name)
		}
	}
	out, err := xunicode.UTF16(order, xunicode.IgnoreBOM).NewDecoder().Bytes(rest)
	if err != nil {
		return "", "", fmt.Errorf("%w: %s: %v", ErrEncoding, name, err)
	}
	if err := checkControls(out); err != nil {
		return "", "", err
	}
	return normalizeNewlines(string(out)), name, nil
}

// checkControls reports ErrBinary when data holds a NUL byte or more than
// 2 + 1% control bytes other than tab, line feed, vertical tab, form feed,
// carriage return and escape.
func checkControls(data []byte) error {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, i)
	}
	n := 0
	for _, b := range data {
		if (b < 0x20 && b != '\t' && b != '\n' && b != '\v' && b != '\f' && b != '\r' && b != 0x1B) || b == 0x7F {
			n++
		}
	}
	if n > 2+len(data)/100 {
		return fmt.Errorf("%w: %d control characters in %d bytes", ErrBinary, n, len(data))
	}
	return nil
}

// plausibleGB scans data as GB18030 byte sequences and reports whether it
// looks like Chinese text: at least one multi-byte character, and at least
// 70% of them two-byte characters in the GB2312 area (lead and trail bytes
// 0xA1-0xFE), where nearly all characters of real Chinese text lie. Latin-1
// or Windows-1252 text read as GBK gives mostly extension-area pairs (a high
// byte followed by an ASCII letter) and is rejected.
func plausibleGB(data []byte) bool {
	var gb2312, other int
	for i := 0; i < len(data); {
		b := data[i]
		switch {
		case b < 0x80:
			i++
			continue
		case b == 0x80 || b == 0xFF || i+1 >= len(data):
			return false
		}
		t := data[i+1]
		switch {
		case t >= 0x30 && t <= 0x39: // four-byte sequence
			if i+3 >= len(data) {
				return false
			}
			other++
			i += 4
		case t >= 0x40 && t <= 0xFE && t != 0x7F:
			if b >= 0xA1 && t >= 0xA1 {
				gb2312++
			} else {
				other++
			}
			i += 2
		default:
			return false
		}
	}
	total := gb2312 + other
	return total > 0 && gb2312*10 >= total*7
}

// normalizeNewlines maps every line ending to "\n" and page or paragraph
// separators to a blank line.
var newlineReplacer = strings.NewReplacer(
	"\r\n", "\n",
	"\r", "\n",
	"\u0085", "\n",
	"\u2028", "\n",
	"\u2029", "\n\n",
	"\f", "\n\n",
)

func normalizeNewlines(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	if !strings.ContainsAny(s, "\r\f\u0085\u2028\u2029") {
		return s
	}
	return newlineReplacer.Replace(s)
}
