package cli

import (
	"runtime/debug"
	"strings"
)

// version is set at build time with
// -ldflags "-X github.com/posture-dev/posture/internal/cli.version=v1.2.3".
var version = ""

// Build is what the posture binary knows about itself.
type Build struct {
	// Version is the one set at build time, else the main module's: "v1.2.3"
	// when installed with go install ...@v1.2.3, a pseudo-version such as
	// "v0.0.0-20261123012238-8495bfc203c9+dirty" when built in a checkout by
	// Go 1.24 or later, or "(devel)" when no version was stamped.
	Version string
	// Revision is the commit it was built from (vcs.revision), "" when
	// the build stamped none (go install from the module proxy, -buildvcs=false).
	Revision string
	// Time is that commit's time (vcs.time), RFC 3339, or "".
	Time string
	// Modified reports uncommitted changes in the checkout it was built
	// from (vcs.modified).
	Modified bool
	// Go is the toolchain that built it, e.g. "go1.26.8".
	Go string
}

// readBuild returns what the build info (from debug.ReadBuildInfo, ok
// false when the binary has none) and the version set at build time (""
// when none was) say about the binary.
func readBuild(ldflags string, bi *debug.BuildInfo, ok bool) Build {
	b := Build{Version: "(unknown)"}
	if ok && bi != nil {
		b.Go = bi.GoVersion
		if bi.Main.Version != "" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Revision = s.Value
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if ldflags != "" {
		b.Version = ldflags
	}
	return b
}

// currentBuild describes the running binary.
func currentBuild() Build {
	bi, ok := debug.ReadBuildInfo()
	return readBuild(version, bi, ok)
}

// String returns the version and, when known, the commit on one line:
// "v1.2.3", "(devel) commit 8495bfc...", "(devel) commit 8495bfc... (modified)".
func (b Build) String() string {
	var s strings.Builder
	s.WriteString(b.Version)
	if b.Revision != "" {
		s.WriteString(" commit " + b.Revision)
		if b.Modified {
			s.WriteString(" (modified)")
		}
	}
	return s.String()
}

// Version returns posture's version (Build.Version): what check and
// audit reports and the Posture-Version trailer of a merge record.
func Version() string { return currentBuild().Version }

// versionLine is what posture --version prints after "posture version ":
// the version and, when the build recorded it, the commit.
func versionLine() string { return currentBuild().String() }
