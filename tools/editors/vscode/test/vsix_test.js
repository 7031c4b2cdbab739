// The packaged extension (argument: an unpacked .vsix): what VS Code reads is there and is the
// source's (package.json, the grammar, the language configuration), and extension.js loads with
// its LSP client library from the package's own node_modules (VS Code itself stubbed).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const Module = require('module');

const unpacked = path.join(process.argv[2], 'extension');
const source = path.join(__dirname, '..');
for (const f of ['package.json', 'language-configuration.json', 'case-language-configuration.json', 'extension.js',
  'syntaxes/dagloon.tmLanguage.json', 'syntaxes/dagloon-case.tmLanguage.json']) {
  assert.ok(fs.existsSync(path.join(unpacked, f)), `${f} is in the .vsix`);
  assert.strictEqual(fs.readFileSync(path.join(unpacked, f), 'utf8'), fs.readFileSync(path.join(source, f), 'utf8'), `${f} is the source's`);
}
assert.ok(!fs.existsSync(path.join(unpacked, 'test')), 'the tests are not packaged');
assert.ok(!fs.existsSync(path.join(unpacked, 'node_modules', 'vscode-tmgrammar-test')), 'no devDependencies packaged');

// every property of the stand-in 'vscode' is a class (the client library extends some at load time)
const anything = () => new Proxy(class {}, { get: (c, p) => (p in c ? c[p] : anything()) });
const vscode = new Proxy({}, { get: (t, p) => (p === '__esModule' ? false : anything()) });
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  if (request === 'vscode') return vscode;
  const resolved = Module._resolveFilename(request, parent, ...rest);
  if (request.startsWith('vscode-languageclient'))
    assert.ok(resolved.startsWith(unpacked + path.sep), `${request} comes from the package, not ${resolved}`);
  return load.call(this, request, parent, ...rest);
};
const ext = require(path.join(unpacked, 'extension.js'));
assert.strictEqual(typeof ext.activate, 'function');
assert.strictEqual(typeof ext.deactivate, 'function');
console.log('vsix: contents and loading ok');
