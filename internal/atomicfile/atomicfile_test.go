package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var errInjected = errors.New("no space left (injected)")

// failAfter passes n bytes to w, then fails every write.
type failAfter struct {
	w io.Writer
	n int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) <= f.n {
		f.n -= len(p)
		return f.w.Write(p)
	}
	k, _ := f.w.Write(p[:f.n])
	f.n = 0
	return k, errInjected
}

// names lists dir, so a test sees any temporary file left behind.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// assertFile checks path holds exactly data with mode perm, and that the
// folder holds nothing else.
func assertFile(t *testing.T, path string, data []byte, perm fs.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("%s holds %d bytes %.40q..., want %d bytes %.40q...", path, len(got), got, len(data), data)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm() != perm {
		t.Errorf("%s has mode %v, want a regular file with %v", path, fi.Mode(), perm)
	}
	if n := names(t, filepath.Dir(path)); !slices.Equal(n, []string{filepath.Base(path)}) {
		t.Errorf("the folder holds %q, want only %s", n, filepath.Base(path))
	}
}

// setHooks installs test hooks until the test ends.
func setHooks(t *testing.T, wrap func(io.Writer) io.Writer, step func(string, string) error) {
	wrapWriter, stepHook = wrap, step
	t.Cleanup(func() { wrapWriter, stepHook = nil, nil })
}

func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.yaml")
	if err := os.WriteFile(p, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, 0o640) // whatever the umask
	var steps []string
	setHooks(t, nil, func(step, path string) error {
		if path != p {
			t.Errorf("step %s names %s, want %s", step, path, p)
		}
		steps = append(steps, step)
		return nil
	})
	if err := WriteFile(p, []byte("new and longer\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, []byte("new and longer\n"), 0o640) // the old file's mode, as os.WriteFile keeps it
	if want := []string{"created", "written", "synced", "closed", "renamed"}; !slices.Equal(steps, want) {
		t.Errorf("steps %q, want %q", steps, want)
	}
}

func TestWriteFileReplacesALinkWithoutFollowingIt(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(outside, []byte("ssh-ed25519 AAAA\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "report.yaml")
	if err := os.Symlink(outside, p); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := WriteFile(p, []byte("period: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, []byte("period: x\n"), 0o600)
	if got, _ := os.ReadFile(outside); string(got) != "ssh-ed25519 AAAA\n" {
		t.Errorf("the link's target was written: %q", got)
	}
}

func TestWriteFileNeedsItsFolder(t *testing.T) {
	err := WriteFile(filepath.Join(t.TempDir(), "reports", "2026-11", "d.yaml"), []byte("x"), 0o644)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v, want a not-exist error", err)
	}
	if strings.Contains(err.Error(), ".tmp-") {
		t.Errorf("the error names the temporary file: %v", err)
	}
}

// TestFailureKeepsOld fails a write at each point before the rename, for a
// file that exists and one that does not: the old file stays byte for byte
// with its mode, a new one does not appear, and no temporary file is left.
func TestFailureKeepsOld(t *testing.T) {
	old := bytes.Repeat([]byte("old report line\n"), 300) // 4,800 bytes: more than a page
	data := bytes.Repeat([]byte("the new, complete report\n"), 4000)
	failAt := func(at string) func(string, string) error {
		return func(step, _ string) error {
			if step == at {
				return fmt.Errorf("%s: %w", step, errInjected)
			}
			return nil
		}
	}
	cut := func(n int) func(io.Writer) io.Writer {
		return func(w io.Writer) io.Writer { return &failAfter{w: w, n: n} }
	}
	tests := []struct {
		name string
		wrap func(io.Writer) io.Writer
		step func(string, string) error
	}{
		{name: "nothing written", wrap: cut(0)},
		{name: "one byte written", wrap: cut(1)},
		{name: "4096 bytes written", wrap: cut(4096)},
		{name: "all but one byte written", wrap: cut(len(data) - 1)},
		{name: "after creating", step: failAt("created")},
		{name: "before syncing", step: failAt("written")},
		{name: "before closing", step: failAt("synced")},
		{name: "before renaming", step: failAt("closed")},
	}
	for _, tt := range tests {
		for _, exists := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s, file exists %v", tt.name, exists), func(t *testing.T) {
				p := filepath.Join(t.TempDir(), "report.yaml")
				if exists {
					if err := os.WriteFile(p, old, 0o600); err != nil {
						t.Fatal(err)
					}
				}
				setHooks(t, tt.wrap, tt.step)
				for _, write := range []struct {
					name string
					f    func() error
				}{
					{"WriteFile", func() error { return WriteFile(p, data, 0o644) }},
					{"Create", func() error { return stream(p, data) }},
				} {
					if err := write.f(); !errors.Is(err, errInjected) {
						t.Fatalf("%s: got %v, want the injected failure", write.name, err)
					}
					if exists {
						assertFile(t, p, old, 0o600)
					} else if n := names(t, filepath.Dir(p)); len(n) != 0 {
						t.Errorf("%s: the folder holds %q, want nothing", write.name, n)
					}
				}
			})
		}
	}
}

// stream writes data through Create in small pieces, ignoring write errors
// as careless callers (fmt.Fprintf) do: Commit must refuse all the same.
func stream(p string, data []byte) error {
	f, err := Create(p, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	for chunk := range slices.Chunk(data, 1000) {
		f.Write(chunk)
	}
	return f.Commit()
}

func TestFailureAfterRenameKeepsNew(t *testing.T) {
	p := filepath.Join(t.TempDir(), "report.yaml")
	os.WriteFile(p, []byte("old\n"), 0o644)
	setHooks(t, nil, func(step, _ string) error {
		if step == "renamed" {
			return errInjected
		}
		return nil
	})
	if err := WriteFile(p, []byte("new\n"), 0o644); !errors.Is(err, errInjected) {
		t.Fatalf("got %v, want the injected failure", err)
	}
	fi, _ := os.Stat(p)
	assertFile(t, p, []byte("new\n"), fi.Mode().Perm())
}

func TestCloseWithoutCommitDiscards(t *testing.T) {
	p := filepath.Join(t.TempDir(), "overview.html")
	os.WriteFile(p, []byte("<p>old</p>\n"), 0o644)
	os.Chmod(p, 0o644)
	f, err := Create(p, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "<p>half of the new one")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, []byte("<p>old</p>\n"), 0o644)
	if err := f.Commit(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Commit after Close: got %v, want fs.ErrClosed", err)
	}
	if _, err := f.Write([]byte("x")); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Write after Close: got %v, want fs.ErrClosed", err)
	}
	assertFile(t, p, []byte("<p>old</p>\n"), 0o644)
}

func TestCommitTwice(t *testing.T) {
	p := filepath.Join(t.TempDir(), "audit.json")
	f, err := Create(p, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	io.WriteString(f, "{}\n")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Commit: got %v, want fs.ErrClosed", err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close after Commit: %v", err)
	}
	assertFile(t, p, []byte("{}\n"), 0o600)
}
