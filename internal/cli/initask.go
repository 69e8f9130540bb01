package cli

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/posture-dev/posture/internal/scaffold"
)

// initQuestions are the flags posture init asks for, in order, when stdin
// is a terminal and the command line does not give them.
var initQuestions = []string{"org", "admin", "admin-name", "admin-email", "timezone", "ssid", "due-day", "repo"}

// question is one value posture init needs.
type question struct {
	prompt string
	value  func() string      // the value now, offered as the default
	set    func(string) error // checks an answer and keeps it
}

func (o *InitOptions) question(name, base string) question {
	str := func(p *string, check func(string) error) func(string) error {
		return func(s string) error {
			if err := check(s); err != nil {
				return err
			}
			*p = s
			return nil
		}
	}
	switch name {
	case "org":
		return question{"The organisation's name", func() string { return o.Org }, str(&o.Org, checkOrg)}
	case "admin":
		return question{"The first IT admin's GitHub login", func() string { return o.Admin }, str(&o.Admin, checkLogin)}
	case "admin-name":
		return question{"The IT admin's name", func() string { return cmp.Or(o.AdminName, o.Admin) }, str(&o.AdminName, checkName)}
	case "admin-email":
		return question{"The IT admin's email", func() string { return cmp.Or(o.AdminEmail, noreply(o.Admin)) }, str(&o.AdminEmail, checkEmail)}
	case "timezone":
		return question{"The organisation's timezone (IANA)", func() string { return o.Timezone }, str(&o.Timezone, checkTimezone)}
	case "ssid":
		return question{"The corporate Wi-Fi network (SSID)", func() string { return strings.Join(o.SSIDs, ", ") }, func(s string) error {
			var list []string
			for _, one := range strings.Split(s, ",") {
				list = append(list, strings.TrimSpace(one))
			}
			if err := checkSSIDs(list); err != nil {
				return err
			}
			o.SSIDs = list
			return nil
		}}
	case "due-day":
		return question{"The day of the month reports are due (1-28)", func() string { return strconv.Itoa(o.DueDay) }, func(s string) error {
			n, err := strconv.Atoi(s)
			if err != nil {
				n = 0
			}
			if err := checkDueDay(n); err != nil {
				return err
			}
			o.DueDay = n
			return nil
		}}
	case "repo":
		return question{"The repository on GitHub (OWNER/NAME)", func() string { return cmp.Or(o.Repo, defaultRepo(o.Org, base)) }, str(&o.Repo, checkRepo)}
	}
	panic("posture init asks no question " + name)
}

// ask asks on the terminal for every value no flag gave; an empty answer
// takes the default shown in brackets.
func (o *InitOptions) ask(base string) error {
	if !o.Interactive {
		return nil
	}
	in := bufio.NewReader(o.IO.In)
	for _, name := range initQuestions {
		if o.Given[name] {
			continue
		}
		q := o.question(name, base)
		for try := 1; ; try++ {
			def := q.value()
			if def != "" {
				fmt.Fprintf(o.IO.ErrOut, "%s [%s]: ", q.prompt, def)
			} else {
				fmt.Fprintf(o.IO.ErrOut, "%s: ", q.prompt)
			}
			line, err := in.ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read the answer: %w", err)
			}
			answer := cmp.Or(strings.TrimSpace(line), def)
			if err != nil && answer == "" {
				fmt.Fprintln(o.IO.ErrOut)
				return usagef("no answer for %q: give --%s", strings.ToLower(q.prompt[:1])+q.prompt[1:], name)
			}
			problem := q.set(answer)
			if problem == nil {
				break
			}
			if err != nil || try == 3 {
				return usagef("--%s: %v", name, problem)
			}
			fmt.Fprintf(o.IO.ErrOut, "posture: %v\n", problem)
		}
	}
	return nil
}

// fill sets a flag's value when the command line did not give it.
func (o *InitOptions) fill(name string, p *string, v string) {
	if !o.Given[name] && *p == "" {
		*p = v
		o.Given[name] = true
	}
}

