// The kinds of input the outside probes sent (issue 17), shared by the tests that replay them.

// Each `next` value would take a browser to another site if we redirected to it as given.
export const hostileNextValues = [
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/\u0000/evil.example',
  ' //evil.example',
  '//evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  'https://evil.example',
  'javascript:alert(1)',
  '///evil.example',
  'evil.example',
  '',
];

// Control characters PostgreSQL refuses in text (NUL) or that no form field should carry.
export const controlCharacters = 'a\u0000b\u0001c\u001bd\u007fe';
export const hugeValue = 'x'.repeat(100_000);
