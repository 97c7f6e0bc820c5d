// `npm run build:web`: builds the notebook and prints its sizes; fails over the JavaScript budget.
import { relative } from 'node:path';
import { buildWeb, JS_BUDGET_GZIP_BYTES, type WebBuild } from './build.js';
import { DIST_DIR } from './manifest.js';

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function describeBuild(build: WebBuild): string {
  const rows = build.assets.map(
    (a) => `  ${a.path.padEnd(40)} ${kib(a.bytes).padStart(10)}  ${kib(a.gzipBytes).padStart(10)} gzipped`,
  );
  const verdict = build.jsGzipBytes <= JS_BUDGET_GZIP_BYTES ? 'within' : 'OVER';
  return [
    `Built ${relative(process.cwd(), DIST_DIR)}:`,
    ...rows,
    `JavaScript: ${kib(build.jsGzipBytes)} gzipped, ${verdict} the ${kib(JS_BUDGET_GZIP_BYTES)} budget`,
  ].join('\n');
}

const build = await buildWeb();
process.stdout.write(`${describeBuild(build)}\n`);
if (build.jsGzipBytes > JS_BUDGET_GZIP_BYTES) process.exitCode = 1;
