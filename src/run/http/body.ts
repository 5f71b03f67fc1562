import { Readable, Transform, pipeline } from 'node:stream';
import { TextDecoder } from 'node:util';
import zlib from 'node:zlib';

/**
 * Reads a response body with a byte cap that applies to what the caller would
 * hold in memory: the decoded bytes, not the wire bytes. A gzip bomb is small
 * on the wire, so counting only compressed bytes would let it through.
 */

export type BodyRead =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'too-large'; limit: number }
  | { ok: false; reason: 'encoding'; message: string };

/** More layers than this is not a real server, it is an attack on the decoder. */
const MAX_ENCODING_LAYERS = 3;

export function parseContentEncoding(header: string | undefined): { ok: true; layers: string[] } | { ok: false; message: string } {
  if (!header) return { ok: true, layers: [] };
  const layers = header
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && s !== 'identity');
  if (layers.length > MAX_ENCODING_LAYERS) return { ok: false, message: `response uses ${layers.length} stacked content encodings (at most ${MAX_ENCODING_LAYERS} accepted)` };
  for (const l of layers) {
    if (!decoderFor(l)) return { ok: false, message: `response uses unsupported content encoding "${l.slice(0, 40)}"` };
  }
  return { ok: true, layers };
}

function decoderFor(encoding: string): Transform | undefined {
  // Servers are sloppy about trailing bytes and flushes; tolerate them as curl does.
  const lenient = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(lenient);
    case 'deflate':
      // "deflate" is zlib-wrapped by the spec but raw in some servers; Unzip sniffs zlib/gzip headers.
      return zlib.createUnzip(lenient);
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

export interface ReadBodyOptions {
  body: Readable;
  /** Content-Encoding layers in the order they were applied (decoded last to first). */
  layers: string[];
  maxBytes: number;
}

export async function readBody(opts: ReadBodyOptions): Promise<BodyRead> {
  const { body, layers, maxBytes } = opts;
  // Most answers are not encoded: read them straight, without a pipeline of transforms.
  if (layers.length === 0) return readPlain(body, maxBytes);
  const decoders = layers
    .slice()
    .reverse()
    .map((l) => decoderFor(l))
    .filter((d): d is Transform => d !== undefined);
  const wireCounter = capCounter(maxBytes);
  // The wire counter caps compressed input as well, so a huge compressed body stops early too.
  const out = pipeline([body, wireCounter.stream, ...decoders], noop) as unknown as Readable;

  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of out as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        destroyAll(body, decoders);
        return { ok: false, reason: 'too-large', limit: maxBytes };
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (wireCounter.exceeded) return { ok: false, reason: 'too-large', limit: maxBytes };
    // No bytes on the wire is an empty body under any encoding (a 204-style answer with
    // Content-Encoding: br); brotli, unlike gzip's lenient flush, calls empty input truncated.
    if (decoders.length > 0 && isZlibError(err) && wireCounter.seen === 0) return { ok: true, bytes: Buffer.alloc(0) };
    if (decoders.length > 0 && isZlibError(err)) {
      destroyAll(body, decoders);
      return { ok: false, reason: 'encoding', message: `could not decode ${layers.join(', ')} response body` };
    }
    throw err;
  }
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}

function noop(): void {
  // pipeline's callback: errors surface through the async iterator instead.
}

function destroyAll(body: Readable, decoders: Transform[]): void {
  for (const d of decoders) d.destroy();
  body.destroy();
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

class TooLargeError extends Error {
  constructor() {
    super('response body over the size cap');
  }
}

function capCounter(maxBytes: number): { stream: Transform; readonly exceeded: boolean; readonly seen: number } {
  let seen = 0;
  let exceeded = false;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > maxBytes) {
        exceeded = true;
        cb(new TooLargeError());
        return;
      }
      cb(null, chunk);
    },
  });
  return {
    stream,
    get exceeded() {
      return exceeded;
    },
    get seen() {
      return seen;
    },
  };
}

/** Decodes with the charset the server declared; unknown labels fall back to UTF-8. */
export function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const m = /charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  const label = m?.[1]?.toLowerCase() ?? 'utf-8';
  if (label === 'utf-8' || label === 'utf8') return utf8(bytes);
  let decoder = decoders.get(label);
  if (!decoder) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      return utf8(bytes);
    }
    decoders.set(label, decoder);
  }
  return decoder.decode(bytes);
}

const decoders = new Map<string, TextDecoder>();

/** As TextDecoder('utf-8') decodes: a leading BOM dropped, invalid sequences as U+FFFD. */
function utf8(bytes: Buffer): string {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return (bom ? bytes.subarray(3) : bytes).toString('utf8');
}

async function readPlain(body: Readable, maxBytes: number): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      return { ok: false, reason: 'too-large', limit: maxBytes };
    }
    chunks.push(chunk);
  }
  return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
}
