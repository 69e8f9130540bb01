package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// The audited periods: the twelve months of the generated history.
const auditFrom, auditTo = "2026-01", "2026-12"

// auditResult is posture audit of a history with evidence merges beside
// git log --name-status.
type auditResult struct {
	history
	commits, merges int  // as the audit counts them
	rows            int  // evidence rows
	cache           bool // posture audit took --cache
	timed                // audit cold, audit warm, git log
}

// The commands of auditResult.cmds.
const (
	auditCold = iota
	auditWarm
	gitLog
)

// benchAudit builds internal/audit's benchmark history (with evidence
// merges: nine in ten reports by pull request) and times a whole audit of
// its twelve months, cold and warm, against git log --name-status. Cold is
// a run with an empty --cache folder, warm one with the folder a run before
// filled, when posture audit takes --cache; without it both are plain runs,
// warm only in the file cache.
func benchAudit(ctx context.Context, work string, c *config, t *tools, logf func(string, ...any)) (*auditResult, error) {
	res := &auditResult{history: history{Commits: c.auditCommits, Devices: c.auditDevices, PREvery: 10}, cache: t.auditCache}
	dir := filepath.Join(work, "audit")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	logf("audit: building a history of %s commits over %s devices in %s", count(res.Commits), count(res.Devices), dir)
	if err := res.build(ctx, dir); err != nil {
		return nil, err
	}
	args := []string{"audit", "--from", auditFrom, "--to", auditTo, "--format", "json"}
	show := "posture audit --from " + auditFrom + " --to " + auditTo + " --format json"
	cold := command{name: "posture audit", show: show, dir: dir, exe: t.posture, args: args}
	warm := cold
	warm.name = "posture audit, again"
	if t.auditCache {
		cold = t.cold(cold, true, filepath.Join(work, "cache-audit-cold"))
		cold.name = "posture audit, empty cache"
		warmDir := filepath.Join(work, "cache-audit-warm")
		if err := os.RemoveAll(warmDir); err != nil {
			return nil, err
		}
		warm.args = append(slices.Clone(args), "--cache", warmDir)
		warm.show += " --cache $FILLED"
		warm.name = "posture audit, filled cache"
	}
	// A first run checks the audit saw the history (and fills the warm
	// cache); the cold run must find the same.
	var first []byte
	for _, cmd := range []command{warm, cold} {
		var out bytes.Buffer
		if _, _, err := cmd.run(ctx, &out); err != nil {
			return nil, err
		}
		var a struct {
			Scope struct {
				Commits int `json:"commits"`
				Merges  int `json:"evidence_merges"`
			} `json:"scope"`
			Findings json.RawMessage   `json:"findings"`
			Evidence []json.RawMessage `json:"evidence"`
		}
		if err := json.Unmarshal(out.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("%s: read its output: %w", cmd.name, err)
		}
		if want := 12 * res.Devices; len(a.Evidence) != want {
			return nil, fmt.Errorf("%s: %d evidence rows, want %d (%d devices, 12 periods)", cmd.name, len(a.Evidence), want, res.Devices)
		}
		res.commits, res.merges, res.rows = a.Scope.Commits, a.Scope.Merges, len(a.Evidence)
		b, _ := json.Marshal(map[string]any{"findings": a.Findings, "evidence": a.Evidence})
		if first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			return nil, fmt.Errorf("%s and %s write different findings or evidence on the same history", warm.name, cold.name)
		}
	}
	res.cmds = []command{cold, warm, {name: "git log --name-status", show: "git log --name-status", dir: dir, exe: "git", args: []string{"log", "--name-status"}}}
	logf("audit: timing %d runs", c.runs)
	return res, res.time(ctx, c.runs, logf)
}
