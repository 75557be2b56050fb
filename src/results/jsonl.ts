// A run as JSONL: one header line (config, environment, kernel build), then one
// line per replicate as it finishes, so that an interrupted run keeps what it
// did. `show` and `--resume` rebuild the summary from the file alone, reading
// it as a stream (a file of any size, in bounded memory).
import { createReadStream } from 'node:fs';
import type { ReplicateRecord, RunHeader } from './types.js';
import { UsageError } from '../config/validate.js';
import { SummaryBuilder, type SummaryFamily } from './summary.js';
import { linesOf } from './lines.js';
import { parseRecordBytes } from './record-bytes.js';
import type { PackedRecord } from './types.js';

export interface RunFileContents {
  header: RunHeader;
  /** Every complete replicate of the file, added. */
  builder: SummaryBuilder;
  /** Said in the summary's warnings (e.g. a cut last line). */
  notes: string[];
  /** Bytes of the file up to the end of its last complete line (what --resume keeps). */
  completeBytes: number;
  /** True when the last complete line has no newline (--resume adds one). */
  needsNewline: boolean;
}

/** Lines from this long are read from their bytes when they can be. */
const LONG_LINE_BYTES = 1 << 16;

/** A line of white space only. */
const BLANK = /^\s*$/;

/** Says what a summary is for: `run --json` printed it, and JSONL is what `--out` writes. */
const SUMMARY_NOT_RUN = "a collapse-bench summary (what run --json prints), not a run's JSONL; show, report, export, merge and --resume read the file run --out FILE.jsonl writes";

function checkHeader(h: RunHeader | undefined, at: string): RunHeader {
  if (h?.tool === 'collapse-bench' && h.kind === undefined && 'replicatesCompleted' in h) throw new UsageError(`${at}: ${SUMMARY_NOT_RUN}`);
  if (h?.kind !== 'header' || h.tool !== 'collapse-bench') throw new UsageError(`${at}: not a collapse-bench run header`);
  if (h.format !== 1) throw new UsageError(`${at}: format ${h.format} is not supported; this version reads format 1`);
  if (!Number.isInteger(h.config?.replicates) || !Array.isArray(h.recorded)) throw new UsageError(`${at}: the header has no config or recorded generations`);
  return h;
}

/**
 * The header's family from the caller's `familyFor`, which checks the header
 * against it (src/families/header.ts): its refusal is said at the header's line.
 */
