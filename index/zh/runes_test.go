package zh

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestRuneClassFastPaths: the shortcuts of IsKeyRune and isExactRune for
// the CJK Unified Ideographs block say what the unicode tables say.
func TestRuneClassFastPaths(t *testing.T) {
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if want := unicode.IsLetter(r) || unicode.IsDigit(r); !want {
			t.Errorf("%U: not a letter, but IsKeyRune says it is", r)
		}
		if want := r != utf8.RuneError && unicode.IsGraphic(r) && !unicode.IsSpace(r); !want {
			t.Errorf("%U: not graphic, but isExactRune says it is", r)
		}
		if !IsKeyRune(r) || !isExactRune(r) {
			t.Fatalf("%U: the shortcut is gone", r)
		}
	}
}
