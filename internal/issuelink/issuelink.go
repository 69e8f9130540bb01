// Package issuelink is the one definition of how a pull request that posture
// opened from an issue form names that issue: a hidden marker in the pull
// request's body. The checker and the review gate read it to find the
// employee behind a pull request opened by the bot.
package issuelink

import (
	"fmt"
	"regexp"
	"strconv"
)

// Marker returns the hidden marker for issue n.
func Marker(n int) string { return fmt.Sprintf("<!-- posture:from-issue %d -->", n) }

// Branch returns the name of the branch for issue n.
func Branch(n int) string { return fmt.Sprintf("posture/issue-%d", n) }

var markerRe = regexp.MustCompile(`<!-- posture:from-issue ([1-9][0-9]{0,9}) -->`)

// Parse returns the issue a pull request body links with its marker. ok is
// false when there is none or more than one distinct issue is named.
func Parse(body string) (n int, ok bool) {
	ms := markerRe.FindAllStringSubmatch(body, -1)
	for _, m := range ms {
		v, _ := strconv.Atoi(m[1])
		if ok && v != n {
			return 0, false
		}
		n, ok = v, true
	}
	return n, ok
}
