package scaffold

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Lock is posture.lock: what posture wrote into an organisation's
// repository, and with what.
type Lock struct {
	// Posture is the version of the last init or upgrade that changed a
	// file; Action the action its workflows call, OWNER/NAME@REF.
	Posture string `yaml:"posture"`
	Action  string `yaml:"action"`
	// Repository and ExampleDevice are what the links and the examples
	// were rendered with.
	Repository    string `yaml:"repository"`
	ExampleDevice string `yaml:"example_device"`
	// Data maps the policy data file to the version whose new keys it
	// last received.
	Data map[string]string `yaml:"data"`
	// Files maps every managed file to the version that wrote it and its
	// sha256.
	Files map[string]Entry `yaml:"files"`
}

// Entry is one managed file in the lock.
type Entry struct {
	Version string `yaml:"version"`
	SHA256  string `yaml:"sha256"`
}

const lockHeader = `# posture.lock: the files posture init wrote and posture upgrade keeps
# current. Every managed file is listed with the posture version it came
# from and its sha256: posture upgrade replaces a file only while it still
# has that hash, and refuses a file edited since (naming it) unless run
# with --force. The policy data is listed with the version whose new keys it
# last received; posture upgrade adds keys to it and never changes a value.
# repository and example_device are what the forms' links and examples
# were written with (posture upgrade takes the repository from the origin
# remote when it is on GitHub). posture writes this file: do not edit it.
`

// Sum is the sha256 of data in hex.
func Sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// Marshal writes the lock, its files sorted by path.
func (l *Lock) Marshal() []byte {
	var b strings.Builder
	b.WriteString(lockHeader)
	fmt.Fprintf(&b, "posture: %s\naction: %s\nrepository: %s\nexample_device: %s\n",
		yamlScalar(l.Posture), yamlScalar(l.Action), yamlScalar(l.Repository), yamlScalar(l.ExampleDevice))
	b.WriteString("data:\n")
	for _, p := range slices.Sorted(maps.Keys(l.Data)) {
		fmt.Fprintf(&b, "  %s: %s\n", yamlScalar(p), yamlScalar(l.Data[p]))
	}
	b.WriteString("files:\n")
	for _, p := range slices.Sorted(maps.Keys(l.Files)) {
		e := l.Files[p]
		fmt.Fprintf(&b, "  %s: {version: %s, sha256: %s}\n", yamlScalar(p), yamlScalar(e.Version), e.SHA256)
	}
	return []byte(b.String())
}

// ErrNoLock says the repository was not made by posture init.
var ErrNoLock = errors.New("no " + LockFile)

// ReadLock reads posture.lock from the root of fsys and checks that every
// path it lists is one posture may manage.
func ReadLock(fsys fs.FS) (*Lock, error) {
	data, err := fs.ReadFile(fsys, LockFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoLock
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", LockFile, err)
	}
	var l Lock
	if err := yaml.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("read %s: %w", LockFile, err)
	}
	if l.Files == nil {
		l.Files = map[string]Entry{}
	}
	if l.Data == nil {
		l.Data = map[string]string{}
	}
	for p, e := range l.Files {
		if !Manageable(p) {
			return nil, fmt.Errorf("%s lists %q, which posture never manages: restore %s from the commit of your last posture upgrade", LockFile, p, LockFile)
		}
		if len(e.SHA256) != 64 {
			return nil, fmt.Errorf("%s: %s has no sha256: restore %s from the commit of your last posture upgrade", LockFile, p, LockFile)
		}
	}
	for p := range l.Data {
		if p != DataFile {
			return nil, fmt.Errorf("%s lists %q as policy data; posture's is %s: restore %s from the commit of your last posture upgrade", LockFile, p, DataFile, LockFile)
		}
	}
	return &l, nil
}

// managedDirs are the folders whose files posture manages; of policies/,
// only the .rego files directly in it.
var managedDirs = []string{"schemas/", ".github/workflows/", ".github/ISSUE_TEMPLATE/", ".github/PULL_REQUEST_TEMPLATE/"}

// Manageable says whether posture may write or remove the file p in an
// organisation's repository: one of posture's rules (policies/*.rego), a
// schema, a workflow, a form or a pull-request template. Everything else
// (people/, devices/, reports/, policies/exceptions/, policies/local/, the
// policy data, the seeds, the lock itself) is never replaced or removed,
// whatever a lock file says.
func Manageable(p string) bool {
	if !fs.ValidPath(p) || strings.Contains(p, "\\") {
		return false
	}
	dir, name := path.Split(p)
	if dir == "policies/" {
		return strings.HasSuffix(name, ".rego")
	}
	return slices.Contains(managedDirs, dir) && name != ""
}
