package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// The values of --color.
const (
	ColorAuto   = "auto"
	ColorAlways = "always"
	ColorNever  = "never"
)

// ColorOptions are --color and what deciding "auto" needs.
type ColorOptions struct {
	// Mode is auto, always or never.
	Mode   colorMode
	Getenv func(string) string
	// IsTerminal reports whether w is a terminal; nil tells by the file.
	IsTerminal func(io.Writer) bool
}

// On reports whether output to w is coloured: always, never, or with auto
// when w is a terminal and $NO_COLOR is unset or empty (no-color.org).
func (c ColorOptions) On(w io.Writer) bool {
	switch c.Mode {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	if c.Getenv != nil && c.Getenv("NO_COLOR") != "" {
		return false
	}
	isTerminal := c.IsTerminal
	if isTerminal == nil {
		isTerminal = fileIsTerminal
	}
	return isTerminal(w)
}

// addColorFlag binds --color, default auto; the shell completes its values.
func addColorFlag(cmd *cobra.Command, f *Factory, c *ColorOptions) {
	c.Mode = ColorAuto
	c.Getenv = f.Getenv
	c.IsTerminal = f.IsTerminal
	cmd.Flags().Var(&c.Mode, "color", "colour the text output `when`: auto (on a terminal, unless $NO_COLOR is set), always or never")
	completeValues(cmd, "color", ColorAuto, ColorAlways, ColorNever)
}

// colorMode is the value of --color; a value other than the three is a
// usage error when the flags are parsed.
type colorMode string

func (m *colorMode) String() string { return string(*m) }
func (m *colorMode) Type() string   { return "when" }
func (m *colorMode) Set(s string) error {
	switch s {
	case ColorAuto, ColorAlways, ColorNever:
		*m = colorMode(s)
		return nil
	}
	return fmt.Errorf("use %s, %s or %s", ColorAuto, ColorAlways, ColorNever)
}

// fileIsTerminal reports whether w is a character device, as a terminal is.
// (So is /dev/null, where colour does no harm.)
func fileIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
