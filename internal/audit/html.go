package audit

import (
	"html/template"
	"io"

	"github.com/posture-dev/posture/internal/overview"
)

var pageTmpl = template.Must(template.New("audit").Funcs(template.FuncMap{
	"short": shortS, "status": status, "recheck": recheckText,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Audit working paper: {{.A.Scope.Organization}}, {{.A.Scope.From}} to {{.A.Scope.To}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<h1>Audit working paper: {{.A.Scope.Organization}}, {{.A.Scope.From}} to {{.A.Scope.To}}</h1>
{{with .A.Scope}}<p class="meta">Branch <code>{{.Branch}}</code> at <code>{{short .Head}}</code> ({{.HeadTime.Format "2006-01-02 15:04 MST"}}). posture {{.Version}}, from a clone, offline.</p>

<h2 id="scope">Scope</h2>
<table id="scope-table">
<tr><th>periods</th><td>{{.From}} to {{.To}}, timezone {{.Timezone}}</td></tr>
<tr><th>history</th><td>{{.Commits}} first-parent commits walked; {{.Merges}} evidence merges and {{.Unsigned}} unsigned commits changed reports in scope (signatures {{if .RequireSigned}}required{{else}}not required{{end}})</td></tr>
</table>{{end}}
<p>{{.Method}}</p>

<h2 id="population">Population</h2>
{{.Chart}}
<table id="population-table">
<thead><tr><th>period</th><th>due</th><th>registry at</th><th class="n">devices</th><th class="n">accepted</th><th class="n">changed</th><th class="n">unaccepted</th><th class="n">deleted</th><th class="n">excepted</th><th class="n">missing</th><th class="n">not due</th><th class="n">late</th><th class="n">failing re-check</th></tr></thead>
<tbody>
{{range .A.Periods}}<tr><td class="nw">{{.Period}}</td><td class="nw">{{.Due}}</td><td><code>{{short .Registry}}</code></td><td class="n">{{.Devices}}</td><td class="n">{{.Accepted}}</td><td class="n">{{.Changed}}</td><td class="n">{{.Unaccepted}}</td><td class="n">{{.Deleted}}</td><td class="n">{{.Excepted}}</td><td class="n">{{.Missing}}</td><td class="n">{{.NotDue}}</td><td class="n">{{.Late}}</td><td class="n">{{.Failing}}</td></tr>
{{end}}</tbody>
</table>

<h2 id="exceptions">Exceptions in force</h2>
{{if .A.Exceptions}}<table id="exceptions-table">
<thead><tr><th>period</th><th>exception</th><th>device</th><th>rule</th><th>approved by</th><th>expires</th></tr></thead>
<tbody>
{{range .A.Exceptions}}<tr><td class="nw">{{.Period}}</td><td>{{.ID}}</td><td>{{.Device}}</td><td>{{.Rule}}</td><td>{{.ApprovedBy}}</td><td>{{.Expires}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>None.</p>{{end}}

<h2 id="findings">Findings</h2>
<p>{{.Tally}}.</p>
{{if .Groups}}<div id="findings-groups">
{{range .Groups}}<details class="group" data-rule="{{.Rule}}" data-severity="{{.Severity}}" data-count="{{.Count}}"><summary><span class="{{.Severity}}">{{.Severity}}</span> {{.Title}} <code>{{.Rule}}</code></summary>
<table class="findings">
<thead><tr><th class="n">#</th><th>period</th><th>path</th><th>finding</th></tr></thead>
<tbody>
{{range .Members}}<tr><td class="n">{{.Number}}</td><td class="nw">{{.Period}}</td><td>{{.Path}}</td><td>{{.Message}}</td></tr>
{{end}}</tbody>
</table>
</details>
{{end}}</div>{{end}}

<h2 id="evidence">Evidence</h2>
<table id="evidence-table">
<thead><tr><th>period</th><th>device</th><th>owner</th><th>status</th><th>added</th><th>accepted by merge</th><th>approvals</th><th>re-check</th><th>late</th></tr></thead>
<tbody>
{{range .A.Evidence}}<tr><td class="nw">{{.Period}}</td><td>{{.Device}}</td><td>{{.Owner}}</td><td>{{status .}}</td><td>{{with .Added}}<code>{{short .SHA}}</code> {{.Author}}, {{.Time.Format "2006-01-02 15:04 MST"}}{{end}}</td><td>{{with .Merge}}<code>{{short .SHA}}</code> #{{.PullRequest}}, {{.Time.Format "2006-01-02 15:04 MST"}}, subject {{.Subject}}{{end}}</td><td>{{with .Merge}}{{range .Approvals}}{{.Role}} {{.Approver}} @{{.Login}} {{.At.Format "2006-01-02 15:04"}} on <code>{{short .Commit}}</code><br>{{end}}{{end}}</td><td class="{{with .Recheck}}{{.Result}}{{end}}">{{recheck .Recheck}}</td><td>{{if .Late}}late{{end}}</td></tr>
{{end}}</tbody>
</table>
</body>
</html>
`))

// legend of the audit's chart, in the order of the population columns.
var legend = []overview.Segment{
	{Name: "accepted", Color: "#2e7d32"}, {Name: "changed", Color: "#f9a825"}, {Name: "unaccepted", Color: "#c62828"},
	{Name: "deleted", Color: "#6a1b9a"}, {Name: "excepted", Color: "#1565c0"}, {Name: "missing", Color: "#9e9e9e"},
	{Name: "not due", Color: "#e0e0e0"},
}

func writeHTML(w io.Writer, a *Audit) error {
	var bars []overview.Bar
	for _, p := range a.Periods {
		vals := []int{p.Accepted, p.Changed, p.Unaccepted, p.Deleted, p.Excepted, p.Missing, p.NotDue}
		bar := overview.Bar{Label: p.Period}
		for i, s := range legend {
			bar.Segments = append(bar.Segments, overview.Segment{Name: s.Name, Color: s.Color, Value: vals[i]})
		}
		bars = append(bars, bar)
	}
	groups := Groups(a.Findings)
	return pageTmpl.Execute(w, struct {
		A      *Audit
		CSS    template.CSS
		Chart  template.HTML
		Method string
		Tally  string
		Groups []Group
	}{a, template.CSS(overview.PageCSS + groupCSS), overview.Chart("Population per period", bars, legend), method,
		tally(a.Findings, groups), groups})
}

// groupCSS styles the folded groups of findings; printed, every group is
// open where the browser lets a style open it.
const groupCSS = `
details.group { border: 1px solid #ddd; border-radius: 4px; margin: .4rem 0; padding: .3rem .6rem; }
details.group > summary { cursor: pointer; }
details.group > summary .error { color: var(--fail); font-weight: 600; }
details.group > summary .warning { color: var(--warn); font-weight: 600; }
@media print { details.group::details-content { content-visibility: visible; display: block; } }
`
