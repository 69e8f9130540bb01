package main

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/evidence"
)

// history describes a generated Git history, the one of internal/audit's
// BenchmarkAudit ("pull-requests"): Commits commits on main's first-parent
// chain and the branches merged into it, each changing one report among
// Devices devices in twelve month folders of 2026. Every PREvery-th report
// goes in by a direct push; the others by a pull request: a commit on a
// branch and a merge carrying evidence trailers (two commits).
type history struct {
	Commits, Devices, PREvery int
}

// tokyo is the generated organisation's timezone.
var tokyo = time.FixedZone("JST", 9*3600)

// build writes the history into a new repository in dir with git
// fast-import and repacks it, as a clone would be.
func (h history) build(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if _, err := output(ctx, dir, gitEnv(), "git", "init", "-q", "-b", "main"); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "git", "fast-import", "--quiet", "--done")
	cmd.Dir, cmd.Env, cmd.Stderr = dir, gitEnv(), os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	w := &streamWriter{w: bufio.NewWriterSize(in, 1<<20), r: bufio.NewReader(out)}
	serr := h.stream(w)
	w.printf("done\n")
	if err := w.w.Flush(); err != nil && serr == nil {
		serr = err
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git fast-import: %w", err)
	}
	if serr != nil {
		return serr
	}
	if _, err := output(ctx, dir, gitEnv(), "git", "repack", "-a", "-d", "-q"); err != nil {
		return err
	}
	_, err = output(ctx, dir, gitEnv(), "git", "checkout", "-q", "-f", "main")
	return err
}

// streamWriter writes a fast-import stream and reads back the answers to
// get-mark.
type streamWriter struct {
	w    *bufio.Writer
	r    *bufio.Reader
	mark int
}

func (w *streamWriter) printf(format string, args ...any) { fmt.Fprintf(w.w, format, args...) }

// blob writes data and returns its mark.
func (w *streamWriter) blob(data string) int {
	w.mark++
	w.printf("blob\nmark :%d\ndata %d\n%s\n", w.mark, len(data), data)
	return w.mark
}

// sha asks fast-import for the commit id of mark.
func (w *streamWriter) sha(mark int) (string, error) {
	w.printf("get-mark :%d\n", mark)
	if err := w.w.Flush(); err != nil {
		return "", err
	}
	line, err := w.r.ReadString('\n')
	return strings.TrimSpace(line), err
}

// commit writes a commit on ref and returns its mark.
func (w *streamWriter) commit(ref, who string, when time.Time, msg string, from, merge int, files map[string]int) int {
	w.mark++
	stamp := fmt.Sprintf("%d +0900", when.Unix())
	w.printf("commit %s\nmark :%d\nauthor %s %s\ncommitter %s %s\ndata %d\n%s\n", ref, w.mark, who, stamp, who, stamp, len(msg), msg)
	if from > 0 {
		w.printf("from :%d\n", from)
	}
	if merge > 0 {
		w.printf("merge :%d\n", merge)
	}
	for p, m := range files {
		w.printf("M 100644 :%d %s\n", m, p)
	}
	return w.mark
}

