package githubtest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strings"
)

// SetRef points reference ref ("heads/<branch>") at sha, creating it.
func (s *Server) SetRef(ref, sha string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref = strings.TrimPrefix(ref, "refs/")
	if _, ok := s.trees[sha]; !ok {
		s.trees[sha] = map[string][]byte{}
	}
	s.refs[ref] = sha
}

// SetFile commits content at path on branch (created from DefaultBranch
// if missing) and returns the new commit's SHA.
func (s *Server) SetFile(branch, path string, content []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.refs["heads/"+branch]; !ok {
		s.refs["heads/"+branch] = s.refs["heads/"+DefaultBranch]
	}
	return s.commit(branch, path, content)
}

// commit makes a commit on branch that sets path to content.
func (s *Server) commit(branch, path string, content []byte) string {
	parent := s.refs["heads/"+branch]
	tree := cloneTree(s.trees[parent])
	tree[path] = bytes.Clone(content)
	sha := fakeSHA(fmt.Sprintf("commit %s %s %s %d", parent, path, blobSHA(content), s.newID()))
	s.trees[sha] = tree
	s.refs["heads/"+branch] = sha
	s.made[sha] = madeCommit{parent: parent, Commit: Commit{SHA: sha, Author: s.actor, Committer: s.actor,
		Message: "Update " + path, Date: s.now()}}
	return sha
}

func (s *Server) refJSON(ref, sha string) object {
	return object{"ref": "refs/" + ref, "node_id": nodeID("REF_", userID(ref)), "url": s.api("git/refs/%s", ref),
		"object": object{"type": "commit", "sha": sha, "url": s.api("git/commits/%s", sha)}}
}

// getRef is GET /git/ref/{ref}; c.path is "heads/<branch>".
func (s *Server) getRef(c *call) {
	sha, ok := s.refs[c.path]
	if !ok {
		fail(c, http.StatusNotFound, "Not Found")
		return
	}
	writeJSON(c.w, http.StatusOK, s.refJSON(c.path, sha))
}

func (s *Server) createRef(c *call) {
	var in struct {
		Ref string `json:"ref"`
		SHA string `json:"sha"`
	}
	if !s.decode(c, &in) {
		return
	}
	ref, ok := strings.CutPrefix(in.Ref, "refs/")
	switch _, known := s.trees[in.SHA]; {
	case !ok || !strings.Contains(ref, "/"):
		fail(c, http.StatusUnprocessableEntity, "Reference name must start with 'refs/' and have at least two slashes.")
	case s.refs[ref] != "":
		fail(c, http.StatusUnprocessableEntity, "Reference already exists")
	case !known:
		fail(c, http.StatusUnprocessableEntity, "Object does not exist")
	default:
		s.refs[ref] = in.SHA
		writeJSON(c.w, http.StatusCreated, s.refJSON(ref, in.SHA))
	}
}

// contentJSON is a "content-file".
func (s *Server) contentJSON(p, ref string, content []byte) object {
	o := s.entryJSON("file", p, ref, blobSHA(content), len(content))
	o["encoding"], o["content"] = "base64", encode64(content)
	return o
}

// entryJSON is an entry of a "content-directory" without its content: a
// file or a directory ("dir") at path p on ref.
func (s *Server) entryJSON(kind, p, ref, sha string, size int) object {
	self := s.api("contents/%s?ref=%s", p, ref)
	git := s.api("git/blobs/%s", sha)
	html := s.html("blob/%s/%s", ref, p)
	var download any = s.srv.URL + "/raw/" + Owner + "/" + Repo + "/" + ref + "/" + p
	if kind == "dir" {
		git, html, download = s.api("git/trees/%s", sha), s.html("tree/%s/%s", ref, p), nil
	}
	return object{"type": kind, "size": size, "name": path.Base(p), "path": p, "sha": sha,
		"url": self, "git_url": git, "html_url": html, "download_url": download,
		"_links": object{"self": self, "git": git, "html": html}}
}

