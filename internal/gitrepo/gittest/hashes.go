package gittest

import (
	"fmt"
	"regexp"
)

var hashRe = regexp.MustCompile(`\b[0-9a-f]{40}\b|\b[0-9a-f]{12}\b|\b[0-9a-f]{7}\b`)

// StableHashes replaces each commit hash in out (full, or abbreviated to 12
// or 7 digits) by a placeholder numbered in order of first appearance, so
// that golden files do not change when the content of a fixture (such as
// the shipped policies) changes the hashes. An abbreviation of a hash
// already seen gets that hash's number.
func StableHashes(out []byte) []byte {
	seen := map[string]string{}
	var full []string
	n := 0
	return hashRe.ReplaceAllFunc(out, func(h []byte) []byte {
		s := string(h)
		if p, ok := seen[s]; ok {
			return []byte(p)
		}
		for _, f := range full {
			if len(s) < len(f) && f[:len(s)] == s {
				seen[s] = seen[f]
				return []byte(seen[f])
			}
		}
		n++
		p := fmt.Sprintf("<commit-%d>", n)
		seen[s] = p
		if len(s) == 40 {
			full = append(full, s)
		}
		return []byte(p)
	})
}
