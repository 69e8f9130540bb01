package gate

import (
	"strings"
	"testing"
)

func isTestBot(login string) bool { return strings.EqualFold(login, "posture-bot[bot]") }

func TestWriters(t *testing.T) {
	const a, b, c = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccccccccccccccccccc"
	tests := []struct {
		name    string
		commits []Commit
		want    []Writer
		refusal string // a substring of the refusal
	}{
		{name: "the employee's own commits", want: []Writer{{"Yuki-N", a}},
			commits: []Commit{{SHA: a, Author: "Yuki-N", Committer: "Yuki-N"}, {SHA: b, Author: "yuki-n", Committer: "YUKI-N"}}},
		{name: "the bot's commits write nothing", want: nil,
			commits: []Commit{{SHA: a, Author: "posture-bot[bot]", Committer: "Posture-Bot[bot]"}}},
		{name: "a supervisor's commit after the bot's", want: []Writer{{"sales-head", b}},
			commits: []Commit{{SHA: a, Author: "posture-bot[bot]", Committer: "posture-bot[bot]"},
				{SHA: b, Author: "sales-head", Committer: "sales-head"}}},
		{name: "author and committer both write", want: []Writer{{"Yuki-N", a}, {"carl-c", a}, {"web-flow", b}},
			commits: []Commit{{SHA: a, Author: "Yuki-N", Committer: "carl-c"}, {SHA: b, Author: "carl-c", Committer: "web-flow"}}},
		{name: "an author GitHub knows no account for", refusal: `the author of commit bbbbbbb, "Someone <s@example.com>", is no GitHub account`,
			commits: []Commit{{SHA: a, Author: "Yuki-N", Committer: "Yuki-N"},
				{SHA: b, Committer: "Yuki-N", AuthorIdent: "Someone <s@example.com>"}}},
		{name: "a committer GitHub knows no account for", refusal: "the committer of commit ccccccc",
			commits: []Commit{{SHA: c, Author: "Yuki-N"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Writers(tt.commits, isTestBot)
			reason, refused := IsRefusal(err)
			switch {
			case tt.refusal != "":
				if !refused || !strings.Contains(reason, tt.refusal) {
					t.Errorf("Writers = %v, %v; want refused with %q", got, err, tt.refusal)
				}
			case err != nil || len(got) != len(tt.want):
				t.Errorf("Writers = %v, %v; want %v", got, err, tt.want)
			default:
				for i := range got {
					if got[i] != tt.want[i] {
						t.Errorf("writer %d = %v, want %v", i, got[i], tt.want[i])
					}
				}
			}
		})
	}
}

// TestDecideWriters: who wrote a commit of the pull request approves it
// for nothing, as the supervisor or as a contractor, and the employee's
// and the bot's commits take nobody out.
func TestDecideWriters(t *testing.T) {
	r := testRoster(t)
	e4, _ := r.Get("e4")
	both := []Review{rv(1, "sales-head", Approved, head, 1), rv(2, "carl-c", Approved, head, 2)}
	tests := []struct {
		name                   string
		commits                []Commit
		supervisor, contractor string // whose approval counts, or ""
		contractors            string // Mentions of who may still give 2b
		note                   string
		desc                   string
	}{
		{name: "the employee's and the bot's commits", supervisor: "sales-head", contractor: "carl-c",
			contractors: "@carl-c or @cora-c",
			commits: []Commit{{SHA: old, Author: "posture-bot[bot]", Committer: "posture-bot[bot]"},
				{SHA: head, Author: "Yuki-N", Committer: "Yuki-N"}}},
		{name: "the supervisor pushed a commit and approved", contractor: "carl-c", contractors: "@carl-c or @cora-c",
			commits: []Commit{{SHA: old, Author: "Yuki-N", Committer: "Yuki-N"}, {SHA: head, Author: "Sales-Head", Committer: "sales-head"}},
			note:    "@sales-head wrote commit 1111111 of this pull request: an approval of what they wrote themselves never counts",
			desc:    "missing 2a supervisor @sales-head (e2), who cannot approve while their commit 1111111 is in the pull request"},
		{name: "the supervisor committed what the employee wrote", contractor: "carl-c", contractors: "@carl-c or @cora-c",
			commits: []Commit{{SHA: head, Author: "Yuki-N", Committer: "sales-head"}}, note: "@sales-head wrote commit 1111111"},
		{name: "a contractor pushed a commit and approved", supervisor: "sales-head", contractors: "@cora-c",
			commits: []Commit{{SHA: old, Author: "Yuki-N", Committer: "Yuki-N"}, {SHA: head, Author: "carl-c", Committer: "web-flow"}},
			note:    "@carl-c wrote commit 1111111", desc: "missing 2b contractor @cora-c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, err := Writers(tt.commits, isTestBot)
			if err != nil {
				t.Fatal(err)
			}
			route := r.Plan(e4, "posture-bot[bot]", "Yuki-N")
			route.WrittenBy(ws)
			o := Decide(route, both, head)
			if got := login(o.Supervisor); got != tt.supervisor {
				t.Errorf("2a approved by %q, want %q (notes %+v)", got, tt.supervisor, o.Notes)
			}
			if got := login(o.Contractor); got != tt.contractor {
				t.Errorf("2b approved by %q, want %q (notes %+v)", got, tt.contractor, o.Notes)
			}
			if got := Mentions(route.Contractors); got != tt.contractors {
				t.Errorf("2b may be given by %s, want %s", got, tt.contractors)
			}
			var notes []string
			for _, n := range o.Notes {
				notes = append(notes, n.Reason)
			}
			if !strings.Contains(strings.Join(notes, "\n"), tt.note) {
				t.Errorf("notes %q lack %q", notes, tt.note)
			}
			if tt.desc != "" && o.Description(route) != tt.desc {
				t.Errorf("description = %q, want %q", o.Description(route), tt.desc)
			}
		})
	}
}
