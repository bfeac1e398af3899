import type { FieldErrors } from '#src/lib/forms.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { MAX_PDF_BYTES, type ReviewFields } from './commission-schema.ts';
import { extractPdfText, isPdf } from './document-pdf.ts';
import { splitMarkdownSections, textSection, type DocumentSection } from './document-sections.ts';
import type { ReviewRow, SectionRow } from './reviews-repository.ts';

const V = 'reviewCommission.admin.validation';
const D = 'reviewInvitations.document';

// The file as the upload route reads it.
export type UploadedFile = { filename: string; data: Buffer; truncated: boolean };
export const isUpload = (v: unknown): v is UploadedFile =>
  !!v && typeof v === 'object' && Buffer.isBuffer((v as UploadedFile).data) && (v as UploadedFile).data.length > 0;

// What the form's document fields come to: the review's columns about its document, its sections,
// and a PDF to store (when one was uploaded). `null` sections: keep the ones there are.
export type DocumentChange = {
  columns: { source: ReviewRow['source']; sourceUrl: string | null; documentName: string | null; documentBytes: number | null };
  sections: DocumentSection[] | null;
  pdf: { data: Buffer; name: string } | null;
};

// The name a PDF is downloaded as: what staff called it, with nothing odd in it.
const pdfName = (filename: string) =>
  `${
    (filename || 'document')
      .replace(/\.[^.]*$/, '')
      .replace(/[^\p{L}\p{N} ._-]/gu, '')
      .slice(0, 100) || 'document'
  }.pdf`;

// A PDF's sections: a page each when its pages can be told apart and some text read; one section
// with all the text when the pages cannot; one empty section "The whole document" when no text
// can be read (reviewers then comment on the document as a whole).
export function pdfSections(data: Buffer, tr: Translator): DocumentSection[] {
  const { pages, whole } = extractPdfText(data);
  if (pages.some(Boolean)) return pages.map((text, i) => textSection(tr.t(`${D}.page`, { number: i + 1 }), text));
  return [textSection(tr.t(`${D}.wholeDocument`), whole)];
}

// Reads the document part of the review form (the rest is commission-schema.ts). A PDF must be
// one (its bytes say so, never its name) and at most 20 MB; on a change without a new file, the
// stored PDF stays.
export function readDocument(
  v: ReviewFields,
  file: unknown,
  existing: ReviewRow | null,
  tr: Translator,
): { ok: true; value: DocumentChange } | { ok: false; errors: FieldErrors } {
  const none = { sourceUrl: null, documentName: null, documentBytes: null };
  if (v.source === 'markdown')
    return {
      ok: true,
      value: {
        columns: { source: 'markdown', ...none },
        sections: splitMarkdownSections(v.documentMarkdown!, tr.t(`${D}.introduction`)),
        pdf: null,
      },
    };
  if (v.source === 'web-page')
    return {
      ok: true,
      value: {
        columns: { source: 'web-page', ...none, sourceUrl: v.sourceUrl },
        sections: splitMarkdownSections(v.pageText!, tr.t(`${D}.introduction`), tr.t(`${D}.webPage`)),
        pdf: null,
      },
    };
  const upload = isUpload(file) ? file : null;
  if (!upload) {
    if (existing?.source === 'pdf' && existing.documentKey)
      return {
        ok: true,
        value: {
          columns: { source: 'pdf', ...none, documentName: existing.documentName, documentBytes: existing.documentBytes },
          sections: null,
          pdf: null,
        },
      };
    return { ok: false, errors: { file: msg(`${V}.file`) } };
  }
  if (upload.truncated || upload.data.length > MAX_PDF_BYTES) return { ok: false, errors: { file: msg(`${V}.fileTooLarge`, { max: 20 }) } };
  if (!isPdf(upload.data)) return { ok: false, errors: { file: msg(`${V}.fileType`) } };
  const name = pdfName(upload.filename);
  return {
    ok: true,
    value: {
      columns: { source: 'pdf', ...none, documentName: name, documentBytes: upload.data.length },
      sections: pdfSections(upload.data, tr),
      pdf: { data: upload.data, name },
    },
  };
}

// The Markdown to show in the form again, rebuilt from the sections (the Introduction without a
// heading, every other section under a level-two heading).
export function markdownFromSections(sections: SectionRow[], introduction: string): string {
  return sections
    .map((s, i) => (i === 0 && s.heading === introduction ? s.bodyMarkdown : `## ${s.heading}\n\n${s.bodyMarkdown}`.trim()))
    .join('\n\n');
}
