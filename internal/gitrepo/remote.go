package gitrepo

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5"
)

// RemoteURL returns the first URL of the remote name (such as origin) in
// the repository's configuration, or "" when there is no such remote.
func (r *Repo) RemoteURL(name string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rem, err := r.repo.Remote(name)
	if errors.Is(err, git.ErrRemoteNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read remote %s: %w", name, err)
	}
	if urls := rem.Config().URLs; len(urls) > 0 {
		return urls[0], nil
	}
	return "", nil
}
