// Starting Debian's Chromium for the browser tests, and the made-up client addresses each person and API client sends.
import { chromium } from 'playwright-core';

/** A made-up client address (a header value only) from the benchmarking range 198.18.0.0/15, new at each call. */
export function clientAddress() {
  const n = Math.floor(Math.random() * 131_072);
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  });
}
