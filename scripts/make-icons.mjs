// Renders public/favicon.svg's mark into the PNG icons the web manifest lists (run by hand when
// the mark changes; the PNGs are committed). Uses the system Chromium, like the tests.
import { readFileSync } from 'node:fs';
import { chromium } from '../tests/tools.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const svg = readFileSync(new URL('../public/favicon.svg', import.meta.url), 'utf8');
// A maskable icon keeps its mark inside the central 80% "safe zone", on a full-bleed background.
const maskable = svg
  .replace('rx="12"', 'rx="0"')
  .replace('<circle', '<g transform="translate(6.4 6.4) scale(0.8)"><circle')
  .replace('</svg>', '</g></svg>');

const targets = [
  { file: 'icon-192.png', size: 192, body: svg },
  { file: 'icon-512.png', size: 512, body: svg },
  { file: 'icon-maskable-512.png', size: 512, body: maskable },
  { file: 'apple-touch-icon.png', size: 180, body: maskable },
];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const page = await browser.newPage();
for (const { file, size, body } of targets) {
  await page.setViewportSize({ width: size, height: size });
  const html = `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${body}`;
  await page.setContent(html);
  await page.screenshot({ path: `public/icons/${file}`, omitBackground: true });
  console.log(`public/icons/${file}`);
}
await browser.close();
