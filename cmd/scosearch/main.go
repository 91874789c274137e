// Command scosearch searches Chinese documents of the Shanghai Cooperation
// Organisation paragraph by paragraph.
//
// Usage:
//
//	scosearch serve   [--addr 127.0.0.1:8080] [--index DIR] [--corpus DIR] [--base-url URL]
//	scosearch reindex [--corpus DIR] [--index DIR] [--full] [--check] [--shards N]
//	scosearch search  [--index DIR] [--size N] [--from N] [--json] [--format csv|jsonl|ris|bibtex] QUERY
//	scosearch trends  [--index DIR] [--json] QUERY
//	scosearch version
//	scosearch help [COMMAND]
//
// Flags may also follow the arguments; "--" ends them. Run "scosearch
// help" for details.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
)

// Exit codes shared by every subcommand.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitSkipped = 3 // reindex (and --check): the good documents indexed, some files skipped
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"serve", "build the index if there is none, and serve the search page and JSON API", runServe},
		{"reindex", "rebuild the index from a corpus directory and swap it in atomically", runReindex},
		{"search", "search the index from the command line", runSearch},
		{"trends", "the timeline of a formulation: matching paragraphs by year, first appearance", runTrends},
		{"bench", "benchmark indexing, queries, start-up, growth and shards on a large corpus", runBench},
		{"version", "print the version", runVersion},
		{"help", "print help about a command", nil},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 && rest[0] != "help" && rest[0] != "-h" && rest[0] != "-help" && rest[0] != "--help" {
			for _, c := range commands() {
				if c.name == rest[0] && c.run != nil {
					return c.run(ctx, []string{"-h"}, stdout, stdout)
				}
			}
			fmt.Fprintf(stderr, "scosearch: unknown command %q\n", rest[0])
			return exitUsage
		}
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(ctx, rest, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "scosearch: unknown command %q\n\n", name)
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `scosearch: full-text search of Chinese SCO documents, paragraph by paragraph.

Usage:
  scosearch COMMAND [flags] [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, `
Run "scosearch help COMMAND" or "scosearch COMMAND -h" for a command's flags.
The index lives in %s unless --index says otherwise;
the corpus is the bundled one (testdata/corpus) unless --corpus says otherwise.
`, defaultIndexDir())
}

// newFlagSet returns a flag set for a subcommand that reports errors
// instead of exiting, with a usage line.
func newFlagSet(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: scosearch %s [flags] %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and returns the exit code to stop with, or -1 to
// go on. Flags may come anywhere among the arguments (scosearch search
// 阿富汗 --json); "--" ends the flags. The other arguments are fs.Args(),
// in order.
func parseFlags(fs *flag.FlagSet, args []string) int {
	flags, positional := splitArgs(fs, args)
	if len(positional) > 0 && !valueMissing(fs, flags) {
		flags = append(append(flags, "--"), positional...)
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	return -1
}

// splitArgs separates the flags of fs (with their values) from the other
// arguments. An argument starting with "-" is a flag if fs defines its
// name, or if the name looks like one (ASCII letters, digits and dashes:
// --jsno is reported as unknown, not searched for); anything else, such as
// the excluded word of "上合 -阿富汗", is an argument. After "--"
// everything is an argument.
func splitArgs(fs *flag.FlagSet, args []string) (flags, positional []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(positional, args[i+1:]...)
		}
		name, hasValue, ok := flagName(a)
		if !ok {
			positional = append(positional, a)
			continue
		}
		f := fs.Lookup(name)
		if f == nil && !flagLike(name) {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		if f != nil && !hasValue && !isBoolFlag(f) && i+1 < len(args) {
			i++
			flags = append(flags, args[i]) // the flag's value, even if it starts with "-"
		}
	}
	return flags, positional
}

// valueMissing reports whether the last of flags needs a value it lacks
// (--size at the end of the command line): parsed alone, it gets the flag
// package's "flag needs an argument".
func valueMissing(fs *flag.FlagSet, flags []string) bool {
	if len(flags) == 0 {
		return false
	}
	name, hasValue, ok := flagName(flags[len(flags)-1])
	if !ok || hasValue {
		return false
	}
	f := fs.Lookup(name)
	if f == nil || isBoolFlag(f) {
		return false
	}
	// It is a value only if the flag before it takes one.
	if len(flags) >= 2 {
		if prev, hv, ok := flagName(flags[len(flags)-2]); ok && !hv {
			if pf := fs.Lookup(prev); pf != nil && !isBoolFlag(pf) {
				return false
			}
		}
	}
	return true
}

// flagName returns the name of the flag argument a ("-size", "--size=5"),
// whether it holds its value after "=", and false if a is no flag at all.
func flagName(a string) (name string, hasValue, ok bool) {
	if len(a) < 2 || a[0] != '-' {
		return "", false, false
	}
	name = a[1:]
	if name[0] == '-' {
		name = name[1:]
	}
	if name == "" || name[0] == '-' || name[0] == '=' {
		return "", false, false
	}
	if i := strings.IndexByte(name, '='); i >= 0 {
		return name[:i], true, true
	}
	return name, false, true
}

// flagLike reports whether name could be a mistyped flag: ASCII letters,
// digits and dashes, starting with a letter.
func flagLike(name string) bool {
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '_'):
		default:
			return false
		}
	}
	return true
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// defaultIndexDir is where the index lives when --index is not given: the
// user's cache directory, so that it survives runs from any directory.
func defaultIndexDir() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "scosearch", "index")
	}
	return filepath.Join(os.TempDir(), "scosearch", "index")
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", "", stderr)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	fmt.Fprintln(stdout, "scosearch", version())
	return exitOK
}

func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v + " " + info.GoVersion
}
