//go:build !linux

package atomictest

import "testing"

// SmallDisk skips the test: only Linux mounts a small tmpfs.
func SmallDisk(t testing.TB, size int) string {
	t.Helper()
	t.Skipf("a small disk of %d bytes is a Linux tmpfs; this is not Linux", size)
	return ""
}
