package scaffold

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name     string
		old, new []byte
		want     []string // lines the diff holds, in order
	}{
		{name: "a change among context", old: []byte("a\nb\nc\nd\ne\nf\ng\nh\n"), new: []byte("a\nb\nc\nd\nE\nf\ng\nh\n"),
			want: []string{"--- a/f.txt", "+++ b/f.txt", "@@ -2,7 +2,7 @@", " d", "-e", "+E", " f", " h"}},
		{name: "a new file", new: []byte("x\n"), want: []string{"new file mode 100644", "--- /dev/null", "+++ b/f.txt", "+x"}},
		{name: "a removed file", old: []byte("x\n"), want: []string{"deleted file mode 100644", "--- a/f.txt", "+++ /dev/null", "-x"}},
		{name: "a line added at the end", old: []byte("a\n"), new: []byte("a\nb\n"), want: []string{"@@ -1 +1,2 @@", " a", "+b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff("f.txt", tt.old, tt.new)
			lines := strings.Split(got, "\n")
			i := 0
			for _, l := range lines {
				if i < len(tt.want) && strings.HasPrefix(l, tt.want[i]) {
					i++
				}
			}
			if i < len(tt.want) {
				t.Errorf("the diff lacks %q (in order):\n%s", tt.want[i], got)
			}
		})
	}
}
