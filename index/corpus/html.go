package corpus

import "fmt"

// readHTML is not written yet.
func readHTML(data []byte) (extracted, error) {
	return extracted{}, fmt.Errorf("%w: web pages are not read yet", ErrUnsupported)
}
