// Helpers for the stories tests (not used by the app).
import { londonDate, type StoryInput } from './schema.ts';

let counter = 0;

export const daysFromNow = (days: number) => londonDate(new Date(Date.now() + days * 86_400_000));

// A valid story as the service takes it; published today unless told otherwise.
export function storyInput(overrides: Partial<StoryInput> = {}): StoryInput {
  counter++;
  return {
    title: `Test story ${counter} ${Math.random().toString(36).slice(2, 8)}`,
    slug: '',
    summary: `Summary of test story ${counter}`,
    bodyMarkdown: `Body of test story ${counter}.`,
    translations: {},
    authorName: 'Sam Writer',
    authorJobTitle: 'Involvement lead',
    tags: [],
    publishedOn: daysFromNow(0),
    status: 'published',
    commentsOpen: true,
    ...overrides,
  };
}

// The story form's fields for the same story, as a browser would post them.
export function storyForm(overrides: Record<string, string> = {}): Record<string, string> {
  const today = daysFromNow(0);
  counter++;
  return {
    title: `Form story ${counter} ${Math.random().toString(36).slice(2, 8)}`,
    slug: '',
    summary: 'A short summary',
    body: 'Some **Markdown** text.',
    authorName: 'Sam Writer',
    authorJobTitle: '',
    tags: '',
    'publishedAt-day': String(today.day),
    'publishedAt-month': String(today.month),
    'publishedAt-year': String(today.year),
    status: 'published',
    comments: 'open',
    action: 'save',
    ...overrides,
  };
}

const entity = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"<]*")*)\s*(\/?)>|<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g;

// A strict, small check that a document is well-formed XML: one root, every tag closed in order,
// attributes quoted, no bare "<" or "&" in text or attribute values. Returns what is wrong.
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const declaration = '<?xml version="1.0" encoding="UTF-8"?>';
  if (!xml.startsWith(declaration)) problems.push('missing XML declaration');
  const body = xml.slice(declaration.length);
  const stack: string[] = [];
  let roots = 0;
  let last = 0;
  const checkText = (text: string, where: string) => {
    if (text.includes('<')) problems.push(`bare < in ${where}: ${text.slice(0, 60)}`);
    for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
      if (!entity.test(text.slice(i))) problems.push(`bare & in ${where}: ${text.slice(i, i + 20)}`);
    }
    if (where === 'text' && !stack.length && text.trim()) problems.push(`text outside the root: ${text.slice(0, 60)}`);
  };
  for (const m of body.matchAll(tag)) {
    checkText(body.slice(last, m.index), 'text');
    last = m.index + m[0].length;
    const [, closing, name, attrs, selfClosing] = m;
    if (!name) continue;
    for (const a of (attrs ?? '').matchAll(/"([^"]*)"/g)) checkText(a[1]!, `attribute of <${name}>`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else if (!selfClosing) {
      if (!stack.length) roots++;
      stack.push(name);
    } else if (!stack.length) roots++;
  }
  checkText(body.slice(last), 'text');
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
