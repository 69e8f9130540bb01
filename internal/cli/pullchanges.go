package cli

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/check"
	"github.com/posture-dev/posture/internal/forge"
	"github.com/posture-dev/posture/internal/gate"
	"github.com/posture-dev/posture/internal/gitrepo"
	"github.com/posture-dev/posture/internal/record"
)

// sameFiles refuses to judge a clone whose diff is not the one GitHub
// would merge: a stale fetch, or a base other than the pull request's.
func sameFiles(ctx context.Context, c *forge.Client, n int, changes []gitrepo.Change) error {
	files, err := c.PullFiles(ctx, n)
	if err != nil {
		return err
	}
	var remote, local []string
	for _, f := range files {
		remote = append(remote, f.GetFilename())
		if f.GetStatus() == "renamed" && f.GetPreviousFilename() != "" {
			remote = append(remote, f.GetPreviousFilename())
		}
	}
	for _, ch := range changes {
		local = append(local, ch.Path)
	}
	slices.Sort(remote)
	slices.Sort(local)
	remote, local = slices.Compact(remote), slices.Compact(local)
	if !slices.Equal(remote, local) {
		return &check.InputError{Msg: fmt.Sprintf("GitHub lists %d changed files for #%d but the clone's diff has %d (%s): fetch the head and the base again",
			len(remote), n, len(local), firstDifference(remote, local))}
	}
	return nil
}

func firstDifference(a, b []string) string {
	for i := 0; i < max(len(a), len(b)); i++ {
		switch {
		case i >= len(a):
			return "only in the clone: " + b[i]
		case i >= len(b) || a[i] < b[i]:
			return "only on GitHub: " + a[i]
		case a[i] > b[i]:
			return "only in the clone: " + b[i]
		}
	}
	return "none"
}

// changedRecords reads the reports and devices a pull request adds or
// changes at its head. refusal is set when a record cannot be read, or
// when files under reports/ or devices/ change without any record.
func changedRecords(headFS fs.FS, changes []gitrepo.Change) (out []gate.Changed, refusal string) {
	var loose []string
	for _, ch := range changes {
		if ch.Action == gitrepo.Deleted {
			continue // posture check refuses deleting a record
		}
		k, ok, _ := record.Classify(ch.Path)
		if !ok || (k != record.Report && k != record.Device) {
			if strings.HasPrefix(ch.Path, record.ReportsDir+"/") || strings.HasPrefix(ch.Path, record.DevicesDir+"/") {
				loose = append(loose, ch.Path)
			}
			continue
		}
		data, err := fs.ReadFile(headFS, ch.Path)
		rec, _ := record.Parse(ch.Path, k, data)
		if err != nil || rec == nil {
			return nil, fmt.Sprintf("%s cannot be read as a record: fix what posture check reports first", ch.Path)
		}
		out = append(out, gate.Changed{Path: ch.Path, Kind: k, Reporter: rec.String("reporter"),
			Owner: rec.String("owner"), Device: rec.String("device"),
			Concerns: rec.String("concerns"), ThreatsFound: rec.Text("threats_found"), ThreatsResolved: rec.Text("threats_resolved")})
	}
	if len(out) == 0 && len(loose) > 0 {
		return nil, fmt.Sprintf("it changes %s but no report: evidence is added together with the report that names it", loose[0])
	}
	return out, ""
}
