package githubtest

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// GitHub's OpenAPI description, trimmed to the operations the routes name
// (trim_test.go makes it; testdata/github/README.md says from what). Every
// request the fake receives and every answer it sends is checked against
// it, in every test: a problem fails the test with the operation, the JSON
// pointer and the reason.
//
// Two things are stricter than the description (strict.go): an object may hold only
// the properties its schema lists (GitHub's schemas leave
// additionalProperties open, but a field the fake invents is one a client
// could come to read and GitHub never send), and a request may carry only
// the query parameters the operation takes (GitHub ignores the others,
// which hides a client's mistake). An answer with a status the operation
// does not document must be one GitHub gives on any endpoint (400, 401,
// 403, 404, 422, 429, 5xx) in the shape of its "basic-error" or
// "validation-error".
//
//go:embed testdata/github/api.github.com.json
var specJSON []byte

// specFile is the trimmed description under testdata/github.
const specFile = "api.github.com.json"

// genericErrors are the schemas of the errors GitHub answers on any endpoint.
var genericErrors = []string{"basic-error", "validation-error"}

// genericStatus are the statuses GitHub may answer on any endpoint,
// documented there or not.
var genericStatus = []int{400, 401, 403, 404, 422, 429, 500, 502, 503, 504}

// operation is one operation of the description.
type operation struct {
	id    string
	route *routers.Route
}

var spec struct {
	once sync.Once
	ops  map[string]*operation
	errs map[string]*openapi3.Schema // genericErrors by name
	err  error
}

// loadSpec parses the description once.
func loadSpec() (map[string]*operation, error) {
	spec.once.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(specJSON)
		if err != nil {
			spec.err = fmt.Errorf("load GitHub's OpenAPI description: %w", err)
			return
		}
		strictify(doc)
		spec.ops = map[string]*operation{}
		for path, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				spec.ops[op.OperationID] = &operation{id: op.OperationID, route: &routers.Route{
					Spec: doc, Path: path, PathItem: item, Method: method, Operation: op}}
			}
		}
		spec.errs = map[string]*openapi3.Schema{}
		for _, name := range genericErrors {
			ref := doc.Components.Schemas[name]
			if ref == nil || ref.Value == nil {
				spec.err = fmt.Errorf("GitHub's OpenAPI description has no schema %q", name)
				return
			}
			spec.errs[name] = ref.Value
		}
	})
	return spec.ops, spec.err
}

// lookup returns the operation id, or an error saying why there is none.
func lookup(id string) (*operation, error) {
	ops, err := loadSpec()
	if err != nil {
		return nil, err
	}
	op, ok := ops[id]
	if !ok {
		return nil, fmt.Errorf("operation %s is not in testdata/github/%s: run TestTrimOpenAPI (see testdata/github/README.md)", id, specFile)
	}
	return op, nil
}

func (o *operation) String() string {
	return fmt.Sprintf("%s (%s %s)", o.id, o.route.Method, o.route.Path)
}

// validation options shared by requests and answers.
func options(answer bool) *openapi3filter.Options {
	return &openapi3filter.Options{MultiError: true, SkipSettingDefaults: true,
		IncludeResponseStatus: answer, RejectWhenRequestBodyNotSpecified: true,
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.EnableFormatValidation()}}
}

// checkRequest returns what is wrong with a request to the operation: its
// path (escaped, from /repos or /apps on), query and body.
func (o *operation) checkRequest(r *http.Request, api string, body []byte) (*openapi3filter.RequestValidationInput, []string) {
	params, ok := pathParams(o.route.Path, api)
	if !ok {
		return nil, []string{fmt.Sprintf("path %s is not %s", api, o.route.Path)}
	}
	var problems []string
	for key := range r.URL.Query() {
		if !o.takes(key) {
			problems = append(problems, fmt.Sprintf("query parameter %q is not one the operation takes", key))
		}
	}
	req, err := http.NewRequestWithContext(context.Background(), r.Method,
		"https://api.github.com"+api+"?"+r.URL.RawQuery, bytes.NewReader(body))
	if err != nil {
		return nil, append(problems, err.Error())
	}
	req.Header = r.Header.Clone()
	if len(body) == 0 {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: o.route, Options: options(false)}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		problems = append(problems, explain(err)...)
	}
	return in, problems
}

