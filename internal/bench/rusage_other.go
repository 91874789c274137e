//go:build !unix

package bench

import (
	"os"
	"time"
)

// cpuTime is unknown where getrusage is missing (Windows): 0.
func cpuTime() time.Duration { return 0 }

// childPeakRSS is unknown where getrusage is missing (Windows).
func childPeakRSS(*os.ProcessState) (int64, bool) { return 0, false }
