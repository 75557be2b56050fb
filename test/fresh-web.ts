// vitest globalSetup, after test/fresh-build.ts: the web page's static site
// (dist-web/, which test/web.test.ts serves) is rebuilt when its inputs
// changed (scripts/build-web.mjs keeps a stamp), so a clean clone's `npm test`
// works and no test sees an old page. SKIP_BUILD_CHECK=1 skips it too.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { staleWebReason } from '../scripts/build-web.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

export default function setup(): void {
  if (process.env.SKIP_BUILD_CHECK) return;
  const reason = staleWebReason();
  if (reason === null) return;
  process.stderr.write(`collapse-bench: the web page is out of date (${reason}); rebuilding with scripts/build-web.mjs\n`);
  const r = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the web build failed (exit ${r.status ?? r.signal}); fix it and run npm run build:web`);
}
