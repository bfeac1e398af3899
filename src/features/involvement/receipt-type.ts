import { sniffImage } from '#src/platform/storage/image-type.ts';

// What an uploaded receipt really is, from its bytes (never its name or the type the browser
// claimed): a PDF or a photo (JPEG, PNG, WebP, GIF). Anything else is refused, so a renamed
// program or web page is never stored, nor later opened by finance staff.
export type ReceiptKind = { ext: 'pdf' | 'jpg' | 'png' | 'webp' | 'gif'; contentType: string };

export const MAX_RECEIPT_BYTES = 10 * 1024 * 1024;

export function sniffReceipt(buf: Buffer): ReceiptKind | null {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return { ext: 'pdf', contentType: 'application/pdf' };
  return sniffImage(buf);
}
