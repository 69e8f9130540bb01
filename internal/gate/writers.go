package gate

import (
	"fmt"
	"slices"
)

// Commit is one commit a pull request adds, as GitHub attributes it.
type Commit struct {
	SHA string
	// Author and Committer are the logins of the GitHub accounts GitHub
	// matched the commit's author and committer emails to, "" when no
	// account has the email.
	Author, Committer string
	// AuthorIdent and CommitterIdent are "Name <email>" as the commit
	// has them, to say which commit GitHub could not attribute.
	AuthorIdent, CommitterIdent string
}

// Writer is someone who wrote a commit of a pull request, as its author or
// its committer.
type Writer struct {
	Login  string
	Commit string // the first commit of theirs
}

// Writers lists who wrote the commits of a pull request, each once, in the
// order of commits. isBot tells the posture app's login: the app's commits
// are the answers of the issue form it turned into records, written on
// behalf of the employee, so the app is no writer.
//
// A commit whose author or committer GitHub matches to no account is a
// *Refusal: nobody can tell whether one of its approvers wrote it (a push
// made with an email of one's own that is not on one's GitHub account is
// enough), so no approval of the pull request can be counted.
func Writers(commits []Commit, isBot func(login string) bool) ([]Writer, error) {
	var out []Writer
	for _, c := range commits {
		for _, who := range []struct{ role, login, ident string }{
			{"author", c.Author, c.AuthorIdent}, {"committer", c.Committer, c.CommitterIdent}} {
			switch {
			case who.login == "":
				return nil, refuse("the %s of commit %s, %q, is no GitHub account GitHub knows, so posture cannot tell whether "+
					"someone who must approve wrote it; add that email to its writer's GitHub account, or make the commit again "+
					"with the email of one (then approve the new head)", who.role, short(c.SHA), who.ident)
			case isBot(who.login):
			case !slices.ContainsFunc(out, func(w Writer) bool { return sameLogin(w.Login, who.login) }):
				out = append(out, Writer{Login: who.login, Commit: c.SHA})
			}
		}
	}
	return out, nil
}

// WrittenBy records on rt who wrote the pull request's commits: their
// approval never counts, since they would vouch for what they wrote
// themselves. Contractors among them leave 2b to the other contractors.
// 2a stays with whom the roster names, as the audit checks it: a
// supervisor who wrote a commit cannot give 2a while the commit is in the
// pull request.
func (rt *Route) WrittenBy(ws []Writer) {
	rt.Writers = ws
	rt.Contractors = slices.DeleteFunc(rt.Contractors, func(p Person) bool {
		_, wrote := rt.wrote(p.Login)
		return wrote
	})
}

// wrote returns the writer whose login is login, if one is.
func (rt Route) wrote(login string) (Writer, bool) {
	i := slices.IndexFunc(rt.Writers, func(w Writer) bool { return sameLogin(w.Login, login) })
	if i < 0 {
		return Writer{}, false
	}
	return rt.Writers[i], true
}

// heldBy describes p, who must give 2a, as holding it up when p wrote a
// commit of the pull request; "" when p did not.
func (rt Route) heldBy(p Person) string {
	w, ok := rt.wrote(p.Login)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%s, who cannot approve while their commit %s is in the pull request", p.Mention(), short(w.Commit))
}
