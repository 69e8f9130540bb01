package record

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

// wide is a record whose top-level mapping and "items" mapping have more
// keys than indexFrom, so their keys are looked up in an index.
func wide(t testing.TB) *Record {
	t.Helper()
	var b strings.Builder
	for i := range 3 * indexFrom {
		fmt.Fprintf(&b, "k%d: %d\n", i, i)
	}
	b.WriteString("items:\n")
	for i := range 2 * indexFrom {
		fmt.Fprintf(&b, "  i%d: [a, {x: 1, y: \"10.0\"}]\n", i)
	}
	b.WriteString("small: {a: 1, b: 2}\n")
	rec, fs := Parse("w.yaml", Report, []byte(b.String()))
	if len(fs) > 0 {
		t.Fatal(fs)
	}
	return rec
}

func TestPosIndexed(t *testing.T) {
	n := 3 * indexFrom // line of "items:", 0-based
	type at struct{ line, col int }
	tests := []struct {
		name string
		path []string
		pos  at // of Pos: the value written on the key's line, else the key
		key  at // of KeyPos
		val  at // of ValuePos
		text string
	}{
		{name: "first key", path: []string{"k0"}, pos: at{1, 5}, key: at{1, 1}, val: at{1, 5}, text: "0"},
		{name: "key in the middle", path: []string{"k40"}, pos: at{41, 6}, key: at{41, 1}, val: at{41, 6}, text: "40"},
		{name: "last key of the index", path: []string{"k95"}, pos: at{96, 6}, key: at{96, 1}, val: at{96, 6}, text: "95"},
		{name: "missing key", path: []string{"nope"}, pos: at{1, 1}, key: at{1, 1}, val: at{1, 1}},
		{name: "block mapping", path: []string{"items"}, pos: at{n + 1, 1}, key: at{n + 1, 1}, val: at{n + 2, 3}},
		{name: "nested in two indexed mappings", path: []string{"items", "i63"}, pos: at{n + 2 + 63, 8}, key: at{n + 2 + 63, 3}, val: at{n + 2 + 63, 8}},
		{name: "sequence index", path: []string{"items", "i5", "0"}, pos: at{n + 7, 8}, key: at{n + 7, 8}, val: at{n + 7, 8}, text: "a"},
		{name: "mapping in a sequence", path: []string{"items", "i5", "1"}, pos: at{n + 7, 11}, key: at{n + 7, 12}, val: at{n + 7, 11}},
		{name: "scalar as written", path: []string{"items", "i5", "1", "y"}, pos: at{n + 7, 21}, key: at{n + 7, 18}, val: at{n + 7, 21}, text: "10.0"},
		{name: "missing below an indexed key", path: []string{"items", "i5", "7"}, pos: at{n + 7, 3}, key: at{n + 7, 3}, val: at{n + 7, 3}},
		{name: "small mapping, scanned", path: []string{"small", "b"}, pos: at{n + 2 + 2*indexFrom, 18}, key: at{n + 2 + 2*indexFrom, 15}, val: at{n + 2 + 2*indexFrom, 18}, text: "2"},
		{name: "a key that is a sequence index", path: []string{"k1", "0"}, pos: at{2, 1}, key: at{2, 1}, val: at{2, 1}},
	}
	rec := wide(t)
	for _, compact := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s compact=%t", tt.name, compact), func(t *testing.T) {
				if compact {
					rec.Compact()
				}
				if l, c := rec.Pos(tt.path...); l != tt.pos.line || c != tt.pos.col {
					t.Errorf("Pos = %d:%d, want %d:%d", l, c, tt.pos.line, tt.pos.col)
				}
				if l, c := rec.KeyPos(tt.path...); l != tt.key.line || c != tt.key.col {
					t.Errorf("KeyPos = %d:%d, want %d:%d", l, c, tt.key.line, tt.key.col)
				}
				if l, c := rec.ValuePos(tt.path...); l != tt.val.line || c != tt.val.col {
					t.Errorf("ValuePos = %d:%d, want %d:%d", l, c, tt.val.line, tt.val.col)
				}
				if got := rec.Text(tt.path...); got != tt.text {
					t.Errorf("Text = %q, want %q", got, tt.text)
				}
			})
		}
	}
}

