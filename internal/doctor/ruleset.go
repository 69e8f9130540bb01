package doctor

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/posture-dev/posture/internal/forge"
)

// rulesetView is what one ruleset does for posture.
type rulesetView struct {
	forge.Ruleset
	checks                  map[string][]*int64 // required context → its sources (nil: any)
	forcePush, deletion     bool                // non_fast_forward, deletion
	pullRequest, codeOwners bool
}

func viewOf(rs forge.Ruleset) rulesetView {
	v := rulesetView{Ruleset: rs, checks: map[string][]*int64{}}
	for _, r := range rs.Rules {
		switch r.Type {
		case "non_fast_forward":
			v.forcePush = true
		case "deletion":
			v.deletion = true
		case "pull_request":
			p, ok := r.PullRequest()
			v.pullRequest = true
			v.codeOwners = v.codeOwners || ok && p.RequireCodeOwnerReview
		case "required_status_checks":
			for _, c := range r.StatusChecks() {
				v.checks[c.Context] = append(v.checks[c.Context], c.IntegrationID)
			}
		}
	}
	return v
}

// label names the ruleset in a message.
func (v rulesetView) label() string {
	if v.SourceType == "Organization" {
		return fmt.Sprintf("organization ruleset %q", v.Name)
	}
	return fmt.Sprintf("ruleset %q", v.Name)
}

// where is the way to the ruleset in GitHub's settings.
func (v rulesetView) where() string {
	if v.SourceType == "Organization" {
		return "organization settings → Repository → Rulesets → " + v.Name
	}
	return "Settings → Rules → Rulesets → " + v.Name
}

func rulesetItems(p forge.Part[[]forge.Ruleset], branch string, statuses []string, appID int64) []Item {
	if p.Err != nil {
		return []Item{unread("ruleset", "the rulesets", p.Err)}
	}
	var cands []rulesetView
	for _, rs := range p.Value {
		if applies(rs, branch) {
			cands = append(cands, viewOf(rs))
		}
	}
	if len(cands) == 0 {
		return []Item{{ID: "ruleset", Status: Fail, Message: "no ruleset applies to the default branch " + branch,
			Fix: "Settings → Rules → Rulesets → New ruleset → New branch ruleset, targeting the default branch, with the rules docs/doctor.md lists"}}
	}
	// The ruleset that does most of what posture needs is the one judged.
	v, best := cands[0], -1
	for _, c := range cands {
		n := 0
		for _, it := range rulesetLines(c, branch, statuses, appID) {
			if it.Status == OK {
				n++
			}
		}
		if n > best {
			v, best = c, n
		}
	}
	return rulesetLines(v, branch, statuses, appID)
}

func rulesetLines(v rulesetView, branch string, statuses []string, appID int64) []Item {
	name, where := v.label(), v.where()
	items := []Item{{ID: "ruleset.active", Status: OK, Message: fmt.Sprintf("%s applies to %s and is active", name, branch)}}
	if v.Enforcement != "active" {
		items[0] = Item{ID: "ruleset.active", Status: Fail,
			Message: fmt.Sprintf("%s applies to %s but is %s, so it enforces nothing", name, branch, enforcementWords(v.Enforcement)),
			Fix:     where + " → Enforcement status → Active"}
	}
	items = append(items, bypassItem(v))
	for _, ctx := range statuses {
		items = append(items, statusItem(v, ctx, appID))
	}
	rule := func(id string, on bool, does, doesNot, fix string) Item {
		if on {
			return Item{ID: id, Status: OK, Message: name + " " + does}
		}
		return Item{ID: id, Status: Fail, Message: name + " " + doesNot, Fix: where + " → " + fix}
	}
	items = append(items,
		rule("ruleset.force-pushes", v.forcePush, "blocks force pushes", "lets force pushes through",
			"tick Block force pushes: a rewrite would remove accepted reports"),
		rule("ruleset.deletion", v.deletion, "restricts deletions", "lets the branch be deleted",
			"tick Restrict deletions: the history is the audit trail"))
	switch {
	case v.codeOwners:
		items = append(items, Item{ID: "ruleset.code-owners", Status: OK, Message: name + " requires a code owner's review"})
	case v.pullRequest:
		items = append(items, Item{ID: "ruleset.code-owners", Status: Fail,
			Message: name + " requires a pull request but no code owner's review, so trusted files (policies, people, workflows) merge without an IT admin",
			Fix:     where + " → Require a pull request before merging → tick Require review from Code Owners"})
	default:
		items = append(items, Item{ID: "ruleset.code-owners", Status: Fail,
			Message: name + " requires no pull request, so changes reach " + branch + " without a code owner's review",
			Fix:     where + " → tick Require a pull request before merging, and under it Require review from Code Owners"})
	}
	return items
}

func enforcementWords(e string) string {
	switch e {
	case "evaluate":
		return "in evaluate mode"
	case "disabled":
		return "disabled"
	}
	return fmt.Sprintf("%q", e)
}

func bypassItem(v rulesetView) Item {
	id := "ruleset.bypass"
	switch {
	case !v.BypassShown:
		return Item{ID: id, Status: Unknown, Message: fmt.Sprintf("cannot see who may bypass %s (GitHub shows the bypass list only to a token that may edit the ruleset)", v.label()),
			Fix: "run with a repository admin's token"}
	case len(v.BypassActors) == 0:
		return Item{ID: id, Status: OK, Message: fmt.Sprintf("nobody may bypass %s", v.label())}
	}
	var who []string
	for _, a := range v.BypassActors {
		w := a.GetActorType()
		if a.GetActorID() != 0 && w != "OrganizationAdmin" {
			w += fmt.Sprintf(" %d", a.GetActorID())
		}
		who = append(who, fmt.Sprintf("%s (%s)", w, a.GetBypassMode()))
	}
	return Item{ID: id, Status: Fail,
		Message: fmt.Sprintf("%s may be bypassed by %s", v.label(), strings.Join(who, ", ")),
		Fix:     v.where() + " → Bypass list → remove every entry: no one, admins included, may merge around the gate"}
}

