package schema

import (
	"strconv"
	"strings"

	"github.com/posture-dev/posture/internal/finding"
)

// requiredPrefix starts the message of a schema.required finding (see
// describe): `missing required field "name"; add it` at the top level,
// `missing required field "name" in parent; add it` below it.
const requiredPrefix = "missing required field "

// MissingFields returns the top-level fields that the schema findings fs
// report as missing (a field required outright or by a condition, such as
// a platform's): the policies need not say it again.
func MissingFields(fs []finding.Finding) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		rest, ok := strings.CutPrefix(f.Message, requiredPrefix)
		if f.Rule != "schema.required" || !ok {
			continue
		}
		q, err := strconv.QuotedPrefix(rest)
		if err != nil || !strings.HasPrefix(rest[len(q):], ";") {
			continue
		}
		if name, err := strconv.Unquote(q); err == nil {
			out[name] = true
		}
	}
	return out
}
