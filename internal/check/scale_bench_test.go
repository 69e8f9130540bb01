package check

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posture-dev/posture/internal/synth"
)

// The scale benchmarks check registries shaped to hit a quadratic path if
// there is one: many MAC addresses, one login shared by many people, and
// supervisor chains and loops as deep as the registry. Each runs at ten
// times the largest size measured so far; every check should cost
// O(n log n) in the number of records.

// scaleOrg writes a small generated organisation into a temporary folder
// and calls add to write more records into it.
func scaleOrg(b *testing.B, add func(write func(p, s string))) string {
	b.Helper()
	dir := b.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Employees: 10, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	add(func(p, s string) {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
	})
	return dir
}

// runScale checks dir fully b.N times and returns the findings of rule of
// the last run.
func runScale(b *testing.B, dir string, rule string) int {
	b.Helper()
	var n int
	for b.Loop() {
		res, err := Full(context.Background(), Options{Dir: dir, Now: checkTime})
		if err != nil {
			b.Fatal(err)
		}
		n = 0
		for _, f := range res.Findings {
			if f.Rule == rule {
				n++
			}
		}
	}
	b.ReportMetric(float64(n), "findings")
	return n
}

// macDevice is an active device of person e000000 registering macs.
func macDevice(id string, macs []string) string {
	var s strings.Builder
	fmt.Fprintf(&s, "id: %s\nowner: e000000\nownership: byod\ntype: laptop\nplatform: windows\nmodel: Model\nos_version: \"10.0.26200\"\nwifi_macs:\n", id)
	for _, m := range macs {
		fmt.Fprintf(&s, "  - mac: %q\n", m)
	}
	s.WriteString("registered: 2026-01-15\nstatus: active\n")
	return s.String()
}

func macOf(i int) string {
	return fmt.Sprintf("3c:22:fb:%02x:%02x:%02x", byte(i>>16), byte(i>>8), byte(i))
}

// BenchmarkManyMACs checks MAC addresses at scale: one device with more
// addresses than a record may hold (refused whole), one with as many as it
// may hold, and n active devices that all register the same address, so
// that each clashes with every other.
func BenchmarkManyMACs(b *testing.B) {
	for _, n := range []int{2_000, 20_000} {
		b.Run(fmt.Sprintf("one-device/macs=%d", n), func(b *testing.B) {
			macs := make([]string, n)
			for i := range macs {
				macs[i] = macOf(1000 + i)
			}
			dir := scaleOrg(b, func(write func(p, s string)) { write("devices/d-many.yaml", macDevice("d-many", macs)) })
			runScale(b, dir, "file.size")
		})
	}
	b.Run("one-device/macs=300", func(b *testing.B) {
		macs := make([]string, 300) // about what record.MaxNodes lets a device hold
		for i := range macs {
			macs[i] = macOf(1000 + i)
		}
		dir := scaleOrg(b, func(write func(p, s string)) { write("devices/d-many.yaml", macDevice("d-many", macs)) })
		runScale(b, dir, "device.mac_format")
	})
	for _, n := range []int{2_000, 20_000} {
		b.Run(fmt.Sprintf("shared/devices=%d", n), func(b *testing.B) {
			dir := scaleOrg(b, func(write func(p, s string)) {
				for i := range n {
					id := fmt.Sprintf("d-shared-%06d", i)
					write("devices/"+id+".yaml", macDevice(id, []string{"3c:22:fb:aa:bb:cc"}))
				}
			})
			runScale(b, dir, "device.mac_unique")
		})
	}
}

// personYAML is an active employee with a supervisor (none when "") and a
// GitHub login.
func personYAML(id, supervisor, github string) string {
	sup := ""
	if supervisor != "" {
		sup = "supervisor: " + supervisor + "\n"
	}
	return fmt.Sprintf("id: %s\nname: Person %s\ngithub: %s\nemail: %s@example.com\ndepartment: Chain\n%srole: employee\nactive: true\n", id, id, github, id, sup)
}

// BenchmarkDeepChain checks n people who each supervise the next: a chain
// n deep under e000000, and the same chain closed into one loop of n.
func BenchmarkDeepChain(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		for _, loop := range []bool{false, true} {
			name := fmt.Sprintf("chain/people=%d", n)
			if loop {
				name = fmt.Sprintf("loop/people=%d", n)
			}
			b.Run(name, func(b *testing.B) {
				dir := scaleOrg(b, func(write func(p, s string)) {
					for i := range n {
						sup := fmt.Sprintf("c%06d", i-1)
						switch {
						case i == 0 && loop:
							sup = fmt.Sprintf("c%06d", n-1)
						case i == 0:
							sup = "e000000"
						}
						id := fmt.Sprintf("c%06d", i)
						write("people/"+id+".yaml", personYAML(id, sup, "gh-"+id))
					}
				})
				got := runScale(b, dir, "person.supervisor_cycle")
				if want := map[bool]int{false: 0, true: n}[loop]; got != want {
					b.Fatalf("%d supervisor loops found, want %d", got, want)
				}
			})
		}
	}
}

