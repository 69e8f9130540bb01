//go:build unix

package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestNewFileMode: a new file gets perm less the umask, as os.WriteFile
// gives it, whichever the umask.
func TestNewFileMode(t *testing.T) {
	tests := []struct {
		name        string
		umask       int
		perm, want  fs.FileMode
		replaceMode fs.FileMode // 0: no old file
	}{
		{name: "report, umask 022", umask: 0o022, perm: 0o644, want: 0o644},
		{name: "report, umask 077", umask: 0o077, perm: 0o644, want: 0o600},
		{name: "report, umask 002", umask: 0o002, perm: 0o666, want: 0o664},
		{name: "private, umask 0", umask: 0, perm: 0o600, want: 0o600},
		{name: "replacing keeps the old mode", umask: 0o022, perm: 0o644, replaceMode: 0o600, want: 0o600},
		{name: "replacing an executable keeps it so", umask: 0o077, perm: 0o644, replaceMode: 0o755, want: 0o755},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "CODEOWNERS")
			if tt.replaceMode != 0 {
				os.WriteFile(p, []byte("old\n"), 0o600)
				if err := os.Chmod(p, tt.replaceMode); err != nil {
					t.Fatal(err)
				}
			}
			old := syscall.Umask(tt.umask)
			err := WriteFile(p, []byte("* @it-admin\n"), tt.perm)
			syscall.Umask(old)
			if err != nil {
				t.Fatal(err)
			}
			assertFile(t, p, []byte("* @it-admin\n"), tt.want)
		})
	}
}

// TestReadOnlyIsRefused: what os.WriteFile may not open for writing is not
// replaced by a rename either.
func TestReadOnlyIsRefused(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may write a read-only file; run as another user to test the refusal")
	}
	p := filepath.Join(t.TempDir(), "report.yaml")
	os.WriteFile(p, []byte("old\n"), 0o444)
	os.Chmod(p, 0o444)
	if err := WriteFile(p, []byte("new\n"), 0o644); !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("got %v, want a permission error", err)
	}
	assertFile(t, p, []byte("old\n"), 0o444)
}

// TestDeviceAndPipe: /dev/null and a named pipe are written straight to and
// stay what they are.
func TestDeviceAndPipe(t *testing.T) {
	if err := WriteFile(os.DevNull, []byte("discarded\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("%s is now %v (%v)", os.DevNull, fi.Mode(), err)
	}

	dir := t.TempDir()
	p := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	got := make(chan string)
	go func() {
		data, err := os.ReadFile(p) // opening blocks until the writer opens
		if err != nil {
			t.Error(err)
		}
		got <- string(data)
	}()
	if err := WriteFile(p, []byte("through the pipe\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe\n" {
		t.Errorf("the pipe carried %q", s)
	}
	if fi, err := os.Lstat(p); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("%s is now %v (%v)", p, fi.Mode(), err)
	}
	if n := names(t, dir); len(n) != 1 {
		t.Errorf("the folder holds %q, want only the pipe", n)
	}
}
