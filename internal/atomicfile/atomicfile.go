// Package atomicfile writes files so that each is, at every moment, either
// its old content or its complete new content: never empty, never cut short,
// however the write ends (a full disk, a killed process, a crash after the
// write returned). Every file posture writes for its user goes through it:
// posture report new, collect --into, codeowners, overview and audit
// --output, and the bench's results.
//
// A write goes to a temporary file in the target's own folder (the same file
// system, so the rename is atomic), named ".<name>.tmp-<random>". It is given
// its final mode, written, fsynced, closed and renamed over the target, and
// then the folder is fsynced so that the rename, too, survives a crash. On any
// error before the rename the temporary file is removed and the target is
// untouched; an error syncing the folder after the rename leaves the new file
// in place.
//
// The result is what os.WriteFile would have written, without its window:
//   - the mode of the file replaced is kept; a new file gets perm less the
//     umask (the temporary file is opened with O_EXCL and perm so the kernel
//     applies the umask: os.CreateTemp would give 0600, and Go cannot read
//     the umask without changing it);
//   - a file this process may not write (read-only, say) is refused, not
//     replaced;
//   - a symbolic link at the path is replaced by the file, not followed,
//     whatever it points at (a file, a pipe, a device), so a link planted in
//     a cloned repository cannot steer a write elsewhere;
//   - a path that is itself a device, a pipe or a socket (--output /dev/null)
//     is written straight to: it has no old content to keep, and its folder
//     is no place for a temporary file. So are the names a shell gives its
//     streams, /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N, which
//     are links: --output /dev/stdout writes to standard output, whatever it
//     is (a terminal, a pipe, a file it was redirected to), and never renames
//     a file over /dev/stdout.
//
// The replaced file's owner and extended attributes are not carried over:
// the new file belongs to the user who wrote it. On Windows, os.Rename is
// MoveFileEx with MOVEFILE_REPLACE_EXISTING and the folder is not synced
// (Windows cannot sync a folder).
//
// A process killed mid-write leaves its temporary file behind: nothing runs
// after SIGKILL. The target is intact, and posture check passes over the
// leftover (its name starts with a dot and does not end in .yaml); git
// status shows it, to delete.
//
// Appending is not this package's business: the GitHub step summary
// ($GITHUB_STEP_SUMMARY) is appended to by design, as GitHub's protocol asks
// of every step, and posture check opens it with O_APPEND. Nor are files
// written into a new scratch folder that nothing reads until they are done
// (internal/synth's organisations, the bench's working copies): they keep
// os.WriteFile.
//
// Why not github.com/google/renameio/v2, which is well kept and made for
// this: it builds only for !windows (its maybe.WriteFile falls back to a
// plain, non-atomic os.WriteFile there) and posture collect runs on Windows
// computers; it does not fsync the folder after the rename; and it has no
// seam where a test can fail a write halfway or stop it before the rename.
// Wrapping it would still need all three; doing it here takes about 200
// lines of Go, with no dependency.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// WriteFile writes data to the file named path, creating it with perm (less
// the umask) or keeping the mode of the file it replaces. On error the file
// is as it was.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Commit()
}

// File is a file being written. Nothing of it reaches path until Commit
// succeeds; Close without Commit discards it.
type File struct {
	path string
	tmp  string // the temporary file; "" when writing straight to a device, pipe or stream
	f    *os.File
	w    *bufio.Writer
	err  error // the first write error: Commit refuses to rename after one
	done bool
}

// Create starts writing the file named path. The caller writes to the
// returned File, then calls Commit to put it in place; a deferred Close
// discards the file when Commit was never reached.
func Create(path string, perm fs.FileMode) (*File, error) {
	old, err := os.Lstat(path) // not os.Stat: a link is replaced, not followed
	if (err == nil && old.Mode()&streamTypes != 0) || isStreamName(path) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return nil, err
		}
		return newFile(path, "", f), nil
	}
	replacing := err == nil && old.Mode().IsRegular()
	if replacing {
		probe, err := os.OpenFile(path, os.O_WRONLY, 0) // refuse what os.WriteFile would refuse
		if err != nil {
			return nil, err
		}
		probe.Close()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := createTemp(dir, "."+base+".tmp-", perm)
	if err != nil {
		return nil, fail("create a temporary file beside it", err)
	}
	af := newFile(path, f.Name(), f)
	if replacing {
		if err := f.Chmod(old.Mode().Perm()); err != nil {
			af.discard()
			return nil, fail("give the temporary file the mode of the old one", err)
		}
	}
	if err := hook("created", path); err != nil {
		af.discard()
		return nil, err
	}
	return af, nil
}

