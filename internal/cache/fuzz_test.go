package cache

import (
	"fmt"
	"math"
	"testing"
)

// FuzzParse reads segments that are not what a store writes: parse never
// panics, and what it returns, written again as a segment, reads back the
// same.
func FuzzParse(f *testing.F) {
	k := NewKeyer("test").Add("a").Key()
	good := fmt.Sprintf("%s%s %d %s\n%s\n", magic, k, 5, checksum(k, []byte("hello")), "hello")
	f.Add([]byte(good))
	f.Add([]byte(good + good[len(magic):len(magic)+20]))
	f.Add([]byte(fmt.Sprintf("%s%s %d %s\nhello\n", magic, k, math.MaxInt, checksum(k, []byte("hello")))))
	f.Add([]byte(fmt.Sprintf("%s%s %d %s\nhello\n", magic, k, -1, checksum(k, []byte("hello")))))
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		values := map[Key][]byte{}
		parse(data, values)
		seg := []byte(magic)
		for k, v := range values {
			seg = fmt.Appendf(seg, "%s %d %s\n%s\n", k, len(v), checksum(k, v), v)
		}
		again := map[Key][]byte{}
		if skipped := parse(seg, again); skipped != 0 || len(again) != len(values) {
			t.Fatalf("%d values written again read back as %d, %d skipped", len(values), len(again), skipped)
		}
		for k, v := range values {
			if string(again[k]) != string(v) {
				t.Fatalf("%s read back as %q, not %q", k, again[k], v)
			}
		}
	})
}
