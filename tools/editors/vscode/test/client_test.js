// The extension's start-up without VS Code: 'vscode' and 'vscode-languageclient/node' are replaced
// by recording stand-ins, and extension.js must start '<dagloon.path> lsp' over stdio for the
// language 'dagloon' with dagloon.datum as initializationOptions, restart on a settings change,
// and say so when the program cannot be started. Also checks package.json's contributions.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const Module = require('module');

const here = path.join(__dirname, '..');
const settings = { path: '/opt/dagloon/bin/dagloon', datum: '2024-07-01' };
const made = [];        // every LanguageClient constructed: {id, serverOptions, clientOptions, started, stopped}
const errors = [];
let configListener;
let failStart = false;

const vscode = {
  workspace: {
    getConfiguration: (section) => { assert.strictEqual(section, 'dagloon'); return { get: (k) => settings[k] }; },
    onDidChangeConfiguration: (f) => { configListener = f; return { dispose() {} }; },
  },
  window: { showErrorMessage: (m) => { errors.push(m); } },
};
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
    made.push(this);
  }
  async start() { if (failStart) throw new Error('spawn ENOENT'); this.started = true; }
  async stop() { this.stopped = true; }
}
const client = { LanguageClient, TransportKind: { stdio: 0, ipc: 1 } };

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'vscode') return vscode;
  if (request === 'vscode-languageclient/node') return client;
  return load.call(this, request, ...rest);
};
const ext = require(path.join(here, 'extension.js'));

(async () => {
  const context = { subscriptions: [] };
  await ext.activate(context);
  assert.strictEqual(made.length, 1, 'one client started on activation');
  const c = made[0];
  assert.deepStrictEqual(c.serverOptions, { command: '/opt/dagloon/bin/dagloon', args: ['lsp'], transport: 0 });
  assert.deepStrictEqual(c.clientOptions.documentSelector, [
    { language: 'dagloon' }, { language: 'dagloon-case' }, { scheme: 'file', pattern: '**/*.{csv,CSV}' }]);
  assert.deepStrictEqual(c.clientOptions.initializationOptions, { datum: '2024-07-01' });
  assert.ok(c.started, 'the client was started');

  // another table date: the server is restarted with it; no date: no option
  settings.datum = '';
  await configListener({ affectsConfiguration: (s) => s === 'dagloon.datum' });
  assert.ok(c.stopped, 'the old client was stopped');
  assert.strictEqual(made.length, 2);
  assert.deepStrictEqual(made[1].clientOptions.initializationOptions, {});
  // an unrelated setting changes nothing
  await configListener({ affectsConfiguration: () => false });
  assert.strictEqual(made.length, 2);

  // a program that cannot be started is reported, not thrown
  failStart = true;
  settings.path = '';
  await configListener({ affectsConfiguration: (s) => s === 'dagloon.path' });
  assert.strictEqual(made[2].serverOptions.command, 'dagloon', 'an empty path means dagloon on PATH');
  assert.strictEqual(errors.length, 1);
  assert.match(errors[0], /could not start 'dagloon lsp'/);
  await ext.deactivate();

  // what VS Code reads from package.json
  const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
  const lang = pkg.contributes.languages.find((l) => l.id === 'dagloon');
  assert.deepStrictEqual(lang.extensions, ['.rules']);
  assert.ok(fs.existsSync(path.join(here, lang.configuration)));
  const conf = JSON.parse(fs.readFileSync(path.join(here, lang.configuration), 'utf8'));
  assert.strictEqual(conf.comments.lineComment, '--');
  const cases = pkg.contributes.languages.find((l) => l.id === 'dagloon-case');
  assert.deepStrictEqual(cases.extensions, ['.case']);
  assert.ok(fs.existsSync(path.join(here, cases.configuration)));
  for (const [language, scope] of [['dagloon', 'source.dagloon'], ['dagloon-case', 'source.dagloon-case']]) {
    const g = pkg.contributes.grammars.find((x) => x.language === language);
    assert.strictEqual(g.scopeName, scope);
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(here, g.path), 'utf8')).scopeName, scope);
  }
  // the program is the user's choice: a workspace's .vscode/settings.json cannot name it
  assert.strictEqual(pkg.contributes.configuration.properties['dagloon.path'].scope, 'machine');
  assert.ok(pkg.contributes.configuration.properties['dagloon.datum']);
  assert.ok(fs.existsSync(path.join(here, pkg.main)));
  console.log('vscode extension: client start-up and package.json ok');
})().catch((e) => { console.error('FAIL:', e.message); process.exit(1); });
