package gate

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/record"
)

// Refusal is why the gate will not route or pass a pull request: it is
// shown to the user and set as the failed status, never retried.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return r.Reason }

func refuse(format string, args ...any) error { return &Refusal{fmt.Sprintf(format, args...)} }

// IsRefusal reports whether err is a *Refusal and returns its reason.
func IsRefusal(err error) (string, bool) {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Reason, true
	}
	return "", false
}

// ErrNoRecords is returned by Subject when a pull request changes no report
// and no device: the gate does not apply, the code owners review it.
var ErrNoRecords = errors.New("the pull request changes no report and no device")

// Changed is one record a pull request adds or modifies, read at its head.
type Changed struct {
	Path string
	Kind record.Kind // record.Report or record.Device
	// Reporter is a report's reporter field; Owner a device's owner field.
	Reporter, Owner string
	// Device is the device a report is for.
	Device string
	// What a report says that its reviewers must read: the concerns in
	// the employee's words, and the threats its antivirus found and
	// resolved (as written).
	Concerns, ThreatsFound, ThreatsResolved string
}

// Subject returns the one person whose records the pull request changes,
// as record.Owner decides it from the base: the registered owner of each
// report's device (who must also be its reporter), and the base's owner of
// each device (the proposed owner only for a device new in the pull
// request). Records of two people, a report
// for a device that is not registered on the base, and an owner who is not
// in people/ are refused.
func (r *Roster) Subject(changed []Changed) (Person, error) {
	if len(changed) == 0 {
		return Person{}, ErrNoRecords
	}
	var ids []string // the owners, first one first
	first := ""
	for _, c := range changed {
		// A report is the report of the device at its path, whatever its
		// device field says (the check refuses a report whose field names
		// another, and no exception silences that).
		device, proposed := record.IDOf(c.Path), c.Owner
		if c.Kind == record.Report {
			proposed = c.Reporter
		}
		owner, registered := record.Owner(c.Kind, device, proposed, r.DeviceOwner)
		if c.Kind == record.Report {
			if c.Device != device {
				return Person{}, refuse("%s is the report of device %q, but it names device %q; a report is filed at its own device's path", c.Path, device, c.Device)
			}
			if !registered {
				return Person{}, refuse("%s is for device %q, which is not registered on the base branch; register the device in its own pull request first", c.Path, device)
			}
			if c.Reporter != owner {
				return Person{}, refuse("%s names reporter %q, but device %q belongs to %q; a report is filed by the device's owner only", c.Path, c.Reporter, device, owner)
			}
		}
		if owner == "" {
			return Person{}, refuse("%s names no owner; a device record names the person it belongs to", c.Path)
		}
		if len(ids) == 0 {
			first = c.Path
		}
		if !slices.Contains(ids, owner) {
			ids = append(ids, owner)
		}
	}
	if len(ids) > 1 {
		slices.Sort(ids)
		return Person{}, refuse("this pull request changes the records of %s; one pull request carries one person's reports and devices: split it", strings.Join(ids, " and "))
	}
	p, ok := r.Get(ids[0])
	if !ok {
		return Person{}, refuse("%s belongs to %q, who is not in people/ on the base branch", first, ids[0])
	}
	return p, nil
}

// CheckIdentity refuses a pull request that speaks for someone other than
// its subject. identity is the GitHub login the pull request speaks for:
// its author, or for a pull request the bot opened from an issue form, the
// author of that issue. An active IT admin may register devices for others
// (as posture check allows), never file their reports.
func (r *Roster) CheckIdentity(subject Person, identity string, changed []Changed) error {
	if sameLogin(subject.Login, identity) {
		return nil
	}
	if p, ok := r.ByLogin(identity); ok && p.Role == RoleITAdmin && p.Active && onlyDevices(changed) {
		return nil
	}
	owner := "nobody with a GitHub login"
	if subject.Login != "" {
		owner = "@" + subject.Login
	}
	return refuse("this pull request speaks for @%s, but its records belong to %s (%s); employees file only their own reports and devices", identity, subject.ID, owner)
}

func onlyDevices(changed []Changed) bool {
	for _, c := range changed {
		if c.Kind != record.Device {
			return false
		}
	}
	return len(changed) > 0
}
