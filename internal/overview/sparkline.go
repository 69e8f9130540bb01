package overview

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Sparkline draws a trend as an inline SVG line from 0% to 100%, one
// point a period; a point whose due day has not ended is hollow, and a
// period without expected devices breaks the line.
func Sparkline(t Trend) template.HTML {
	const w, h, pad = 180, 48, 5
	n := len(t.Points)
	if n == 0 {
		return ""
	}
	step := float64(w-2*pad) / float64(max(n-1, 1))
	x := func(i int) float64 { return pad + float64(i)*step }
	y := func(p int) float64 { return float64(h-pad) - float64(p)*float64(h-2*pad)/100 }
	name := t.Department
	if name == "" {
		name = "all departments"
	}
	var values []string
	for _, pt := range t.Points {
		values = append(values, pt.Period+" "+percentText(pt))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="spark" role="img" width="%d" height="%d" viewBox="0 0 %d %d"><title>%s: %s</title>`,
		w, h, w, h, html.EscapeString(name), html.EscapeString(strings.Join(values, ", ")))
	fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/><line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`,
		pad, y(0), w-pad, y(0), pad, y(100), w-pad, y(100))
	var line []string
	flush := func() {
		if len(line) > 1 {
			fmt.Fprintf(&b, `<polyline points="%s"/>`, strings.Join(line, " "))
		}
		line = nil
	}
	for i, pt := range t.Points {
		if pt.Percent < 0 {
			flush()
			continue
		}
		line = append(line, fmt.Sprintf("%.1f,%.1f", x(i), y(pt.Percent)))
	}
	flush()
	for i, pt := range t.Points {
		if pt.Percent < 0 {
			continue
		}
		class := "pt"
		if !pt.Complete {
			class = "pt open"
		}
		fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="3" data-period="%s" data-percent="%d"><title>%s: %s</title></circle>`,
			class, x(i), y(pt.Percent), pt.Period, pt.Percent, pt.Period, percentText(pt))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// decile is the shading class of a percentage, p0 to p10, or "none".
func decile(p int) string {
	if p < 0 {
		return "none"
	}
	return fmt.Sprintf("p%d", p/10)
}
