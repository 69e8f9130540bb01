package gitrepo

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Blob returns the content of the blob h.
func (r *Repo) Blob(h plumbing.Hash) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o, err := r.st.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer rd.Close()
	b := make([]byte, o.Size())
	if _, err := io.ReadFull(rd, b); err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	return b, nil
}

// ReflogEntry is one line of a reference's log: the reference moved from
// Old to New (Old is zero when it was created).
type ReflogEntry struct {
	Old, New plumbing.Hash
	Who      string
	When     time.Time
	Message  string
}

// Reflog returns the log of the reference name (such as
// "refs/heads/main", "refs/remotes/origin/main" or "HEAD"), oldest first,
// as the clone recorded it. A reference without a log, or a repository not
// stored in a folder, gives none.
func (r *Repo) Reflog(name string) ([]ReflogEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fsStore, ok := r.st.(*filesystem.Storage)
	if !ok {
		return nil, nil
	}
	f, err := fsStore.Filesystem().Open("logs/" + name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the log of %s: %w", name, err)
	}
	defer f.Close()
	var out []ReflogEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if e, ok := parseReflog(sc.Text()); ok {
			out = append(out, e)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read the log of %s: %w", name, err)
	}
	return out, nil
}

// parseReflog reads "<old> <new> <name> <<email>> <unix time> <zone>\t<message>".
func parseReflog(line string) (ReflogEntry, bool) {
	head, msg, _ := strings.Cut(line, "\t")
	f := strings.Fields(head)
	if len(f) < 4 || len(f[0]) != 40 || len(f[1]) != 40 {
		return ReflogEntry{}, false
	}
	e := ReflogEntry{Old: plumbing.NewHash(f[0]), New: plumbing.NewHash(f[1]), Message: msg,
		Who: strings.Join(f[2:len(f)-2], " ")}
	if sec, err := strconv.ParseInt(f[len(f)-2], 10, 64); err == nil {
		e.When = time.Unix(sec, 0).UTC()
	}
	return e, true
}

func info(c *object.Commit) CommitInfo {
	return CommitInfo{Hash: c.Hash, Parents: slices.Clone(c.ParentHashes), Author: c.Author,
		Committer: c.Committer, Message: c.Message, Signed: c.PGPSignature != ""}
}

// Commit returns the commit h as plain data.
func (r *Repo) Commit(h plumbing.Hash) (CommitInfo, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := object.GetCommit(r.st, h)
	if err != nil {
		if missing(err) {
			return CommitInfo{}, &noCommitError{rev: h.String(), err: err}
		}
		return CommitInfo{}, fmt.Errorf("read commit %s: %w", h, err)
	}
	return info(c), nil
}
