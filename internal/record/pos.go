package record

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Pos returns the 1-based line and column of the field at path (map keys and
// decimal sequence indexes), where a finding about the field points: at its
// value when one is written on the key's line (a scalar, or a flow
// collection such as [a, b]), and at its key when the value is empty or is
// a block of lines below the key. A sequence item that is a block mapping
// points at its first key. For a path that does not exist it returns the
// position of its deepest existing parent's key, and line 1, column 1 when
// not even the first step exists.
//
// Each step costs the same however many keys its mapping has (see child),
// so looking up the positions of every field of a record costs time linear
// in its size.
func (r *Record) Pos(path ...string) (line, col int) {
	return r.pos(path, false)
}

// KeyPos is like Pos but points at the key of the field at path even when
// it has a value: where a finding about the key itself (an unknown or
// repeated field) points.
func (r *Record) KeyPos(path ...string) (line, col int) {
	return r.pos(path, true)
}

func (r *Record) pos(path []string, atKey bool) (line, col int) {
	n := r.tree()
	if n == nil {
		return 1, 1
	}
	line, col = 1, 1
	for i, step := range path {
		key, val := r.child(n, step)
		if val == nil {
			return line, col
		}
		line, col = key.Line, key.Column
		if i == len(path)-1 {
			switch {
			case !atKey && written(val):
				line, col = val.Line, val.Column
			case n.Kind == yaml.SequenceNode && val.Kind == yaml.MappingNode && len(val.Content) > 0:
				line, col = val.Content[0].Line, val.Content[0].Column
			}
		}
		n = val
	}
	return max(line, 1), max(col, 1)
}

// written reports whether the value n stands where it is written after its
// key: a scalar that is not empty, or a flow collection. An empty value
// (key: with nothing after it) and a block collection have no place of
// their own on the key's line.
func written(n *yaml.Node) bool {
	switch n.Kind {
	case yaml.ScalarNode:
		return !(n.Tag == "!!null" && n.Value == "" && n.Style == 0)
	case yaml.MappingNode, yaml.SequenceNode:
		return n.Style&yaml.FlowStyle != 0
	}
	return false
}

// ValuePos returns the position of the value at path rather than of its
// key, even when it is empty or a block below the key.
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
		_, next := r.child(n, step)
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// indexFrom is how many keys a mapping has before child looks its keys up
// in an index rather than one by one: records have a few dozen fields, and a
// hostile one may have tens of thousands, whose positions the schema looks
// up one by one.
const indexFrom = 32

// child returns the key and value of step in the mapping or sequence n, or
// nils. A mapping of indexFrom keys or more is indexed the first time it is
// searched, and the index is kept with the tree.
func (r *Record) child(n *yaml.Node, step string) (key, val *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) < 2*indexFrom {
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == step {
					return n.Content[j], n.Content[j+1]
				}
			}
			return nil, nil
		}
		if j, ok := r.keyIndex(n)[step]; ok {
			return n.Content[j], n.Content[j+1]
		}
	case yaml.SequenceNode:
		if idx, err := strconv.Atoi(step); err == nil && idx >= 0 && idx < len(n.Content) {
			return n.Content[idx], n.Content[idx]
		}
	}
	return nil, nil
}

// keyIndex returns the index in n.Content of each key of the mapping n: the
// first, where a key is repeated (Parse refuses repeated keys, but a tree
// built otherwise may have them).
func (r *Record) keyIndex(n *yaml.Node) map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if idx, ok := r.keys[n]; ok {
		return idx
	}
	idx := make(map[string]int, len(n.Content)/2)
	for j := 0; j+1 < len(n.Content); j += 2 {
		if _, dup := idx[n.Content[j].Value]; !dup {
			idx[n.Content[j].Value] = j
		}
	}
	if r.keys == nil {
		r.keys = map[*yaml.Node]map[string]int{}
	}
	r.keys[n] = idx
	return idx
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
