package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/posture-dev/posture/bench/equiv"
	"github.com/posture-dev/posture/internal/synth"
)

// period is the month of the generated reports (synth's default).
const period = "2026-11"

// makeOrg generates an organisation of n employees in dir with the
// repository's policies (without exceptions) and schemas, so that posture
// runs its real policies on it.
func makeOrg(root, dir string, n int, seed uint64) (synth.Expect, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	exp, err := synth.Generate(dir, synth.Options{Employees: n, Period: period, Seed: seed})
	if err != nil {
		return nil, fmt.Errorf("generate the organisation: %w", err)
	}
	for _, d := range []string{"policies", "schemas"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join(root, d))); err != nil {
			return nil, fmt.Errorf("copy %s: %w", d, err)
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "policies", "exceptions")); err != nil {
		return nil, err
	}
	return exp, nil
}

// writeData writes the equivalent policy set's data document for org:
// its devices, the OS support table, the full-scan limit and the reference
// date. posture judges a report with no Git history on its period's due day,
// so that is the date.
func writeData(org, path string) (string, error) {
	ref, err := dueDay(org)
	if err != nil {
		return "", err
	}
	data, err := equiv.Data(org, ref)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(data)
	if err != nil {
		return "", err
	}
	return ref, os.WriteFile(path, b, 0o644)
}

// dueDay is the due day of period's reports in org: report_due_day of its
// posture.yaml (default 10).
func dueDay(org string) (string, error) {
	b, err := os.ReadFile(filepath.Join(org, "posture.yaml"))
	if err != nil {
		return "", err
	}
	v, err := equiv.Decode(b)
	if err != nil {
		return "", fmt.Errorf("parse posture.yaml: %w", err)
	}
	day := int64(10)
	if m, ok := v.(map[string]any); ok {
		if d, ok := m["report_due_day"].(int64); ok {
			day = d
		}
	}
	return fmt.Sprintf("%s-%02d", period, day), nil
}
