// Multipart bodies a browser never sends (issue 17, finding 3): each gave a 500 on the import routes.
// `fields` (the CSRF token) are sent as proper parts where the shape allows.
export function malformedMultipart(fields: Record<string, string>) {
  const csv = 'email,name\nada@example.org,Ada\n';
  const partsOf = (boundary: string) =>
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('');
  const fileHead = (boundary: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="list.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  return {
    'no boundary': { contentType: 'multipart/form-data', body: `${partsOf('abc')}${fileHead('abc')}${csv}\r\n--abc--\r\n` },
    'the wrong boundary': {
      contentType: 'multipart/form-data; boundary=zzz',
      body: `${partsOf('abc')}${fileHead('abc')}${csv}\r\n--abc--\r\n`,
    },
    'cut off inside the file': { contentType: 'multipart/form-data; boundary=abc', body: `${partsOf('abc')}${fileHead('abc')}${csv}` },
    'a broken part header': {
      contentType: 'multipart/form-data; boundary=abc',
      body: `${partsOf('abc')}--abc\r\nContent-Disposition\r\n\r\nx`,
    },
  };
}
