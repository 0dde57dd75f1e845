// Starts `runbook lsp` (the language server in the runbook jar) for .runbook files.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

async function activate(context) {
  const config = vscode.workspace.getConfiguration('runbook');
  const command = config.get('path') || 'runbook';
  const database = config.get('database') || '';
  // No transport option: the server speaks LSP on its stdin and stdout.
  const server = { command, args: ['lsp'] };
  const options = {
    documentSelector: [{ scheme: 'file', language: 'runbook' }, { scheme: 'untitled', language: 'runbook' }],
    // The development database is read again when SQL files change (a migration applied by hand, say).
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.sql') },
    initializationOptions: database ? { database } : {},
  };
  client = new LanguageClient('runbook', 'Runbook', server, options);
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('runbook')) {
      vscode.window.showInformationMessage('Runbook: reload the window to use the new settings.');
    }
  }));
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(`Runbook: cannot start \`${command} lsp\` (${err.message}). Set runbook.path to the runbook command.`);
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
