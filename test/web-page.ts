// What the web page's browser tests (web.test.ts, web-workers.test.ts) share:
// Chromium from Debian's package, the built page served statically, the CLI's
// digest to compare with, and the page's state and Cancel.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic } from './browser/server.js';
import { familyOf } from '../src/families/index.js';
import { runSimulation } from '../src/runner/run.js';
import type { RawOptions } from '../src/config/validate.js';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
export const root = new URL('..', import.meta.url).pathname;

/** The digest `collapse-bench run` prints for these options. */
export async function cliDigest(family: string, options: RawOptions): Promise<string> {
  const { config } = familyOf(family).resolve(options);
  return (await runSimulation(config)).summary.digest;
}

/** Waits until the page's body says it is in state `s` (idle, running, stopped, ...). */
export const pageState = (page: Page, s: string, timeout = 20_000) => page.waitForFunction((s) => document.body.dataset.state === s, s, { timeout });

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far. */
  errors: string[];
  /** The browser profile's directory (removed by close): room for downloads. */
  profile: string;
  close(): Promise<void>;
}

/**
 * The built page (dist-web/) under a sub-path of a static server, as on a
 * static host, in a fresh Chromium profile; `onPage` runs before the page
 * loads (to listen for its events).
 */
export async function openPage(o: { isolated?: boolean; downloads?: boolean; onPage?(page: Page): void } = {}): Promise<OpenPage> {
  const { server, url } = await serveStatic(root, o.isolated === false ? { isolated: false } : undefined);
  const profile = mkdtempSync(join(tmpdir(), 'collapse-web-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(o.downloads ? { acceptDownloads: true, viewport: { width: 1200, height: 1000 } } : {}),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  o.onPage?.(page);
  const close = async () => {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  await page.goto(`${url}/dist-web/index.html`);
  await pageState(page, 'idle', 30_000).catch(async () => {
    await close();
    throw new Error(`the page did not load: ${errors.join('; ')}`);
  });
  return { context, page, errors, profile, close };
}

/** Clicks Cancel and measures, in the page, the time from the click to the stopped state. */
export function cancelAndTime(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        new MutationObserver(() => document.body.dataset.state === 'stopped' && resolve(performance.now() - t0)).observe(document.body, { attributes: true });
        document.getElementById('stop')!.click();
      }),
  );
}

/** The replicates a cancelled run kept, from its status line. */
export const keptReplicates = (status: string): number => Number(/cancelled: (\d+) replicates kept/.exec(status)?.[1]);
