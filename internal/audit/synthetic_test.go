package audit

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/evidence"
)

// synthetic describes a generated history: Commits commits on main's
// first-parent chain and the branches merged into it, each changing one
// report among Devices devices in twelve month folders of 2026. Every
// PREvery-th report goes in by a direct push; the others by a pull request:
// a commit on a branch and a merge carrying evidence trailers (two commits).
// PREvery 1 makes every commit a direct push, as in a linear history.
type synthetic struct {
	Commits, Devices, PREvery int
}

// tokyo is the synthetic organisation's timezone.
var tokyo = time.FixedZone("JST", 9*3600)

// build writes the history into a new repository in dir with git
// fast-import and repacks it, as a clone would be.
func (s synthetic) build(tb testing.TB, dir string) {
	tb.Helper()
	git := func(stdin io.Reader, stdout io.Writer, args ...string) *exec.Cmd {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Stdin, cmd.Stdout, cmd.Stderr = dir, stdin, stdout, os.Stderr
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		return cmd
	}
	if err := git(nil, nil, "init", "-q", "-b", "main").Run(); err != nil {
		tb.Fatal(err)
	}
	cmd := git(nil, nil, "fast-import", "--quiet", "--done")
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	w := &streamWriter{w: bufio.NewWriterSize(in, 1<<20), r: bufio.NewReader(out)}
	s.stream(tb, w)
	w.printf("done\n")
	if err := w.w.Flush(); err != nil {
		tb.Fatal(err)
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("git fast-import: %v", err)
	}
	if err := git(nil, nil, "repack", "-a", "-d", "-q").Run(); err != nil {
		tb.Fatal(err)
	}
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
func (w *streamWriter) sha(tb testing.TB, mark int) string {
	w.printf("get-mark :%d\n", mark)
	if err := w.w.Flush(); err != nil {
		tb.Fatal(err)
	}
	line, err := w.r.ReadString('\n')
	if err != nil {
		tb.Fatal(err)
	}
	return strings.TrimSpace(line)
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

func (s synthetic) stream(tb testing.TB, w *streamWriter) {
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
		tb.Fatal(err)
	}
	add("people/e00000.yaml", person("e00000", "", "employee"))
	add("people/c00001.yaml", person("c00001", "e00000", "contractor"))
	for i := 1; i <= s.Devices; i++ {
		id := fmt.Sprintf("e%05d", i)
		add("people/"+id+".yaml", person(id, fmt.Sprintf("e%05d", (i-1)/10), "employee"))
		add(fmt.Sprintf("devices/d-%s.yaml", id), device(i))
	}
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, tokyo)
	main := w.commit("refs/heads/main", "Admin <admin@example.com>", start.Add(-24*time.Hour), "Set up the organisation\n", 0, 0, files)
	// Spread the commits over the 2nd to the 28th of each month.
	perMonth := (s.Commits + 11) / 12
	next := make([]int, 12) // the next device to report, per month
	for n, k := 0, 0; n < s.Commits; k++ {
		month := n / perMonth
		day := time.Date(2026, time.Month(month+1), 2, 0, 0, 0, 0, tokyo)
		when := day.Add(time.Duration(n%perMonth) * (26 * 24 * time.Hour) / time.Duration(perMonth))
		i := next[month]%s.Devices + 1
		next[month]++
		period := when.Format("2006-01")
		p := fmt.Sprintf("reports/%s/d-e%05d.yaml", period, i)
		blob := map[string]int{p: w.blob(report(i, when))}
		who := fmt.Sprintf("Person %d <e%05d@example.com>", i, i)
		if s.PREvery <= 1 || k%s.PREvery == 0 || n+1 == s.Commits {
			main = w.commit("refs/heads/main", who, when, "Report "+p+"\n", main, 0, blob)
			n++
			continue
		}
		side := w.commit("refs/heads/pr", who, when, "Report "+p+"\n", main, 0, blob)
		sha := w.sha(tb, side)
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
}

func person(id, sup, role string) string {
	s := fmt.Sprintf("id: %s\nname: Person %s\ngithub: user-%d\nemail: %s@example.com\ndepartment: Dept %d\nrole: %s\nactive: true\n",
		id, id, num(id), id, num(id)%20, role)
	if role == "contractor" {
		s = strings.Replace(s, "user-1\n", "contractor-1\n", 1)
	}
	if sup != "" {
		s += "supervisor: " + sup + "\n"
	}
	return s
}

func num(id string) int {
	var n int
	fmt.Sscanf(id[1:], "%d", &n)
	return n
}

func mac(i int) string {
	return fmt.Sprintf("3c:22:fb:%02x:%02x:%02x", byte(i>>16), byte(i>>8), byte(i))
}

func device(i int) string {
	return fmt.Sprintf("id: d-e%05d\nowner: e%05d\nownership: byod\ntype: laptop\nplatform: windows\nmodel: Model %d\nos_version: \"10.0.26200\"\nwifi_macs:\n  - mac: %q\n    kind: burned_in\n    ssid: CORP-WIFI\nregistered: 2025-12-01\nstatus: active\n",
		i, i, i%7, mac(i))
}

func report(i int, when time.Time) string {
	day := when.Format(time.DateOnly)
	full := when.AddDate(0, 0, -10).Format(time.DateOnly)
	return fmt.Sprintf("period: %q\ndevice: d-e%05d\nreporter: e%05d\nos_version: \"10.0.26200\"\nantivirus: Microsoft Defender\nreal_time_protection: true\nsignatures_updated: %s\nlast_quick_scan: %s\nlast_full_scan: %s\nthreats_found: 0\nthreats_resolved: 0\ndisk_encryption: true\nscreen_lock_minutes: 5\njailbroken: false\nwifi_mac: %q\n",
		when.Format("2006-01"), i, i, day, day, full, mac(i))
}
