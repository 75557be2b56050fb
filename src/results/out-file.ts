// The JSONL file of a run on disk: created (refusing to clobber one unless
// forced), or reopened to continue it. Each line goes out in one write, so a
// kill at any moment leaves at most one cut last line, which readers drop.
import { openSync, writeSync, closeSync, truncateSync, existsSync } from 'node:fs';
import { UsageError } from '../config/validate.js';
import { linesOf } from './lines.js';
import { createReadStream } from 'node:fs';

const errText = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

export class OutFile {
  /** The bytes of the line being written (kept: the next line reuses them). */
  private buf = Buffer.alloc(1 << 12);

  private constructor(private fd: number | undefined) {}

  /** A new file; an existing one only with `force` (then truncated). */
  static create(path: string, force: boolean): OutFile {
    try {
      return new OutFile(openSync(path, force ? 'w' : 'wx'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`--out: ${path} exists; add --force to overwrite it, or --resume ${path} to continue that run`);
      throw new UsageError(`--out: cannot write ${path} (${errText(e)})`);
    }
  }

  /** Reopens a run file to append after its first `keepBytes` bytes (a cut last line goes). */
  static append(path: string, keepBytes: number, needsNewline: boolean): OutFile {
    try {
      truncateSync(path, keepBytes);
      const f = new OutFile(openSync(path, 'a'));
      if (needsNewline) f.write('');
      return f;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--resume: cannot write ${path} (${errText(e)})`);
    }
  }

  /**
   * One line, in one write (looped only if the system writes part of it),
   * encoded into a buffer reused from line to line: a line of tens of MB
   * costs its string and these bytes, no further copy (no `text + '\n'`).
   */
  write(text: string): void {
    const bytes = Buffer.byteLength(text) + 1;
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(bytes, 2 * this.buf.length));
    this.buf.write(text, 0);
    this.buf[bytes - 1] = 10;
    let off = 0;
    while (off < bytes) off += writeSync(this.fd!, this.buf, off, bytes - off);
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }
}

/**
 * Whether `path` starts with a whole header line: a run killed before its
 * header was written leaves an empty file (or a cut first line), which
 * --resume starts afresh.
 */
export async function hasHeaderLine(path: string): Promise<boolean> {
  if (!existsSync(path)) throw new UsageError(`--resume: ${path} does not exist; start the run with --out ${path}`);
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  try {
    for await (const line of linesOf(stream)) {
      if (/^\s*$/.test(line.text)) continue;
      // only a cut header counts as no header: anything else is for the reader to judge
      return line.terminated || !line.text.startsWith('{"kind":"header"');
    }
    return false;
  } finally {
    stream.destroy();
  }
}
