package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// sarifDoc is the part of a SARIF 2.1.0 log this test checks, decoded
// independently of the types that write it.
type sarifDoc struct {
	Schema  *string `json:"$schema"`
	Version string  `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				InformationURI string `json:"informationUri"`
				Version        string `json:"version"`
				Rules          []struct {
					ID               string `json:"id"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFRequiredFields(t *testing.T) {
	for _, r := range []Result{fullResult(), emptyResult(), {}} {
		var out bytes.Buffer
		if err := Write(&out, SARIF, r, Options{}); err != nil {
			t.Fatal(err)
		}
		var doc sarifDoc
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("sarif output is not JSON: %v", err)
		}
		if doc.Schema == nil || *doc.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || doc.Version != "2.1.0" {
			t.Fatalf("$schema, version = %v, %q", doc.Schema, doc.Version)
		}
		if len(doc.Runs) != 1 {
			t.Fatalf("got %d runs, want 1", len(doc.Runs))
		}
		run := doc.Runs[0]
		d := run.Tool.Driver
		if d.Name != "posture" || !strings.HasPrefix(d.InformationURI, "https://") || d.Version != r.Version {
			t.Errorf("driver name, informationUri, version = %q, %q, %q", d.Name, d.InformationURI, d.Version)
		}
		ids := make(map[string]bool)
		for _, rule := range d.Rules {
			if rule.ID == "" || rule.ShortDescription.Text == "" || !validLevel(rule.DefaultConfiguration.Level) {
				t.Errorf("incomplete rule %+v", rule)
			}
			if ids[rule.ID] {
				t.Errorf("rule %q is listed twice", rule.ID)
			}
			ids[rule.ID] = true
		}
		for _, ri := range r.Rules {
			if !ids[ri.ID] {
				t.Errorf("rule %q of Result.Rules is not in the driver's rules", ri.ID)
			}
		}
		if run.Results == nil || len(run.Results) != len(r.Findings) {
			t.Fatalf("got %d results (nil: %t), want %d", len(run.Results), run.Results == nil, len(r.Findings))
		}
		for i, res := range run.Results {
			f := r.Findings[i]
			if res.RuleID != f.Rule || res.RuleIndex == nil || d.Rules[*res.RuleIndex].ID != f.Rule {
				t.Errorf("result %d: ruleId %q, ruleIndex %v do not name rule %q", i, res.RuleID, res.RuleIndex, f.Rule)
			}
			if !validLevel(res.Level) || res.Message.Text != f.Message || len(res.Locations) != 1 {
				t.Errorf("result %d: level %q, message %q, %d locations", i, res.Level, res.Message.Text, len(res.Locations))
				continue
			}
			pl := res.Locations[0].PhysicalLocation
			if pl.ArtifactLocation.URI != f.File || pl.ArtifactLocation.URIBaseID != "%SRCROOT%" {
				t.Errorf("result %d: artifactLocation %+v, want uri %q", i, pl.ArtifactLocation, f.File)
			}
			if pl.Region.StartLine != f.Line || pl.Region.StartColumn != f.Column {
				t.Errorf("result %d: region %+v, want %d:%d", i, pl.Region, f.Line, f.Column)
			}
		}
	}
}

func validLevel(s string) bool { return s == "error" || s == "warning" }

// TestSARIFURI checks that paths become relative URI references.
func TestSARIFURI(t *testing.T) {
	tests := []struct{ file, want string }{
		{file: "reports/2026-11/d-e1001-laptop.yaml", want: "reports/2026-11/d-e1001-laptop.yaml"},
		{file: "devices/my laptop.yaml", want: "devices/my%20laptop.yaml"},
		{file: "devices/100%.yaml", want: "devices/100%25.yaml"},
		{file: "c:odd.yaml", want: "./c:odd.yaml"}, // not the scheme "c"
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := fullResult()
			r.Findings = r.Findings[:1]
			r.Findings[0].File = tt.file
			var out bytes.Buffer
			if err := Write(&out, SARIF, r, Options{}); err != nil {
				t.Fatal(err)
			}
			if want := `"uri": "` + tt.want + `"`; !strings.Contains(out.String(), want) {
				t.Errorf("output has no %s:\n%s", want, out.String())
			}
		})
	}
}

// TestSARIFFingerprint checks that the partial fingerprint ignores the line
// and message and counts repeats of a rule in a file.
func TestSARIFFingerprint(t *testing.T) {
	fps := func(r Result) []string {
		t.Helper()
		var out bytes.Buffer
		if err := Write(&out, SARIF, r, Options{}); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Runs []struct {
				Results []struct {
					PartialFingerprints map[string]string `json:"partialFingerprints"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, res := range doc.Runs[0].Results {
			got = append(got, res.PartialFingerprints[sarifFingerprint])
		}
		return got
	}
	base := fullResult()
	base.Findings = base.Findings[:2] // two findings in devices/d-e1001-laptop.yaml
	base.Findings[1].Rule = base.Findings[0].Rule
	moved := fullResult()
	moved.Findings = moved.Findings[:2]
	moved.Findings[1].Rule = moved.Findings[0].Rule
	moved.Findings[0].Line += 10
	moved.Findings[0].Message = "a reworded message with another number: 63"

	a, b := fps(base), fps(moved)
	if a[0] == a[1] || !strings.HasSuffix(a[0], ":1") || !strings.HasSuffix(a[1], ":2") {
		t.Errorf("repeats of a rule in one file share fingerprints or are not counted: %q", a)
	}
	if a[0] != b[0] || a[1] != b[1] {
		t.Errorf("fingerprints changed with the line or message: %q, then %q", a, b)
	}
}
