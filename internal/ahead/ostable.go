package ahead

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/posture-dev/posture/internal/record"
	"gopkg.in/yaml.v3"
)

// configFiles are where the policies' data.config can live, in the order
// the policy loader tries them (policies/config/data.yaml as shipped).
var configFiles = []string{"data.yaml", "data.yml", "data.json"}

// entry is one line of an OS support table: the versions v with
// min <= v < below, supported until end (its last day; "" while the vendor
// supports it).
type entry struct {
	Name  string `yaml:"name"`
	Min   string `yaml:"min"`
	Below string `yaml:"below"`
	End   string `yaml:"end_of_support"`
}

// Tables are the dated OS support tables of data.config.os_support, by
// platform and by "linux/<distribution>" (lower case), as os.supported
// reads them.
type Tables map[string][]entry

// ReadTables reads the OS support tables from the policies' data in tree.
// A tree without the data file has no tables; a file that does not parse
// is an error, as it is for posture check.
func ReadTables(tree fs.FS) (Tables, error) {
	for _, name := range configFiles {
		p := record.PolicyDir + "/config/" + name
		data, err := fs.ReadFile(tree, p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		t, err := parseTables(data)
		if err != nil {
			return nil, fmt.Errorf("read os_support in %s: %w", p, err)
		}
		return t, nil
	}
	return Tables{}, nil
}

func parseTables(data []byte) (Tables, error) {
	var raw struct {
		OS map[string]yaml.Node `yaml:"os_support"`
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	t := Tables{}
	for platform, n := range raw.OS {
		if platform == "linux" {
			var distros map[string][]entry
			if err := n.Decode(&distros); err != nil {
				return nil, fmt.Errorf("linux: %w", err)
			}
			for d, es := range distros {
				t["linux/"+strings.ToLower(d)] = es
			}
			continue
		}
		var es []entry
		if err := n.Decode(&es); err != nil {
			return nil, fmt.Errorf("%s: %w", platform, err)
		}
		t[platform] = es
	}
	return t, nil
}

// lookup returns the entry of the table for platform (and, on Linux, the
// distribution) that covers version, as os.supported matches it.
func (t Tables) lookup(platform, distro, version string) (table []entry, e entry, ok bool) {
	key := platform
	if platform == "linux" {
		key = "linux/" + strings.ToLower(distro)
	}
	table = t[key]
	v := versionKey(version)
	if v == "" {
		return table, entry{}, false
	}
	i := slices.IndexFunc(table, func(e entry) bool {
		lo := versionKey(e.Min)
		return lo != "" && lo <= v && (e.Below == "" || v < versionKey(e.Below))
	})
	if i < 0 {
		return table, entry{}, false
	}
	return table, table[i], true
}

// versionKey is the policies' lib.version_key: one to six numbers of at
// most nine digits, each padded to nine, joined by dots so that keys sort
// like versions; "" for a version the policies reject.
func versionKey(v string) string {
	parts := strings.Split(v, ".")
	if v == "" || len(parts) > 6 {
		return ""
	}
	for len(parts) < 6 {
		parts = append(parts, "0")
	}
	for i, p := range parts {
		if p == "" || len(p) > 9 || strings.Trim(p, "0123456789") != "" {
			return ""
		}
		parts[i] = strings.Repeat("0", 9-len(p)) + p
	}
	return strings.Join(parts, ".")
}
