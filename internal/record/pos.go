package record

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Pos returns the 1-based line and column of the field at path (map keys and
// decimal sequence indexes). For a path that does not exist it returns the
// position of its deepest existing parent's key, and line 1, column 1 when
// not even the first step exists. A key points at the key, not the value, so
// a missing or wrong value is shown where the user typed the field's name.
func (r *Record) Pos(path ...string) (line, col int) {
	n := r.tree()
	if n == nil {
		return 1, 1
	}
	line, col = 1, 1
	for i, step := range path {
		var key, val *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == step {
					key, val = n.Content[j], n.Content[j+1]
					break
				}
			}
		case yaml.SequenceNode:
			idx, err := strconv.Atoi(step)
			if err == nil && idx >= 0 && idx < len(n.Content) {
				key, val = n.Content[idx], n.Content[idx]
			}
		}
		if val == nil {
			return line, col
		}
		line, col = key.Line, key.Column
		if i == len(path)-1 && n.Kind == yaml.SequenceNode && val.Kind == yaml.MappingNode && len(val.Content) > 0 {
			line, col = val.Content[0].Line, val.Content[0].Column
		}
		n = val
	}
	return max(line, 1), max(col, 1)
}

// ValuePos returns the position of the value at path rather than of its key.
func (r *Record) ValuePos(path ...string) (line, col int) {
	n := r.node(path)
	if n == nil {
		return r.Pos(path...)
	}
	return max(n.Line, 1), max(n.Column, 1)
}

// node returns the value node at path, or nil.
func (r *Record) node(path []string) *yaml.Node {
	n := r.tree()
	if n == nil {
		return nil
	}
	for _, step := range path {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == step {
					next = n.Content[j+1]
					break
				}
			}
		case yaml.SequenceNode:
			if idx, err := strconv.Atoi(step); err == nil && idx >= 0 && idx < len(n.Content) {
				next = n.Content[idx]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// Text returns the source text of the scalar at path, as the user wrote it
// (so 10.0 stays "10.0" where the parsed value is the number 10).
func (r *Record) Text(path ...string) string {
	n := r.node(path)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
