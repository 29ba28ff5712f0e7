// SPDX-License-Identifier: Apache-2.0
// Shared set-up of the browser end-to-end tests (not a test file itself): starts the real
// `hoshitori serve --demo` binary and drives Debian's Chromium through playwright-core.
//
// Browser: /usr/bin/chromium (or $CHROMIUM), headless, with a fresh user-data dir per user.
// Server: $HOSHITORI_BIN (default ../build/release/src/app/hoshitori) on a free loopback port with a
// temporary --data-dir and --web-dir web/dist (run `npm run build` first; `npm run test:e2e` does).
// Screenshots and the server log go to $HOSHI_TEST_OUTPUT (default web/e2e/output).

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '..');
const repoDir = path.resolve(webDir, '..');
const bin = path.resolve(webDir, process.env.HOSHITORI_BIN ?? '../build/release/src/app/hoshitori');
const dist = path.join(webDir, 'dist');
export const outDir = path.resolve(process.env.HOSHI_TEST_OUTPUT ?? path.join(here, 'output'));
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'hoshitori-demo-2026';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** The server's base URL and the temporary root, set by useServer()'s `before` hook. */
export let baseUrl;
export let tmpRoot;
let server;
const contexts = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(url, child, deadlineMs) {
  const end = Date.now() + deadlineMs;
  let lastError;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`hoshitori exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
      lastError = new Error(`healthz ${res.status}`);
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 100)); // polling interval, not a wait for the app
  }
  throw new Error(`server not healthy in time: ${lastError}`);
}

/**
 * Registers the file's `before` (start the demo server) and `after` (close the browsers, stop the
 * server, remove the temporary files) hooks. `log` names the server log in the output directory.
 */
export function useServer({ log = 'server.log' } = {}) {
  before(async () => {
    assert.ok(fs.existsSync(bin), `hoshitori binary not found at ${bin} (set HOSHITORI_BIN)`);
    assert.ok(fs.existsSync(path.join(dist, 'index.html')), 'web/dist is missing: run `npm run build` first');
    assert.ok(fs.existsSync(chromiumPath), `${chromiumPath} not found: apt-get install -y chromium`);
    fs.mkdirSync(outDir, { recursive: true });
    tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshi-web-e2e-'));
    const dataDir = path.join(tmpRoot, 'data');
    fs.mkdirSync(dataDir);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const logFd = fs.openSync(path.join(outDir, log), 'w');
    server = spawn(
      bin,
      ['--data-dir', dataDir, 'serve', '--demo', '--listen', `127.0.0.1:${port}`, '--web-dir', dist],
      { cwd: repoDir, stdio: ['ignore', logFd, logFd] },
    );
    await waitForHealthy(baseUrl, server, 60_000);
    const index = await fetch(`${baseUrl}/`);
    assert.equal(index.status, 200, 'the server does not serve the web UI (is --web-dir supported?)');
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          server.kill('SIGKILL');
          resolve();
        }, 10_000);
        server.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (tmpRoot) fs.rmSync(tmpRoot, { recursive: true, force: true });
  });
}

/** A fresh browser profile (user-data dir); closed by the `after` hook if the test does not. */
export async function newContext(name, { width = 1280, height = 900, ...options } = {}) {
  const profile = fs.mkdtempSync(path.join(tmpRoot, `profile-${name}-`));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
    ...options,
  });
  contexts.push(ctx);
  return ctx;
}

/** A fresh browser profile for one demo user, logged in through the login page. */
export async function loginAs(user, { width = 1280, height = 900 } = {}) {
  const ctx = await newContext(user, { width, height, acceptDownloads: true, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  ctx.setDefaultTimeout(20_000);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('メールアドレス').fill(`${user}@demo.hoshitori.jp`);
  await page.getByLabel('パスワード').fill(PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await page.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
  return { ctx, page, errors };
}

/** A screenshot of the page (whole page unless `full` is false, for the very long ones). */
export async function shot(page, name, { full = true } = {}) {
  await page.evaluate(() => document.fonts?.ready);
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: full });
}

/** Every visible form control and button has an accessible name (label, aria-label or text). */
export async function assertLabelled(page) {
  const unnamed = await page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
      if (el.type === 'hidden' || el.offsetParent === null) continue;
      const named =
        (el.labels && el.labels.length > 0) ||
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') ||
        (el.tagName === 'BUTTON' || el.tagName === 'A' ? el.textContent.trim() : '');
      if (!named) bad.push(el.outerHTML.slice(0, 120));
    }
    return bad;
  });
  assert.deepEqual(unnamed, [], 'unlabelled controls');
}

/** No horizontal page scroll (tables scroll inside their box). */
export async function assertNoOverflow(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${what}: no horizontal page scroll (overflow ${overflow}px)`);
}

/** The page had no uncaught errors; closes the browser. */
export async function done(session) {
  assert.deepEqual(session.errors, [], 'no uncaught errors in the page');
  await session.ctx.close();
}
