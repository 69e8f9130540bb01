package overview

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
)

var (
	//go:embed queue.css
	queueCSS string
	//go:embed queue.js
	queueJS string
	//go:embed page.html.tmpl
	pageText string
)

var pageTmpl = template.Must(template.New("overview").Funcs(template.FuncMap{
	"stamp": stamp, "short": shortSHA, "inc": func(i int) int { return i + 1 }, "status": StatusLabel,
	"person": person, "cellName": func(m string) string { return cellNames[m] }, "spark": Sparkline,
	"decile": decile, "percent": percentText, "join": strings.Join, "cellTitle": cellTitle,
}).Parse(pageText))

// option is one entry of a filter's list.
type option struct{ Value, Label string }

// personView is one person's drill-down.
type personView struct {
	ID, Name, GitHub, Department, Supervisor, SupervisorName, Issue string
	Devices                                                         []Device
}

// legend of the overview's chart: the states, in the queue's order.
var legend = []Segment{
	{Name: "failing", Color: "#c62828"}, {Name: "overdue", Color: "#ef6c00"}, {Name: "late", Color: "#f9a825"},
	{Name: "not due yet", Color: "#90a4ae"}, {Name: "excepted", Color: "#1565c0"}, {Name: "on time", Color: "#2e7d32"},
}

func writeHTML(w io.Writer, o *Overview) error {
	var bars []Bar
	for _, t := range o.Departments {
		vals := t.ByStatus.counts()
		bar := Bar{Label: t.Department}
		for i, s := range legend {
			bar.Segments = append(bar.Segments, Segment{Name: s.Name, Color: s.Color, Value: vals[i]})
		}
		bars = append(bars, bar)
	}
	// json.Marshal escapes <, > and &, so the data cannot end its script
	// element or open a comment.
	data, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return pageTmpl.Execute(w, struct {
		O                     *Overview
		CSS                   template.CSS
		Script, Data          template.JS
		Chart                 template.HTML
		DueLine               string
		Departments, Rules    []string
		Supervisors, Statuses []option
		Exceptions, CellMarks []string
		People                []personView
		FollowUps             int
		Ahead                 []aheadRow
	}{
		O: o, CSS: template.CSS(PageCSS + queueCSS), Script: template.JS(queueJS), Data: template.JS(data),
		Chart: Chart("Devices per department and state, "+o.Period, bars, legend), DueLine: dueLine(o),
		Departments: departments(o), Rules: rules(o), Supervisors: supervisors(o), Statuses: statuses(o),
		Exceptions: exceptionIDs(o), CellMarks: cellMarks, People: people(o), FollowUps: len(o.FollowUp),
		Ahead: aheadRows(o),
	})
}

func departments(o *Overview) []string {
	var out []string
	for _, t := range o.Departments {
		out = append(out, t.Department)
	}
	return out
}

func rules(o *Overview) []string {
	var out []string
	for _, d := range o.Devices {
		out = append(out, d.Rules...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func exceptionIDs(o *Overview) []string {
	var out []string
	for _, d := range o.Devices {
		out = append(out, d.Exceptions...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// supervisors lists the supervisors of the queue's employees by name.
func supervisors(o *Overview) []option {
	seen := map[string]bool{}
	var out []option
	for _, d := range o.Devices {
		if d.Supervisor != "" && !seen[d.Supervisor] {
			seen[d.Supervisor] = true
			out = append(out, option{d.Supervisor, person(d.SupervisorName, d.Supervisor)})
		}
	}
	slices.SortFunc(out, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	return out
}

// statuses lists the statuses with their counts, and the three to follow
// up as one choice.
func statuses(o *Overview) []option {
	t := o.Totals.ByStatus
	out := []option{{"follow-up", fmt.Sprintf("to follow up: failing, overdue, late (%d)", t.Failing+t.Overdue+t.Late)}}
	for i, n := range t.counts() {
		out = append(out, option{Statuses[i], fmt.Sprintf("%s (%d)", statusNames[Statuses[i]], n)})
	}
	return out
}

// people groups the queue by employee, in department and name order.
func people(o *Overview) []personView {
	index := map[string]int{}
	var out []personView
	for _, d := range o.Devices {
		i, ok := index[d.Employee]
		if !ok {
			i = len(out)
			index[d.Employee] = i
			out = append(out, personView{ID: d.Employee, Name: d.Name, GitHub: d.GitHub, Department: d.Department,
				Supervisor: d.Supervisor, SupervisorName: d.SupervisorName, Issue: d.Links.Issue})
		}
		out[i].Devices = append(out[i].Devices, d)
	}
	for i := range out {
		slices.SortFunc(out[i].Devices, func(a, b Device) int { return strings.Compare(a.Device, b.Device) })
	}
	slices.SortFunc(out, func(a, b personView) int {
		if c := strings.Compare(a.Department, b.Department); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// cellTitle describes a period of a history for its tooltip.
func cellTitle(c Cell) string {
	s := c.Period + ": " + cellNames[c.Mark]
	if c.Accepted != "" {
		s += ", accepted " + c.Accepted
	}
	if c.PullRequest != 0 {
		s += fmt.Sprintf(", pull request #%d", c.PullRequest)
	}
	return s
}

func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}