func statusItem(v rulesetView, ctx string, appID int64) Item {
	id := "ruleset." + strings.TrimPrefix(ctx, "posture/")
	app := "the posture app"
	if appID != 0 {
		app = fmt.Sprintf("the posture app (app id %d)", appID)
	}
	fix := fmt.Sprintf("%s → Require status checks to pass → Add checks → %s, with %s as its source", v.where(), ctx, app)
	sources, ok := v.checks[ctx]
	if !ok {
		return Item{ID: id, Status: Fail, Message: fmt.Sprintf("%s does not require %s from %s", v.label(), ctx, app), Fix: fix}
	}
	var other int64
	anySource, actions := false, false
	for _, src := range sources {
		switch {
		case src == nil:
			anySource = true
		case appID != 0 && *src == appID:
			return Item{ID: id, Status: OK, Message: fmt.Sprintf("%s requires %s from %s", v.label(), ctx, app)}
		case *src == GitHubActionsAppID:
			actions = true
		default:
			other = *src
		}
	}
	switch {
	case anySource:
		return Item{ID: id, Status: Fail, Message: fmt.Sprintf("%s accepts %s from any source, so any workflow run can pass it", v.label(), ctx), Fix: fix}
	case actions:
		return Item{ID: id, Status: Fail, Message: fmt.Sprintf("%s requires %s from GitHub Actions (app id %d), whose statuses any workflow run can set", v.label(), ctx, GitHubActionsAppID), Fix: fix}
	case appID == 0:
		return Item{ID: id, Status: Unknown, Message: fmt.Sprintf("%s requires %s from app id %d, but the posture app's id is not known", v.label(), ctx, other),
			Fix: "let bot_login in posture.yaml name the posture app, as the app lines below say, or pass --app-id"}
	}
	return Item{ID: id, Status: Fail, Message: fmt.Sprintf("%s requires %s from app id %d, not from %s", v.label(), ctx, other, app), Fix: fix}
}

// applies reports whether the branch ruleset rs applies to the default
// branch: one of its include patterns matches it and no exclude pattern does.
func applies(rs forge.Ruleset, branch string) bool {
	in := false
	for _, p := range rs.Include {
		in = in || refMatches(p, branch)
	}
	if !in {
		return false
	}
	for _, p := range rs.Exclude {
		if refMatches(p, branch) {
			return false
		}
	}
	return true
}

// refMatches reports whether a ref_name pattern matches the default
// branch: ~ALL and ~DEFAULT_BRANCH do; anything else is an fnmatch pattern
// of full ref names ("refs/heads/main", "refs/heads/release/**").
func refMatches(pattern, branch string) bool {
	switch pattern {
	case "~ALL", "~DEFAULT_BRANCH":
		return true
	}
	if !strings.HasPrefix(pattern, "refs/") {
		pattern = "refs/heads/" + pattern
	}
	return glob(pattern, "refs/heads/"+branch)
}

// glob reports whether name matches pattern as GitHub's fnmatch patterns
// of refs do: * matches within one path segment, ** across segments, ?
// one character but /, [...] one character of a class ([!...] or [^...]
// one not in it, never /), and \ makes the next character plain.
func glob(pattern, name string) bool {
	var b strings.Builder
	b.WriteString("^")
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		switch {
		case rs[i] == '*' && i+1 < len(rs) && rs[i+1] == '*':
			b.WriteString(".*")
			i++
		case rs[i] == '*':
			b.WriteString("[^/]*")
		case rs[i] == '?':
			b.WriteString("[^/]")
		case rs[i] == '\\' && i+1 < len(rs):
			i++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		case rs[i] == '[':
			class, n := bracket(rs[i:])
			if n == 0 { // no closing ]: a plain [
				b.WriteString(regexp.QuoteMeta("["))
				continue
			}
			b.WriteString(class)
			i += n - 1
		default:
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(name)
}

// bracket translates the fnmatch class at the start of rs ("[a-c]",
// "[!m]", "[]x]") into a regular expression's, which never matches /, and
// returns it with the number of runes it took; 0 when no ] closes it.
func bracket(rs []rune) (string, int) {
	i := 1
	negate := i < len(rs) && (rs[i] == '!' || rs[i] == '^')
	if negate {
		i++
	}
	start := i
	for ; i < len(rs); i++ {
		if rs[i] == ']' && i > start {
			break
		}
	}
	if i >= len(rs) {
		return "", 0
	}
	var b strings.Builder
	b.WriteString("[")
	if negate {
		b.WriteString("^/")
	}
	for j := start; j < i; j++ {
		c := rs[j]
		if c == '-' && j > start && j+1 < i {
			b.WriteRune('-') // a range between its neighbours
			continue
		}
		if strings.ContainsRune(`\^]-[`, c) {
			b.WriteRune('\\')
		}
		b.WriteRune(c)
	}
	b.WriteString("]")
	if !negate {
		return "(?:" + b.String() + ")", i + 1
	}
	return b.String(), i + 1
}
