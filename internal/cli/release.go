package cli

import (
	"regexp"
	"strings"

	"github.com/posture-dev/posture/internal/scaffold"
)

var (
	// taggedRe is a semantic version a tag names: v1.2.3, v1.3.0-rc.1.
	taggedRe = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)
	// pseudoRe ends a pseudo-version: a commit time and 12 hex digits.
	pseudoRe = regexp.MustCompile(`[0-9]{14}-[0-9a-f]{12}$`)
	commitRe = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// tagged says whether v is the version of a tag (installed with go install
// ...@v1.2.3), not a pseudo-version of a commit or "(devel)".
func tagged(v string) bool { return taggedRe.MatchString(v) && !pseudoRe.MatchString(v) }

// releaseOf says what the binary b writes into an organisation's
// repository: the version its files are stamped with, and the ref of
// posture-dev/posture its workflows pin: actionRef when given, else the
// tag of a tagged version, else the commit it was built from. warning,
// when set, is for the user: a build from a checkout with uncommitted
// changes pins a commit that is not quite what wrote the files.
func releaseOf(b Build, actionRef string) (r scaffold.Release, warning string, err error) {
	switch {
	case tagged(b.Version):
		r.Version = b.Version
	case b.Version != "" && b.Version != "(devel)" && b.Version != "(unknown)":
		r.Version = b.Version // a pseudo-version names its commit
	case b.Revision != "":
		r.Version = b.Revision
		if b.Modified {
			r.Version += "+dirty"
		}
	default:
		r.Version = "(devel)"
	}
	switch {
	case actionRef != "":
		if !scaffold.ValidRef(actionRef) {
			return r, "", usagef("--action-ref %q: give a tag (v1.2.3) or a full commit of %s", actionRef, scaffold.Action)
		}
		r.Ref = actionRef
	case tagged(b.Version):
		r.Ref = b.Version
	case commitRe.MatchString(b.Revision):
		r.Ref = b.Revision
		if b.Modified || strings.HasSuffix(b.Version, "+dirty") {
			warning = "posture was built from a checkout with uncommitted changes: the workflows pin its commit " + b.Revision + ", which may not hold those changes; commit and push them, or give --action-ref"
		}
	default:
		return r, "", usagef("this posture knows neither its release tag nor its commit (it was built without version information), so the workflows cannot pin %s to it: install a release with go install github.com/posture-dev/posture/cmd/posture@<version>, or give --action-ref with a tag or commit of %s", scaffold.Action, scaffold.Action)
	}
	return r, warning, nil
}
