package evidence

import (
	"fmt"
	"strings"
)

// MergeCommit returns the title and message that posture merge asks GitHub
// to make the merge commit of e.PullRequest with: the pull request's title
// on one line with its number, then (in message) a sentence naming the
// approvers of head, and the trailers. GitHub joins the two into the
// commit's message; FullMessage does the same.
func (e Evidence) MergeCommit(prTitle, head string) (title, message string) {
	title = fmt.Sprintf("%s (#%d)", strings.Join(strings.Fields(prTitle), " "), e.PullRequest)
	body := fmt.Sprintf("Accepted by posture: the supervisor @%s (2a) and the contractor @%s (2b) approved %s.",
		e.approver(RoleSupervisor), e.approver(RoleContractor), head)
	return title, strings.TrimPrefix(e.Message(title, body), title+"\n\n")
}

// FullMessage is the message of a merge commit that GitHub makes from a
// commit title and message.
func FullMessage(title, message string) string { return title + "\n\n" + message }

// approver is the login of the first approval in role, "" when none.
func (e Evidence) approver(role string) string {
	for _, a := range e.Approvals {
		if a.Role == role {
			return a.Approver.Login
		}
	}
	return ""
}
