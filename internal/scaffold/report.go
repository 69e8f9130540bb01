package scaffold

import (
	"fmt"
	"io"
)

// Write prints the plan for the IT admin who reviews it: one line per
// file, what is left to do by hand, and the unified diff of every change,
// refused ones included (what --force would do).
func (pl *Plan) Write(w io.Writer) {
	if pl.Empty() {
		fmt.Fprintf(w, "nothing to do: every file posture manages is as posture %s writes it\n", pl.To)
		for _, n := range pl.Notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
		return
	}
	fmt.Fprintf(w, "posture upgrade from posture %s to %s, whose workflows call %s\n\n", pl.From, pl.To, pl.Action)
	for _, c := range pl.Changes {
		mark := ""
		if c.Refused {
			mark = " (refused: " + refusal(pl.force) + ")"
		}
		fmt.Fprintf(w, "  %-7s %s: %s%s\n", c.Op, c.Path, c.Note, mark)
	}
	if pl.LockChanged && len(pl.Changes) == 0 {
		fmt.Fprintf(w, "  %-7s %s: the files are current; their record is brought up to date\n", Update, LockFile)
	}
	for _, n := range pl.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, c := range pl.Changes {
		fmt.Fprintln(w)
		io.WriteString(w, Diff(c.Path, c.Old, c.New))
	}
}

func refusal(force bool) string {
	if force {
		return "replaced with --force"
	}
	return "--force replaces it"
}
