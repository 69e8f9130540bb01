package overview

import (
	"html/template"
	"io"
)

var pageTmpl = template.Must(template.New("overview").Funcs(template.FuncMap{"stamp": stamp, "short": shortSHA, "inc": func(i int) int { return i + 1 }}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Device security reports: {{.O.Organization}}, {{.O.Period}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<h1>Device security reports: {{.O.Organization}}, {{.O.Period}}</h1>
<p class="meta">Due {{.O.Due}}. As of commit <code>{{short .O.Commit}}</code> ({{stamp .O.CommitTime}}){{if .O.GitHub}}; open pull requests included{{else}}; open pull requests not looked up{{end}}.</p>

<h2 id="totals">Totals</h2>
{{.Chart}}
<table id="totals-table">
<thead><tr><th>department</th><th class="n">employees</th><th class="n">devices</th><th class="n">merged</th><th class="n">in review</th><th class="n">missing</th><th class="n">passing</th><th class="n">warnings</th><th class="n">failing</th><th class="n">late</th><th class="n">with exceptions</th></tr></thead>
<tbody>
{{range .O.Departments}}{{template "totals" .}}{{end}}<tr class="total">{{template "cells" .O.Totals}}</tr>
</tbody>
</table>

<h2 id="follow-up">Follow up first</h2>
{{if .O.FollowUp}}<table id="follow-up-table">
<thead><tr><th class="n">#</th><th>reason</th><th>department</th><th>employee</th><th>device</th><th>detail</th></tr></thead>
<tbody>
{{range $i, $f := .O.FollowUp}}<tr class="{{$f.Reason}}"><td class="n">{{inc $i}}</td><td>{{$f.Reason}}</td><td>{{$f.Department}}</td><td>{{$f.Name}} ({{$f.Employee}})</td><td>{{$f.Device}}</td><td>{{$f.Detail}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>Nothing to follow up: every report is merged, passing and on time.</p>{{end}}

<h2 id="devices">All devices</h2>
<table id="devices-table">
<thead><tr><th>department</th><th>employee</th><th>device</th><th>state</th><th>result</th><th>rules</th><th>exceptions</th><th>accepted</th><th>late</th></tr></thead>
<tbody>
{{range .O.Devices}}<tr><td>{{.Department}}</td><td>{{.Name}} ({{.Employee}})</td><td>{{.Device}}</td><td>{{.State}}{{if .PullRequest}} (#{{.PullRequest}}){{end}}</td><td class="{{.Result}}">{{.Result}}</td><td>{{range $i, $r := .Rules}}{{if $i}}, {{end}}{{$r}}{{end}}</td><td>{{range $i, $e := .Exceptions}}{{if $i}}, {{end}}{{$e}}{{end}}</td><td>{{.Accepted}}</td><td>{{if .Late}}late{{end}}</td></tr>
{{end}}</tbody>
</table>
</body>
</html>
{{define "totals"}}<tr>{{template "cells" .}}</tr>
{{end}}{{define "cells"}}<td>{{if .Department}}{{.Department}}{{else}}all{{end}}</td><td class="n">{{.Employees}}</td><td class="n">{{.Devices}}</td><td class="n">{{.Merged}}</td><td class="n">{{.InReview}}</td><td class="n">{{.Missing}}</td><td class="n">{{.Passing}}</td><td class="n">{{.Warnings}}</td><td class="n">{{.Failing}}</td><td class="n">{{.Late}}</td><td class="n">{{.Excepted}}</td>{{end}}`))

// Legend of the overview's chart.
var legend = []Segment{
	{Name: "passing", Color: "#2e7d32"}, {Name: "warnings", Color: "#f9a825"}, {Name: "failing", Color: "#c62828"},
	{Name: "in review", Color: "#1565c0"}, {Name: "missing", Color: "#9e9e9e"},
}

func writeHTML(w io.Writer, o *Overview) error {
	var bars []Bar
	for _, t := range o.Departments {
		vals := []int{t.Passing, t.Warnings, t.Failing, t.InReview, t.Missing}
		bar := Bar{Label: t.Department}
		for i, s := range legend {
			bar.Segments = append(bar.Segments, Segment{Name: s.Name, Color: s.Color, Value: vals[i]})
		}
		bars = append(bars, bar)
	}
	return pageTmpl.Execute(w, struct {
		O     *Overview
		CSS   template.CSS
		Chart template.HTML
	}{o, template.CSS(PageCSS), Chart("Devices per department, "+o.Period, bars, legend)})
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
