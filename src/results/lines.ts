// Lines of a byte stream, with the byte offset where each ends, without ever
// holding more than one line: a JSONL run may be gigabytes, one line tens of MB.
import { StringDecoder } from 'node:string_decoder';

export interface Line {
  text: string;
  /** 1-based line number. */
  number: number;
  /** Byte offset just after the line (and its newline, if it has one). */
  end: number;
  /** False for a last line without a newline (a write cut short, or a hand edit). */
  terminated: boolean;
}

export async function* linesOf(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Line> {
  let pieces: Buffer[] = [];
  let offset = 0;
  let number = 0;
  const decode = (parts: Buffer[]): string => {
    // a line is decoded whole, so multi-byte characters cut across chunks come out right
    const d = new StringDecoder('utf8');
    return parts.length === 1 ? d.end(parts[0]) : d.end(Buffer.concat(parts));
  };
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      pieces.push(buf.subarray(start, nl));
      offset += nl + 1 - start;
      yield { text: decode(pieces), number: ++number, end: offset, terminated: true };
      pieces = [];
      start = nl + 1;
    }
    if (start < buf.length) {
      // keep a copy: the stream may reuse its buffer
      pieces.push(Buffer.from(buf.subarray(start)));
      offset += buf.length - start;
    }
  }
  if (pieces.length) yield { text: decode(pieces), number: ++number, end: offset, terminated: false };
}
