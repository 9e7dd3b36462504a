/**
 * The browser for the browser tests: Debian's `chromium` package, driven by playwright-core (whose own
 * browser download cannot reach its host here). `.ci/run` installs it; `CHROMIUM_PATH` points elsewhere.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Where Chromium is, or `undefined` when this machine has none. */
export function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return configured;
  return candidates.find((path) => existsSync(path));
}

/**
 * `describe` where Chromium is found, otherwise `describe.skip` after saying so on the console. In CI a
 * missing Chromium is an error, not a skip: `.ci/run` installs it, so its absence there is a broken step.
 */
export function describeInBrowser(): jest.Describe {
  if (findChromium()) return describe;
  const message = 'no Chromium found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH';
  if (process.env.CI) throw new Error(`The browser tests need Chromium in CI, and ${message}`);
  console.warn(`Skipping the browser tests: ${message}`);
  return describe.skip;
}

/**
 * Starts headless Chromium; the flags are the ones known to work in a container as root.
 * @example const browser = await launchChromium(); const page = await browser.newPage();
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
