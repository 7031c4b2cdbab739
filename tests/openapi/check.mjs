// GET /v1/{ruleset}/openapi.json against a real `dagloon serve` on 127.0.0.1 (a free port):
// every document is valid OpenAPI 3.1 (the pinned @seriousme/openapi-schema-validator) and broken
// ones are refused by it; real traffic agrees with the document's schemas (the pinned ajv, JSON
// Schema 2020-12): every dossier the engine reads validates against Dossier and every one it
// refuses to read does not (populations, generated dossiers, the case files' dossiers, and mutants
// of each field), every 200 against Uitvoer, every NDJSON line against Uitvoer or ErrorRow, every
// problem against Problem. Run by tests/openapi/run.sh from the repository root, the script copied
// beside the validators npm ci put into build/openapi-npm:  node build/openapi-npm/check.mjs DAGLOON
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const [BIN] = process.argv.slice(2);
const SERVED = ['rules/wia', 'rules/herstel', 'rules/ww', 'rules/zw', 'rules/voorbeeld', 'rules/wia_uitkering'];
// What the schemas cannot say (tools/serve/README.md): a period that ends before it starts, or
// names a day that does not exist, matches the period pattern; the reader refuses it.
const KNOWN_GAPS = new Set(['2023-12-31/2023-01-01', '2023-02-30/2023-03-31']);

let failures = 0;
function check(ok, what) {
  if (!ok) {
    failures++;
    if (failures <= 25) console.error('FAIL: ' + what);
  }
}

// the whole test is bounded: a hang ends it, failed
const deadline = setTimeout(() => {
  console.error('FAIL: tests/openapi took more than 300 s');
  process.exit(1);
}, 300_000);

