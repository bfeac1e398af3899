import { inflateSync } from 'node:zlib';

// The text of a PDF, page by page, as far as a small reader can tell, so reviewers can read and
// comment on it in the browser (the PDF itself is offered as a download). It reads objects (also
// those packed in object streams), inflates FlateDecode streams, follows the page tree to each
// page's content streams and collects the strings shown by the Tj, TJ, ' and " operators. It does
// not read fonts' own encodings (a PDF whose text is in glyph numbers gives no text), nor scanned
// pages (images). Whatever it cannot read it leaves out; it never throws on a broken file.

type PdfObject = { dict: string; stream: Buffer | null };

export const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

// A stream's bytes, decoded when it is FlateDecode (or not compressed); null for other filters.
function decodeStream(dict: string, raw: Buffer): Buffer | null {
  const filter = /\/Filter\s*(\[[^\]]*\]|\/\w+)/.exec(dict)?.[1];
  if (!filter) return raw;
  const names = filter.match(/\/\w+/g) ?? [];
  if (names.length !== 1 || (names[0] !== '/FlateDecode' && names[0] !== '/Fl')) return null;
  try {
    return inflateSync(raw, { finishFlush: 2 /* Z_SYNC_FLUSH: a truncated stream still gives what it has */ });
  } catch {
    return null;
  }
}

// Every `n 0 obj … endobj` in the file, by number (the last one written wins, as in an update).
// A stream's end is found from its /Length when that is a plain number and lands on `endstream`,
// else by looking for `endstream`, so binary data that happens to hold "endobj" is read whole.
function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+)\s+\d+\s+obj\b/g;
  for (let m = header.exec(text); m; m = header.exec(text)) {
    const start = m.index + m[0].length;
    let end = text.indexOf('endobj', start);
    if (end === -1) break;
    const streamAt = text.slice(start, end).search(/stream\r?\n/);
    let stream: Buffer | null = null;
    let dict = text.slice(start, end);
    if (streamAt !== -1) {
      dict = text.slice(start, start + streamAt);
      const dataStart = start + streamAt + (text[start + streamAt + 6] === '\r' ? 8 : 7);
      const length = Number(/\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict)?.[1] ?? NaN);
      const byLength = Number.isFinite(length) && /^\s*endstream/.test(text.slice(dataStart + length, dataStart + length + 12));
      const dataEnd = byLength ? dataStart + length : text.indexOf('endstream', dataStart);
      if (dataEnd === -1) break;
      const raw = pdf.subarray(dataStart, dataEnd);
      stream = decodeStream(dict, byLength ? raw : trimEol(raw));
      end = text.indexOf('endobj', dataEnd);
      if (end === -1) end = text.length;
    }
    objects.set(Number(m[1]), { dict, stream });
    header.lastIndex = end;
  }
  unpackObjectStreams(objects);
  return objects;
}

const trimEol = (b: Buffer) => {
  let end = b.length;
  while (end > 0 && (b[end - 1] === 0x0a || b[end - 1] === 0x0d)) end--;
  return b.subarray(0, end);
};

// PDF 1.5 packs objects (page dictionaries among them) into compressed object streams.
function unpackObjectStreams(objects: Map<number, PdfObject>) {
  for (const o of [...objects.values()]) {
    if (!/\/Type\s*\/ObjStm/.test(o.dict) || !o.stream) continue;
    const n = Number(/\/N\s+(\d+)/.exec(o.dict)?.[1] ?? 0);
    const first = Number(/\/First\s+(\d+)/.exec(o.dict)?.[1] ?? 0);
    const text = o.stream.toString('latin1');
    const pairs = text.slice(0, first).trim().split(/\s+/).map(Number);
    for (let i = 0; i < n && i * 2 + 1 < pairs.length; i++) {
      const num = pairs[i * 2]!;
      const from = first + pairs[i * 2 + 1]!;
      const to = i + 1 < n && i * 2 + 3 < pairs.length ? first + pairs[i * 2 + 3]! : text.length;
      if (!objects.has(num)) objects.set(num, { dict: text.slice(from, to), stream: null });
    }
  }
}

const refs = (s: string) => [...s.matchAll(/(\d+)\s+\d+\s+R/g)].map((m) => Number(m[1]));
const isPage = (dict: string) => /\/Type\s*\/Page(?![a-zA-Z])/.test(dict);

// The pages in reading order: down the page tree from the catalogue, else in file order.
function pagesOf(objects: Map<number, PdfObject>): PdfObject[] {
  const catalogue = [...objects.values()].find((o) => /\/Type\s*\/Catalog\b/.test(o.dict));
  const root = catalogue && /\/Pages\s+(\d+)\s+\d+\s+R/.exec(catalogue.dict)?.[1];
  const pages: PdfObject[] = [];
  const seen = new Set<number>();
  const walk = (num: number) => {
    const o = objects.get(num);
    if (!o || seen.has(num) || seen.size > 100_000) return;
    seen.add(num);
    if (isPage(o.dict)) pages.push(o);
    else for (const kid of refs(/\/Kids\s*\[([^\]]*)\]/.exec(o.dict)?.[1] ?? '')) walk(kid);
  };
  if (root) walk(Number(root));
  return pages.length ? pages : [...objects.values()].filter((o) => isPage(o.dict));
}

