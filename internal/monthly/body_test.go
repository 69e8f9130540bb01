package monthly

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/posture-dev/posture/internal/ahead"
	"github.com/posture-dev/posture/internal/issueform"
	"github.com/posture-dev/posture/internal/record"
)

func TestBodyComingUp(t *testing.T) {
	rec := func(path string, kind record.Kind, src string) *record.Record {
		r, fs := record.Parse(path, kind, []byte(src))
		if r == nil || len(fs) > 0 {
			t.Fatalf("%s: %v", path, fs)
		}
		return r
	}
	devices := map[string]*record.Record{
		"d-mac":   rec("devices/d-mac.yaml", record.Device, "id: d-mac\nowner: e1\nplatform: macos\nos_version: \"14.6\"\nregistered: 2026-01-01\nstatus: active\n"),
		"d-win":   rec("devices/d-win.yaml", record.Device, "id: d-win\nowner: e1\nplatform: windows\nos_version: \"10.0.26200\"\nregistered: 2026-01-01\nstatus: active\n"),
		"d-other": rec("devices/d-other.yaml", record.Device, "id: d-other\nowner: e2\nplatform: windows\nos_version: \"10.0.26200\"\nregistered: 2026-01-01\nstatus: active\n"),
	}
	excs := []*record.Record{rec("policies/exceptions/exc-1.yaml", record.Exception,
		"id: exc-1\nrule: device.screen_lock\ndevice: d-mac\nreason: Kiosk\napproved_by: a1\nexpires: 2026-09-20\n")}
	tree := fstest.MapFS{
		"policies/config/data.yaml":    {Data: []byte("os_support:\n  macos:\n    - {name: macOS 14 Sonoma, min: \"14\", below: \"15\", end_of_support: \"2026-09-15\"}\n    - {name: macOS 15 Sequoia, min: \"15\", below: \"16\", end_of_support: null}\n")},
		"reports/2026-07/d-mac.yaml":   {Data: []byte("os_version: \"14.6\"\n")},
		"reports/2026-08/d-mac.yaml":   {Data: []byte("os_version: \"14.7\"\n")},
		"reports/2026-07/d-other.yaml": {Data: []byte("os_version: \"10.0.26200\"\n")},
	}
	ws, err := ahead.Compute(ahead.Input{Tree: tree, Devices: devices, Exceptions: excs, Period: "2026-09", Today: "2026-09-01"})
	if err != nil {
		t.Fatal(err)
	}
	g := DefaultGuide()
	g.Due, g.Timezone, g.RepoURL, g.Ahead = "2026-09-10", "Asia/Tokyo", "https://github.com/acme/reports", ahead.ByOwner(ws)
	e1 := Subject{ID: "e1", Name: "Person One", Login: "gh-e1", Devices: []Device{{ID: "d-mac", Platform: "macos"}, {ID: "d-win", Platform: "windows"}}}
	body := g.Body("2026-09", e1)
	want := "\n### Coming up\n\nAct on these before their dates; nothing here is late yet.\n\n" +
		"- **OS support ends** `d-mac`: macOS 14 Sonoma (os_version \"14.7\") is supported until 2026-09-15, in 14 days: after that its reports fail os.supported; update it to macOS 15 Sequoia before then, or ask IT for an exception.\n" +
		"- **Exception expires** `d-mac`: exception exc-1 (device.screen_lock on d-mac) is in force until 2026-09-20, in 19 days: after that device.screen_lock applies to d-mac again; fix what it excuses before then, or ask IT to renew it with the exception form.\n" +
		"- **Not reported** `d-win`: no report for 2026-07 or 2026-08: report d-win for 2026-09, or if the device is no longer in use, retire it with the retire-device form.\n" +
		"\n### d-mac\n"
	if !strings.Contains(body, want) {
		t.Errorf("the body lacks what is coming, before the devices:\n%s\nwant:\n%s", body, want)
	}
	if p, s, ok := ParseKey(body); !ok || p != "2026-09" || s != "e1" {
		t.Errorf("the key is lost: %q %q %v", p, s, ok)
	}
	// e2 reported in July: one period without a report is not two.
	e2 := Subject{ID: "e2", Name: "Person Two", Devices: []Device{{ID: "d-other", Platform: "windows"}}}
	if body := g.Body("2026-09", e2); strings.Contains(body, "Coming up") {
		t.Errorf("e2 is warned:\n%s", body)
	}
	// Without warnings the body is as before.
	g.Ahead = nil
	if body := g.Body("2026-09", e1); strings.Contains(body, "Coming up") {
		t.Errorf("no warnings, yet:\n%s", body)
	}
}

// TestFormLabelsCoverTheForms: open-issues creates the label of every
// form posture reads, as GitHub applies a form's label only when it exists.
func TestFormLabelsCoverTheForms(t *testing.T) {
	for _, k := range issueform.Kinds {
		if !slices.ContainsFunc(formLabels, func(l [3]string) bool { return l[0] == k.Label() }) {
			t.Errorf("open-issues does not create %s", k.Label())
		}
	}
}
