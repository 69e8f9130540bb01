package atomicfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/posture-dev/posture/internal/atomicfile/atomictest"
)

// TestFullDisk writes on a real full disk: the write fails with ENOSPC, the
// old file keeps every byte, and no temporary file is left. Once space is
// freed, the same write succeeds.
func TestFullDisk(t *testing.T) {
	dir := atomictest.SmallDisk(t, 64<<10)
	p := filepath.Join(dir, "report.yaml")
	old := bytes.Repeat([]byte("os_version: \"10.0.26200\"\n"), 400) // 10,000 bytes
	if err := os.WriteFile(p, old, 0o644); err != nil {
		t.Fatal(err)
	}
	filler := atomictest.Fill(t, dir)
	data := bytes.Repeat([]byte("os_version: \"10.0.26300\"\n"), 800)

	for _, write := range []struct {
		name string
		f    func(string) error
	}{
		{"WriteFile", func(p string) error { return WriteFile(p, data, 0o644) }},
		{"Create", func(p string) error { return stream(p, data) }},
	} {
		for _, target := range []string{p, filepath.Join(dir, "new.yaml")} {
			if err := write.f(target); !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("%s %s on a full disk: got %v, want ENOSPC", write.name, target, err)
			}
			got, err := os.ReadFile(p)
			if err != nil || !bytes.Equal(got, old) {
				t.Fatalf("%s %s: the old file holds %d bytes (%v), want its %d", write.name, target, len(got), err, len(old))
			}
			if n := names(t, dir); !slices.Equal(n, []string{"filler", "report.yaml"}) {
				t.Fatalf("%s %s: the disk holds %q, want only filler and report.yaml", write.name, target, n)
			}
		}
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, data, 0o644)
}
