// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Returns rows of
// fields with the line each row started on, for reporting.
export function parseCsv(input: string): { line: number; fields: string[] }[] {
  const text = input.replace(/^\uFEFF/, '');
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length) endRow();
  return rows;
}

// A spreadsheet treats a cell starting with = + - @ as a formula; a leading apostrophe stops
// that, so a subscriber's name cannot run code on a member of staff's computer.
const neutralise = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export function csvRow(values: (string | number | null | undefined)[]): string {
  return (
    values
      .map((v) => {
        const s = neutralise(v === null || v === undefined ? '' : String(v));
        return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
      })
      .join(',') + '\r\n'
  );
}