// getContents is GET /contents/{path}?ref=: a file, or a directory listing.
func (s *Server) getContents(c *call) {
	ref := c.r.URL.Query().Get("ref")
	if ref == "" {
		ref = DefaultBranch
	}
	sha, ok := s.refs["heads/"+ref]
	if !ok {
		sha = ref
	}
	tree, ok := s.trees[sha]
	if !ok {
		fail(c, http.StatusNotFound, "No commit found for the ref "+ref)
		return
	}
	if b, ok := tree[c.path]; ok {
		writeJSON(c.w, http.StatusOK, s.contentJSON(c.path, ref, b))
		return
	}
	entries := map[string]object{}
	for p, b := range tree {
		rest, ok := strings.CutPrefix(p, c.path+"/")
		if !ok {
			continue
		}
		name, _, sub := strings.Cut(rest, "/")
		e := s.entryJSON("file", c.path+"/"+name, ref, blobSHA(b), len(b))
		if sub {
			e = s.entryJSON("dir", c.path+"/"+name, ref, fakeSHA(c.path+"/"+name), 0)
		}
		entries[name] = e
	}
	if len(entries) == 0 {
		fail(c, http.StatusNotFound, "Not Found")
		return
	}
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []object
	for _, n := range names {
		out = append(out, entries[n])
	}
	writeJSON(c.w, http.StatusOK, out)
}

// putContents is PUT /contents/{path}: create or update one file with a commit.
func (s *Server) putContents(c *call) {
	var in struct {
		Message   string          `json:"message"`
		Content   *string         `json:"content"`
		SHA       string          `json:"sha"`
		Branch    string          `json:"branch"`
		Committer json.RawMessage `json:"committer"`
		Author    json.RawMessage `json:"author"`
	}
	if !s.decode(c, &in) {
		return
	}
	if in.Branch == "" {
		in.Branch = DefaultBranch
	}
	content, err := []byte(nil), error(nil)
	if in.Content != nil {
		content, err = base64.StdEncoding.DecodeString(*in.Content)
	}
	old, exists := s.trees[s.refs["heads/"+in.Branch]][c.path]
	switch _, branch := s.refs["heads/"+in.Branch]; {
	case in.Message == "":
		fail(c, http.StatusUnprocessableEntity, "Invalid request.\n\n\"message\" wasn't supplied.")
	case in.Content == nil:
		fail(c, http.StatusUnprocessableEntity, "Invalid request.\n\n\"content\" wasn't supplied.")
	case err != nil:
		fail(c, http.StatusUnprocessableEntity, "content is not valid Base64")
	case !branch:
		fail(c, http.StatusNotFound, "Branch "+in.Branch+" not found")
	case exists && in.SHA == "":
		fail(c, http.StatusUnprocessableEntity, "Invalid request.\n\n\"sha\" wasn't supplied.")
	case exists && in.SHA != blobSHA(old):
		fail(c, http.StatusConflict, c.path+" does not match "+in.SHA)
	default:
		parent := s.refs["heads/"+in.Branch]
		sha := s.commit(in.Branch, c.path, content)
		status := http.StatusCreated
		if exists {
			status = http.StatusOK
		}
		file := s.entryJSON("file", c.path, in.Branch, blobSHA(content), len(content))
		who := object{"name": s.actor, "email": s.actor + "@users.noreply.github.com", "date": stamp(s.now())}
		tree := fakeSHA("tree " + sha)
		writeJSON(c.w, status, object{"content": file, "commit": object{"sha": sha, "node_id": nodeID("C_", userID(sha)),
			"url": s.api("git/commits/%s", sha), "html_url": s.html("commit/%s", sha), "message": in.Message,
			"author": who, "committer": who,
			"tree":    object{"sha": tree, "url": s.api("git/trees/%s", tree)},
			"parents": []object{{"sha": parent, "url": s.api("git/commits/%s", parent), "html_url": s.html("commit/%s", parent)}},
			"verification": object{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil,
				"verified_at": nil}}})
	}
}

func cloneTree(t map[string][]byte) map[string][]byte {
	out := make(map[string][]byte, len(t))
	for p, b := range t {
		out[p] = b
	}
	return out
}

// diffTrees lists the files that differ from base to head, by name.
func diffTrees(base, head map[string][]byte) []File {
	var files []File
	for p, b := range head {
		old, ok := base[p]
		switch {
		case !ok:
			files = append(files, File{Filename: p, Status: "added", Additions: bytes.Count(b, []byte("\n"))})
		case !bytes.Equal(old, b):
			files = append(files, File{Filename: p, Status: "modified"})
		}
	}
	for p, b := range base {
		if _, ok := head[p]; !ok {
			files = append(files, File{Filename: p, Status: "removed", Deletions: bytes.Count(b, []byte("\n"))})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Filename < files[j].Filename })
	return files
}
