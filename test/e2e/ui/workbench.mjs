// UI tests in the real VS Code workbench (code-server in headless chromium): what a user sees and does. Each step
// waits for visible state (squiggle, Problems rows, menus, tree rows, notifications) and saves a screenshot.
// Selectors are VS Code 1.139 internals (pinned through code-server 4.139.1).
import fs from 'node:fs';
import path from 'node:path';
import { ACTIONS_AFTER_ZOD } from '../expected.ts';
import { launchBrowser } from '../lib/browser.mjs';
import { poll } from '../lib/processes.mjs';

const STEP_TIMEOUT = 30000;

/** What the workbench shows, for failure messages: Problems rows, notifications, open menus and quick input rows. */
async function visibleState(page) {
  const texts = (selector) =>
    page
      .locator(selector)
      .allInnerTexts()
      .then((all) => all.map((t) => t.replace(/\s+/g, ' ').slice(0, 120)))
      .catch(() => []);
  const state = {
    problems: await texts('.markers-panel .monaco-list-row'),
    notifications: await texts('.notification-toast .notification-list-item-message'),
    menu: await texts('.action-widget .monaco-list-row'),
    quickInput: await texts('.quick-input-widget .monaco-list-row'),
    squiggles: await page.locator('.monaco-editor [class*="squiggly-"]').count().catch(() => 0),
  };
  return JSON.stringify(state);
}

/** Drags the sash right of the side bar so the checklist's reasons fit (a screenshot for people to read). */
async function widenSideBar(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
  // Off the sash, so it is not drawn highlighted in the screenshot.
  await page.mouse.move(box.x + width / 2, box.y + box.height - 20);
}

/** The lines of the extension's output channel as code-server wrote them to its log folder (`logs`). */
function outputChannelLines(logs) {
  const found = [];
  const visit = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name === 'Server Action Guard.log') found.push(full);
    }
  };
  visit(logs);
  return found.flatMap((file) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean));
}

