package corpus

import "errors"

// Reasons a file is not ingested. A Problem's Err wraps one of them (or an
// *fs.PathError for a file that cannot be read); test with errors.Is.
var (
	ErrEmpty        = errors.New("empty file")
	ErrBinary       = errors.New("binary file")
	ErrEncoding     = errors.New("unknown encoding or invalid UTF-8")
	ErrTooLarge     = errors.New("file too large")
	ErrNoParagraphs = errors.New("no paragraphs")
	ErrMetadata     = errors.New("invalid metadata")
	ErrNotRegular   = errors.New("not a regular file")
	ErrSymlinkDir   = errors.New("symbolic link to a directory, not followed")
	ErrDuplicateID  = errors.New("duplicate document id")
	ErrOrphanMeta   = errors.New("sidecar .meta file without its document")
	ErrUnsupported  = errors.New("unsupported type")
	ErrFormat       = errors.New("malformed document") // a .docx, .html or .pdf that cannot be read as one
)

// Document is one source file of the corpus with its reconstructed paragraphs.
type Document struct {
	ID     string // stable id from the file path relative to the corpus root, e.g. "2019-bishkek-declaration"
	Title  string // e.g. "上海合作组织成员国元首理事会比什凯克宣言"
	Date   string // ISO 8601 date "2019-06-14", or "" when unknown
	Place  string // e.g. "比什凯克", or ""
	Lang   string // "zh", "ru", "en", ...
	Source string // path relative to the corpus root, with forward slashes
	Format string // "txt", "md", "docx", "html" or "pdf"
	Hash   string // hex sha256 of the raw file bytes plus any sidecar, for incremental reindexing

	Encoding string   // encoding the file was decoded from: one of the Encoding* constants
	Info     []string // Markdown info lines before <!-- INFO END --> (adoption history); not paragraphs

	// TranslationOf is the id of the document this one translates, from
	// the metadata key translation_of, or "". Files named X.zh.txt,
	// X.ru.txt and X.en.txt are translations of each other without it.
	TranslationOf string

	Paragraphs []Paragraph
}

// Paragraph is one searchable unit of a document.
type Paragraph struct {
	N       int    // 1-based paragraph number within the document
	Section string // section label in force ("三", "第一章 总则", ...), or ""
	Text    string // the reconstructed paragraph text, valid UTF-8, trimmed
}

// Problem is a file of the corpus that could not be ingested, with the reason.
type Problem struct {
	Path string // path relative to the corpus root
	Err  error
}

func (p Problem) Error() string { return p.Path + ": " + p.Err.Error() }
