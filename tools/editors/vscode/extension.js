// The Dagloon extension: starts 'dagloon lsp' over stdio for rule files, case files and table CSVs
// (the server checks all three) and restarts it when
// its settings change. Everything else (diagnostics, hover, ...) is the server's; the client's
// locale reaches the server through VS Code's own initialize request.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function settings() {
  const cfg = vscode.workspace.getConfiguration('dagloon');
  return { path: cfg.get('path') || 'dagloon', datum: cfg.get('datum') || '' };
}

async function start() {
  const { path, datum } = settings();
  const serverOptions = { command: path, args: ['lsp'], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { language: 'dagloon' },
      { language: 'dagloon-case' },
      { scheme: 'file', pattern: '**/*.{csv,CSV}' },   // tables: the server checks those a rule set reads
    ],
    // the server's table date setting; an empty date is left out (the server's default then)
    initializationOptions: datum ? { datum } : {},
    synchronize: { configurationSection: 'dagloon' },
  };
  client = new LanguageClient('dagloon', 'Dagloon', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(`Dagloon: could not start '${path} lsp': ${err.message || err}`);
  }
}

async function stop() {
  if (client) {
    const c = client;
    client = undefined;
    try { await c.stop(); } catch (_) { /* it was not running */ }
  }
}

async function activate(context) {
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (e.affectsConfiguration('dagloon.path') || e.affectsConfiguration('dagloon.datum')) {
      await stop();
      await start();
    }
  }));
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
