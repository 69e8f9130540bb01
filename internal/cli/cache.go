package cli

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/atomicfile"
	"github.com/posture-dev/posture/internal/check"
	"github.com/spf13/cobra"
)

// CacheFlags are the result cache's flags of check, overview and audit.
type CacheFlags struct {
	Dir string
	Off bool
}

// addCacheFlags binds --cache and --no-cache.
func addCacheFlags(cmd *cobra.Command, c *CacheFlags) {
	fl := cmd.Flags()
	fl.StringVar(&c.Dir, "cache", "", "keep results in this `folder` and reuse them while nothing that decides them changes (default .git/posture/cache of the repository)")
	fl.BoolVar(&c.Off, "no-cache", false, "judge every record again, and keep nothing")
	cmd.MarkFlagsMutuallyExclusive("cache", "no-cache")
}

// open opens the cache for a repository whose root (or Git folder, for a
// clone) is at root: --cache, else .git/posture/cache when root is a
// clone's root. A cache that cannot be opened is said on errOut and left
// out: it only ever saves time.
func (c CacheFlags) open(root string, errOut io.Writer) *check.Cache {
	if c.Off {
		return nil
	}
	dir := c.Dir
	if dir == "" {
		git := gitDir(root)
		if git == "" {
			return nil
		}
		dir = filepath.Join(git, "posture", "cache")
	}
	version, err := cacheVersion(dir)
	if err == nil {
		var cache *check.Cache
		if cache, err = check.OpenCache(dir, version, 0); err == nil {
			return cache
		}
	}
	fmt.Fprintf(errOut, "posture: warning: working without the cache: %v\n", err)
	return nil
}

// closeCache writes what the run added to the cache; a cache that cannot
// be written is said on errOut, and changes no result.
func closeCache(c *check.Cache, errOut io.Writer) {
	if err := c.Close(); err != nil {
		fmt.Fprintf(errOut, "posture: warning: %v\n", err)
	}
}

// gitDir returns the Git folder of the clone whose root is root: root/.git,
// or where a .git file (a worktree, a submodule) points; "" for none.
func gitDir(root string) string {
	p := filepath.Join(root, ".git")
	info, err := os.Stat(p)
	switch {
	case err != nil:
		return ""
	case info.IsDir():
		return p
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return ""
	}
	target, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir:")
	if !ok {
		return ""
	}
	target = strings.TrimSpace(target)
	if !filepath.IsAbs(target) {
		target = filepath.Join(root, target)
	}
	return target
}

// cacheVersion names the running build for the cache's keys: its version
// and commit, and for a build that no version names exactly (built in a
// checkout with changes, or with no version stamped) the digest of the
// executable itself, so that no two builds share results. The digest is
// kept in the cache folder dir by the executable's path, size and time.
func cacheVersion(dir string) (string, error) {
	b := currentBuild()
	v := b.String() + " " + b.Go
	if strings.HasPrefix(b.Version, "v") && !strings.Contains(b.Version, "+dirty") && !b.Modified {
		return v, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("name this build: %w", err)
	}
	info, err := os.Stat(exe)
	if err != nil {
		return "", fmt.Errorf("name this build: %w", err)
	}
	memo := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%d", exe, info.Size(), info.ModTime().UnixNano()))
	memoPath := filepath.Join(dir, "build-"+hex.EncodeToString(memo[:8]))
	if data, err := os.ReadFile(memoPath); err == nil && len(data) == 2*sha256.Size {
		return v + " " + string(data), nil
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("name this build: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("name this build: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if os.MkdirAll(dir, 0o755) == nil {
		atomicfile.WriteFile(memoPath, []byte(sum), 0o644) // a memo: without it the next run hashes again
		pruneMemos(dir)
	}
	return v + " " + sum, nil
}

// keptMemos is how many builds' digests the cache folder remembers.
const keptMemos = 8

// pruneMemos removes all but the newest memos of builds' digests.
func pruneMemos(dir string) {
	memos, _ := filepath.Glob(filepath.Join(dir, "build-*"))
	if len(memos) <= keptMemos {
		return
	}
	type memo struct {
		path string
		mod  int64
	}
	var ms []memo
	for _, p := range memos {
		if info, err := os.Stat(p); err == nil {
			ms = append(ms, memo{p, info.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(ms, func(a, b memo) int { return cmp.Compare(b.mod, a.mod) })
	for _, m := range ms[min(keptMemos, len(ms)):] {
		os.Remove(m.path)
	}
}