// streamTypes are the file types written straight to, not replaced.
const streamTypes = fs.ModeDevice | fs.ModeCharDevice | fs.ModeNamedPipe | fs.ModeSocket

// isStreamName says whether path names one of the process's own streams:
// /dev/stdout, /dev/stderr, /dev/fd/N or /proc/self/fd/N. They are links
// (to /proc/self/fd/N, or made by the kernel), which Create follows, as a
// shell does, instead of replacing them.
func isStreamName(path string) bool {
	if !filepath.IsAbs(path) {
		return false
	}
	path = filepath.ToSlash(filepath.Clean(path))
	switch path {
	case "/dev/stdout", "/dev/stderr":
		return true
	}
	for _, prefix := range []string{"/dev/fd/", "/proc/self/fd/"} {
		if n, ok := strings.CutPrefix(path, prefix); ok {
			_, err := strconv.ParseUint(n, 10, 31)
			return err == nil
		}
	}
	return false
}

func newFile(path, tmp string, f *os.File) *File {
	var w io.Writer = f
	if wrapWriter != nil {
		w = wrapWriter(w)
	}
	return &File{path: path, tmp: tmp, f: f, w: bufio.NewWriterSize(w, 32<<10)}
}

// createTemp opens a new file in dir named prefix and a random suffix,
// with perm less the umask.
func createTemp(dir, prefix string, perm fs.FileMode) (*os.File, error) {
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no free name %s* in %s", prefix, dir)
}

// Write writes p to the file. After an error every later Write and Commit
// fail with it, so a caller that ignores Write's error still cannot commit a
// file cut short.
func (f *File) Write(p []byte) (int, error) {
	if f.done {
		return 0, fs.ErrClosed
	}
	if f.err != nil {
		return 0, f.err
	}
	n, err := f.w.Write(p)
	if err != nil {
		f.err = fail("", err)
	}
	return n, f.err
}

// Commit puts the written file in place of path. On an error before the
// rename, path is as it was and the temporary file is gone.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("commit %s: %w", f.path, fs.ErrClosed)
	}
	f.done = true
	if f.err == nil {
		if err := f.w.Flush(); err != nil {
			f.err = fail("", err)
		}
	}
	if f.err != nil {
		f.discard()
		return f.err
	}
	if f.tmp == "" {
		if err := f.f.Close(); err != nil {
			return fail("close", err)
		}
		return nil
	}
	if err := f.replace(); err != nil {
		f.discard()
		return err
	}
	if err := hook("renamed", f.path); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(f.path)); err != nil {
		return fail("sync its folder after replacing it", err)
	}
	return nil
}

// replace syncs and closes the temporary file and renames it over path.
func (f *File) replace() error {
	if err := hook("written", f.path); err != nil {
		return err
	}
	if err := f.f.Sync(); err != nil {
		return fail("sync to disk", err)
	}
	if err := hook("synced", f.path); err != nil {
		return err
	}
	if err := f.f.Close(); err != nil {
		return fail("close", err)
	}
	if err := hook("closed", f.path); err != nil {
		return err
	}
	if err := os.Rename(f.tmp, f.path); err != nil {
		return fail("rename the temporary file over it", err)
	}
	f.tmp = ""
	return nil
}

// Close discards the file unless Commit was called; after Commit it does
// nothing. Deferring it right after Create cleans up on every error path.
func (f *File) Close() error {
	if f.done {
		return nil
	}
	f.done = true
	return f.discard()
}

// discard closes and removes the temporary file.
func (f *File) discard() error {
	f.f.Close() // already closed once the rename was reached; the error says nothing new
	if f.tmp == "" {
		return nil
	}
	err := os.Remove(f.tmp)
	f.tmp = ""
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fail("remove the temporary file", err)
	}
	return nil
}

// syncDir makes a rename in dir durable. Windows cannot sync a folder, and
// some file systems refuse to: the rename is then as durable as they make it.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	d.Close()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	return err
}

// fail names the step that failed; a failed write needs no name, as its
// caller says "write FILE". The temporary file's name, which os.PathError
// and os.LinkError carry, means nothing to the user once it is removed, so
// it is dropped.
func fail(step string, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	if step == "" {
		return err
	}
	return fmt.Errorf("%s: %w", step, err)
}
