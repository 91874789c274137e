package main

import (
	"flag"
	"fmt"
	"strings"
	"time"
)

// envPrefix begins the environment variable of a flag: --reload-interval
// is SCOSEARCH_RELOAD_INTERVAL.
const envPrefix = "SCOSEARCH_"

// envName is the environment variable of flag name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// envBinding lets flags of a flag set come from the environment: a flag
// given on the command line wins, an empty variable counts as unset.
// Only this package reads the environment; the libraries get values.
type envBinding struct {
	fs    *flag.FlagSet
	names []string
}

// bindEnv binds the flags names of fs (all of them if none is given) to
// their environment variables and says so in the help. Call it after
// defining the flags and before parsing; call apply after parsing.
func bindEnv(fs *flag.FlagSet, names ...string) envBinding {
	if len(names) == 0 {
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	}
	for _, n := range names {
		if f := fs.Lookup(n); f != nil {
			f.Usage += fmt.Sprintf(" [$%s]", envName(n))
		}
	}
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintf(fs.Output(), "\nA flag in [$NAME] may also be set by that environment variable; the command line wins.\n")
	}
	return envBinding{fs: fs, names: names}
}

// apply sets each bound flag not given on the command line from its
// variable, as looked up by lookup (os.LookupEnv), and returns the
// variables it used. A bad value is an error naming the variable.
func (b envBinding) apply(lookup func(string) (string, bool)) (used []string, err error) {
	given := make(map[string]bool)
	b.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, n := range b.names {
		v, ok := lookup(envName(n))
		if !ok || v == "" || given[n] || b.fs.Lookup(n) == nil {
			continue
		}
		if err := b.fs.Set(n, v); err != nil {
			if g, ok := b.fs.Lookup(n).Value.(flag.Getter); ok {
				if _, isDuration := g.Get().(time.Duration); isDuration {
					_, err = time.ParseDuration(v) // says more than "parse error"
				}
			}
			return used, fmt.Errorf("%s=%q: invalid value for --%s: %v", envName(n), v, n, err)
		}
		used = append(used, envName(n))
	}
	return used, nil
}

// orBundled names a --corpus value for the log: the directory, or the
// bundled corpus.
func orBundled(dir string) string {
	if dir == "" {
		return "(bundled)"
	}
	return dir
}
