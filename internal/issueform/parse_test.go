package issueform

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// loadTemplate reads one of the repository's own issue forms.
func loadTemplate(t testing.TB, k Kind) *Template {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(k.File())))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := ParseTemplate(k, data)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func readBody(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTemplatesMatchRecordFields(t *testing.T) {
	report := loadTemplate(t, Report)
	for _, f := range report.Fields {
		if f.ID != "confirm" && !slices.Contains(reportFields, f.ID) {
			t.Errorf("monthly report question %q is not a report field", f.ID)
		}
	}
	reg := loadTemplate(t, Register)
	for _, id := range []string{"id", "ownership", "type", "platform", "model", "os_name", "os_version", "mac", "kind", "ssid", "confirm"} {
		if reg.Field(id) == nil {
			t.Errorf("register form lacks %q", id)
		}
	}
	ret := loadTemplate(t, Retire)
	for _, id := range []string{"device", "date", "reason", "data_disposition", "confirm"} {
		if ret.Field(id) == nil {
			t.Errorf("retire form lacks %q", id)
		}
	}
	if f := ret.Field("data_disposition"); f == nil || !slices.Equal(f.Options, []string{"wiped", "company_data_removed", "destroyed", "returned_to_it"}) {
		t.Errorf("data_disposition options = %v, want the schema's enum", f)
	}
}

func TestParseTemplateRefuses(t *testing.T) {
	for name, src := range map[string]string{
		"no label":        "labels: [form/monthly-report]\nbody:\n  - type: input\n    id: device\n",
		"same label":      "labels: [form/monthly-report]\nbody:\n  - {type: input, id: a, attributes: {label: X}}\n  - {type: input, id: b, attributes: {label: x}}\n",
		"unknown type":    "labels: [form/monthly-report]\nbody:\n  - {type: slider, id: a, attributes: {label: X}}\n",
		"no form label":   "labels: [bug]\nbody:\n  - {type: input, id: a, attributes: {label: X}}\n",
		"not yaml at all": "body: [",
	} {
		if _, err := ParseTemplate(Report, []byte(src)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestParse(t *testing.T) {
	report := loadTemplate(t, Report)
	tests := []struct {
		name    string
		body    string
		want    map[string]string
		checked bool
		probs   []string // substrings, one per problem
	}{
		{name: "rendered", body: readBody(t, "report-ok.md"), checked: true, want: map[string]string{
			"device": "d-e1004-laptop", "os_name": "", "real_time_protection": "Yes", "screen_lock_minutes": "5",
			"concerns": "Defender flagged a PDF tool I downloaded.\nI removed it and ran a full scan."}},
		{name: "empty answers", body: readBody(t, "report-ios-empty.md"), want: map[string]string{
			"real_time_protection": "", "wifi_mac": "", "last_full_scan": "", "antivirus": "not_applicable"}},
		{name: "edited with CRLF and a preamble", body: readBody(t, "report-edited.md"), checked: true, want: map[string]string{
			"device": "d-e1004-laptop", "wifi_mac": "8C-17-59-D2-40-7A", "concerns": ""}},
		{name: "hostile text kept as text", body: readBody(t, "report-hostile.md"), checked: true, want: map[string]string{
			"antivirus": "<img src=x onerror=alert(1)> **Defender** [click](javascript:alert(1)) @octocat",
			"concerns":  "```\nreporter: e1001\n### Unknown heading inside an answer\n</details><script>alert(1)</script>\n```\n\"quotes\" 'single' : colon # hash\n- [X] These answers are what the device shows today."}},
		{name: "a heading repeated inside an answer", body: readBody(t, "report-heading-in-value.md"),
			probs: []string{`the heading "### Device id" appears 2 times`}},
		{name: "a tick inside another answer does not count",
			body: strings.Replace(readBody(t, "report-hostile.md"), "### Confirmation\n\n- [X]", "### Confirmation\n\n- [ ]", 1),
			want: map[string]string{"device": "d-e1004-laptop"}},
		{name: "headings removed", body: "Please take my report, device d-e1004-laptop.", want: map[string]string{"device": ""}},
		{name: "multi-line input", body: "### Device id\n\nd-e1004-laptop\nd-e1001-laptop\n", probs: []string{"write this answer on one line"}},
		{name: "dropdown answer not offered", body: "### Disk encryption on\n\nMaybe\n", probs: []string{"choose one of the listed answers (Yes, No)"}},
		{name: "bidi override", body: "### Device id\n\nd-e1004-\u202elaptop\n", probs: []string{"invisible control character (U+202E)"}},
		{name: "very long body", body: strings.Repeat("### Concerns\n\n"+strings.Repeat("a", 1000)+"\n", 70), probs: []string{"a form is at most 65536"}},
		{name: "not UTF-8", body: "### Device id\n\n\xff\xfe\n", probs: []string{"not valid UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, probs := report.Parse(tt.body)
			var got []string
			for _, p := range probs {
				got = append(got, p.Message)
			}
			if len(got) != len(tt.probs) {
				t.Fatalf("problems = %q, want %d like %q", got, len(tt.probs), tt.probs)
			}
			for i, want := range tt.probs {
				if !strings.Contains(got[i], want) {
					t.Errorf("problem %d = %q, want %q", i, got[i], want)
				}
			}
			for id, want := range tt.want {
				if v := a.Get(id); v != want {
					t.Errorf("%s = %q, want %q", id, v, want)
				}
			}
			if ok := len(report.Confirmed(a)) == 0; len(tt.probs) == 0 && ok != tt.checked {
				t.Errorf("confirmed = %v, want %v", ok, tt.checked)
			}
		})
	}
}

func TestParseLongAnswerWithinLimit(t *testing.T) {
	report := loadTemplate(t, Report)
	long := strings.Repeat("x", 60000)
	a, probs := report.Parse("### Concerns\n\n" + long + "\n")
	if len(probs) != 0 || a.Get("concerns") != long {
		t.Errorf("problems %v, concerns of %d characters", probs, len(a.Get("concerns")))
	}
}

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		labels []string
		want   Kind
		ok     bool
	}{
		{[]string{"form/monthly-report"}, Report, true},
		{[]string{"bug", "Form/Retire-Device"}, Retire, true},
		{[]string{"form/monthly-report", "form/register-device"}, "", false},
		{[]string{"report/2026-11"}, "", false},
	} {
		k, ok := KindOf(tc.labels)
		if k != tc.want || ok != tc.ok {
			t.Errorf("KindOf(%v) = %q, %v", tc.labels, k, ok)
		}
	}
}
