package corpus

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// sample is a Chinese text with full- and half-width punctuation, a rare
// character outside GB2312 (镕) and a character outside the BMP (𠀀).
const sample = "上海合作组织成员国元首理事会比什凯克宣言\n\n成员国认为，合作十分重要。朱镕基, 2019年6月14日: “上海精神”。𠀀\n"

func encode(t *testing.T, enc interface {
	Bytes([]byte) ([]byte, error)
}, s string) []byte {
	t.Helper()
	b, err := enc.Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func TestDecode(t *testing.T) {
	utf16le := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder()
	utf16be := xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewEncoder()
	tests := []struct {
		name    string
		data    []byte
		want    string
		wantEnc string
	}{
		{"UTF-8", []byte(sample), sample, EncodingUTF8},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, sample...), sample, EncodingUTF8BOM},
		{"UTF-16LE with BOM", encode(t, utf16le, sample), sample, EncodingUTF16LE},
		{"UTF-16BE with BOM", encode(t, utf16be, sample), sample, EncodingUTF16BE},
		{"GB18030", encode(t, simplifiedchinese.GB18030.NewEncoder(), sample), sample, EncodingGB18030},
		{"GBK subset", encode(t, simplifiedchinese.GBK.NewEncoder(), "成员国认为，合作十分重要。\n"), "成员国认为，合作十分重要。\n", EncodingGB18030},
		{"CRLF and CR", []byte("甲\r\n乙\r丙\r\n"), "甲\n乙\n丙\n", EncodingUTF8},
		{"CRLF in UTF-16LE", encode(t, utf16le, "甲\r\n乙"), "甲\n乙", EncodingUTF16LE},
		{"form feed is a page break", []byte("甲\f乙"), "甲\n\n乙", EncodingUTF8},
		{"a few control characters are tolerated", []byte("甲\x01乙。"), "甲\x01乙。", EncodingUTF8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, enc, err := Decode(tc.data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
			if enc != tc.wantEnc {
				t.Errorf("encoding = %q, want %q", enc, tc.wantEnc)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"NUL byte", []byte("abc\x00def"), ErrBinary},
		{"many control characters", bytes.Repeat([]byte("a\x01\x02\x03"), 10), ErrBinary},
		{"PNG header", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ErrBinary},
		{"Latin-1 is no known encoding", []byte("caf\xe9 na\xefve fa\xe7ade r\xe9sum\xe9"), ErrEncoding},
		{"lone continuation bytes", []byte("abc\x80\x80\x80"), ErrEncoding},
		{"0xFF bytes", []byte("\xff\xfa\xfb text"), ErrEncoding},
		{"truncated GB18030", append(encode(t, simplifiedchinese.GB18030.NewEncoder(), "成员国"), 0xB3), ErrEncoding},
		{"invalid UTF-8 after a UTF-8 BOM", []byte("\xef\xbb\xbf\xb3\xc9"), ErrEncoding},
		{"UTF-16 odd length", []byte("\xff\xfeA\x00B"), ErrEncoding},
		{"UTF-16 unpaired surrogate", []byte("\xff\xfe\x00\xd8A\x00"), ErrEncoding},
		{"UTF-16 lone low surrogate", []byte("\xfe\xff\xdc\x00\x00A"), ErrEncoding},
		{"UTF-16 binary", append([]byte("\xff\xfe"), bytes.Repeat([]byte{1, 0, 2, 0}, 20)...), ErrBinary},
		{"private use area in GB18030", []byte("\xaa\xa1\xaa\xa2\xaa\xa3"), ErrEncoding},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, enc, err := Decode(tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Decode = %q, %q, %v; want error %v", got, enc, err, tc.want)
			}
		})
	}
}

// TestParseEncodings checks that the declaration reconstructs the same way
// whatever encoding it is stored in.
func TestParseEncodings(t *testing.T) {
	data := readDeclaration(t)
	want, err := Parse("d.zh.txt", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	crlf := bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
	tests := []struct {
		name string
		data []byte
	}{
		{EncodingGB18030, encode(t, simplifiedchinese.GB18030.NewEncoder(), string(data))},
		{EncodingUTF16LE, encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder(), string(data))},
		{EncodingUTF16BE, encode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewEncoder(), string(crlf))},
		{EncodingUTF8BOM, append([]byte{0xEF, 0xBB, 0xBF}, crlf...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse("d.zh.txt", tc.data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got.Encoding != tc.name {
				t.Errorf("Encoding = %q, want %q", got.Encoding, tc.name)
			}
			if got.Hash == want.Hash {
				t.Errorf("Hash is the same for different bytes")
			}
			got.Encoding, got.Hash = want.Encoding, want.Hash
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkDecodeGB18030(b *testing.B) {
	text := bytes.Repeat([]byte("成员国认为，合作十分重要。\n"), 4000)
	data, err := simplifiedchinese.GB18030.NewEncoder().Bytes(text)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
