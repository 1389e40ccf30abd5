// Headless Debian chromium driven by playwright-core (installed by scripts/setup-real-clients.sh, outside the
// project's dependencies: it is only needed here and downloads no browser of its own).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

function playwright() {
  const dir = process.env.E2E_PLAYWRIGHT_DIR;
  if (!dir) throw new Error('E2E_PLAYWRIGHT_DIR is not set: run scripts/setup-real-clients.sh and source .e2e-tools/env.sh');
  return createRequire(path.join(dir, 'package.json'))(dir);
}

// Root in a container: no sandbox. The rest keeps chromium from phoning home or waiting on a GPU.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A fresh profile in a temp folder, removed on close. Browser console errors are echoed with `label`. */
export async function launchBrowser({ label, viewport = { width: 1400, height: 900 } }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const context = await playwright().chromium.launchPersistentContext(profile, {
    executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    // Crash reports and caches go to XDG folders: keep them in the throwaway profile, not in $HOME.
    env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
    label,
  };
}
