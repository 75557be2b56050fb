// Which runtime, engine and CPU this is: every result and figure carries it.

/** What the runtime and the build were: enough to reproduce and to label figures. */
export interface EnvironmentFacts {
  /** node, deno, bun or browser. */
  runtime: string;
  runtimeVersion: string;
  /** JavaScript engine and its version, e.g. "V8 11.3.244.8-node.33". */
  engine: string;
  cpu: string;
  platform: string;
}

declare const Deno: { version: { deno: string; v8: string } } | undefined;
interface UserAgentData {
  getHighEntropyValues(hints: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[] }>;
}
declare const navigator: { userAgent: string; hardwareConcurrency?: number; userAgentData?: UserAgentData } | undefined;

export async function environmentFacts(): Promise<EnvironmentFacts> {
  const g = globalThis as { process?: { versions?: Record<string, string>; platform?: string; arch?: string } };
  const versions = g.process?.versions ?? {};
  let cpu = 'unknown';
  let platform = 'unknown';
  try {
    const os = await import('node:os');
    const cpus = os.cpus(); // once: each call reads /proc
    cpu = `${cpus[0]?.model ?? 'unknown'} x ${cpus.length}`;
    platform = `${os.platform()} ${os.arch()}`;
  } catch {
    if (typeof navigator !== 'undefined') {
      cpu = `${navigator.hardwareConcurrency ?? '?'} logical cores`;
      platform = navigator.userAgent;
    }
  }
  if (typeof Deno !== 'undefined') return { runtime: 'deno', runtimeVersion: Deno.version.deno, engine: `V8 ${Deno.version.v8}`, cpu, platform };
  if (versions.bun) return { runtime: 'bun', runtimeVersion: versions.bun, engine: `JavaScriptCore ${versions.webkit ?? ''}`.trim(), cpu, platform };
  if (versions.node) return { runtime: 'node', runtimeVersion: versions.node, engine: `V8 ${versions.v8}`, cpu, platform };
  const ua = typeof navigator !== 'undefined' ? navigator.userAgent : 'unknown';
  const chrome = /Chrom(?:e|ium)\/([\d.]+)/.exec(ua);
  const version = chrome ? ((await fullChromiumVersion()) ?? chrome[1]) : undefined;
  return { runtime: 'browser', runtimeVersion: version ? `Chromium ${version}` : ua, engine: version ? `V8 (Chromium ${version})` : 'unknown', cpu, platform };
}

/**
 * The full version (e.g. 150.0.7871.114): the user agent string is reduced to
 * "150.0.0.0", the full one comes from User-Agent Client Hints where the
 * browser has them (Chromium-based, secure contexts such as localhost).
 */
async function fullChromiumVersion(): Promise<string | undefined> {
  try {
    const data = await navigator?.userAgentData?.getHighEntropyValues(['fullVersionList']);
    const list = data?.fullVersionList ?? [];
    return (list.find((b) => b.brand === 'Chromium') ?? list.find((b) => /Chrome/.test(b.brand)))?.version;
  } catch {
    return undefined;
  }
}
