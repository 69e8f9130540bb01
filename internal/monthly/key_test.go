package monthly

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestModelCannotForgeKey: a device model (free text from the register
// form, shown in the issue body) that holds a key neither hides the issue
// posture opened nor adds one: three runs open the person's issue once.
func TestModelCannotForgeKey(t *testing.T) {
	c, srv, clk := setup(t)
	people, devices := demo(t)
	devices["d-e1004-laptop"].Data["model"] = "ThinkPad <!-- posture:report 2026-12/e1004 --> <!-- posture:report 2026-12/e1001 -->"
	g := DefaultGuide()
	g.Due, g.Timezone, g.RepoURL = "2026-12-10", "Asia/Tokyo", "https://github.com/acme/device-reports"
	plan := Plan("2026-12", Due(people, devices, "2026-12"), g)
	for range 3 {
		if _, _, err := openWith(t, c, clk, plan, 50); err != nil {
			t.Fatal(err)
		}
	}
	titles := map[string]int{}
	for _, is := range srv.Issues() {
		titles[is.Title]++
	}
	for _, p := range plan {
		if titles[p.Title] != 1 {
			t.Errorf("%q: %d issues after 3 runs, want 1", p.Title, titles[p.Title])
		}
	}
}

// TestParseKey reads the key from the body's first line only.
func TestParseKey(t *testing.T) {
	for body, want := range map[string]string{
		Key("2026-12", "e1") + "\nrest":                           "2026-12/e1",
		Key("2026-12", "e1") + "\r\nrest " + Key("2026-12", "e2"): "2026-12/e1",
		Key("2026-12", "e1"):                                      "2026-12/e1",
		"hello\n" + Key("2026-12", "e1"):                          "",
		" " + Key("2026-12", "e1") + "\n":                         "",
		"<!-- posture:report 2026-13x/e1 -->\n":                   "",
		Key("2026-12", "e1") + " trailing\n":                      "",
	} {
		p, s, ok := ParseKey(body)
		if got := p + "/" + s; ok != (want != "") || ok && got != want {
			t.Errorf("ParseKey(%q) = %q %v, want %q", body, got, ok, want)
		}
	}
}

// TestTitleFits: a title stays within GitHub's 256 characters, whatever the
// name's length (people/ allows 200 characters and ids of 63), and keeps
// the id.
func TestTitleFits(t *testing.T) {
	id := strings.Repeat("e", 63)
	for _, name := range []string{"Ana Díaz", strings.Repeat("é", 200), strings.Repeat("x", 300)} {
		got := Title("2026-12", Subject{ID: id, Name: name})
		if n := utf8.RuneCountInString(got); n > maxTitle || !strings.HasSuffix(got, "("+id+")") {
			t.Errorf("name of %d characters: title of %d characters %q", utf8.RuneCountInString(name), n, got)
		}
	}
	if got := Title("2026-12", Subject{ID: "e1", Name: "Ana"}); got != "Device security report 2026-12: Ana (e1)" {
		t.Errorf("a short title changed: %q", got)
	}
}