// BenchmarkSharedLogin checks n people who all give the same GitHub login,
// so that each clashes with every other.
func BenchmarkSharedLogin(b *testing.B) {
	for _, n := range []int{2_000, 20_000} {
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			dir := scaleOrg(b, func(write func(p, s string)) {
				for i := range n {
					id := fmt.Sprintf("s%06d", i)
					write("people/"+id+".yaml", personYAML(id, "e000000", "same-login"))
				}
			})
			runScale(b, dir, "person.github_unique")
		})
	}
}

// BenchmarkWorkTree checks the working tree of a Git repository of n
// people, n devices and n reports (all in one month's folder), committed
// in two commits: what `posture check` does in a clone, dating each record
// by the commit that last changed it. The three sizes, ten times apart,
// show how the cost grows; the check of 200,000 reports that ran past 590
// seconds looked every file up by a scan of its folder.
func BenchmarkWorkTree(b *testing.B) {
	for _, n := range []int{2_000, 20_000, 200_000} {
		b.Run(fmt.Sprintf("reports=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := synth.Generate(dir, synth.Options{Employees: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			git := gitRepo(b, dir)
			last := filepath.Join(dir, "reports", "2026-11", fmt.Sprintf("d-e%06d.yaml", n-1))
			data, err := os.ReadFile(last)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(last, append(data, "concerns: none\n"...), 0o644); err != nil {
				b.Fatal(err)
			}
			git("commit", "-q", "-a", "-m", "one report changed")
			for b.Loop() {
				res, err := Full(context.Background(), Options{Dir: dir, Now: checkTime})
				if err != nil {
					b.Fatal(err)
				}
				if res.Checked != 3*n {
					b.Fatalf("checked %d files, want %d", res.Checked, 3*n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*3*n), "µs/file")
		})
	}
}

// BenchmarkManyExceptions checks n reports that each fail the full-scan
// rule, and n exceptions that each waive it for one device: every finding
// is matched against the exceptions in force.
func BenchmarkManyExceptions(b *testing.B) {
	for _, n := range []int{2_000, 20_000} {
		b.Run(fmt.Sprintf("exceptions=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := synth.Generate(dir, synth.Options{Employees: n, Seed: 1, FailShare: 1e-9}); err != nil {
				b.Fatal(err)
			}
			for i := range n {
				dev := fmt.Sprintf("d-e%06d", i)
				p := filepath.Join(dir, "reports", "2026-11", dev+".yaml")
				data, err := os.ReadFile(p)
				if err != nil {
					b.Fatal(err)
				}
				old := strings.Replace(string(data), "last_full_scan: 2026-10-20", "last_full_scan: 2026-08-01", 1)
				if err := os.WriteFile(p, []byte(old), 0o644); err != nil {
					b.Fatal(err)
				}
				exc := fmt.Sprintf("id: x-%s\nrule: scan.full_age\ndevice: %s\nreason: the scan runs monthly on this one\napproved_by: e000000\nexpires: 2027-03-31\n", dev, dev)
				if err := os.MkdirAll(filepath.Join(dir, "policies", "exceptions"), 0o755); err != nil {
					b.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "policies", "exceptions", "x-"+dev+".yaml"), []byte(exc), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			if left := runScale(b, dir, "scan.full_age"); left != 0 {
				b.Fatalf("%d full-scan findings left, want every one waived", left)
			}
		})
	}
}

// gitRepo makes dir a Git repository with everything in it committed on
// main, with the git command; it returns a function that runs git there.
func gitRepo(b *testing.B, dir string) func(args ...string) {
	b.Helper()
	gitCmd, err := exec.LookPath("git")
	if err != nil {
		b.Skip("no git command to build the repository with:", err)
	}
	git := func(args ...string) {
		cmd := exec.Command(gitCmd, append([]string{"-c", "user.name=Bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("add", "-A")
	git("commit", "-q", "-m", "seed")
	return git
}

// BenchmarkBulkPullRequest checks a pull request that changes every one
// of n devices (an IT admin's bulk edit) by an author the registry does
// not know: each changed record is checked against who may change it.
func BenchmarkBulkPullRequest(b *testing.B) {
	for _, n := range []int{2_000, 20_000} {
		b.Run(fmt.Sprintf("devices=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if _, err := synth.Generate(dir, synth.Options{Employees: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
			git := gitRepo(b, dir)
			git("checkout", "-q", "-b", "pr")
			for i := range n {
				p := filepath.Join(dir, "devices", fmt.Sprintf("d-e%06d.yaml", i))
				data, err := os.ReadFile(p)
				if err != nil {
					b.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(strings.Replace(string(data), "model: Model", "model: New model", 1)), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			git("commit", "-q", "-a", "-m", "bulk edit")
			for b.Loop() {
				res, err := Diff(context.Background(), DiffOptions{Dir: dir, Base: "main", Head: "pr", Author: "someone-else", Now: checkTime})
				if err != nil {
					b.Fatal(err)
				}
				if res.Checked != n {
					b.Fatalf("checked %d, want %d", res.Checked, n)
				}
			}
		})
	}
}
