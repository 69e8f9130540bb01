//go:build unix

package atomicfile

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// TestWriteFileReplacesALinkToAPipeOrDevice: a link at the path is replaced
// whatever it points at; a pipe or a device elsewhere receives nothing.
func TestWriteFileReplacesALinkToAPipeOrDevice(t *testing.T) {
	tests := []struct {
		name   string
		target func(t *testing.T) (path string, received func() string)
	}{
		{"a pipe in another folder", func(t *testing.T) (string, func() string) {
			fifo := filepath.Join(t.TempDir(), "victim")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skip("no named pipes here:", err)
			}
			// The read side, opened without blocking and kept out of Go's
			// poller, so that a write through the link neither blocks on
			// opening the pipe nor goes unseen, and reading never waits.
			fd, err := syscall.Open(fifo, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { syscall.Close(fd) })
			return fifo, func() string {
				buf := make([]byte, 64)
				n, _ := syscall.Read(fd, buf) // 0 or EAGAIN when nothing came
				if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
					t.Errorf("%s is now %v (%v)", fifo, fi.Mode(), err)
				}
				return string(buf[:max(n, 0)])
			}
		}},
		{"a device", func(t *testing.T) (string, func() string) {
			return os.DevNull, func() string {
				if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
					t.Errorf("%s is now %v (%v)", os.DevNull, fi.Mode(), err)
				}
				return ""
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, received := tt.target(t)
			p := filepath.Join(t.TempDir(), "report.yaml")
			if err := os.Symlink(target, p); err != nil {
				t.Skip("no symbolic links here:", err)
			}
			if err := WriteFile(p, []byte("steered\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if got := received(); got != "" {
				t.Errorf("%s received %q through the link", target, got)
			}
			// Lstat before reading: a read through a link to a pipe would block.
			if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
				t.Fatalf("%s is %v (%v), want a regular file in place of the link", p, fi.Mode(), err)
			}
			assertFile(t, p, []byte("steered\n"), 0o600)
		})
	}
}

// TestIsStreamName: the names a shell gives a process's streams are
// written through; any other name is not, however like them it looks.
func TestIsStreamName(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/dev/stdout", true},
		{"/dev/stderr", true},
		{"/dev//stdout", true},
		{"/dev/fd/1", true},
		{"/dev/fd/12", true},
		{"/proc/self/fd/1", true},
		{"/dev/stdin", false},
		{"/dev/stdout.yaml", false},
		{"/dev/fd/", false},
		{"/dev/fd/x", false},
		{"/dev/fd/-1", false},
		{"/dev/fd/1/x", false},
		{"/proc/1/fd/1", false},
		{"/tmp/dev/stdout", false},
		{"dev/stdout", false},
		{"stdout", false},
	}
	for _, tt := range tests {
		if got := isStreamName(tt.path); got != tt.want {
			t.Errorf("isStreamName(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// TestWriteFileToAStream: /dev/fd/N, a link like /dev/stdout, is written
// through to what the stream is, a file it was redirected to or a pipe,
// and nothing is renamed over it. (The test's own standard output is not
// this test's to write to.)
func TestWriteFileToAStream(t *testing.T) {
	t.Run("a file", func(t *testing.T) {
		target := filepath.Join(t.TempDir(), "audit.html")
		f, err := os.Create(target)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString("an older and longer page\n"); err != nil {
			t.Fatal(err)
		}
		p := "/dev/fd/" + strconv.Itoa(int(f.Fd()))
		if _, err := os.Lstat(p); err != nil {
			t.Skip("no /dev/fd here:", err)
		}
		if err := WriteFile(p, []byte("the page\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(target); err != nil || string(got) != "the page\n" {
			t.Errorf("%s holds %q (%v), want the page alone", target, got, err)
		}
		if n := names(t, filepath.Dir(target)); len(n) != 1 {
			t.Errorf("the folder holds %q, want only %s", n, filepath.Base(target))
		}
	})
	t.Run("a pipe", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		p := "/dev/fd/" + strconv.Itoa(int(w.Fd()))
		if _, err := os.Lstat(p); err != nil {
			w.Close()
			t.Skip("no /dev/fd here:", err)
		}
		// The read side is open, so opening the write side again does not
		// block; the data fits the pipe's buffer.
		err = WriteFile(p, []byte("through the pipe\n"), 0o644)
		w.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(r); err != nil || string(got) != "through the pipe\n" {
			t.Errorf("the pipe carried %q (%v)", got, err)
		}
	})
}
