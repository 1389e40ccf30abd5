// Starting VS Code for the tests: code-server (the workbench users see) and the VS Code server shipped inside it
// (which runs extension-host tests when started with --enable-smoke-test-driver). Both bind 127.0.0.1 only and keep
// their state in the run's work folder.
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startServer, waitForHttp } from './processes.mjs';

/** User settings for a quiet, deterministic workbench: no telemetry, updates, tips, trust prompts or AI panels. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  // The fixture imports packages that are not installed; TypeScript's own "cannot find module" errors would bury
  // ours in the Problems panel and the screenshots. Type acquisition would also try the network.
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function writeUserSettings(userDataDir) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
}

/** Environment for VS Code processes: Node 24 first on PATH, droppings (sockets, logs, config) inside `work`. */
export function vscodeEnv(work) {
  const tmp = path.join(work, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  return {
    ...process.env,
    PATH: `${path.dirname(process.env.E2E_NODE24)}:${process.env.PATH}`,
    TMPDIR: tmp,
    XDG_CONFIG_HOME: path.join(work, 'xdg-config'),
    XDG_DATA_HOME: path.join(work, 'xdg-data'),
    XDG_CACHE_HOME: path.join(work, 'xdg-cache'),
    XDG_STATE_HOME: path.join(work, 'xdg-state'),
    XDG_RUNTIME_DIR: path.join(work, 'xdg-runtime'),
    // No marketplace: an empty gallery keeps the workbench from querying one over the network.
    EXTENSIONS_GALLERY: '{}',
  };
}

/**
 * Installs an extension the way a .vsix install lays it out: `<extensions>/<publisher>.<name>-<version>/`, holding the
 * manifest, dist/, the rule docs the diagnostics link to and every folder the manifest points into (grammars, icons).
 */
export function installUnpackedExtension(extensionDir, extensionsDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  const entries = new Set(['package.json', 'dist', 'README.md', 'LICENSE', 'CHANGELOG.md', 'docs/rules', 'docs/LIBRARIES.md']);
  for (const ref of stringsIn(manifest.contributes ?? {})) {
    const relative = ref.replace(/^\.\//, '');
    if (/^[\w.-]+\/[\w./-]+$/.test(relative) && fs.existsSync(path.join(extensionDir, relative))) {
      entries.add(relative.split('/')[0]);
    }
  }
  fs.mkdirSync(target, { recursive: true });
  for (const entry of entries) {
    const source = path.join(extensionDir, entry);
    if (fs.existsSync(source)) fs.cpSync(source, path.join(target, entry), { recursive: true });
  }
  return { id: `${manifest.publisher}.${manifest.name}`, target, copied: [...entries].filter((e) => fs.existsSync(path.join(target, e))) };
}

function* stringsIn(value) {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) yield* stringsIn(item);
}

/** code-server serving `workspace`, with `extensionsDir` as its only extensions. */
export async function startCodeServer({ work, extensionsDir }) {
  const port = await freePort();
  const dataDir = path.join(work, 'code-server-data');
  writeUserSettings(dataDir);
  const config = path.join(work, 'code-server.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const server = startServer(
    process.env.E2E_CODE_SERVER,
    [
      '--config', config,
      '--user-data-dir', dataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    { env: vscodeEnv(work), logFile: path.join(work, 'code-server.log') },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, server);
  return { url, server };
}

/** The bare VS Code server with the smoke-test driver, which runs `extensionTestsPath` and reports the exit code. */
export async function startTestServer({ work, env = {} }) {
  const port = await freePort();
  const dataDir = path.join(work, 'vscode-data');
  writeUserSettings(dataDir);
  const server = startServer(
    process.env.E2E_NODE24,
    [
      process.env.E2E_VSCODE_SERVER_MAIN,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--disable-telemetry',
      '--disable-workspace-trust',
      '--user-data-dir', dataDir,
      '--server-data-dir', path.join(work, 'vscode-server-data'),
      '--extensions-dir', path.join(work, 'vscode-extensions'),
    ],
    { env: { ...vscodeEnv(work), ...env }, logFile: path.join(work, 'vscode-server.log') },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/`, server);
  return { url, port, server };
}
