package cli

import (
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/posture-dev/posture/internal/evidence"
)

func TestReadBuild(t *testing.T) {
	const rev = "8495bfc203c9987daab8609acdb54b93b7752176"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "-buildmode", Value: "exe"}, {Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: "2026-11-23T01:22:38Z"}, {Key: "vcs.modified", Value: modified}}
	}
	info := func(version string, settings []debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/posture-dev/posture", Version: version}, Settings: settings}
	}
	for _, tc := range []struct {
		name    string
		ldflags string
		bi      *debug.BuildInfo
		ok      bool
		want    Build
		line    string
	}{
		{"go install @version", "", info("v1.2.3", nil), true,
			Build{Version: "v1.2.3", Go: "go1.26.8"}, "v1.2.3"},
		{"checkout without vcs stamping", "", info("(devel)", []debug.BuildSetting{{Key: "-buildmode", Value: "exe"}}), true,
			Build{Version: "(devel)", Go: "go1.26.8"}, "(devel)"},
		{"checkout, clean", "", info("(devel)", vcs("false")), true,
			Build{Version: "(devel)", Revision: rev, Time: "2026-11-23T01:22:38Z", Go: "go1.26.8"}, "(devel) commit " + rev},
		{"checkout, modified, pseudo-version", "", info("v0.0.0-20261123012238-8495bfc203c9+dirty", vcs("true")), true,
			Build{Version: "v0.0.0-20261123012238-8495bfc203c9+dirty", Revision: rev, Time: "2026-11-23T01:22:38Z", Modified: true, Go: "go1.26.8"},
			"v0.0.0-20261123012238-8495bfc203c9+dirty commit " + rev + " (modified)"},
		{"version set at build time", "v2.0.0", info("(devel)", vcs("false")), true,
			Build{Version: "v2.0.0", Revision: rev, Time: "2026-11-23T01:22:38Z", Go: "go1.26.8"}, "v2.0.0 commit " + rev},
		{"no build info", "", nil, false, Build{Version: "(unknown)"}, "(unknown)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := readBuild(tc.ldflags, tc.bi, tc.ok)
			if got != tc.want {
				t.Errorf("readBuild = %+v, want %+v", got, tc.want)
			}
			if s := got.String(); s != tc.line {
				t.Errorf("String() = %q, want %q", s, tc.line)
			}
		})
	}
}

func TestVersionFlag(t *testing.T) {
	var out, errOut strings.Builder
	streams := IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	f := &Factory{IO: streams, Now: time.Now, Getenv: func(string) string { return "" }}
	if code := Execute(NewCmdRoot(f), []string{"--version"}, streams); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	b := currentBuild()
	want := "posture version " + b.Version
	if b.Revision != "" {
		want += " commit " + b.Revision // stamped when tests run with -buildvcs=true or auto in a checkout
	}
	if got := out.String(); !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "\n") || strings.Count(got, "\n") != 1 {
		t.Errorf("posture --version printed %q, want %q and, if modified, (modified)", got, want)
	}
}

// TestMergeRecordsTheBuild: the merge commit's trailers name the build
// that merged it, as evidence.Parse reads them back.
func TestMergeRecordsTheBuild(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pr := f.approved()
	f.mustRun(ExitOK, "route", "--pr", "1")
	f.mustRun(ExitOK, "gate", "--pr", "1")
	out, _ := f.mustRun(ExitOK, "merge", "--pr", "1")
	p, _ := f.gh.Pull(pr)
	ev, found, err := evidence.Parse(p.Merge.Title + "\n\n" + p.Merge.Message)
	if err != nil || !found {
		t.Fatalf("evidence in %q: %v %v", p.Merge.Message, found, err)
	}
	b := currentBuild()
	if ev.Version != b.Version || ev.Revision != b.Revision || ev.Modified != b.Modified || ev.Version == "" {
		t.Errorf("evidence names version %q revision %q modified %v; the build is %+v", ev.Version, ev.Revision, ev.Modified, b)
	}
	if !strings.Contains(out, "Posture-Version: "+b.Version+"\n") {
		t.Errorf("merge printed:\n%s", out)
	}
}