// TestPosIndexIsKeptAndDropped checks that a large mapping is indexed once
// and that Compact drops the index with the tree it points into.
func TestPosIndexIsKeptAndDropped(t *testing.T) {
	rec := wide(t)
	rec.Pos("k1")
	rec.Pos("small", "a")
	if len(rec.keys) != 1 {
		t.Fatalf("indexed %d mappings after looking up top-level keys, want 1", len(rec.keys))
	}
	rec.Pos("items", "i3")
	if len(rec.keys) != 2 {
		t.Fatalf("indexed %d mappings, want 2", len(rec.keys))
	}
	if n := testing.AllocsPerRun(100, func() { rec.Pos("items", "i3", "1", "x") }); n > 1 {
		t.Errorf("a lookup in indexed mappings allocates %v times", n)
	}
	rec.Compact()
	if rec.keys != nil {
		t.Error("Compact kept the index of the dropped tree")
	}
}

// TestPosConcurrent looks positions up from several goroutines, as checks
// of different subjects may on a shared registry record (run with -race).
func TestPosConcurrent(t *testing.T) {
	rec := wide(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 * indexFrom {
				if l, _ := rec.Pos("k" + strconv.Itoa((i+g)%(3*indexFrom))); l != (i+g)%(3*indexFrom)+1 {
					t.Errorf("Pos(k%d) = line %d", (i+g)%(3*indexFrom), l)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// FuzzPos checks KeyPos and Pos against the position of each key and value
// as a plain walk of the tree finds it, for mappings small and large.
func FuzzPos(f *testing.F) {
	f.Add([]byte("a: 1\nb: {c: 2}\n"))
	f.Add([]byte(wideSource(3*indexFrom) + "n: {x: [1, {y: 2}]}\n"))
	f.Add([]byte("m: {" + strings.Repeat("a: 1, ", 2) + "}\n"))
	f.Add([]byte("a:\nb: ~\nc: [1]\nd:\n  - x\ne: |\n  text\nf:\n  g: 1\nh: \"\"\ni:   # c\nj: {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, _ := Parse("f.yaml", Report, data)
		if rec == nil {
			return
		}
		var walk func(n *yaml.Node, path []string, depth int)
		walk = func(n *yaml.Node, path []string, depth int) {
			if depth > 4 || n.Kind != yaml.MappingNode {
				return
			}
			for j := 0; j+1 < len(n.Content); j += 2 {
				k := n.Content[j]
				p := append(path[:len(path):len(path)], k.Value)
				if l, c := rec.KeyPos(p...); l != max(k.Line, 1) || c != max(k.Column, 1) {
					t.Fatalf("KeyPos(%q) = %d:%d, want %d:%d", p, l, c, k.Line, k.Column)
				}
				want := k
				if v := n.Content[j+1]; written(v) {
					want = v
				}
				if l, c := rec.Pos(p...); l != max(want.Line, 1) || c != max(want.Column, 1) {
					t.Fatalf("Pos(%q) = %d:%d, want %d:%d", p, l, c, want.Line, want.Column)
				}
				walk(n.Content[j+1], p, depth+1)
			}
		}
		walk(rec.Doc, nil, 0)
	})
}

func wideSource(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d: %d\n", i, i)
	}
	return b.String()
}

// BenchmarkPosWide looks up the position of every key of a mapping of
// 50,000 keys, as the schema does for a report of unknown fields.
func BenchmarkPosWide(b *testing.B) {
	rec, fs := Parse("w.yaml", Report, []byte(wideSource(50000)))
	if len(fs) > 0 {
		b.Fatal(fs)
	}
	b.ReportAllocs()
	for range b.N {
		rec.Compact()
		for i := range 50000 {
			rec.Pos("k" + strconv.Itoa(i))
		}
	}
}
