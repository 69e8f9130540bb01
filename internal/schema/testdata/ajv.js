// Validates values against posture's schemas with ajv, an independent JSON
// Schema 2020-12 implementation, for internal/schema's TestAjvAgrees.
//
// Usage: node ajv.js INPUT.json, where INPUT.json is
//   {"schemas": [schema, ...], "cases": [{"id": "...", "schema": "$id or $id#/pointer", "value": any}, ...]}
// It prints {"annotation": {id: valid}, "asserted": {id: valid}}: the first
// with format as an annotation (what a validator does by default), the
// second asserting the date format with ajv-formats, as posture does. email
// stays an annotation in both, as in posture.
"use strict";
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

function run(assertDate) {
  // ajv's default strict mode: unknown keywords and formats are errors;
  // its lints beyond the specification (strictRequired) stay off.
  const ajv = new Ajv2020({
    allErrors: true,
    validateFormats: assertDate,
    formats: { email: true },
  });
  if (assertDate) addFormats(ajv, ["date"]);
  for (const s of input.schemas) ajv.addSchema(s);
  const out = {};
  for (const c of input.cases) {
    const validate = ajv.getSchema(c.schema);
    if (!validate) throw new Error("no schema " + c.schema);
    out[c.id] = validate(c.value);
  }
  return out;
}

process.stdout.write(JSON.stringify({ annotation: run(false), asserted: run(true) }));
