package cli

import "runtime/debug"

// version is set at build time with -ldflags "-X ...cli.version=v1.2.3".
var version = ""

// Version returns posture's version: the one set at build time, the module
// version when installed with go install, or "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