// takes reports whether the operation has query parameter name.
func (o *operation) takes(name string) bool {
	for _, list := range []openapi3.Parameters{o.route.PathItem.Parameters, o.route.Operation.Parameters} {
		if p := list.GetByInAndName(openapi3.ParameterInQuery, name); p != nil {
			return true
		}
	}
	return false
}

// checkAnswer returns what is wrong with an answer to the request in.
func (o *operation) checkAnswer(in *openapi3filter.RequestValidationInput, status int, h http.Header, body []byte) []string {
	if in == nil {
		return nil // the request was not the operation's: said already
	}
	if o.route.Operation.Responses.Status(status) == nil && slices.Contains(genericStatus, status) {
		return checkError(status, h, body)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: h,
		Options: options(true)}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return prefix(fmt.Sprintf("answer %d: ", status), explain(err))
	}
	return nil
}

// checkError checks an error GitHub may answer on any endpoint.
func checkError(status int, h http.Header, body []byte) []string {
	if mt, _, _ := mime.ParseMediaType(h.Get("Content-Type")); mt != "application/json" {
		return []string{fmt.Sprintf("answer %d: content type %q is not application/json", status, h.Get("Content-Type"))}
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{fmt.Sprintf("answer %d: body is not JSON: %v", status, err)}
	}
	var problems []string
	for _, name := range genericErrors {
		err := spec.errs[name].VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse())
		if err == nil {
			return nil
		}
		problems = append(problems, prefix(fmt.Sprintf("answer %d as %s: ", status, name), explain(err))...)
	}
	return problems
}

// pathParams matches an escaped API path to a path template of the
// description, and returns its parameters unescaped. The last parameter
// takes the rest of the path ({path} of the contents API, {ref} of
// git/ref), each other one segment.
func pathParams(template, api string) (map[string]string, bool) {
	tpl := strings.Split(strings.TrimPrefix(template, "/"), "/")
	segs := strings.Split(strings.TrimPrefix(api, "/"), "/")
	params := map[string]string{}
	for i, t := range tpl {
		if i >= len(segs) {
			return nil, false
		}
		name, isParam := strings.CutPrefix(t, "{")
		if !isParam {
			if t != segs[i] {
				return nil, false
			}
			continue
		}
		name = strings.TrimSuffix(name, "}")
		raw := segs[i]
		if i == len(tpl)-1 {
			raw = strings.Join(segs[i:], "/")
			segs = segs[:i+1]
		}
		v, err := url.PathUnescape(raw)
		if err != nil {
			return nil, false
		}
		params[name] = v
	}
	return params, len(tpl) == len(segs)
}

// explain flattens kin-openapi's errors into one line each: where (the
// parameter, or the body), the JSON pointer of the value and the reason.
func explain(err error) []string {
	var out []string
	var walk func(err error, where string)
	walk = func(err error, where string) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, x := range e {
				walk(x, where)
			}
		case *openapi3filter.RequestError:
			switch {
			case e.Parameter != nil:
				where = fmt.Sprintf("%s parameter %q: ", e.Parameter.In, e.Parameter.Name)
			case e.RequestBody != nil:
				where = "body: "
			}
			if e.Err == nil {
				out = append(out, where+e.Reason)
				return
			}
			walk(e.Err, where)
		case *openapi3filter.ResponseError:
			if e.Err == nil {
				out = append(out, where+e.Reason)
				return
			}
			walk(e.Err, where+"body: ")
		case *openapi3.SchemaError:
			line := fmt.Sprintf("%s/%s: %s", where, strings.Join(e.JSONPointer(), "/"), e.Reason)
			var sub openapi3.MultiError
			if errors.As(e.Origin, &sub) && len(sub) > 0 {
				var why []string
				for _, x := range sub {
					why = append(why, explain(x)...)
				}
				line += " (" + strings.Join(why, "; ") + ")"
			}
			out = append(out, line)
		default:
			out = append(out, where+err.Error())
		}
	}
	walk(err, "")
	return out
}

func prefix(p string, lines []string) []string {
	for i := range lines {
		lines[i] = p + lines[i]
	}
	return lines
}
