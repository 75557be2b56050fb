// Lines of a byte stream, with the byte offset where each ends, without ever
// holding more than one line: a JSONL run may be gigabytes, one line tens of MB.
// A line within one chunk is decoded from the chunk itself; a line across
// chunks is gathered in one buffer, reused from line to line (it grows to the
// longest line), so a long line costs its bytes once, and its string only if asked for.

export interface Line {
  /** The line's bytes, without its newline: valid only until the next line is asked for. */
  readonly bytes: Buffer;
  /** The line decoded (on first use: a replicate line may be read from its bytes alone). */
  readonly text: string;
  /** 1-based line number. */
  number: number;
  /** Byte offset just after the line (and its newline, if it has one). */
  end: number;
  /** False for a last line without a newline (a write cut short, or a hand edit). */
  terminated: boolean;
}

/** A line; its text is decoded from its bytes when first asked for. */
function line(bytes: Buffer, number: number, end: number, terminated: boolean): Line {
  let text: string | undefined;
  return {
    bytes,
    number,
    end,
    terminated,
    get text() {
      // a line is decoded whole, so multi-byte characters cut across chunks come out right
      return (text ??= bytes.toString('utf8'));
    },
  };
}

export async function* linesOf(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Line> {
  // the start of a line cut by the end of a chunk: pending[0, held)
  let pending = Buffer.alloc(0);
  let held = 0;
  const hold = (part: Buffer): void => {
    if (held + part.length > pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(held + part.length, 2 * pending.length, 1 << 16));
      pending.copy(grown, 0, 0, held);
      pending = grown;
    }
    // a copy: the stream may reuse its buffer
    part.copy(pending, held);
    held += part.length;
  };
  let offset = 0;
  let number = 0;
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      offset += nl + 1 - start;
      let bytes: Buffer;
      if (held === 0) bytes = buf.subarray(start, nl);
      else {
        hold(buf.subarray(start, nl));
        bytes = pending.subarray(0, held);
        held = 0;
      }
      yield line(bytes, ++number, offset, true);
      start = nl + 1;
    }
    if (start < buf.length) {
      hold(buf.subarray(start));
      offset += buf.length - start;
    }
  }
  if (held) yield line(pending.subarray(0, held), ++number, offset, false);
}
