// Package scaffold makes and keeps an organisation's posture repository:
// the files posture init writes, and the plan by which posture upgrade
// brings them to a newer posture.
//
// The tool and an organisation's data live apart. posture's own repository
// holds the tool and a demo; an organisation's repository holds its
// records, its policies and its workflows, and no code: the workflows call
// posture's composite action pinned by version. Its files are of four kinds:
//
//   - managed: posture's rules and their tests (policies/*.rego), the
//     schemas, the workflows, the issue forms and the pull-request
//     templates. posture.lock records each with the version it came from
//     and its sha256; upgrade replaces a file only while it still has that
//     hash.
//   - data: policies/config/data.yaml, the organisation's thresholds, SSIDs
//     and OS table. It starts as posture's defaults; upgrade adds the keys
//     a newer posture brings, with their defaults, and never changes one.
//   - generated: .github/CODEOWNERS, made from people/ (posture codeowners).
//   - seeds: posture.yaml, the first IT admin in people/, README.md and
//     policies/local/README.md, written once by init and the organisation's
//     from then on.
//
// Upgrade never touches people/, devices/, reports/, policies/exceptions/ or
// policies/local/.
//
// The workflows, forms and templates are rendered from templates/, which
// are also the source of posture's own repository's files: rendered for it
// (Params.Self) they reproduce its .github byte for byte, which a test
// keeps true.
package scaffold

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Action is posture's composite action, as an organisation's workflows
// name it.
const Action = "posture-dev/posture"

// LockFile records the managed files, at the repository's root.
const LockFile = "posture.lock"

// DataFile is the organisation's policy data.
const DataFile = "policies/config/data.yaml"

// Kind is how posture treats a file of an organisation's repository.
type Kind int

// The kinds of files.
const (
	Managed   Kind = iota // replaced by upgrade while unedited
	Data                  // new keys merged in by upgrade
	Generated             // made from the records by posture
	Seed                  // written by init only
)

// File is one file of an organisation's repository.
type File struct {
	// Path is slash-separated, relative to the repository's root.
	Path string
	Data []byte
	Kind Kind
}

// Person is the first IT admin.
type Person struct {
	ID, Name, Login, Email string
}

// Release is the posture that renders: what its files are stamped with and
// what its workflows call.
type Release struct {
	// Version is stamped into every file and recorded in posture.lock: a
	// tag such as v1.2.3, a pseudo-version, a commit, or "(devel)".
	Version string
	// Ref is the tag or commit of posture-dev/posture the workflows pin.
	Ref string
}

// Params are what an organisation's repository is rendered from. Upgrade
// reads them back from the repository: Org, Timezone and DueDay from
// posture.yaml, SSIDs from the policy data, Repo and ExampleDevice from
// posture.lock.
type Params struct {
	Org      string
	Timezone string
	DueDay   int
	// SSIDs are the corporate Wi-Fi networks; the forms suggest the first.
	SSIDs []string
	// Admin is the first IT admin (init only).
	Admin Person
	// Repo is the repository on GitHub, OWNER/NAME, for links.
	Repo string
	// ExampleDevice is the device id the forms and the README show.
	ExampleDevice string
	Release       Release
	// Self renders posture's own repository: workflows that build posture
	// from its checkout and call the action in ./, links to its docs.
	Self bool
	// Now is the time of the first commit (init only).
	Now time.Time
}

var (
	loginRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,37}[A-Za-z0-9])?$`)
	idRe    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	repoRe  = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$`)
	refRe   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$`)
	emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// ValidLogin says whether s can be a GitHub login.
func ValidLogin(s string) bool { return loginRe.MatchString(s) }

// ValidID says whether s can be a record id.
func ValidID(s string) bool { return idRe.MatchString(s) }

// ValidRepo says whether s is OWNER/NAME as GitHub spells it.
func ValidRepo(s string) bool { return repoRe.MatchString(s) && !strings.HasSuffix(s, ".git") }

// ValidRef says whether s can be the tag or commit the workflows pin.
func ValidRef(s string) bool { return refRe.MatchString(s) && !strings.Contains(s, "..") }

// ValidEmail says whether s looks like an email address, as the person
// schema asks.
func ValidEmail(s string) bool { return emailRe.MatchString(s) && len(s) <= 200 }

// ValidSSID says whether s can be a Wi-Fi network's name: 1 to 32 bytes of
// printable text (802.11 allows 32 octets).
func ValidSSID(s string) bool {
	return s != "" && len(s) <= 32 && strings.TrimSpace(s) == s && printable(s)
}

// ValidOrg says whether s can be the organisation's name.
func ValidOrg(s string) bool {
	return strings.TrimSpace(s) != "" && len(s) <= 200 && strings.TrimSpace(s) == s && printable(s)
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || (r >= 0x80 && r < 0xa0) || r == '\ufeff' {
			return false
		}
	}
	return true
}

// check says what is wrong with p, for a file of it could not be rendered
// faithfully otherwise.
func (p Params) check() error {
	switch {
	case !ValidOrg(p.Org):
		return fmt.Errorf("organisation name %q: give 1-200 characters of text on one line", p.Org)
	case p.Timezone == "" || strings.ContainsAny(p.Timezone, " \t\n#:\"'"):
		return fmt.Errorf("timezone %q is not an IANA timezone name such as Asia/Tokyo", p.Timezone)
	case p.DueDay < 1 || p.DueDay > 28:
		return fmt.Errorf("due day %d: give a day of the month from 1 to 28", p.DueDay)
	case len(p.SSIDs) == 0:
		return fmt.Errorf("give at least one corporate Wi-Fi network (SSID)")
	case !ValidID(p.ExampleDevice):
		return fmt.Errorf("example device id %q: lowercase letters, digits and dashes", p.ExampleDevice)
	case !p.Self && !ValidRepo(p.Repo):
		return fmt.Errorf("repository %q: give OWNER/NAME as on GitHub", p.Repo)
	case !p.Self && !ValidRef(p.Release.Ref):
		return fmt.Errorf("action ref %q: give a tag or commit of %s", p.Release.Ref, Action)
	}
	for _, s := range p.SSIDs {
		if !ValidSSID(s) {
			return fmt.Errorf("SSID %q: give 1-32 characters of text, no spaces at either end", s)
		}
	}
	return nil
}
