package atomictest

import (
	"fmt"
	"syscall"
	"testing"
)

// SmallDisk mounts a tmpfs of size bytes on a new folder and returns the
// folder; it is unmounted when the test ends. It skips the test where it
// cannot mount (mounting takes root, or CAP_SYS_ADMIN in a container).
func SmallDisk(t testing.TB, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0755", size)); err != nil {
		t.Skipf("cannot mount a %d-byte tmpfs on %s (%v): a full disk needs root, or CAP_SYS_ADMIN in a container", size, dir, err)
	}
	t.Cleanup(func() { // before t.TempDir's own cleanup, which was registered first
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}
