package scaffold

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/posture-dev/posture"
	"github.com/posture-dev/posture/internal/record"
)

// ManagedFiles renders the files posture manages in an organisation's
// repository, stamped: posture's rules and their tests, the schemas, and
// the .github workflows, forms and templates. Every one is Manageable.
func ManagedFiles(p Params) ([]File, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	var out []File
	for _, pattern := range []string{"policies/*.rego", "schemas/*.schema.json"} {
		names, err := fs.Glob(posture.Defaults, pattern)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			data, err := fs.ReadFile(posture.Defaults, name)
			if err != nil {
				return nil, fmt.Errorf("read posture's %s: %w", name, err)
			}
			out = append(out, File{Path: name, Data: data})
		}
	}
	v := newView(p)
	for _, root := range []string{sharedRoot, orgRoot} {
		files, err := renderTree(root, v)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	for i := range out {
		out[i].Kind = Managed
		out[i].Data = stamp(out[i].Path, out[i].Data, p.Release.Version, Managed)
		if !Manageable(out[i].Path) {
			return nil, fmt.Errorf("posture would manage %s, which it may not", out[i].Path)
		}
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// DefaultData is posture's policy data for an organisation starting out:
// the built-in defaults, stamped, with corporate_ssids set to p.SSIDs.
func DefaultData(p Params) (File, error) {
	data, err := fs.ReadFile(posture.Defaults, DataFile)
	if err != nil {
		return File{}, fmt.Errorf("read posture's %s: %w", DataFile, err)
	}
	if len(p.SSIDs) > 0 {
		if data, err = setSSIDs(data, p.SSIDs); err != nil {
			return File{}, err
		}
	}
	return File{Path: DataFile, Kind: Data, Data: stamp(DataFile, orgHeader(data), p.Release.Version, Data)}, nil
}

// orgHeader drops the first paragraph of the defaults' comment, which says
// what the file is inside posture, not in an organisation's repository.
func orgHeader(data []byte) []byte {
	text := string(data)
	end, blank := strings.Index(text, "\n#\n"), strings.Index(text, "\n\n")
	if !strings.HasPrefix(text, "#") || end < 0 || blank >= 0 && blank < end {
		return data
	}
	return []byte("# The organisation's policy data: data.config to posture's rules and to OPA.\n" + text[end+1:])
}

// SeedFiles renders what posture init writes once: posture.yaml, the first
// IT admin's person record, the README for employees and the note in
// policies/local/.
func SeedFiles(p Params) ([]File, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	if !ValidID(p.Admin.ID) || !ValidLogin(p.Admin.Login) || !ValidOrg(p.Admin.Name) || !ValidEmail(p.Admin.Email) {
		return nil, fmt.Errorf("the IT admin %+v: give an id, a GitHub login, a name and an email", p.Admin)
	}
	files, err := renderTree(seedRoot, newView(p))
	if err != nil {
		return nil, err
	}
	for i := range files {
		if files[i].Path == record.PeopleDir+"/admin.yaml" {
			files[i].Path = record.PeopleDir + "/" + p.Admin.ID + ".yaml"
		}
		files[i].Kind = Seed
		files[i].Data = stamp(files[i].Path, files[i].Data, p.Release.Version, Seed)
	}
	return files, nil
}
