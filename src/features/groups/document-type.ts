import { sniffImage } from '#src/platform/storage/image-type.ts';

// What an uploaded paper really is, from its bytes (never its name or the type the browser
// claimed): PDF, Word (.docx and the older .doc), OpenDocument text, or an image. Anything else is
// refused, so a renamed program or web page never reaches a member's computer from us.
export type DocumentKind = { ext: 'pdf' | 'docx' | 'doc' | 'odt' | 'jpg' | 'png' | 'gif' | 'webp'; contentType: string };

const startsWith = (buf: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ODT_MIME = 'application/vnd.oasis.opendocument.text';

export function sniffDocument(buf: Buffer): DocumentKind | null {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return { ext: 'pdf', contentType: 'application/pdf' };
  if (startsWith(buf, OLE2)) return { ext: 'doc', contentType: 'application/msword' };
  if (startsWith(buf, ZIP)) {
    // An OpenDocument file starts with an uncompressed "mimetype" entry naming its kind.
    if (buf.subarray(30, 38).toString('latin1') === 'mimetype' && buf.subarray(38, 38 + ODT_MIME.length).toString('latin1') === ODT_MIME)
      return { ext: 'odt', contentType: ODT_MIME };
    // A Word file's entry names are stored as plain text in the archive.
    if (buf.includes('[Content_Types].xml') && buf.includes('word/'))
      return { ext: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' };
    return null;
  }
  return sniffImage(buf);
}
