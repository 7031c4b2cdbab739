// Every rule file under the given folders (default: the repository's rules/ and the guide's
// docs/handleiding/) tokenizes without an
// 'invalid' scope: what the grammar marks invalid is what the lexer refuses, and rules/ compiles.
// Also checks that the grammar does mark a file with errors (so this test can fail).
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const onig = require('vscode-oniguruma');

const here = __dirname;
const root = path.resolve(here, '..', '..', '..', '..');
const grammarPath = path.join(here, '..', 'syntaxes', 'dagloon.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await onig.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new onig.OnigScanner(sources),
      createOnigString: (s) => new onig.OnigString(s),
    }),
    loadGrammar: async (scope) => scope === 'source.dagloon'
      ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  return registry.loadGrammar('source.dagloon');
}

// [line, column, text, scopes] of every token with an 'invalid' scope
function invalidTokens(grammar, text) {
  const found = [];
  let stack = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      if (t.scopes.some((s) => s.startsWith('invalid')))
        found.push([i + 1, t.startIndex + 1, line.slice(t.startIndex, t.endIndex), t.scopes.join(' ')]);
    }
    stack = r.ruleStack;
  });
  return found;
}

function ruleFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...ruleFiles(p));
    else if (e.name.endsWith('.rules')) out.push(p);
  }
  return out.sort();
}

(async () => {
  const grammar = await loadGrammar();
  const dirs = process.argv.length > 2 ? process.argv.slice(2)
    : ['rules', 'docs/handleiding'].map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  let files = 0, bad = 0;
  for (const dir of dirs) {
    for (const f of ruleFiles(dir)) {
      files++;
      for (const [line, col, text, scopes] of invalidTokens(grammar, fs.readFileSync(f, 'utf8'))) {
        bad++;
        console.log(`${path.relative(root, f)}:${line}:${col}: '${text}' is ${scopes}`);
      }
    }
  }
  // the check itself: text the lexer refuses must come out invalid
  const refused = ['regel x: geheel = 1 == 2', 'regel x: geld = € 1,5', 'regel x: tekst = "a\\q"', 'regel ß: geheel = 1'];
  for (const t of refused) {
    if (invalidTokens(grammar, t).length === 0) {
      bad++;
      console.log(`error: the grammar marks nothing invalid in: ${t}`);
    }
  }
  if (files === 0) { console.log('error: no rule files found in ' + dirs.join(' ')); process.exit(1); }
  console.log(`${files} rule files tokenized, ${bad} problem(s)`);
  process.exit(bad ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