// params checks every value and derives what the repository is rendered
// from; a bad or missing value is a usage error naming its flag.
func (o *InitOptions) params(base string) (scaffold.Params, error) {
	if o.Org == "" {
		return scaffold.Params{}, usagef("give the organisation's name with --org NAME")
	}
	if o.Admin == "" {
		return scaffold.Params{}, usagef("give the first IT admin's GitHub login with --admin LOGIN")
	}
	o.AdminName = cmp.Or(o.AdminName, o.Admin)
	o.AdminEmail = cmp.Or(o.AdminEmail, noreply(o.Admin))
	o.Repo = cmp.Or(o.Repo, defaultRepo(o.Org, base))
	for _, c := range []struct {
		flag string
		err  error
	}{
		{"org", checkOrg(o.Org)}, {"admin", checkLogin(o.Admin)}, {"admin-name", checkName(o.AdminName)},
		{"admin-email", checkEmail(o.AdminEmail)}, {"timezone", checkTimezone(o.Timezone)},
		{"ssid", checkSSIDs(o.SSIDs)}, {"due-day", checkDueDay(o.DueDay)}, {"repo", checkRepo(o.Repo)},
	} {
		if c.err != nil {
			return scaffold.Params{}, usagef("--%s: %v", c.flag, c.err)
		}
	}
	id := strings.ToLower(o.Admin)
	return scaffold.Params{
		Org: o.Org, Timezone: o.Timezone, DueDay: o.DueDay, SSIDs: slices.Compact(slices.Clone(o.SSIDs)),
		Admin: scaffold.Person{ID: id, Name: o.AdminName, Login: o.Admin, Email: o.AdminEmail},
		Repo:  o.Repo, ExampleDevice: "d-" + id + "-laptop",
	}, nil
}

func checkOrg(s string) error {
	if !scaffold.ValidOrg(s) {
		return fmt.Errorf("%q: give the organisation's name, 1-200 characters on one line", s)
	}
	return nil
}

func checkName(s string) error {
	if !scaffold.ValidOrg(s) {
		return fmt.Errorf("%q: give a name, 1-200 characters on one line", s)
	}
	return nil
}

func checkLogin(s string) error {
	if !scaffold.ValidLogin(s) {
		return fmt.Errorf("%q is not a GitHub login: letters, digits and single dashes, at most 39", s)
	}
	return nil
}

func checkEmail(s string) error {
	if !scaffold.ValidEmail(s) {
		return fmt.Errorf("%q is not an email address", s)
	}
	return nil
}

func checkTimezone(s string) error {
	if _, err := time.LoadLocation(s); err != nil || s == "" || s == "Local" {
		return fmt.Errorf("%q is not an IANA timezone name such as Asia/Tokyo or Europe/Berlin", s)
	}
	return nil
}

func checkSSIDs(list []string) error {
	if len(list) == 0 {
		return errors.New("give the corporate Wi-Fi network's name")
	}
	for _, s := range list {
		if !scaffold.ValidSSID(s) {
			return fmt.Errorf("%q is not a Wi-Fi network's name: 1-32 characters, no spaces at either end", s)
		}
	}
	return nil
}

func checkDueDay(n int) error {
	if n < 1 || n > 28 {
		return fmt.Errorf("%d: give a day of the month from 1 to 28, which every month has", n)
	}
	return nil
}

func checkRepo(s string) error {
	if !scaffold.ValidRepo(s) {
		return fmt.Errorf("%q: give the repository as OWNER/NAME, as on GitHub", s)
	}
	return nil
}

// defaultRepo guesses OWNER/NAME on GitHub from the organisation's name
// and the folder's.
func defaultRepo(org, base string) string {
	owner, name := slug(org), slug(base)
	if owner == "" || name == "" {
		return ""
	}
	return owner + "/" + name
}

// slug is s in lower case, every run of other characters than letters and
// digits one dash.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// noreply is the GitHub noreply address of a login.
func noreply(login string) string {
	if login == "" {
		return ""
	}
	return login + "@users.noreply.github.com"
}

// isTerminal says whether r is a terminal someone can answer on.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	if err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	// /dev/null is a character device too, with nobody at it.
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(info, null)
}
