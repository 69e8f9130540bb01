package codeowners

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/posture-dev/posture/internal/finding"
	"github.com/posture-dev/posture/internal/record"
)

func people(t *testing.T, specs ...string) map[string]*record.Record {
	t.Helper()
	out := map[string]*record.Record{}
	for _, s := range specs {
		id, rest, _ := strings.Cut(s, " ")
		rec, fs := record.Parse("people/"+id+".yaml", record.Person, []byte("id: "+id+"\n"+strings.ReplaceAll(rest, "; ", "\n")+"\n"))
		if rec == nil {
			t.Fatalf("parse %s: %v", s, fs)
		}
		out[id] = rec
	}
	return out
}

func TestGenerate(t *testing.T) {
	ps := people(t,
		"a1 github: Zed-Admin; role: it-admin; active: true",
		"a2 github: ada-admin; role: it-admin; active: true",
		"a3 github: gone-admin; role: it-admin; active: false",
		"e1 github: emp; role: employee; active: true",
		"c1 github: carl; role: contractor; active: true")
	got, err := Generate(ps, []string{"policies/", "extra/"})
	if err != nil {
		t.Fatal(err)
	}
	text := string(got)
	for _, want := range []string{
		"/policies/            @ada-admin @Zed-Admin\n",
		"/policies/exceptions/ @ada-admin @Zed-Admin\n",
		"/.github/             @ada-admin @Zed-Admin\n",
		"/posture.yaml         @ada-admin @Zed-Admin\n",
		"/go.sum               @ada-admin @Zed-Admin\n",
		"/extra/               @ada-admin @Zed-Admin\n",
		"\n*                     @ada-admin @Zed-Admin\n",
		"\n/reports/\n/devices/\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("CODEOWNERS lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"gone-admin", "emp", "carl", "/reports/ @", "/devices/ @"} {
		if strings.Contains(text, not) {
			t.Errorf("CODEOWNERS names %q:\n%s", not, text)
		}
	}
	if strings.Count(text, "/policies/ ") != 1 {
		t.Errorf("a protected path that is also trusted is listed twice:\n%s", text)
	}
	if _, err := Generate(people(t, "e1 github: emp; role: employee; active: true"), nil); !errors.Is(err, ErrNoOwners) {
		t.Errorf("no IT admin: %v", err)
	}
	if got, _ := Generate(ps, []string{"reports/"}); strings.Contains(string(got), "/reports/ ") {
		t.Errorf("a protected reports/ got an owner: the gate decides on reports:\n%s", got)
	}
	if _, err := Generate(ps, []string{"bad path/"}); err == nil {
		t.Error("a path with a space was written")
	}
}

func TestCheck(t *testing.T) {
	ps := people(t, "a1 github: ada-admin; role: it-admin; active: true")
	good, _ := Generate(ps, nil)
	tests := []struct {
		name string
		file *fstest.MapFile
		want string // a substring of the one finding's message, "" for none
	}{
		{name: "no file", file: nil},
		{name: "up to date", file: &fstest.MapFile{Data: good}},
		{name: "up to date with CRLF", file: &fstest.MapFile{Data: []byte(strings.ReplaceAll(string(good), "\n", "\r\n"))}},
		{name: "an owner edited in by hand", file: &fstest.MapFile{Data: []byte(strings.ReplaceAll(string(good), "@ada-admin", "@ada-admin @mallory"))},
			want: "does not match people/: the trusted paths must be owned by the active IT admins (@ada-admin). Run posture codeowners"},
		{name: "a path removed", file: &fstest.MapFile{Data: []byte(strings.ReplaceAll(string(good), "/.github/", "/docs/"))},
			want: "Run posture codeowners"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tt.file != nil {
				fsys[File] = tt.file
			}
			fs := Check(fsys, ps, nil)
			switch {
			case tt.want == "" && len(fs) > 0:
				t.Errorf("findings %v", fs)
			case tt.want != "" && (len(fs) != 1 || !strings.Contains(fs[0].Message, tt.want)):
				t.Errorf("findings %v, want one with %q", fs, tt.want)
			case tt.want != "" && (fs[0].File != File || fs[0].Line != 1 || fs[0].Rule != Rule || fs[0].Severity != finding.Deny):
				t.Errorf("finding %+v, want %s line 1 [%s] deny", fs[0], File, Rule)
			}
		})
	}
	noAdmin := Check(fstest.MapFS{File: &fstest.MapFile{Data: good}}, people(t, "e1 github: emp; role: employee; active: true"), nil)
	if len(noAdmin) != 1 || !strings.Contains(noAdmin[0].Message, "no active it-admin") {
		t.Errorf("without IT admins: %v", noAdmin)
	}
}
