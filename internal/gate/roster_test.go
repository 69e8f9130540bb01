package gate

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/posture-dev/posture/internal/record"
)

// p describes a person for the test roster.
type p struct {
	id, login, role, sup string
	inactive             bool
}

// org is a small organisation: e1 at the top, e2 heads Sales with e4 and e5
// under them, e3 heads Engineering, e6 is inactive and supervises e7, a1 is
// the IT admin, c1 and c2 are contractors (c3 inactive), u1 an auditor.
var org = []p{
	{id: "e1", login: "top-boss", role: "employee"},
	{id: "e2", login: "sales-head", role: "employee", sup: "e1"},
	{id: "e3", login: "eng-head", role: "employee", sup: "e1"},
	{id: "e4", login: "Yuki-N", role: "employee", sup: "e2"},
	{id: "e5", login: "daniel-o", role: "employee", sup: "e2"},
	{id: "e6", login: "gone-manager", role: "employee", sup: "e2", inactive: true},
	{id: "e7", login: "ravi-m", role: "employee", sup: "e6"},
	{id: "e8", login: "self-sup", role: "employee", sup: "e8"},
	{id: "e9", login: "orphan", role: "employee", sup: "e404"},
	{id: "e10", login: "", role: "employee", sup: "e1"},
	{id: "e11", login: "no-login-boss", role: "employee", sup: "e10"},
	{id: "a1", login: "it-ada", role: "it-admin", sup: "e1"},
	{id: "c1", login: "carl-c", role: "contractor", sup: "a1"},
	{id: "c2", login: "cora-c", role: "contractor", sup: "a1"},
	{id: "c3", login: "old-contractor", role: "contractor", sup: "a1", inactive: true},
	{id: "u1", login: "audit-grace", role: "auditor", sup: "e1"},
}

func personYAML(x p) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\nname: Name of %s\n", x.id, x.id)
	if x.login != "" {
		fmt.Fprintf(&b, "github: %s\n", x.login)
	}
	fmt.Fprintf(&b, "email: %s@example.com\ndepartment: X\nrole: %s\nactive: %v\n", x.id, x.role, !x.inactive)
	if x.sup != "" {
		fmt.Fprintf(&b, "supervisor: %s\n", x.sup)
	}
	return b.String()
}

// testFS is the organisation as a tree, with one device per employee:
// d-<id> owned by <id>.
func testFS() fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, x := range org {
		fsys["people/"+x.id+".yaml"] = &fstest.MapFile{Data: []byte(personYAML(x))}
		fsys["devices/d-"+x.id+".yaml"] = &fstest.MapFile{Data: []byte("id: d-" + x.id + "\nowner: " + x.id + "\n")}
	}
	fsys["people/README.md"] = &fstest.MapFile{Data: []byte("not a record")}
	fsys["people/broken.yaml"] = &fstest.MapFile{Data: []byte("id: [unclosed")}
	return fsys
}

func testRoster(t *testing.T) *Roster {
	t.Helper()
	r, err := LoadRoster(testFS())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestLoadRoster(t *testing.T) {
	r := testRoster(t)
	if got, ok := r.ByLogin("yuki-n"); !ok || got.ID != "e4" || got.Supervisor != "e2" || !got.Active {
		t.Errorf("ByLogin(yuki-n) = %+v, %v; want e4, compared without case", got, ok)
	}
	if got, ok := r.Get("e6"); !ok || got.Active {
		t.Errorf("e6 = %+v, %v; want inactive", got, ok)
	}
	if _, ok := r.Get("broken"); ok {
		t.Error("a record that does not parse is in the roster")
	}
	if o, ok := r.DeviceOwner("d-e5"); !ok || o != "e5" {
		t.Errorf("DeviceOwner(d-e5) = %q, %v", o, ok)
	}
	if got := ids(r.Contractors()); got != "c1 c2" {
		t.Errorf("contractors = %s, want the active ones: c1 c2", got)
	}
	if got := ids(r.ITAdmins()); got != "a1" {
		t.Errorf("IT admins = %s", got)
	}
	empty, err := LoadRoster(fstest.MapFS{})
	if err != nil || len(empty.Contractors()) != 0 {
		t.Errorf("a tree without people/: %v", err)
	}
}

func TestByLoginClaimedTwice(t *testing.T) {
	a, _ := record.Parse("people/x.yaml", record.Person, []byte(personYAML(p{id: "x", login: "same", role: "employee"})))
	b, _ := record.Parse("people/y.yaml", record.Person, []byte(personYAML(p{id: "y", login: "SAME", role: "employee"})))
	r := NewRoster(map[string]*record.Record{"x": a, "y": b}, nil)
	if got, ok := r.ByLogin("same"); ok {
		t.Errorf("a login two records claim belongs to %s; want nobody", got.ID)
	}
}

func ids(ps []Person) string {
	var out []string
	for _, x := range ps {
		out = append(out, x.ID)
	}
	return strings.Join(out, " ")
}
