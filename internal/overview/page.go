package overview

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/posture-dev/posture/internal/textsafe"
)

// PageCSS is the style of posture's HTML pages: system fonts, tables that
// read on screen and on paper, and no external assets, so a page works
// offline, on GitHub Pages and printed.
const PageCSS = `
:root { color-scheme: light; --pass: #2e7d32; --warn: #b26a00; --fail: #c62828; --review: #1565c0; --missing: #757575; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; background: #fafafa; }
code { font-size: .85em; white-space: nowrap; } .nw { white-space: nowrap; }
.pass { color: var(--pass); } .warn { color: var(--warn); } .fail, .error { color: var(--fail); font-weight: 600; }
.chart text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
.legend span { display: inline-block; margin-right: 1rem; } .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; } tr, .chart { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`

// Segment is one part of a stacked bar, or one entry of a chart's legend.
type Segment struct {
	Name  string
	Color string // a CSS colour
	Value int
}

// Bar is one stacked bar of a chart.
type Bar struct {
	Label    string
	Segments []Segment
}

// Chart draws bars as an inline SVG of horizontal stacked bars, scaled to
// the largest total, with the legend under it. Labels are escaped.
func Chart(title string, bars []Bar, legend []Segment) template.HTML {
	const labelW, barW, rowH, pad = 200, 420, 26, 6
	most := 1
	for _, b := range bars {
		total := 0
		for _, s := range b.Segments {
			total += s.Value
		}
		most = max(most, total)
	}
	height := len(bars)*rowH + pad
	var b strings.Builder
	fmt.Fprintf(&b, `<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" width="%d" height="%d" viewBox="0 0 %d %d"><title>%s</title>`,
		labelW+barW+60, height, labelW+barW+60, height, html.EscapeString(title))
	for i, bar := range bars {
		y := i*rowH + pad
		fmt.Fprintf(&b, `<g class="bar" data-label="%s"><text x="%d" y="%d" text-anchor="end">%s</text>`,
			html.EscapeString(bar.Label), labelW-8, y+15, html.EscapeString(bar.Label))
		x, total := labelW, 0
		for _, s := range bar.Segments {
			if s.Value == 0 {
				continue
			}
			w := s.Value * barW / most
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" data-segment="%s" data-value="%d"><title>%s: %d</title></rect>`,
				x, y, max(w, 1), rowH-8, s.Color, html.EscapeString(s.Name), s.Value, html.EscapeString(s.Name), s.Value)
			x += w
			total += s.Value
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d">%d</text></g>`, x+6, y+15, total)
	}
	b.WriteString(`</svg><figcaption class="legend">`)
	for _, s := range legend {
		fmt.Fprintf(&b, `<span><i style="background:%s"></i>%s</span>`, s.Color, html.EscapeString(s.Name))
	}
	b.WriteString(`</figcaption></figure>`)
	return template.HTML(b.String())
}

// MarkdownCell escapes text for a Markdown table cell: pipes, the
// punctuation Markdown would act on, HTML, and line breaks; controls and
// bidi characters are shown as Go escapes (textsafe.Escape).
func MarkdownCell(s string) string {
	var b strings.Builder
	for _, r := range textsafe.Escape(s, textsafe.KeepBreaks) {
		switch r {
		case '\\', '|', '*', '_', '`', '[', ']', '<', '>', '#', '~', '!', '&':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString("<br>")
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