function startServer() {
  const p = spawn(BIN, ['serve', ...SERVED, '--listen', '127.0.0.1:0', '--threads', '2'], {
    env: { ...process.env, LC_ALL: 'C.UTF-8', LANGUAGE: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const server = { p, log: '', exited: new Promise((res) => p.on('exit', (code, sig) => res({ code, sig }))) };
  return new Promise((resolve, reject) => {
    p.stderr.on('data', (b) => {
      server.log += b;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(server.log);
      if (m) resolve({ ...server, base: `http://127.0.0.1:${m[1]}` });
    });
    server.exited.then(({ code }) => reject(new Error(`dagloon serve ended (${code}): ${server.log}`)));
  });
}

// The server stops cleanly at SIGTERM, and (under the sanitizers) said nothing about memory or UB
async function stopServer(server) {
  server.p.kill('SIGTERM');
  const { code, sig } = await server.exited;
  check(code === 0, `dagloon serve ended with ${code} ${sig || ''} at SIGTERM`);
  check(!/Sanitizer|runtime error:/.test(server.log), 'sanitizer reports from dagloon serve:\n' + server.log.slice(0, 3000));
}

async function request(url, opts = {}) {
  const r = await fetch(url, opts);
  return { status: r.status, type: r.headers.get('content-type') || '', body: await r.text() };
}

function lines(text) {
  return text.split('\n').filter((l) => l.trim() !== '');
}

// The components of one document as schemas of their own, "#/components/schemas/X" -> "urn:dagloon:RS:X"
function compile(ajv, rs, doc) {
  const prefix = `urn:dagloon:${rs}:`;
  const schemas = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', prefix));
  for (const [name, s] of Object.entries(schemas)) ajv.addSchema({ ...s, $id: prefix + name });
  const get = (name) => ajv.getSchema(prefix + name);
  return { dossier: get('Dossier'), uitvoer: get('Uitvoer'), problem: get('Problem'), errorRow: get('ErrorRow'),
    uitleg: get('Uitleg'), uitvoerReceipt: get('UitvoerMetReceipt'), uitlegReceipt: get('UitleggingMetReceipt'),
    receipt: get('Receipt'), schemas };
}

// The dossiers of the case files tests/cases/RS/*.case ('invoer:'), as JSON Lines. YAML's core
// schema keeps dates as strings; an unquoted amount becomes a JSON number, which the engine refuses
// (a case file is read by the schema's types) -- and then the schema must refuse it too.
function caseDossiers(rs) {
  const dir = `tests/cases/${rs}`;
  const out = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.case')).sort()) {
    for (const doc of YAML.parseAllDocuments(readFileSync(`${dir}/${f}`, 'utf8'), { schema: 'core' })) {
      const c = doc.toJS();   // a file may hold several cases, '---' between them
      if (c && c.invoer && typeof c.invoer === 'object') out.push(JSON.stringify(c.invoer));
    }
  }
  check(out.length > 0, `${rs}: no case dossiers in ${dir}`);
  return out;
}

const errs = (v) => JSON.stringify(v.errors ? v.errors.slice(0, 2) : null);

// 1. the documents: valid OpenAPI 3.1, as the rule sets' schemas say
async function documents(base) {
  const health = JSON.parse((await request(`${base}/healthz`)).body);
  check(health.rulesets.length === SERVED.length, 'healthz lists every rule set: ' + health.rulesets);
  const docs = {};
  for (const rs of health.rulesets) {
    const r = await request(`${base}/v1/${rs}/openapi.json`);
    check(r.status === 200 && r.type.startsWith('application/json'), `${rs}: openapi.json ${r.status} ${r.type}`);
    const doc = JSON.parse(r.body);
    const res = await new Validator().validate(structuredClone(doc));
    check(res.valid, `${rs}: the document is not valid OpenAPI 3.1: ${String(JSON.stringify(res.errors)).slice(0, 600)}`);
    check(doc.openapi === '3.1.0' && doc.info.version === health.version && doc.info.title.includes(rs),
      `${rs}: openapi/info ${JSON.stringify(doc.info)}`);
    for (const op of ['bereken', 'uitleg', 'openapi.json'])
      check(doc.paths[`/v1/${rs}/${op}`], `${rs}: no path for ${op}`);
    docs[rs] = doc;
  }
  // what the wia rules say, in the document: labels, bron lines, optional fields, keuzes, money
  const wia = docs.wia.components.schemas;
  check(wia.Uitvoer.properties.dagloon.description.includes('Bron: Wet werk en inkomen naar arbeidsvermogen'),
    'wia: dagloon has no bron: ' + wia.Uitvoer.properties.dagloon.description);
  check(wia.Uitvoer.properties.factor_a.description.includes('versie vanaf 2022-01-01: Dagloonbesluit'),
    'wia: factor_a has no bron of its versions');
  check(wia.Uitvoer.properties.dagloon_referteperiode.description.startsWith('het dagloon uit uw loon'),
    'wia: dagloon_referteperiode has no label');
  check(!wia.Dossier.required.includes('einde_verzekering') && wia.Dossier.required.includes('eerste_ao_dag'),
    'wia: required ' + wia.Dossier.required);
  check(wia.Dossier.additionalProperties === false, 'wia: Dossier takes other properties');
  check(JSON.stringify(wia.Tijdvaksoort.enum) === JSON.stringify(['maand', 'vier_weken']),
    'wia: Tijdvaksoort ' + JSON.stringify(wia.Tijdvaksoort));
  check(wia.Uitvoer.required.length === Object.keys(wia.Uitvoer.properties).length, 'wia: Uitvoer not all required');
  // the other paths of the endpoint
  check((await request(`${base}/v1/wia/openapi.json`, { method: 'POST', body: '{}' })).status === 405, 'POST openapi');
  check((await request(`${base}/v1/geen/openapi.json`)).status === 404, 'openapi.json of no rule set');
  check((await request(`${base}/v1/wia/openapi.jsonx`)).status === 404, 'openapi.jsonx');
  return docs;
}

// 2. the validator can fail: broken documents are refused
async function broken(doc) {
  const cases = {
    'no info.version': (d) => delete d.info.version,
    'openapi 3.1 without paths, webhooks or components': (d) => { delete d.paths; delete d.components; },
    'a response without description': (d) => delete d.paths['/v1/wia/bereken'].post.responses['200'].description,
    'a status code that is not one': (d) => { d.paths['/v1/wia/bereken'].post.responses['2000'] = { description: 'x' }; },
    'a path that does not start with /': (d) => { d.paths['v1/wia/x'] = d.paths['/v1/wia/bereken']; },
    'a request body without content': (d) => delete d.paths['/v1/wia/uitleg'].post.requestBody.content,
    'components.schemas not an object': (d) => { d.components.schemas = []; },
  };
  for (const [what, spoil] of Object.entries(cases)) {
    const d = structuredClone(doc);
    spoil(d);
    const res = await new Validator().validate(d);
    check(!res.valid, `the validator takes a broken document (${what})`);
  }
}

// Did the engine read the dossier? 200, or a problem that is not about reading it.
function engineRead(r) {
  if (r.status === 200) return true;
  const p = JSON.parse(r.body);
  return r.status === 422 && p.code !== 'input';
}

// 3. real traffic against the schemas
async function traffic(base, rs, v, dossiers) {
  let read = 0, refused = 0;
  for (const line of dossiers) {
    const dossier = JSON.parse(line);
    const r = await request(`${base}/v1/${rs}/bereken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: line });
    if (r.status === 200) check(v.uitvoer(JSON.parse(r.body)), `${rs}: a 200 is no Uitvoer: ${errs(v.uitvoer)} ${r.body.slice(0, 200)}`);
    else check(r.type.startsWith('application/problem+json') && v.problem(JSON.parse(r.body)),
      `${rs}: a ${r.status} is no Problem: ${errs(v.problem)} ${r.body.slice(0, 200)}`);
    const ok = engineRead(r);
    ok ? read++ : refused++;
    check(v.dossier(dossier) === ok, `${rs}: engine ${ok ? 'reads' : 'refuses'} a dossier the schema ${ok ? 'refuses' : 'takes'}: ${errs(v.dossier)} ${r.body.slice(0, 200)} ${line.slice(0, 120)}`);
  }
  // the same as one NDJSON batch: a line per dossier, each an Uitvoer or an ErrorRow
  const b = await request(`${base}/v1/${rs}/bereken`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: dossiers.join('\n') + '\n' });
  const out = lines(b.body);
  check(b.status === 200 && out.length === dossiers.length, `${rs}: NDJSON ${b.status} with ${out.length} lines for ${dossiers.length}`);
  let errorRows = 0;
  for (const l of out) {
    const o = JSON.parse(l);
    if ('error' in o) { errorRows++; check(v.errorRow(o), `${rs}: an NDJSON error line is no ErrorRow: ${errs(v.errorRow)} ${l.slice(0, 200)}`); }
    else check(v.uitvoer(o), `${rs}: an NDJSON line is no Uitvoer: ${errs(v.uitvoer)}`);
  }
  // ?receipt=1: the wrapped answers and the batch's last line have the document's schemas
  const rb = await request(`${base}/v1/${rs}/bereken?receipt=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: dossiers[0] });
  if (rb.status === 200) check(v.uitvoerReceipt(JSON.parse(rb.body)) && !v.uitvoer(JSON.parse(rb.body)),
    `${rs}: a 200 with ?receipt=1 is no UitvoerMetReceipt: ${errs(v.uitvoerReceipt)} ${rb.body.slice(0, 200)}`);
  const nb = await request(`${base}/v1/${rs}/bereken?receipt=1`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: dossiers.slice(0, 3).join('\n') + '\n' });
  const last = JSON.parse(lines(nb.body).at(-1));
  check(nb.status === 200 && 'receipt' in last && v.receipt(last.receipt), `${rs}: the NDJSON receipt line is no Receipt: ${errs(v.receipt)}`);
  const ru = await request(`${base}/v1/${rs}/uitleg?receipt=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: dossiers[0] });
  if (ru.status === 200) check(v.uitlegReceipt(JSON.parse(ru.body)), `${rs}: uitleg with ?receipt=1 is no UitleggingMetReceipt: ${errs(v.uitlegReceipt)}`);
  // uitleg of the first dossiers
  for (const line of dossiers.slice(0, 3)) {
    const r = await request(`${base}/v1/${rs}/uitleg`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: line });
    check(r.status === 200 ? v.uitleg(JSON.parse(r.body)) : v.problem(JSON.parse(r.body)), `${rs}: uitleg ${r.status}`);
  }
  return { read, refused, errorRows };
}

// 4. mutants: each field of the dossier (and of the first item of its lists of records) left out,
// given another value of each kind, or joined by an unknown field; the schema and the engine agree
const PALETTE = [null, true, 7, -3, 2.5, 'x', '', '12.34', '12.345', '+1234', '1234.', 'waar',
  '2023-02-28', '2023-02-30', '1899-12-31', '2023-01-01/2023-12-31', ...KNOWN_GAPS, [], {}, 'nope'];

function* mutants(dossier, schemas, prefix) {
  const deref = (s) => (s && s.$ref ? schemas[s.$ref.slice(prefix.length)] : s);
  function* of(obj, schema, setInto) {
    schema = deref(schema);
    for (const [name, prop] of Object.entries(schema.properties)) {
      const copy = structuredClone(obj);
      delete copy[name];
      yield [setInto(copy), `${name} left out`];
      const choices = deref(prop.items ? prop.items : prop.anyOf ? prop.anyOf[0] : prop);
      for (const val of [...PALETTE, ...(choices && choices.enum ? choices.enum : [])]) {
        const c = structuredClone(obj);
        c[name] = val;
        yield [setInto(c), `${name} = ${JSON.stringify(val)}`];
      }
    }
    const extra = structuredClone(obj);
    extra.onbekend_veld = 1;
    yield [setInto(extra), 'an unknown field'];
  }
  yield* of(dossier, schemas.Dossier, (d) => d);
  for (const [name, prop] of Object.entries(schemas.Dossier.properties)) {
    const record = deref(prop), item = prop.items && deref(prop.items);
    if (record && record.properties && dossier[name] && typeof dossier[name] === 'object') {   // a gegevens field
      yield* of(dossier[name], prop, (rec) => ({ ...structuredClone(dossier), [name]: rec }));
    }
    if (!item || !item.properties || !Array.isArray(dossier[name]) || dossier[name].length === 0) continue;
    yield* of(dossier[name][0], prop.items, (rec) => {
      const d = structuredClone(dossier);
      d[name][0] = rec;
      return d;
    });
  }
}

async function mutate(base, rs, v, line) {
  let n = 0, gaps = 0;
  for (const [d, what] of mutants(JSON.parse(line), v.schemas, `urn:dagloon:${rs}:`)) {
    const body = JSON.stringify(d);
    const r = await request(`${base}/v1/${rs}/bereken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const ok = engineRead(r), valid = v.dossier(d);
    n++;
    if (valid && !ok && [...KNOWN_GAPS].some((g) => body.includes(JSON.stringify(g)))) { gaps++; continue; }
    check(valid === ok, `${rs}: ${what}: the engine ${ok ? 'reads' : 'refuses'} it, the schema ${valid ? 'takes' : 'refuses'} it: ${errs(v.dossier)} ${r.body.slice(0, 240)}`);
    if (r.status !== 200) check(v.problem(JSON.parse(r.body)), `${rs}: ${what}: no Problem`);
  }
  return { n, gaps };
}

const server = await startServer();
const { base } = server;
try {
  const docs = await documents(base);
  await broken(docs.wia);
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: false });
  addFormats(ajv);
  // the schema objects are checked by ajv against the 2020-12 meta-schema (strict): a broken one is refused
  for (const spoil of [(s) => { s.Dossier.type = 'objekt'; }, (s) => { s.Uitvoer.required = 'dagloon'; },
    (s) => { s.Dossier.properties.id.formaat = 'date'; }]) {
    const d = structuredClone(docs.wia);
    spoil(d.components.schemas);
    let refused = false;
    try { compile(new Ajv2020({ strict: true, allowUnionTypes: true }), 'kapot', d); } catch { refused = true; }
    check(refused, 'ajv takes a broken schema: ' + spoil);
  }
  const gen = (args) => lines(execFileSync('python3', args, { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const sets = {
    wia: [...lines(readFileSync('rules/wia/populatie.jsonl', 'utf8')), ...gen(['tools/gen_population.py', '300', '7']),
      ...caseDossiers('wia')],
    herstel: [...lines(readFileSync('rules/herstel/populatie.jsonl', 'utf8')), ...gen(['tools/gen_herstel.py', '100', '3']),
      ...caseDossiers('herstel')],
    voorbeeld: lines(readFileSync('rules/voorbeeld/dossiers.jsonl', 'utf8')),
    ww: caseDossiers('ww'),
    zw: caseDossiers('zw'),
    wia_uitkering: caseDossiers('wia_uitkering'),
  };
  for (const [rs, dossiers] of Object.entries(sets)) {
    const v = compile(ajv, rs, docs[rs]);
    const t = await traffic(base, rs, v, dossiers);
    check(t.read > 0, `${rs}: no dossier read`);
    const m = await mutate(base, rs, v, dossiers[0]);
    console.log(`openapi ${rs}: ${dossiers.length} dossiers (${t.read} read, ${t.refused} refused, ${t.errorRows} NDJSON error rows), ` +
      `${m.n} mutants (${m.gaps} in the known gaps)`);
  }
} finally {
  await stopServer(server);
  clearTimeout(deadline);
}
if (failures) {
  console.error(`openapi: ${failures} failures`);
  process.exit(1);
}
console.log('openapi: ok (documents valid OpenAPI 3.1, broken ones refused; traffic agrees with the schemas)');
