// The shape of the code, checked: src/ imports only downward through its
// layers and never in a circle (.dependency-cruiser.cjs), and every family's
// buffer layout plans exactly the bytes it allocates.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { FAMILIES } from '../src/families/index.js';
import { loadBackend } from '../src/kernels/backend.js';
import { Arena } from '../src/kernels/arena.js';
import { POLICY_NAMES } from '../src/chain/policies.js';
import type { RawOptions } from '../src/config/validate.js';

const rules = createRequire(import.meta.url)('../.dependency-cruiser.cjs');

async function violations(dirs: string[], baseDir?: string): Promise<string[]> {
  const result = await cruise(dirs, { validate: true, ruleSet: rules, ...rules.options, ...(baseDir ? { baseDir } : {}) }, undefined, baseDir ? undefined : { tsConfig: { fileName: 'tsconfig.json' } });
  const out = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe('layers', () => {
  it('src/ has no import cycle, no upward import and no family importing another', async () => {
    expect(await violations(['src'])).toEqual([]);
  }, 60_000);

  it('and the rules catch one: an upward import, a cycle and a family importing another, in a scratch tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layers-'));
    const file = (path: string, text: string) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    file('src/util/a.js', "import '../cli/b.js';\n");
    file('src/cli/b.js', 'export const b = 1;\n');
    file('src/chain/c.js', "import './d.js';\n");
    file('src/chain/d.js', "import './c.js';\n");
    file('src/families/x/e.js', "import '../y/f.js';\n");
    file('src/families/y/f.js', 'export const f = 1;\n');
    file('src/report/figures/g.js', "import 'node:fs';\n");
    const found = await violations(['src'], dir);
    expect(found).toContain('no-upward-from-util: src/util/a.js -> src/cli/b.js');
    expect(found.some((v) => v.startsWith('no-circular: src/chain/c.js'))).toBe(true);
    expect(found).toContain('no-family-to-family: src/families/x/e.js -> src/families/y/f.js');
    expect(found.some((v) => v.startsWith('figures-are-pure: src/report/figures/g.js'))).toBe(true);
  }, 60_000);
});

/** A small config of each family under every policy. */
const SMALL: Record<string, RawOptions> = {
  gaussian: { dim: 2, samples: 20, generations: 5, replicates: 1 },
  categorical: { states: 7, samples: 30, generations: 5, replicates: 1 },
  gmm: { samples: 40, generations: 3, replicates: 1, holdout: 20 },
  kde: { samples: 30, generations: 4, replicates: 1, holdout: 20 },
  regression: { dim: 3, points: 20, generations: 5, replicates: 1 },
  lm: { documents: 10, generations: 3, replicates: 1 },
  vae: { samples: 20, holdout: 5, hidden: 4, latent: 2, epochs: 1, batch: 8, 'iw-samples': 2, generations: 2, replicates: 1 },
};

describe('one buffer layout per family serves the memory plan and the allocation', () => {
  // lm and vae have no fresh real data (a corpus, the digits are finite): their resolve refuses --policy fresh
  const finite = ['lm', 'vae'];
  const cases = Object.keys(SMALL).flatMap((family) => POLICY_NAMES.filter((p) => !finite.includes(family) || p !== 'fresh').map((policy) => [family, policy] as const));
  it.each(cases)('%s --policy %s: planned bytes = allocated bytes', async (name, policy) => {
    const family = FAMILIES[name as keyof typeof FAMILIES];
    const extra: RawOptions = name === 'gaussian' && policy === 'accumulate-subsample' ? { schedule: 'linear' } : {};
    const { config } = family.resolve({ ...SMALL[name], ...extra, policy });
    const arena = new Arena(await loadBackend('wasm'));
    try {
      (family.createChain as (a: Arena, c: unknown) => unknown)(arena, config);
      expect(arena.used).toBe((family.plannedBytes as (c: unknown) => number)(config));
      expect(arena.used).toBeGreaterThan(0);
    } finally {
      arena.release();
    }
  });
});
