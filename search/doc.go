// Package search is scosearch's embeddable read API: an Engine opened on an
// index built by package index answers paragraph searches with BM25 ranking,
// highlighted snippets, facets, filters, paging and near-duplicate
// collapsing, and serves whole documents and a paragraph's neighbours. It
// can swap in a rebuilt index while serving (Engine.Reload); when the new
// generation cannot be opened it keeps the old one and Engine.Health says
// so.
//
//	e, err := search.Open(dir)
//	...
//	res, err := e.Search(ctx, search.Request{Query: `"上海合作组织" 反恐 -阿富汗`})
//
// # Query language
//
// Words are separated by spaces; every word is required.
//
//   - 反恐: an unquoted word matches a paragraph that contains all of its
//     gse words, or contains it as a substring; paragraphs with the exact
//     string rank first.
//   - "上海合作组织": a quoted phrase matches exactly the paragraphs that
//     contain it after normalisation (width, case, traditional characters
//     folded; punctuation and spaces ignored: "恐怖主义分裂主义" finds
//     恐怖主义、分裂主义). “…” quotes work too.
//   - +word: required (the default); -word or NOT word: excluded.
//   - a OR b (also a | b): either; OR binds tighter than the implicit AND:
//     禁毒 OR 毒品 塔什干 is (禁毒 OR 毒品) AND 塔什干. Parentheses group,
//     at most MaxDepth deep: -(叙利亚 OR 阿富汗) 合作.
//   - Filters: doc:ID, year:2019, year:2018..2019, section:三, lang:zh,
//     place:比什凯克, date:2019-06-14, date:2019-01-01..2019-12-31 (either
//     end may be left open: date:2019.. ; a partial date covers its whole
//     year or month: date:..2019-06). Values with spaces: section:"第一章 总则".
//   - Abbreviations expand: 上合组织 also finds 上海合作组织, 安理会
//     联合国安理会, 联大 联合国大会 (the list is index/zh/synonyms.txt).
//   - Full-width and traditional forms work: 上海合作組織, ＳＣＯ２０１９.
//
// A query that cannot be parsed, is empty, is longer than MaxQueryRunes
// characters or has more than MaxTerms terms, names an unknown field, a bad
// date or a wildcard (*, not supported: words already match inside longer
// words) fails with an error wrapping ErrBadQuery whose message names the
// problem. Lone punctuation between words is ignored.
//
// # Results
//
// A Hit is one paragraph with its document's metadata, full text and up to
// SnippetMaxFragments HTML snippets (escaped text, <mark> around merged
// matches, "…" where cut; a short paragraph is one whole snippet).
// Near-identical paragraphs (see NearIdenticalJaccard) are collapsed into
// the best-ranked one, which lists the others in Hit.Similar, unless
// Request.NoCollapse. With collapsing, From counts collapsed hits, so pages
// never repeat a paragraph; collapsing looks at the first 500 ranked
// paragraphs, and pages beyond them are not collapsed.
//
// # Suggestions
//
// Engine.Suggest completes the last word of a query being typed from the
// index's words (and abbreviations and document titles), each Suggestion
// with the number of paragraphs a Search for it finds.
package search
