// The CPU the bench records name: the widest vector extension from
// /proc/cpuinfo's flags, which moves the peers' ratios (a VM's model name,
// "AMD EPYC", does not say it).
import { describe, expect, it } from 'vitest';
import { cpuDescription, vectorExtension } from '../bench/machine.js';

const cpuinfo = (flags: string) => `processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: ${flags}\nbugs\t\t: sysret_ss_attrs\n`;

describe('vectorExtension', () => {
  it('names the widest of AVX-512, AVX2 and AVX among the flags', () => {
    expect(vectorExtension(cpuinfo('fpu sse2 avx avx2 avx512f avx512bw avx512vl'))).toBe('AVX-512');
    expect(vectorExtension(cpuinfo('fpu sse2 avx avx2 fma'))).toBe('AVX2');
    expect(vectorExtension(cpuinfo('fpu sse2 avx'))).toBe('AVX');
  });
  it('says nothing without those flags or without /proc/cpuinfo (not Linux, not x86)', () => {
    expect(vectorExtension(cpuinfo('fp asimd evtstrm aes'))).toBeUndefined();
    expect(vectorExtension('')).toBeUndefined();
  });
  it("this machine's description: model x cores, then the extension where known", () => {
    expect(cpuDescription()).toMatch(/^.+ x \d+(, AVX(-512|2)?)?$/);
  });
});