func (h history) stream(w *streamWriter) error {
	files := map[string]int{}
	add := func(p, data string) { files[p] = w.blob(data) }
	add("posture.yaml", "organization: Synthetic Org\ntimezone: Asia/Tokyo\nreport_due_day: 10\n")
	err := fs.WalkDir(posture.Defaults, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(posture.Defaults, p)
		add(p, string(data))
		return err
	})
	if err != nil {
		return err
	}
	add("people/e00000.yaml", historyPerson("e00000", "", "employee"))
	add("people/c00001.yaml", historyPerson("c00001", "e00000", "contractor"))
	for i := 1; i <= h.Devices; i++ {
		id := fmt.Sprintf("e%05d", i)
		add("people/"+id+".yaml", historyPerson(id, fmt.Sprintf("e%05d", (i-1)/10), "employee"))
		add(fmt.Sprintf("devices/d-%s.yaml", id), historyDevice(i))
	}
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, tokyo)
	main := w.commit("refs/heads/main", "Admin <admin@example.com>", start.Add(-24*time.Hour), "Set up the organisation\n", 0, 0, files)
	// Spread the commits over the 2nd to the 28th of each month.
	perMonth := (h.Commits + 11) / 12
	next := make([]int, 12) // the next device to report, per month
	for n, k := 0, 0; n < h.Commits; k++ {
		month := n / perMonth
		day := time.Date(2026, time.Month(month+1), 2, 0, 0, 0, 0, tokyo)
		when := day.Add(time.Duration(n%perMonth) * (26 * 24 * time.Hour) / time.Duration(perMonth))
		i := next[month]%h.Devices + 1
		next[month]++
		period := when.Format("2006-01")
		p := fmt.Sprintf("reports/%s/d-e%05d.yaml", period, i)
		blob := map[string]int{p: w.blob(historyReport(i, when))}
		who := fmt.Sprintf("Person %d <e%05d@example.com>", i, i)
		if h.PREvery <= 1 || k%h.PREvery == 0 || n+1 == h.Commits {
			main = w.commit("refs/heads/main", who, when, "Report "+p+"\n", main, 0, blob)
			n++
			continue
		}
		side := w.commit("refs/heads/pr", who, when, "Report "+p+"\n", main, 0, blob)
		sha, err := w.sha(side)
		if err != nil {
			return fmt.Errorf("git fast-import: get-mark: %w", err)
		}
		merged := when.Add(time.Minute)
		sup := (i - 1) / 10
		e := evidence.Evidence{PullRequest: n, Reports: []string{p},
			Subject: evidence.Person{ID: fmt.Sprintf("e%05d", i), Login: fmt.Sprintf("user-%d", i)},
			Approvals: []evidence.Approval{
				{Role: evidence.RoleSupervisor, Approver: evidence.Person{ID: fmt.Sprintf("e%05d", sup), Login: fmt.Sprintf("user-%d", sup)},
					ReviewID: int64(n), At: when.Add(30 * time.Second), Commit: sha},
				{Role: evidence.RoleContractor, Approver: evidence.Person{ID: "c00001", Login: "contractor-1"},
					ReviewID: int64(n + 1), At: when.Add(40 * time.Second), Commit: sha},
			}, Version: "synthetic"}
		main = w.commit("refs/heads/main", "GitHub <noreply@github.com>", merged,
			e.Message(fmt.Sprintf("Merge pull request #%d", n), ""), main, side, blob)
		n += 2
	}
	return nil
}

func historyPerson(id, sup, role string) string {
	s := fmt.Sprintf("id: %s\nname: Person %s\ngithub: user-%d\nemail: %s@example.com\ndepartment: Dept %d\nrole: %s\nactive: true\n",
		id, id, idNum(id), id, idNum(id)%20, role)
	if role == "contractor" {
		s = strings.Replace(s, "user-1\n", "contractor-1\n", 1)
	}
	if sup != "" {
		s += "supervisor: " + sup + "\n"
	}
	return s
}

func idNum(id string) int {
	var n int
	fmt.Sscanf(id[1:], "%d", &n)
	return n
}

func historyMAC(i int) string {
	return fmt.Sprintf("3c:22:fb:%02x:%02x:%02x", byte(i>>16), byte(i>>8), byte(i))
}

func historyDevice(i int) string {
	return fmt.Sprintf("id: d-e%05d\nowner: e%05d\nownership: byod\ntype: laptop\nplatform: windows\nmodel: Model %d\nos_version: \"10.0.26200\"\nwifi_macs:\n  - mac: %q\n    kind: burned_in\n    ssid: CORP-WIFI\nregistered: 2025-12-01\nstatus: active\n",
		i, i, i%7, historyMAC(i))
}

func historyReport(i int, when time.Time) string {
	day := when.Format(time.DateOnly)
	full := when.AddDate(0, 0, -10).Format(time.DateOnly)
	return fmt.Sprintf("period: %q\ndevice: d-e%05d\nreporter: e%05d\nos_version: \"10.0.26200\"\nantivirus: Microsoft Defender\nreal_time_protection: true\nsignatures_updated: %s\nlast_quick_scan: %s\nlast_full_scan: %s\nthreats_found: 0\nthreats_resolved: 0\ndisk_encryption: true\nscreen_lock_minutes: 5\njailbroken: false\nwifi_mac: %q\n",
		when.Format("2006-01"), i, i, day, day, full, historyMAC(i))
}
