package corpus

import (
	"io/fs"
	"syscall"
	"time"
)

// changeTime is the status change time (ctime) of a file, or zero.
func changeTime(info fs.FileInfo) time.Time {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return time.Unix(st.Ctim.Sec, st.Ctim.Nsec)
	}
	return time.Time{}
}
