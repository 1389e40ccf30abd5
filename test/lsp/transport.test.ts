import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  ExitNotification,
  IPCMessageReader,
  IPCMessageWriter,
  InitializeRequest,
  InitializedNotification,
  ShutdownRequest,
  createProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { FIXTURE_APP, SERVER_JS } from './harness';

test('over Node IPC (how VS Code starts it) the server analyses and writes nothing to stdout', async () => {
  const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sag-ipc-')));
  fs.cpSync(FIXTURE_APP, workspace, { recursive: true });
  const child = fork(SERVER_JS, ['--node-ipc', `--clientProcessId=${process.pid}`], { silent: true });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const published: PublishDiagnosticsParams[] = [];
  let notify: () => void = () => {};
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.push(params);
    notify();
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
  connection.listen();
  try {
    const root = pathToFileURL(workspace).href;
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: root,
      workspaceFolders: [{ uri: root, name: 'app' }],
      capabilities: { workspace: { configuration: true } },
    });
    assert.equal(result.serverInfo?.name, 'server-action-guard');
    await connection.sendNotification(InitializedNotification.type, {});
    const file = path.join(workspace, 'app/notes/actions.ts');
    const uri = pathToFileURL(file).href;
    const arrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}; got ${JSON.stringify(published)}`)), 15000);
      notify = () => {
        if (published.some((p) => p.uri === uri && p.version === 1)) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'typescript', version: 1, text: fs.readFileSync(file, 'utf8') },
    });
    await arrived;
    const diagnostics = published.find((p) => p.uri === uri && p.version === 1)!.diagnostics;
    assert.ok(diagnostics.some((d) => d.code === 'require-auth'), JSON.stringify(diagnostics.map((d) => d.code)));
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
    assert.equal(stdout, '', 'nothing on stdout');
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
