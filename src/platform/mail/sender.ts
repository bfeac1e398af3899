// Who every email says it is from. The address is MAIL_FROM's; the name people see is the name
// MAIL_FROM gives, if it gives one, and otherwise the organisation's name from the settings, so a
// new site's emails come from "Riverside Health Insight", never from the software's name.

export type Mailbox = { name: string; address: string };

// "Name <address>", "\"Name\" <address>" or a bare address, as MAIL_FROM may be written.
export function parseMailbox(mailbox: string): Mailbox {
  const m = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(mailbox);
  if (m) {
    const name = /^"(.*)"$/.exec(m[1]!)?.[1]?.replace(/\\(.)/g, '$1') ?? m[1]!;
    return { name: name.trim(), address: m[2]!.trim() };
  }
  return { name: '', address: mailbox.trim() };
}

// A display name is one line; angle brackets in it would confuse readers of the header.
const cleanName = (name: string) => name.replace(/[\r\n<>]+/g, ' ').trim();

export function senderFor(mailFrom: string, orgName: string): Mailbox {
  const { name, address } = parseMailbox(mailFrom);
  return { name: cleanName(name || orgName), address };
}

// As people read it (the development outbox, the staff pages): Riverside Health Insight <news@example.org>.
export const displayMailbox = (m: Mailbox) => (m.name ? `${m.name} <${m.address}>` : m.address);
