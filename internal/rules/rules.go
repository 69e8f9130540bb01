// Package rules describes the rules of posture's own code: the parser's, the
// schemas', the trust boundary of a pull request, the settings', the
// CODEOWNERS and workflow checks and the audit's. The Rego rules describe
// themselves in their # METADATA blocks (internal/policy); these have no such
// block, so their title, severity and remediation are written here, once,
// for posture rules. A test keeps the list equal to the rule ids the code
// emits: an id added to the code without an entry here fails it, and so does
// an entry whose id the code no longer has.
package rules

import (
	"cmp"
	"slices"
)

// Info describes one rule of posture's code.
type Info struct {
	ID string
	// Severity is the most severe one the rule reports: deny or warn for
	// posture check, error or warning for posture audit. Some rules report
	// a milder severity in milder cases; Description says when.
	Severity    string
	Title       string
	Description string
	Remediation string
	// Command is the command whose findings carry the rule: check or audit.
	Command string
}

// The commands whose findings these rules are.
const (
	Check = "check"
	Audit = "audit"
)

// The severities of the rules: check's findings deny or warn, the audit's
// are errors or warnings.
const (
	Deny    = "deny"
	Warn    = "warn"
	Error   = "error"
	Warning = "warning"
)

// Builtin returns every rule of posture's code, sorted by id.
func Builtin() []Info {
	out := slices.Concat(fileRules, schemaRules, changeRules, repositoryRules, auditRules)
	slices.SortFunc(out, func(a, b Info) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Lookup returns the rule with id, if posture's code has it.
func Lookup(id string) (Info, bool) {
	for _, r := range Builtin() {
		if r.ID == id {
			return r, true
		}
	}
	return Info{}, false
}
