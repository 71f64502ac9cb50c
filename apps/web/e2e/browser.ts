import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: inject('baseUrl') });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

const shotsDir = path.resolve(import.meta.dirname, '../../../test-results');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`) });
}

/** Every Content-Security-Policy violation the page reports in its console, from now on. */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
  });
  return violations;
}

export const DEMO_PASSWORD = 'engage-demo';

/** A popup (toast) at the bottom right that contains `text`. */
export function toast(page: Page, text: string | RegExp) {
  return page.locator('.mantine-Notification-root').filter({ hasText: text });
}

/**
 * Signs in with the demo password and waits until the app has left the login page, or for the
 * given landing page (managers and admins land on the live floor, agents in the Call Center).
 */
export async function signIn(page: Page, email: string, landing?: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  if (landing === undefined) await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  else await page.waitForURL(landing);
}

/** A request from the page, with its session (same origin), answering the parsed JSON. */
export async function pageCall(page: Page, method: string, url: string, body?: unknown): Promise<any> {
  const res = await page.evaluate(
    async ([m, u, b]) => {
      const r = await fetch(u, {
        method: m,
        headers: b === undefined ? {} : { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: r.status, text: await r.text() };
    },
    [method, url, body] as const,
  );
  expect(res.status, `${method} ${url}: ${res.text}`).toBeLessThan(300);
  return res.text === '' ? null : JSON.parse(res.text);
}
