package report

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"

	"github.com/posture-dev/posture/internal/finding"
)

// The SARIF 2.1.0 log that the sarif format writes: the subset of the schema
// that GitHub code scanning and other viewers read.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	sarifToolURI = "https://github.com/posture-dev/posture"
	// sarifFingerprint names the partial fingerprint posture computes: a hash
	// of the rule and file plus which occurrence of that pair the result is.
	// It leaves out the line and message, so an alert keeps its identity
	// when lines move or a message's numbers change from one day to the next.
	sarifFingerprint = "postureRuleFile/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	Name                 string        `json:"name"`
	ShortDescription     sarifText     `json:"shortDescription"`
	FullDescription      *sarifText    `json:"fullDescription,omitempty"`
	Help                 *sarifText    `json:"help,omitempty"`
	DefaultConfiguration sarifRuleConf `json:"defaultConfiguration"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRuleConf struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region struct {
			StartLine   int `json:"startLine"`
			StartColumn int `json:"startColumn,omitempty"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

// writeSARIF writes r as a SARIF 2.1.0 log with one run. The rules are every
// rule in r.Rules and every other rule id the findings use, sorted by id;
// the results are in the order of r.Findings. Texts are escaped as in the
// json format (see safe); what identifies a rule, a file or an alert (rule
// ids, the percent-encoded URI, fingerprints) is kept as it is.
func writeSARIF(buf *bytes.Buffer, r Result) error {
	rules, index := sarifRules(r)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "posture", InformationURI: sarifToolURI, Version: r.Version, Rules: rules,
		}},
		ColumnKind: "unicodeCodePoints", // yaml.v3 counts columns in runes
		Results:    make([]sarifResult, 0, len(r.Findings)),
	}
	seen := make(map[string]int) // rule and file -> occurrences so far
	for _, f := range r.Findings {
		sum := sha256.Sum256([]byte(f.Rule + "\x00" + f.File))
		key := hex.EncodeToString(sum[:16])
		seen[key]++
		var locs []sarifLocation // none for a finding about the pull request
		if f.File != "" {
			var loc sarifLocation
			loc.PhysicalLocation.ArtifactLocation.URI = (&url.URL{Path: f.File}).String()
			loc.PhysicalLocation.ArtifactLocation.URIBaseID = "%SRCROOT%"
			loc.PhysicalLocation.Region.StartLine = max(f.Line, 1)
			loc.PhysicalLocation.Region.StartColumn = max(f.Column, 0)
			locs = []sarifLocation{loc}
		}
		run.Results = append(run.Results, sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           index[f.Rule],
			Level:               sarifLevel(f.Severity),
			Message:             sarifText{Text: safe(f.Message)},
			Locations:           locs,
			PartialFingerprints: map[string]string{sarifFingerprint: fmt.Sprintf("%s:%d", key, seen[key])},
		})
	}
	doc := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
	return encodeJSON(buf, doc, "sarif")
}

// sarifRules returns the rule list and each rule id's index in it. A rule id
// that only findings use (a schema or parser rule) gets its title and
// severity from the first finding that has it.
func sarifRules(r Result) ([]sarifRule, map[string]int) {
	infos := make(map[string]RuleInfo, len(r.Rules))
	for _, ri := range r.Rules {
		if _, dup := infos[ri.ID]; !dup {
			infos[ri.ID] = ri
		}
	}
	for _, f := range r.Findings {
		if _, ok := infos[f.Rule]; !ok {
			infos[f.Rule] = RuleInfo{ID: f.Rule, Title: f.Title, Severity: f.Severity}
		}
	}
	ids := make([]string, 0, len(infos))
	for id := range infos {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	rules := make([]sarifRule, 0, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		ri := infos[id]
		index[id] = i
		rule := sarifRule{
			ID:                   id,
			Name:                 id,
			ShortDescription:     sarifText{Text: safe(cmp.Or(ri.Title, id))},
			DefaultConfiguration: sarifRuleConf{Level: sarifLevel(ri.Severity)},
		}
		if ri.Description != "" {
			rule.FullDescription = &sarifText{Text: safe(ri.Description)}
		}
		if ri.Remediation != "" {
			rule.Help = &sarifText{Text: safe(ri.Remediation)}
		}
		rules = append(rules, rule)
	}
	return rules, index
}

// sarifLevel maps a severity to a SARIF level: deny is "error", anything
// else "warning".
func sarifLevel(s finding.Severity) string {
	if s == finding.Deny {
		return "error"
	}
	return "warning"
}
