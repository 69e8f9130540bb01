package audit

import (
	"context"
	"io"
	"os/exec"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/gitrepo"
)

// BenchmarkAudit builds the synthetic history with git
// fast-import — 20,000 commits, each changing one report among 2,000
// devices in twelve month folders — and times, in the same run, `git log
// --name-status` and a whole posture audit of the twelve months (walk,
// evidence, re-checks, population, JSON output). It reports both times
// and their ratio, the figure the issue sets a target for (within 5x of
// git log, aiming for 3x).
//
// "linear" is the history: every report pushed straight to main.
// "pull-requests" has nine in ten reports go in by a branch commit and an
// evidence merge (so 10,000 merges and 9,500 accepted reports to re-check
// with the Rego policies), the rest by direct pushes.
//
//	go test ./internal/audit -run '^$' -bench Audit -benchtime 3x
func BenchmarkAudit(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed: the benchmark builds its history with git fast-import")
	}
	for _, tc := range []struct {
		name string
		s    synthetic
	}{
		{"linear", synthetic{Commits: 20000, Devices: 2000, PREvery: 1}},
		{"pull-requests", synthetic{Commits: 20000, Devices: 2000, PREvery: 10}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			dir := b.TempDir()
			tc.s.build(b, dir)
			var gitT, auditT time.Duration
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				cmd := exec.Command("git", "log", "--name-status")
				cmd.Dir, cmd.Stdout = dir, io.Discard
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
				gitT += time.Since(start)

				start = time.Now()
				r, err := gitrepo.Open(dir)
				if err != nil {
					b.Fatal(err)
				}
				a, err := Run(context.Background(), Options{Repo: r, From: "2026-01", To: "2026-12", Version: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				if err := Write(io.Discard, "json", a); err != nil {
					b.Fatal(err)
				}
				_ = r.Close()
				auditT += time.Since(start)
				if len(a.Evidence) != 24000 {
					b.Fatalf("%d rows, want 24000", len(a.Evidence))
				}
			}
			b.ReportMetric(gitT.Seconds()/float64(b.N), "git-log-s/op")
			b.ReportMetric(auditT.Seconds()/float64(b.N), "audit-s/op")
			b.ReportMetric(float64(auditT)/float64(gitT), "x-git-log")
		})
	}
}
