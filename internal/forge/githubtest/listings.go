package githubtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
)

// Listings of issues that are not the whole truth, as GitHub has given
// them: a listing that comes back empty while the issues exist, a first
// page without the Link to the next one, a page with issues left out. Each
// is a Fault for the next GET /repos/{owner}/{repo}/issues, whatever its
// query, so a test queues it before the listing it replaces. The answers
// are the fake's own (same JSON, same headers), cut.

// EmptyListing answers the next listing of issues with 200 and no issue,
// whatever exists.
func EmptyListing() Fault {
	return Fault{Method: "GET", Path: "issues", Status: http.StatusOK, Body: "[]"}
}

// ListingWithoutNext answers the next listing of issues with the page the
// fake would send now for query (as the client sends it, e.g.
// "labels=report%2F2026-12&per_page=100&state=all"), without its Link
// header: a page chain broken after that page.
func (s *Server) ListingWithoutNext(query string) Fault {
	return s.listingAnswer(query, false, nil)
}

// ListingWithout answers the next listing of issues with the page the
// fake would send now for query, Link header and all, but without the
// issues numbered drop.
func (s *Server) ListingWithout(query string, drop ...int) Fault {
	return s.listingAnswer(query, true, drop)
}

func (s *Server) listingAnswer(query string, keepLink bool, drop []int) Fault {
	r := httptest.NewRequest("GET", Prefix+"repos/"+Owner+"/"+Repo+"/issues?"+query, nil)
	r.Host = strings.TrimPrefix(s.srv.URL, "http://") // the Link header's, as a real request's
	rec := httptest.NewRecorder()
	s.mu.Lock()
	s.listIssues(&call{w: rec, r: r})
	s.mu.Unlock()
	var page []json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
		s.t.Fatalf("githubtest: listing %s: %v", query, err)
	}
	kept := []json.RawMessage{}
	for _, raw := range page {
		var is struct{ Number int }
		json.Unmarshal(raw, &is)
		if !slices.Contains(drop, is.Number) {
			kept = append(kept, raw)
		}
	}
	h := rec.Header().Clone()
	h.Del("Content-Type") // Fault.write sets it
	if !keepLink {
		h.Del("Link")
	}
	return Fault{Method: "GET", Path: "issues", Status: rec.Code, Header: h, Body: marshal(kept)}
}

// assigneeMatches reports whether an issue assigned to have matches the
// assignee parameter of a listing: a login, "none" for no one, "*" for
// anyone, or empty for no filter.
func assigneeMatches(have []string, assignee string) bool {
	switch assignee {
	case "":
		return true
	case "none":
		return len(have) == 0
	case "*":
		return len(have) > 0
	}
	return hasAll(have, []string{assignee})
}
