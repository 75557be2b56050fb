// The JSONL file of a run on disk: created (refusing to clobber one unless
// forced), or reopened to continue it. Each line goes out in one write, so a
// kill at any moment leaves at most one cut last line, which readers drop.
import { openSync, writeSync, closeSync, truncateSync, existsSync } from 'node:fs';
import { UsageError } from '../config/validate.js';
import { linesOf } from './lines.js';
import { encodeRecordLine, LineBuffer } from './record-line.js';
import type { PackedRecord } from './types.js';
import { createReadStream } from 'node:fs';

const errText = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

export class OutFile {
  /** The bytes of the line being written (kept: the next line reuses them). */
  private readonly line = new LineBuffer();

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

  /** One line (the header), in one write. */
  write(text: string): void {
    this.line.length = 0;
    this.line.put(text + '\n');
    this.writeBytes(this.line.bytes, this.line.length);
  }

  /** A replicate's line, encoded from its packed record into the reused buffer, in one write. */
  writeRecord(r: PackedRecord): void {
    encodeRecordLine(r, this.line);
    this.line.put('\n');
    this.writeBytes(this.line.bytes, this.line.length);
  }

  /** A line already encoded (a record copied from another file, by merge), in one write. */
  writeLine(bytes: Uint8Array): void {
    const n = bytes.length + 1;
    if (this.line.bytes.length < n) this.line.bytes = Buffer.allocUnsafe(n);
    this.line.bytes.set(bytes, 0);
    this.line.bytes[bytes.length] = 10;
    this.writeBytes(this.line.bytes, n);
  }

  /** Looped only if the system writes part of it. */
  private writeBytes(bytes: Buffer, n: number): void {
    let off = 0;
    while (off < n) off += writeSync(this.fd!, bytes, off, n - off);
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
  } catch (e) {
    // a directory, a file without read permission: said as the readers say it
    if ((e as NodeJS.ErrnoException).code && !(e instanceof UsageError)) throw new UsageError(`--resume: cannot read ${path} (${errText(e)})`);
    throw e;
  } finally {
    stream.destroy();
  }
}
