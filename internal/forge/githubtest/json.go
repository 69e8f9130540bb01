package githubtest

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type object = map[string]any

// writeJSON answers status with v as JSON and the headers GitHub sends on
// every answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Github-Media-Type", "github.v3; format=json")
	h.Set("X-Ratelimit-Limit", "5000")
	h.Set("X-Ratelimit-Remaining", "4999")
	h.Set("X-Ratelimit-Used", "1")
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	h.Set("X-Ratelimit-Resource", "core")
	w.WriteHeader(status)
	if v != nil {
		json.NewEncoder(w).Encode(v)
	}
}

func marshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func errorBody(message, docs string) object {
	return object{"message": message, "documentation_url": docs}
}

func validation(message string, errs ...ValidationError) object {
	o := object{"message": message, "documentation_url": "https://docs.github.com/rest"}
	if len(errs) > 0 {
		o["errors"] = errs
	}
	return o
}

// fail answers a GitHub-style error.
func fail(c *call, status int, message string) {
	writeJSON(c.w, status, errorBody(message, "https://docs.github.com/rest"))
}

// invalid answers 422 "Validation Failed" with errs.
func invalid(c *call, errs ...ValidationError) {
	writeJSON(c.w, http.StatusUnprocessableEntity, validation("Validation Failed", errs...))
}

// decode reads the JSON body into v, which lists the fields GitHub
// documents for the endpoint. A body that is not JSON or has a field the
// endpoint does not take fails the test and answers 400, as GitHub does.
func (s *Server) decode(c *call, v any) bool {
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		s.t.Errorf("githubtest: %s %s: body %s: %v", c.r.Method, c.r.URL.Path, c.body, err)
		fail(c, http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

// paginate answers one page of all, honouring per_page (default 30, at
// most 100) and page, with a Link header as GitHub sends it.
func paginate[T any](s *Server, c *call, all []T) []T {
	q := c.r.URL.Query()
	per, page := 30, 1
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.t.Errorf("githubtest: %s: per_page %q", c.r.URL, v)
		}
		per = min(max(n, 1), 100)
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.t.Errorf("githubtest: %s: page %q", c.r.URL, v)
		}
		page = max(n, 1)
	}
	last := max((len(all)+per-1)/per, 1)
	var links []string
	link := func(p int, rel string) {
		u := *c.r.URL
		u.Scheme, u.Host = "http", c.r.Host
		q := u.Query()
		q.Set("per_page", strconv.Itoa(per))
		q.Set("page", strconv.Itoa(p))
		u.RawQuery = q.Encode()
		links = append(links, fmt.Sprintf("<%s>; rel=%q", u.String(), rel))
	}
	if page < last {
		link(page+1, "next")
		link(last, "last")
	}
	if page > 1 {
		link(1, "first")
		link(page-1, "prev")
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	from := min((page-1)*per, len(all))
	return all[from:min(from+per, len(all))]
}

// fakeSHA returns a stable 40-hex SHA for a seed.
func fakeSHA(seed string) string {
	sum := sha1.Sum([]byte(seed))
	return hex.EncodeToString(sum[:])
}

// blobSHA is Git's blob hash of content, as the contents API reports it.
func blobSHA(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// encode64 is base64 in 60-character lines, as the contents API sends it.
func encode64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 60 {
		out.WriteString(s[:60] + "\n")
		s = s[60:]
	}
	out.WriteString(s + "\n")
	return out.String()
}

func userID(login string) int64 {
	h := fnv.New32a()
	h.Write([]byte(login))
	return int64(h.Sum32()%9_000_000) + 1_000_000
}

func nodeID(kind string, id int64) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("%s%d", kind, id)))
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (s *Server) api(format string, a ...any) string {
	return s.srv.URL + Prefix + "repos/" + Owner + "/" + Repo + "/" + fmt.Sprintf(format, a...)
}

func (s *Server) html(format string, a ...any) string {
	return s.srv.URL + "/" + Owner + "/" + Repo + "/" + fmt.Sprintf(format, a...)
}
