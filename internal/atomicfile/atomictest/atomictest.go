// Package atomictest gives tests of file writing a real, small disk to
// fill.
package atomictest

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Fill writes a file named filler into dir until the disk under dir is full,
// and returns its path.
func Fill(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "filler")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	page := make([]byte, 4096)
	for {
		if _, err := f.Write(page); errors.Is(err, syscall.ENOSPC) {
			return p
		} else if err != nil {
			t.Fatalf("fill %s: %v", dir, err)
		}
	}
}
