package schema

import (
	"strings"

	"github.com/agnivade/levenshtein"
)

// closest returns the known name nearest to s by edit distance, when it is
// near enough to be a likely typo, or "".
func closest(s string, known []string) string {
	best, bestD := "", len(s)/2+2
	ls := strings.ToLower(s)
	for _, k := range known {
		if d := levenshtein.ComputeDistance(ls, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}