export async function runWorkbenchScenarios({ url, workspace, screenshots, logs }) {
  fs.mkdirSync(screenshots, { recursive: true });
  const browser = await launchBrowser({ label: 'workbench' });
  const { page } = browser;
  const results = [];
  let broken; // once a step fails the later ones build on a state that is not there: report them as not run
  const step = async (name, shot, body) => {
    const started = Date.now();
    if (broken) {
      results.push({ name, ok: false, ms: 0, error: `not run: "${broken}" failed` });
      console.log(`  [ui] FAIL ${name}: not run`);
      return;
    }
    try {
      await body();
      await page.screenshot({ path: path.join(screenshots, shot) });
      results.push({ name, ok: true, ms: Date.now() - started });
      console.log(`  [ui] PASS ${name} (${Date.now() - started} ms) -> ${shot}`);
    } catch (error) {
      broken = name;
      const message = `${error instanceof Error ? error.message.split('\n')[0] : String(error)}; saw ${await visibleState(page)}`;
      await page.screenshot({ path: path.join(screenshots, `failed-${shot}`) }).catch(() => {});
      results.push({ name, ok: false, ms: Date.now() - started, error: message });
      console.log(`  [ui] FAIL ${name} (${Date.now() - started} ms): ${message}`);
    }
  };

  // Quick input opened by `key` (Ctrl+P files, Ctrl+Shift+P commands, Ctrl+G line): type, wait for the row, accept.
  const QUICK_INPUT_PREFIX = { 'Control+P': '', 'Control+Shift+P': '>', 'Control+G': ':' };
  const palette = async (key, text, rowText = text) => {
    await page.keyboard.press(key);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await input.fill(`${QUICK_INPUT_PREFIX[key]}${text}`);
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: rowText })
      .first()
      .waitFor({ timeout: STEP_TIMEOUT });
    await page.keyboard.press('Enter');
    const accepted = Date.now();
    await input.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT });
    return accepted;
  };
  const problemRows = () => page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  const menuRow = (text) => page.locator('.action-widget .monaco-list-row', { hasText: text }).first();
  /** Ctrl+G to `position`, then Ctrl+. until the quick-fix menu shows a row with `rowText`; returns the menu's rows. */
  const quickFixMenu = async (position, rowText) => {
    await palette('Control+G', position, `line ${position.split(':')[0]}`);
    await page.locator('.monaco-editor.focused').waitFor({ timeout: STEP_TIMEOUT });
    // The code action request is asynchronous; a Ctrl+. that lands before the editor settles opens nothing.
    const deadline = Date.now() + STEP_TIMEOUT;
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('Control+.');
      try {
        await menuRow(rowText).waitFor({ timeout: 3000 });
        break;
      } catch {
        const menu = await page.locator('.action-widget').allInnerTexts().catch(() => []);
        if (Date.now() > deadline) throw new Error(`no "${rowText}" after ${attempt} Ctrl+. presses; menu: ${JSON.stringify(menu)}`);
        await page.keyboard.press('Escape');
      }
    }
    return page.locator('.action-widget .monaco-list-row').allInnerTexts();
  };
  const serverActions = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Server Actions' }) });
  /** The panel's row labelled exactly `label` (and showing `description`, when given). */
  const panelRow = (label, description) => {
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const rows = serverActions.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) });
    return (description ? rows.filter({ hasText: description }) : rows).first();
  };
  const panelRows = async () => (await serverActions.locator('.monaco-list-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
  /** Expands a collapsed row of the panel by its twistie (clicking an action's label reveals it in the editor instead). */
  const expand = async (label, description) => {
    const row = panelRow(label, description);
    await row.waitFor({ timeout: STEP_TIMEOUT });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    await poll(`${label} to be expanded`, async () => ({ done: (await row.getAttribute('aria-expanded')) === 'true', seen: await panelRows() }));
  };
  /** The panel's view title button with this title (shown while the pointer is over the view). */
  const viewAction = (title) => serverActions.locator(`.pane-header .action-label[aria-label="${title}"]`);
  const clickViewAction = async (title) => {
    await serverActions.locator('.pane-header').hover();
    await viewAction(title).click({ timeout: STEP_TIMEOUT });
  };

  try {
    await step('the workbench opens the fixture', '00-workbench.png', async () => {
      await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      // Whatever the status bar says about the extension, however briefly ("starting…" lasts until the first analysis).
      await page.locator('.part.statusbar').waitFor({ timeout: 60000 });
      await page.evaluate(() => {
        const seen = (window.__e2eStatusTexts = []);
        const statusBar = document.querySelector('.part.statusbar');
        new MutationObserver(() => {
          for (const item of statusBar.querySelectorAll('.statusbar-item')) {
            const label = item.querySelector('[aria-label]')?.getAttribute('aria-label') ?? item.getAttribute('aria-label') ?? '';
            const text = item.textContent ?? '';
            if (/Server Action Guard/.test(label) && !seen.includes(text)) seen.push(text);
          }
        }).observe(statusBar, { childList: true, subtree: true, characterData: true, attributes: true });
      });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'app' }).first().waitFor({ timeout: 60000 });
    });

    await step('the squiggle and the Problems entry appear for app/actions.ts', '01-squiggle-and-problems.png', async () => {
      const opened = await palette('Control+P', 'app/actions.ts', 'actions.ts');
      await page.locator('.monaco-editor .view-lines', { hasText: "formData.get('title')" }).waitFor({ timeout: STEP_TIMEOUT });
      const shown = Date.now() - opened;
      await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
      // Printed, not asserted: a shared machine's timings are not stable.
      console.log(`  [ui] cold start: first squiggle ${Date.now() - opened} ms after opening app/actions.ts (text shown after ${shown} ms)`);
      // The profile behind it: the extension's and the server's own milestones, from the output channel's log file.
      const profile = await poll(
        'the startup profile in the output channel',
        () => {
          const lines = outputChannelLines(logs);
          return { done: lines.some((line) => line.includes('Startup (ms')), seen: lines };
        },
        { timeoutMs: 10000, quiet: true },
      ).catch(() => outputChannelLines(logs));
      for (const line of profile) console.log(`  [ui] output: ${line.replace(/^\S+ \S+ /, '').slice(0, 300)}`);
      // The workspace has a next.config: the extension may have started with the window, before the file was opened.
      const activatedAt = profile.map((line) => /Activating at (\S+)/.exec(line)?.[1]).find(Boolean);
      if (activatedAt) {
        const lead = opened - Date.parse(activatedAt);
        console.log(`  [ui] cold start: the extension activated ${Math.abs(lead)} ms ${lead >= 0 ? 'before' : 'after'} the file was opened`);
      }
      // The status item said "starting…" until the first analysis, then the count of failing actions.
      await poll('the status item to show the failing actions', async () => {
        const seen = await page.evaluate(() => window.__e2eStatusTexts);
        return { done: seen.some((t) => /starting/.test(t)) && /^\D*2$/.test(seen.at(-1) ?? ''), seen };
      });
      console.log(`  [ui] status item: ${JSON.stringify(await page.evaluate(() => window.__e2eStatusTexts))}`);
      await page.keyboard.press('Control+Shift+M');
      await page
        .locator('.markers-panel .monaco-list-row', { hasText: "FormData fields 'title' and 'body'" })
        .first()
        .waitFor({ timeout: STEP_TIMEOUT })
        .catch(async (error) => {
          throw new Error(`${error.message.split('\n')[0]}; Problems rows: ${JSON.stringify(await problemRows())}`);
        });
      console.log(`  [ui] Problems: ${JSON.stringify((await problemRows()).map((r) => r.replace(/\s+/g, ' ')))}`);
    });

    await step('Ctrl+. on the title read offers the zod fix, disabling the rule and its documentation', '02-quick-fix-menu.png', async () => {
      // Line 9, column 17 is `formData.get('title')` in the committed fixture.
      const menu = await quickFixMenu('9:20', 'Wrap FormData reads in a zod schema');
      console.log(`  [ui] quick-fix menu: ${JSON.stringify(menu)}`);
      for (const entry of ['Disable validate-input for this line', 'Disable validate-input for this file', 'Show documentation for validate-input']) {
        if (!menu.some((row) => row.includes(entry))) throw new Error(`"${entry}" missing from the menu: ${JSON.stringify(menu)}`);
      }
    });

    await step('applying the zod fix rewrites the action and clears its Problems entries', '03-zod-fix-applied.png', async () => {
      await menuRow('Wrap FormData reads in a zod schema').click();
      await page.locator('.monaco-editor .view-lines', { hasText: 'createNoteSchema.safeParse' }).waitFor({ timeout: STEP_TIMEOUT });
      await page.waitForFunction(
        () =>
          ![...document.querySelectorAll('.markers-panel .monaco-list-row')].some((row) =>
            /FormData fields? '(title|body)'|'(title|body)' is used without validation/.test(row.textContent ?? ''),
          ),
        null,
        { timeout: STEP_TIMEOUT },
      );
      // Saved from the workbench, the file on disk is exactly the fix's expected output.
      await page.keyboard.press('Control+S');
      const file = path.join(workspace, 'app', 'actions.ts');
      await poll('app/actions.ts on disk to hold the zod fix', () => {
        const text = fs.readFileSync(file, 'utf8');
        return { done: text === ACTIONS_AFTER_ZOD, seen: text };
      });
      console.log(`  [ui] after the fix, Problems: ${(await problemRows()).length} rows; saved text as expected`);
    });

    await step('"Show documentation for server-identity" opens the shipped rule page as a Markdown preview', '03b-rule-docs-preview.png', async () => {
      // Line 31, column 19 is the client `ownerId` of assignNote once the zod fix is in.
      await quickFixMenu('31:19', 'Show documentation for server-identity');
      await menuRow('Show documentation for server-identity').click();
      const tab = page.locator('.tabs-container .tab', { hasText: 'Preview server-identity.md' });
      await tab.first().waitFor({ timeout: STEP_TIMEOUT });
      // The preview renders the page's own heading inside its webview.
      await page
        .frameLocator('iframe.webview.ready')
        .frameLocator('iframe#active-frame')
        .locator('h1', { hasText: 'server-identity' })
        .first()
        .waitFor({ timeout: STEP_TIMEOUT });
      await tab.first().hover();
      await tab.first().locator('.tab-actions .action-label').first().click();
      await tab.first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
    });

    await step('"Disable require-auth for this file" comments the file below its directive and silences the rule', '03c-disable-for-file.png', async () => {
      await palette('Control+P', 'app/admin/actions.ts', 'app/admin');
      await page.locator('.monaco-editor .view-lines', { hasText: 'db.user.delete' }).waitFor({ timeout: STEP_TIMEOUT });
      // Line 8, column 9 is `db.user.delete(…)`, which runs without an auth check.
      await quickFixMenu('8:9', 'Disable require-auth for this file');
      await menuRow('Disable require-auth for this file').click();
      const comment = '// server-action-guard-disable-file require-auth -- TODO: say why this is safe';
      const lines = page.locator('.monaco-editor.focused .view-line');
      await poll('the comment on line 2, below the directive', async () => {
        const seen = (await lines.allInnerTexts()).slice(0, 3).map((l) => l.replace(/\u00a0/g, ' '));
        return { done: seen[0] === "'use server';" && seen[1] === comment, seen };
      });
      const unauthenticated = page.locator('.markers-panel .monaco-list-row', { hasText: 'runs without an auth check' });
      await unauthenticated.first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
      // Undone, the file is as committed and the finding is back.
      await page.keyboard.press('Control+Z');
      await unauthenticated.first().waitFor({ timeout: STEP_TIMEOUT });
      if (await page.locator('.monaco-editor .view-lines', { hasText: 'disable-file' }).count()) throw new Error('the comment survived the undo');
    });

    await step('the "Server Actions" panel: folders collapsed, the failing checks with their severity icons, no Explorer badge', '04-server-actions-panel.png', async () => {
      await palette('Control+Shift+P', 'Focus on Server Actions View', 'Server Actions');
      // Room for the whole tree: fold the file explorer above it and close the bottom panel.
      const folders = page.locator('.pane-header[aria-expanded="true"]', { hasText: 'workspace' });
      if (await folders.count()) await folders.first().click();
      if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
      await widenSideBar(page, 560);
      await panelRow('app/admin').waitFor({ timeout: STEP_TIMEOUT });
      const collapsed = await panelRows();
      console.log(`  [ui] Server Actions (as first shown): ${JSON.stringify(collapsed)}`);
      if (collapsed.some((r) => /createNote|assignNote|deleteUser/.test(r))) throw new Error(`not collapsed: ${JSON.stringify(collapsed)}`);
      const badge = await page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="Explorer"]') }).locator('.badge-content').allInnerTexts();
      if (badge.some((b) => b.trim() !== '')) throw new Error(`a badge on the Explorer icon: ${JSON.stringify(badge)}`);
      await expand('app');
      await expand('actions.ts');
      await expand('assignNote');
      // assignNote still takes noteId unvalidated (a warning) and updates a note keyed by it alone (an error).
      await panelRow('Identity from the session').locator('.codicon-error').waitFor({ timeout: STEP_TIMEOUT });
      await panelRow('Input validated').locator('.codicon-warning').waitFor({ timeout: STEP_TIMEOUT });
      await panelRow('Auth required').locator('.codicon-pass').waitFor({ timeout: STEP_TIMEOUT });
      await panelRow('assignNote').locator('.codicon-error').waitFor({ timeout: STEP_TIMEOUT });
      const rows = await panelRows();
      console.log(`  [ui] Server Actions: ${JSON.stringify(rows)}`);
      if (!rows.some((r) => r.includes('createNote'))) throw new Error(`createNote missing from the panel: ${JSON.stringify(rows)}`);
    });

    await step('"Show Failing Actions Only" hides passing actions and checks; "Show All Actions" brings them back', '04c-all-actions-again.png', async () => {
      await clickViewAction('Show Failing Actions Only');
      await panelRow('createNote').waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
      await panelRow('Auth required').waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
      await serverActions.locator('.pane-header', { hasText: 'failing only' }).waitFor({ timeout: STEP_TIMEOUT });
      const rows = await panelRows();
      console.log(`  [ui] Server Actions, failing only: ${JSON.stringify(rows)}`);
      for (const expected of ['assignNote', 'Identity from the session', 'Input validated']) {
        if (!rows.some((r) => r.includes(expected))) throw new Error(`${expected} missing when filtered: ${JSON.stringify(rows)}`);
      }
      await page.screenshot({ path: path.join(screenshots, '04b-failing-only.png') });
      await clickViewAction('Show All Actions');
      await panelRow('createNote').waitFor({ timeout: STEP_TIMEOUT });
      await viewAction('Show Failing Actions Only').waitFor({ state: 'attached', timeout: STEP_TIMEOUT });
    });

    await step('"Server Action Guard: Audit Workspace" shows progress and fills Problems', '05-audit-workspace.png', async () => {
      // The audit of a small workspace can end before a screenshot: record every notification that shows up.
      await page.evaluate(() => {
        const seen = (window.__e2eNotifications = []);
        new MutationObserver(() => {
          for (const message of document.querySelectorAll('.notification-toast .notification-list-item-message')) {
            const text = message.textContent ?? '';
            if (!seen.includes(text)) seen.push(text);
          }
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      // deleteUser's checks in view for the screenshot (app/admin/actions.ts is open, so it is in the panel already).
      await expand('app/admin');
      await expand('actions.ts', /1 action, 1 failing/);
      await expand('deleteUser');
      await palette('Control+Shift+P', 'Server Action Guard: Audit Workspace');
      await page.locator('.notification-toast', { hasText: /Audited \d+ files?/ }).first().waitFor({ timeout: 60000 });
      const notifications = await page.evaluate(() => window.__e2eNotifications);
      console.log(`  [ui] notifications: ${JSON.stringify(notifications)}`);
      if (!notifications.some((n) => /auditing workspace/i.test(n))) {
        throw new Error(`no progress notification was shown; saw ${JSON.stringify(notifications)}`);
      }
      // The progress notification closes once the audit is done; only the summary stays.
      await page
        .locator('.notification-toast', { hasText: /auditing workspace/i })
        .first()
        .waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'app/admin' }).first().waitFor({ timeout: STEP_TIMEOUT });
      const badge = await page
        .locator('.panel .composite-bar .action-item', { hasText: 'Problems' })
        .locator('.badge-content')
        .first()
        .innerText()
        .catch(() => '');
      const rows = await problemRows();
      console.log(`  [ui] Problems badge: ${JSON.stringify(badge)}; rows: ${rows.length}`);
      if (!/^\d+$/.test(badge.trim())) throw new Error(`no Problems count on the panel (badge ${JSON.stringify(badge)})`);
      // The panel holds the never-opened files too, grouped by their folders.
      await expand('app/team');
      await expand('actions.ts', /actions\.ts\s*1 action(?!,)/);
      await panelRow('addTopic').waitFor({ timeout: STEP_TIMEOUT });
      await serverActions
        .locator('.monaco-list-row', { hasText: 'runs without an auth check' })
        .locator('.codicon-error')
        .first()
        .waitFor({ timeout: STEP_TIMEOUT });
    });

    await step('the "failing only" filter is kept for the workspace across a window reload', '06-filter-after-reload.png', async () => {
      const filtered = serverActions.locator('.pane-header', { hasText: 'failing only' });
      await clickViewAction('Show Failing Actions Only');
      await filtered.waitFor({ timeout: STEP_TIMEOUT });
      const profilesBefore = outputChannelLines(logs).filter((line) => line.includes('Startup (ms')).length;
      // A new window and extension host: the extension activates again (for the restored editors) and reads the
      // filter back from the workspace state.
      await palette('Control+Shift+P', 'Developer: Reload Window');
      // Until the first analysis: the status item and the panel say so.
      await Promise.all([
        page.locator('.statusbar-item', { hasText: 'Server Action Guard: starting…' }).waitFor({ timeout: 60000 }),
        serverActions.getByText('Analysing Server Actions…').waitFor({ timeout: 60000 }),
      ]);
      await filtered.waitFor({ timeout: 60000 });
      await panelRow('app/admin').waitFor({ timeout: STEP_TIMEOUT });
      await clickViewAction('Show All Actions');
      await filtered.waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
      // The second start of the server, with the compile cache the first one left.
      const second = await poll(
        'the second startup profile',
        () => {
          const profiles = outputChannelLines(logs).filter((line) => line.includes('Startup (ms'));
          return { done: profiles.length > profilesBefore, seen: profiles };
        },
        { timeoutMs: 10000, quiet: true },
      ).catch(() => []);
      if (second.length > profilesBefore) console.log(`  [ui] after the reload: ${second.at(-1).replace(/^\S+ \S+ /, '').slice(0, 300)}`);
    });
  } finally {
    await browser.close();
  }
  return results;
}
