package scaffold

import (
	"path"
	"strings"
)

// stamp returns data with a comment naming the posture version it came
// from and what may be done with it, where the file's format has comments:
// YAML and Rego (#), Markdown (<!-- -->). JSON has none; posture.lock
// records every file's version either way.
func stamp(p string, data []byte, version string, k Kind) []byte {
	var note string
	switch {
	case k == Managed && strings.HasSuffix(p, ".rego"):
		note = "posture " + version + ": one of posture's rules, kept current by posture upgrade (posture.lock), which refuses it once edited. Put your own rules in policies/local/."
	case k == Managed:
		note = "posture " + version + ": written by posture, kept current by posture upgrade (posture.lock), which refuses it once edited."
	case k == Data:
		note = "Started from the defaults of posture " + version + " by posture init, and yours to change: posture upgrade adds the keys a newer posture brings, with their defaults, and never changes a value."
	default:
		note = "Written by posture init " + version + ". Yours to change: posture upgrade never touches it."
	}
	switch ext := path.Ext(p); {
	case ext == ".md":
		return append([]byte("<!-- "+note+" -->\n"), data...)
	case ext == ".rego":
		// A blank line keeps the stamp out of the package's METADATA.
		return append([]byte(comment(note)+"\n"), data...)
	case ext == ".yml" || ext == ".yaml":
		text := string(data)
		head := ""
		// yaml-language-server reads its schema line at the top.
		if first, rest, ok := strings.Cut(text, "\n"); ok && strings.HasPrefix(first, "# yaml-language-server:") {
			head, text = first+"\n", rest
		}
		if k == Data {
			head += comment(note) + "#\n"
			return []byte(head + text)
		}
		return []byte(head + comment(note) + text)
	}
	return data
}

// comment writes text as # lines of at most 78 columns.
func comment(text string) string {
	var b, line strings.Builder
	for _, w := range strings.Fields(text) {
		if line.Len() > 0 && line.Len()+1+len(w) > 76 {
			b.WriteString("# " + line.String() + "\n")
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(w)
	}
	b.WriteString("# " + line.String() + "\n")
	return b.String()
}
