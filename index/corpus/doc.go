// Package corpus reads a directory of source documents (plain text as
// extracted from PDFs, Markdown, Word files, web pages) and reconstructs
// their paragraphs and
// metadata. It knows nothing of bleve: its output is plain Go values that the
// index package turns into searchable paragraphs.
//
// # Files
//
// ReadDir walks the corpus directory in sorted order and ingests every
// *.txt, *.md, *.markdown, *.docx, *.html, *.htm and *.pdf file; hidden files and directories
// (".name") are skipped, symbolic links to directories are not followed,
// and any other file is an ErrUnsupported problem ("unsupported type
// .xlsx"), so nothing is left out without a word. A document's
// id is its path relative to the root, with forward slashes, without the
// extension and without a Chinese language suffix: "2019-bishkek-declaration.zh.txt"
// has the id "2019-bishkek-declaration" and the language "zh";
// "刑法/刑法修正案（七）.md" has the id "刑法/刑法修正案（七）". Recognised
// language suffixes are two-letter codes such as zh, ru, en, kk, ky, tg, uz,
// hi, ur, fa, mn; only the Chinese suffix is dropped from the id, so a
// translation "x.ru.txt" has the id "x.ru" beside "x.zh.txt"'s "x". Two
// files with the same id are an error for the second.
//
// # Encodings
//
// UTF-8 (with or without a byte order mark), UTF-16 with a byte order mark
// and GB18030/GBK are detected; see Decode. Line endings are normalised.
//
// # Metadata
//
// Metadata may be given explicitly, as "key: value" lines, in front matter
// at the very top of a .txt or .md file:
//
//	---
//	title: 上海合作组织成员国元首理事会比什凯克宣言
//	date: 2019-06-14
//	place: 比什凯克
//	lang: zh
//	---
//
// or in a sidecar file beside the document, named after it with ".meta"
// appended (2019-bishkek-declaration.zh.txt.meta), holding the same lines
// (the "---" lines are optional there), so a PDF extraction gets metadata
// without being edited. Keys: title, date (YYYY-MM-DD or YYYY年M月D日), place,
// lang, id, translation_of (the id of the document this one translates,
// for a file whose name does not say so); other keys are ignored; values may be quoted; lines starting
// with "#" are comments. The sidecar wins over front matter, which wins over
// inference. A malformed date, lang or id makes the file a problem.
//
// Inferred metadata: the title from a running header, a heading first line
// or the Markdown "# " heading, else the file name; the date from the first
// YYYY年M月D日 (also with full-width digits or 二〇一九年六月十四日) in the
// Markdown info lines, else in the text, else a YYYY-MM-DD in the file name;
// the place from "在…举行/召开/签署/发表" in the first paragraph; the
// language from the file-name suffix, else from the script of the text (Han
// zh, Cyrillic ru, Latin en).
//
// # Plain text
//
// Plain text is taken to be a PDF extraction. Paragraphs are blocks separated
// by blank lines (the lines of a block are joined; without any blank line,
// every line is a block). Lines are cleaned: control and bidirectional
// formatting characters are removed, runs of white space become one space.
// Then:
//   - A page-number line ("3", "- 3 -", "第3页", "3/10", "Page 3 of 10") is
//     dropped.
//   - A numbered section heading on its own line, at most 40 characters
//     with no sentence punctuation (三; 一、总则; （一）; 第一章 总则; 第一节;
//     第一编; II), is not a paragraph: it sets Paragraph.Section of the
//     paragraphs that follow. A heading clears the labels of deeper levels
//     (编 > 章 > 节 > 一 > （一）) and Section joins the labels in force with
//     " / ". Paragraphs before the first heading have Section "".
//   - A heading-like line (at most 64 characters, with a letter, no
//     "，,。；;！!？?、" and no terminal punctuation at its end) that
//     interrupts a sentence (the text before it does not end with terminal
//     punctuation) is a running header: the first such line, any later copy
//     of it and of the title, and any such line occurring twice are dropped.
//     A heading-like first line followed by text is the title and is
//     dropped too. Other heading-like lines are paragraphs of their own.
//   - A paragraph whose text does not end with terminal punctuation
//     (。．.！!？?；;：:…”"’'）)」』】》〉]｝}) continues in the next text block:
//     the page broke it. Chinese pieces are joined directly, others with a
//     space. When the page break duplicated text, so that the paragraph ends
//     with the same 1-3 Han characters the continuation starts with
//     ("开放型世界经济" + "济,不断巩固"), the copy is dropped. This rule can
//     wrongly remove a genuinely repeated character at a break (谢谢); it is
//     applied only at such joins, never inside a block.
//   - A truncated last paragraph is kept as it is.
//
// # Markdown
//
// Markdown is read the way the laws corpus writes it. The first "# "
// heading is the title; a second "# " heading before any paragraph is a
// subtitle appended to it with a space ("中华人民共和国民法典 总则"). Lines
// before "<!-- INFO END -->" are info lines (adoption and amendment history):
// they are not paragraphs but Document.Info, and the first date among them
// is the document date. HTML comments are removed. "##" to "######"
// headings set Paragraph.Section, joined by level as for plain text
// ("第一编 总则 / 第一章 刑法的任务、基本原则和适用范围"). Paragraphs are
// blank-line separated blocks, their lines joined; each table row is a
// paragraph ("a | b"), table delimiter rows and thematic breaks are dropped;
// list and quote markers, link targets, emphasis and code marks are removed.
// A file with no paragraph (an _index.md with only front matter) is an
// ErrNoParagraphs problem.
//
// # Word
//
// A .docx file is read with archive/zip and encoding/xml (WordprocessingML).
// Each body paragraph is a paragraph, runs joined, tabs and line breaks made
// spaces; each table row is a paragraph ("国家 | 签署人"). A paragraph whose
// style is named "heading 1" to "heading 6" (whatever its id: Chinese Word
// uses "1", "2"), Heading1..Heading6, or that has an outline level, sets
// Paragraph.Section as the Markdown "##" headings do; the first "Title"
// paragraph is the title. Deleted text of tracked changes, field codes,
// text boxes and drawings' fallback copies are not text. Metadata: the title
// is dc:title of docProps/core.xml, else the Title paragraph; the date is the
// first Chinese date in the text, else dcterms:created; a .meta sidecar wins
// over both (there is no front matter). A file that is not a zip archive, has
// no word/document.xml or holds malformed XML is an ErrFormat problem.
//
// # Web pages
//
// A .html or .htm file is a saved news or ministry page: only the article's
// main text is kept, found by readability (codeberg.org/readeck/go-readability,
// Mozilla's algorithm), so navigation, side bars, share widgets, comments and
// footers are not paragraphs. Each block element of the article is a
// paragraph, each table row one ("a | b"); <h2>..<h6> set Paragraph.Section.
// The encoding is the one the page declares (<meta charset>, http-equiv;
// GBK and GB2312 pages are common), else the one Decode detects. The title
// is the page's first <h1>, else its <title> without the site's name
// ("…_新华网", "… - 中华人民共和国外交部": the longest part between
// separators). The date is that of a <meta> (article:published_time,
// pubdate, publishdate, date, …) or a <time datetime>, else readability's,
// else the first "2019-06-14 20:15" stamp or Chinese date of the page's
// text. The place comes from a news dateline at the start of the article
// (新华社比什凯克6月14日电), else from the first paragraph as for text.
// A .meta sidecar wins over all of these.
//
// # PDF
//
// A .pdf file's text layer is read by PDFium compiled to WebAssembly
// (github.com/klippa-app/go-pdfium run by wazero: pure Go, no cgo). The
// engine is compiled when the first PDF is read, once per process (a few
// seconds), never for a corpus without PDFs. Characters are grouped into
// lines by baseline (PDFium's character origins), their extent taken from
// the loose character boxes (the advance and the font's ascent and
// descent, so that "、" or "一" is as tall as "国"). A line of at most 80
// characters that recurs, digits ignored, at the same height among the
// two top or two bottom lines of at least half the pages (two at least)
// is a running header or footer, and a page-number line there is a page
// number: both are dropped, the first such header being the title when
// the Info dictionary has none (or only a file name). The other lines are
// read as one flow across pages. A line starts a paragraph when it is
// indented from the body's left edge; when the line before ends short of
// the right edge and either ends with terminal punctuation (。！？；：”…)
// or fills less than half the text width (a line wrapped early after
// "2019—" continues); when the text size changes; on the same page, after
// a gap wider than 1.25 times the usual line pitch; and, in a document
// without first-line indents, at the top of a page after a terminated
// paragraph.
// The paragraphs then go through the plain-text rules (section headings,
// title line). The date is the first Chinese date of the text, else the
// Info CreationDate. A PDF without any text is an ErrFormat problem "no
// text layer (scanned PDF)"; one that needs a password is "encrypted PDF
// (a password is required)" (one encrypted with an empty user password,
// for its permissions only, is read); a truncated or otherwise broken one
// is an ErrFormat problem, a panic of the engine is recovered into one,
// and a PDF whose reading takes longer than PDFTimeLimit (60 s) is
// reported as one at the limit: its engine instance is killed (the call in
// progress, if one hangs, finishes in the background) and a fresh one
// reads the next PDF.
package corpus