function contentsOf(page: PdfObject, objects: Map<number, PdfObject>): Buffer[] {
  const contents = /\/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)/.exec(page.dict)?.[1] ?? '';
  const streams: Buffer[] = [];
  for (const num of refs(contents)) {
    const o = objects.get(num);
    if (o?.stream) streams.push(o.stream);
    // A reference to an array of streams.
    else if (o) for (const inner of refs(o.dict)) if (objects.get(inner)?.stream) streams.push(objects.get(inner)!.stream!);
  }
  return streams;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };

// A literal string `( … )` from `at` (just after the opening bracket): its text and where it ends.
function literalString(s: string, at: number): [string, number] {
  let out = '';
  let depth = 1;
  let i = at;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const next = s[i + 1] ?? '';
      const octal = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))?.[0];
      if (octal) {
        out += String.fromCharCode(parseInt(octal, 8));
        i += octal.length;
      } else if (next === '\r' || next === '\n') i += s[i + 2] === '\n' && next === '\r' ? 2 : 1;
      else {
        out += ESCAPES[next] ?? next;
        i++;
      }
    } else if (c === '(') {
      depth++;
      out += c;
    } else if (c === ')') {
      if (--depth === 0) break;
      out += c;
    } else out += c;
  }
  return [out, i + 1];
}

function hexString(hex: string): string {
  const digits = hex.replace(/[^0-9a-fA-F]/g, '');
  const padded = digits.length % 2 ? `${digits}0` : digits;
  // Two bytes a character (a UTF-16 string with its byte order mark); else one byte a character.
  if (padded.toLowerCase().startsWith('feff')) return Buffer.from(padded.slice(4), 'hex').swap16().toString('utf16le');
  return Buffer.from(padded, 'hex').toString('latin1');
}

// The text a page's content stream shows, a line for each move down the page.
export function contentText(content: string): string {
  let out = '';
  const operands: (string | number | (string | number)[])[] = [];
  let array: (string | number)[] | null = null;
  const newline = () => {
    if (out && !out.endsWith('\n')) out += '\n';
  };
  const push = (v: string | number) => (array ? array.push(v) : operands.push(v));
  const token = /\s*(?:(\()|<([0-9a-fA-F\s]*)>|(\[)|(\])|(-?\d*\.?\d+)|(\/[^\s/[\]()<>{}%]*)|(<<|>>)|%[^\n\r]*|([A-Za-z'"*]+\d?\*?))/y;
  for (let i = 0; i < content.length;) {
    token.lastIndex = i;
    const m = token.exec(content);
    if (!m || m[0].length === 0) {
      i++;
      continue;
    }
    i = token.lastIndex;
    if (m[1]) {
      const [str, end] = literalString(content, i);
      push(str);
      i = end;
    } else if (m[2] !== undefined) push(hexString(m[2]));
    else if (m[3]) array = [];
    else if (m[4]) {
      if (array) operands.push(array);
      array = null;
    } else if (m[5]) push(Number(m[5]));
    else if (m[8]) {
      const op = m[8];
      const last = operands[operands.length - 1];
      if (op === 'Tj' && typeof last === 'string') out += last;
      else if ((op === "'" || op === '"') && typeof last === 'string') {
        newline();
        out += last;
      } else if (op === 'TJ' && Array.isArray(last))
        for (const part of last) out += typeof part === 'string' ? part : part < -200 && !out.endsWith(' ') ? ' ' : '';
      else if (op === 'T*') newline();
      else if ((op === 'Td' || op === 'TD') && typeof operands[1] === 'number' && operands[1] !== 0) newline();
      else if (op === 'Tm' || op === 'ET') newline();
      operands.length = 0;
    }
  }
  return out;
}

// Text worth showing: printable, with a sensible share of letters (a font's glyph numbers read as
// Latin-1 are mostly control characters).
function readable(text: string): string {
  const cleaned = text
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (!cleaned) return '';
  // eslint-disable-next-line no-control-regex
  const junk = (cleaned.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g) ?? []).length;
  const letters = (cleaned.match(/\p{L}/gu) ?? []).length;
  // eslint-disable-next-line no-control-regex
  return junk > cleaned.length / 10 || letters < cleaned.length / 4 ? '' : cleaned.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

// The readable text of each page, in order (pages with none included as ''), or [] when the
// file's pages cannot be told apart but some text can be read (then `whole` has it).
export function extractPdfText(pdf: Buffer): { pages: string[]; whole: string } {
  try {
    const objects = readObjects(pdf);
    const pages = pagesOf(objects).map((p) =>
      readable(
        contentsOf(p, objects)
          .map((s) => contentText(s.toString('latin1')))
          .join('\n'),
      ),
    );
    if (pages.length) return { pages, whole: pages.filter(Boolean).join('\n\n') };
    const whole = readable(
      [...objects.values()]
        .filter((o) => o.stream && /\b(Tj|TJ)\b/.test(o.stream.toString('latin1')))
        .map((o) => contentText(o.stream!.toString('latin1')))
        .join('\n'),
    );
    return { pages: [], whole };
  } catch {
    return { pages: [], whole: '' };
  }
}
