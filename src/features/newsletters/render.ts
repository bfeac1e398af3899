import { randomBytes } from 'node:crypto';
import type nunjucks from 'nunjucks';
import type { Config } from '#src/config.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { escapeHtml } from '#src/lib/text.ts';
import { languages, type I18n, type Lang, type Translator } from '#src/lib/i18n.ts';
import { localised, type Translations } from '#src/lib/localised.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import { senderFor } from '#src/platform/mail/sender.ts';
import { messageFrame, parseMailbox, type MessageFrame, type PersonalMessage } from './sending/mime.ts';
import type { PreferenceTokens } from './tokens.ts';
import { newsletterTextFields } from './schema.ts';

export type NewsletterContent = { id: number; subject: string; body: string; slug: string | null; translations?: Translations | null };
export type Person = { subscriberId: number; email: string; name: string | null };
export type PreparedNewsletter = {
  lang: Lang;
  subject: string;
  frame: MessageFrame;
  personalise(person: Person): PersonalMessage;
};

// Email clients ignore style sheets, so the few tags Markdown produces get inline styles.
const emailStyles: Record<string, string> = {
  p: 'margin:0 0 16px;',
  h2: 'font-size:24px;line-height:1.3;margin:24px 0 16px;',
  h3: 'font-size:20px;line-height:1.3;margin:24px 0 16px;',
  h4: 'font-size:19px;line-height:1.3;margin:24px 0 16px;',
  ul: 'margin:0 0 16px;padding-left:24px;',
  ol: 'margin:0 0 16px;padding-left:24px;',
  li: 'margin:0 0 8px;',
  blockquote: 'margin:0 0 16px;padding:8px 16px;border-left:4px solid #d8dde0;',
  a: 'color:#005eb8;',
  img: 'max-width:100%;height:auto;',
};
export function styleForEmail(html: string): string {
  return html.replace(/<(p|h2|h3|h4|ul|ol|li|blockquote|a|img)(?=[\s>])/g, (_m, tag: string) => `<${tag} style="${emailStyles[tag]}"`);
}

// The Markdown source reads well as plain text; links are written out so they can be followed.
export function markdownToText(source: string): string {
  return source
    .replace(/\r\n?/g, '\n')
    .replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_m, text: string, url: string) => (text === url ? url : `${text} (${url})`))
    .trim();
}

export const greetingFor = (name: string | null | undefined, tr: Pick<Translator, 't'>) =>
  name && name.trim() ? tr.t('newsletters.email.greetingNamed', { name: name.trim() }) : tr.t('newsletters.email.greeting');

// Every language's version of one newsletter, each rendered once: a send picks one per person.
export type PreparedVersions = { for(lang: string | null | undefined): PreparedNewsletter };

export function createNewsletterRenderer(deps: {
  config: Config;
  nunjucks: nunjucks.Environment;
  settings: SettingsService;
  tokens: PreferenceTokens;
  i18n: I18n;
}) {
  const { config, tokens, i18n } = deps;
  const host = new URL(config.baseUrl).hostname || 'localhost';
  const unsubscribeMailbox = parseMailbox(config.mailFrom).address;

  return {
    webUrl: (n: { slug: string | null }) => (n.slug ? `${config.baseUrl}/newsletters/${n.slug}` : null),
    bodyHtml: (body: string) => renderMarkdown(body),

    // Renders the newsletter once in one language (its version in that language, or the English
    // marked as such); each person's copy is then string joins, not template renders.
    async prepare(n: NewsletterContent, opts: { test?: boolean; lang?: Lang } = {}): Promise<PreparedNewsletter> {
      const org = await deps.settings.get();
      const tr = i18n.translator(opts.lang);
      const version = localised({ ...n, translations: n.translations ?? {} }, newsletterTextFields, tr.lang);
      const nonce = randomBytes(8).toString('hex');
      const mark = (name: string) => `%%${nonce}:${name}%%`;
      const webUrl = opts.test ? null : this.webUrl(n);
      const html = deps.nunjucks.render('newsletters/views/email.html.njk', {
        lang: tr.lang,
        contentLang: version.contentLang,
        englishOnly: version.englishOnly,
        subject: version.subject,
        orgName: org.name,
        bodyHtml: styleForEmail(renderMarkdown(version.body)),
        greeting: mark('greeting'),
        preferencesUrl: mark('preferences'),
        unsubscribeUrl: mark('unsubscribe'),
        webUrl,
      });
      const text = [
        org.name,
        '',
        version.subject,
        '',
        ...(version.englishOnly ? [tr.t('common.englishOnly'), ''] : []),
        mark('greeting'),
        '',
        markdownToText(version.body),
        '',
        '---',
        tr.t('newsletters.email.why', { org: org.name }),
        ...(webUrl ? [tr.t('newsletters.email.webText', { url: webUrl })] : []),
        tr.t('newsletters.email.preferencesText', { url: mark('preferences') }),
        tr.t('newsletters.email.unsubscribeText', { url: mark('unsubscribe') }),
        '',
      ].join('\n');
      const splitter = new RegExp(`%%${nonce}:(greeting|preferences|unsubscribe)%%`);
      // split() with a capturing group alternates literal text and marker names.
      const htmlParts = html.split(splitter);
      const textParts = text.split(splitter);
      const fill = (parts: string[], values: Record<string, string>) => {
        let out = '';
        for (let i = 0; i < parts.length; i++) out += i % 2 ? values[parts[i]!]! : parts[i]!;
        return out;
      };
      const subject = opts.test ? tr.t('newsletters.admin.email.testSubject', { subject: version.subject }) : version.subject;
      const frame = messageFrame({
        from: senderFor(config.mailFrom, org.name),
        subject,
        headers: { 'List-Id': `<newsletter.${host}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
      return {
        lang: tr.lang,
        subject,
        frame,
        personalise(person: Person): PersonalMessage {
          // A test goes to staff, who have no subscription: its links lead to the sign-up page.
          const token = opts.test ? 'test' : tokens.sign(person.subscriberId);
          const preferences = opts.test ? `${config.baseUrl}/newsletter` : `${config.baseUrl}/newsletter/preferences/${token}`;
          const unsubscribe = opts.test ? `${config.baseUrl}/newsletter` : `${config.baseUrl}/newsletter/unsubscribe/${token}`;
          const greeting = greetingFor(person.name, tr);
          return {
            to: person.email,
            // The same for every delivery attempt, so receivers can recognise a repeat after a crash.
            messageId: `<newsletter-${n.id}-${person.subscriberId}@${host}>`,
            headers: {
              'List-Unsubscribe': `<${unsubscribe}>, <mailto:${unsubscribeMailbox}?subject=unsubscribe%20${encodeURIComponent(token)}>`,
            },
            html: fill(htmlParts, {
              greeting: escapeHtml(greeting),
              preferences: escapeHtml(preferences),
              unsubscribe: escapeHtml(unsubscribe),
            }),
            text: fill(textParts, { greeting, preferences, unsubscribe }),
          };
        },
      };
    },

    // One version per language we offer, rendered now, so a send of any size renders each once.
    async prepareVersions(n: NewsletterContent): Promise<PreparedVersions> {
      const prepared = new Map<string, PreparedNewsletter>();
      for (const { code } of languages) prepared.set(code, await this.prepare(n, { lang: code }));
      const english = prepared.get('en')!;
      return { for: (lang) => (lang && prepared.get(lang)) || english };
    },
  };
}
export type NewsletterRenderer = ReturnType<typeof createNewsletterRenderer>;