function headerFamily<F>(familyFor: (header: RunHeader) => F, header: RunHeader, at: string): F {
  try {
    return familyFor(header);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${at}: ${e.message}`);
    throw e;
  }
}

/** A first line `{` alone: JSON written over many lines (run --json's summary, when the next line names the tool). */
function multiLineJson(first: string, second: string | undefined, at: string): UsageError | undefined {
  if (first.trim() !== '{' && first.trim() !== '[') return undefined;
  if (second !== undefined && /^\s*"tool":\s*"collapse-bench",?\s*$/.test(second)) return new UsageError(`${at}: ${SUMMARY_NOT_RUN}`);
  return new UsageError(`${at}: JSON written over several lines, not JSONL (one JSON object per line, as run --out FILE.jsonl writes)`);
}

/**
 * Reads a run from a stream of bytes. Rejects (UsageError) a second header,
 * a non-JSON line that is not the last, a record that is not a replicate, a
 * duplicate or out-of-range replicate index, metrics that do not fit the
 * header; a last line that is not JSON is a cut write: it is dropped and said.
 */
/**
 * Called with each replicate after it joined the summary, with its line's
 * bytes (valid during the call only): merge copies them, export reads the values.
 */
export type OnRecord = (record: ReplicateRecord | PackedRecord, bytes: Buffer, header: RunHeader) => void;

/** `familyFor` gives the header's family and checks the header against it (src/families/header.ts: familyOfHeader), throwing UsageError naming the field. */
export async function readRun(chunks: AsyncIterable<Uint8Array | string>, source: string, familyFor: (header: RunHeader) => SummaryFamily, onRecord?: OnRecord): Promise<RunFileContents> {
  let header: RunHeader | undefined;
  let builder: SummaryBuilder | undefined;
  let bad: { number: number; text: string } | undefined;
  let completeBytes = 0;
  let needsNewline = false;
  for await (const line of linesOf(chunks)) {
    // a replicate line as the writer makes it is read from its bytes (no string of tens of MB, no boxed numbers)
    // (short lines: JSON.parse is faster, and its garbage small)
    let value: unknown = header && line.bytes.length >= LONG_LINE_BYTES ? parseRecordBytes(line.bytes) : undefined;
    if (value === undefined) {
      if (BLANK.test(line.text)) continue;
    }
    // a bad line is an error only once another line follows it
    if (bad) throw multiLineJson(bad.text, line.text, `${source}:${bad.number}`) ?? new UsageError(`${source}:${bad.number}: not valid JSON (and not the last line, so not a cut write)`);
    if (value === undefined) {
      try {
        value = JSON.parse(line.text);
      } catch {
        bad = { number: line.number, text: header ? '' : line.text };
        continue;
      }
    }
    const at = `${source}:${line.number}`;
    if (!header) {
      header = checkHeader(value as RunHeader, at);
      builder = new SummaryBuilder(header, headerFamily(familyFor, header, at));
    } else {
      const r = value as ReplicateRecord | PackedRecord;
      if ((r as { kind?: string })?.kind === 'header') throw new UsageError(`${at}: a second header line: two runs in one file (concatenated?); show reads one run`);
      if (r?.kind !== 'replicate' || typeof r.digest !== 'string' || typeof r.metrics !== 'object' || !Array.isArray(r.events)) throw new UsageError(`${at}: not a replicate record`);
      const why = builder!.reject(r);
      if (why) throw new UsageError(`${at}: ${why}`);
      builder!.add(r);
      onRecord?.(r, line.bytes, header);
    }
    completeBytes = line.end;
    needsNewline = !line.terminated;
  }
  if (!header) {
    if (bad) throw multiLineJson(bad.text, undefined, `${source}:${bad.number}`) ?? new UsageError(`${source}:${bad.number}: not valid JSON, so not a collapse-bench run header`);
    throw new UsageError(`${source}: empty file; expected a collapse-bench JSONL run`);
  }
  const notes = bad ? [`${source}: the last line (line ${bad.number}) is cut short (an interrupted write); it is left out, the ${builder!.count} complete replicates before it are kept`] : [];
  return { header, builder: builder!, notes, completeBytes, needsNewline };
}

/** readRun() over a file; a file that cannot be opened is a UsageError naming it and the option or command (`by`) that gave it. */
export async function readRunFile(path: string, familyFor: (header: RunHeader) => SummaryFamily, by = 'show', onRecord?: OnRecord): Promise<RunFileContents> {
  const stream = createReadStream(path, { highWaterMark: 1 << 18 });
  try {
    return await readRun(stream, path, familyFor, onRecord);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && !(e instanceof UsageError)) throw new UsageError(`${by}: cannot read ${path} (${code})`);
    throw e;
  } finally {
    stream.destroy();
  }
}

/** The header of a run file alone (its first line), checked (against its family by `familyFor`); `by` names the command in messages. */
export async function readHeader(path: string, by: string, familyFor: (header: RunHeader) => unknown): Promise<RunHeader> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  try {
    const notHeader = (text: string, next: string | undefined, at: string) => multiLineJson(text, next, at) ?? new UsageError(`${at}: not valid JSON, so not a collapse-bench run header`);
    // a bad first line is judged with the next one (run --json's summary is JSON over many lines)
    let bad: { text: string; at: string } | undefined;
    for await (const line of linesOf(stream)) {
      if (BLANK.test(line.text)) continue;
      if (bad) throw notHeader(bad.text, line.text, bad.at);
      let value: unknown;
      const at = `${path}:${line.number}`;
      try {
        value = JSON.parse(line.text);
      } catch {
        bad = { text: line.text, at };
        continue;
      }
      const header = checkHeader(value as RunHeader, at);
      headerFamily(familyFor, header, at);
      return header;
    }
    if (bad) throw notHeader(bad.text, undefined, bad.at);
    throw new UsageError(`${path}: empty file; expected a collapse-bench JSONL run`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && !(e instanceof UsageError)) throw new UsageError(`${by}: cannot read ${path} (${code})`);
    throw e;
  } finally {
    stream.destroy();
  }
}
