package zh

// The generated files of the package, in the order they depend on each
// other: the traditional -> simplified table (t2s_table.go), the
// frequencies gse gives the user terms (gse_freq.go, which needs the
// folding) and the compiled dictionary (dict/compiled.bin, which needs
// both). Run go generate ./index/zh after changing dict/sco.txt,
// synonyms.txt or the gse or opencc version; the tests fail until then.

//go:generate go run gen_t2s.go
//go:generate go test -run ^TestGseFreqTable$ -update
//go:generate go test -run ^TestCompiledDictionaryUpToDate$ -update
