package gate

import "strings"

// MaxLabelDescription is GitHub's limit on a label's description.
const MaxLabelDescription = 100

// Label is a repository label posture puts on pull requests to show the
// state of each role. Labels are display only: anyone who can triage may
// add or remove them, so the gate never reads them.
type Label struct {
	Name        string
	Color       string // six hex digits
	Description string
}

// The labels of the two roles.
var (
	SupervisorPending  = Label{"2a supervisor: pending", "fbca04", "posture: supervisor's Security Check (2a) missing. Display only: posture/approvals decides"}
	SupervisorApproved = Label{"2a supervisor: approved", "0e8a16", "posture: supervisor approved the head commit (2a). Display only: posture/approvals decides"}
	ContractorPending  = Label{"2b contractor: pending", "fbca04", "posture: contractor's Inspection (2b) missing. Display only: posture/approvals decides"}
	ContractorApproved = Label{"2b contractor: approved", "0e8a16", "posture: a contractor approved the head commit (2b). Display only: posture/approvals decides"}
)

// AllLabels lists every label posture manages.
var AllLabels = []Label{SupervisorPending, SupervisorApproved, ContractorPending, ContractorApproved}

// Labels returns the labels that show o.
func (o Outcome) Labels() []Label {
	out := []Label{SupervisorPending, ContractorPending}
	if o.Supervisor != nil {
		out[0] = SupervisorApproved
	}
	if o.Contractor != nil {
		out[1] = ContractorApproved
	}
	return out
}

// Managed reports whether name is one of posture's labels, compared
// without case as GitHub compares label names.
func Managed(name string) bool {
	for _, l := range AllLabels {
		if strings.EqualFold(l.Name, name) {
			return true
		}
	}
	return false
}
