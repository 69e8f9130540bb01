package overview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestIndentJSON compares indentJSON with encoding/json's own indentation
// (an Encoder with SetIndent, as WriteJSON used) on values built to hold
// what JSON can: empty and nested objects and arrays, strings with quotes,
// backslashes, escapes, HTML and non-ASCII text, numbers, booleans, null.
func TestIndentJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	strs := []string{"", `"`, `\`, `\"`, `a\\"b`, "x\ny", "<a href=\"&\">", "ü—💡", "\u2028", "\x01", "{[,:]}", `"\\`}
	var value func(depth int) any
	value = func(depth int) any {
		switch n := rng.IntN(9); {
		case n < 2 && depth < 5:
			m := map[string]any{}
			for range rng.IntN(4) {
				m[strs[rng.IntN(len(strs))]+fmt.Sprint(rng.IntN(3))] = value(depth + 1)
			}
			return m
		case n < 4 && depth < 5:
			a := make([]any, rng.IntN(4))
			for i := range a {
				a[i] = value(depth + 1)
			}
			return a
		case n == 4:
			return rng.Float64() * 1e6
		case n == 5:
			return rng.IntN(2) == 0
		case n == 6:
			return nil
		default:
			return strs[rng.IntN(len(strs))]
		}
	}
	values := []any{map[string]any{}, []any{}, "", 0, []any{map[string]any{}, []any{}}, struct {
		A []int          `json:"a"`
		B map[string]int `json:"b"`
	}{}}
	for range 2000 {
		values = append(values, value(0))
	}
	// Documents of several times flushAt, written out in pieces.
	for range 3 {
		big := make([]any, 3000)
		for i := range big {
			big[i] = value(1)
		}
		values = append(values, map[string]any{"rows": big, "long": strings.Repeat(`"\ü`, flushAt)})
	}
	for _, v := range values {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		if err := WriteJSON(&got, v); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("indented differently:\n got %s\nwant %s", got.String(), want.String())
		}
	}
}

// BenchmarkIndentJSON indents 20,000 rows of an audit's evidence (some 5
// MB of JSON) with json.Indent and with indentJSON.
// TestWriteJSONError: a writer that fails makes WriteJSON fail.
func TestWriteJSONError(t *testing.T) {
	rows := make([]string, 50000)
	if err := WriteJSON(failAfter{n: flushAt}, rows); err == nil {
		t.Error("WriteJSON to a writer that fails said nothing")
	}
}

// failAfter accepts n bytes, then fails.
type failAfter struct{ n int }

func (f failAfter) Write(b []byte) (int, error) {
	if len(b) > f.n {
		return 0, fmt.Errorf("disk full")
	}
	return len(b), nil
}

func BenchmarkIndentJSON(b *testing.B) {
	rows := make([]map[string]any, 20000)
	for i := range rows {
		rows[i] = map[string]any{"period": "2026-11", "device": fmt.Sprint("d-", i), "accepted": true,
			"evidence": []any{map[string]any{"path": "reports/2026-11/evidence/scan.png", "sha256": strings.Repeat("ab", 32)}}}
	}
	src, err := json.Marshal(rows)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("json.Indent", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := json.Indent(&buf, src, "", "  "); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(src)))
	})
	b.Run("indentJSON", func(b *testing.B) {
		var dst []byte
		for b.Loop() {
			dst = indentJSON(dst[:0], src, nil)
		}
		b.SetBytes(int64(len(src)))
	})
}
