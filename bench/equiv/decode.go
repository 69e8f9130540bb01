// Package equiv holds what the benchmark's equivalent policy set
// (bench/conftest/policy) needs outside conftest: the data document it reads
// and an in-process evaluator, used by the floor program and by the test that
// keeps the policy set equivalent to posture's rules.
package equiv

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Decode parses one YAML document into maps, slices and scalars the way
// conftest hands a file to its policies: dates stay the text they were
// written as. (Decoding into any would turn an unquoted 2026-08-01 into a
// time.Time, which OPA sees as "2026-08-01T00:00:00Z".)
func Decode(b []byte) (any, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(b, &n); err != nil {
		return nil, err
	}
	if n.Kind == 0 {
		return nil, nil // an empty file
	}
	return value(&n)
}

func value(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return value(n.Content[0])
	case yaml.AliasNode:
		return value(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := value(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := value(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node kind %d", n.Line, n.Kind)
}

func scalar(n *yaml.Node) (any, error) {
	var err error
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		err = n.Decode(&b)
		return b, err
	case "!!int":
		var i int64
		if err = n.Decode(&i); err == nil {
			return i, nil
		}
		var f float64 // too large for int64
		err = n.Decode(&f)
		return f, err
	case "!!float":
		var f float64
		err = n.Decode(&f)
		return f, err
	}
	return n.Value, nil // strings, timestamps and other tags: the text
}
