// The newsletter bench sink's side of an SMTP conversation (newsletter-sink.ts), kept apart from
// its sockets so a test can feed it bytes cut anywhere. Commands are lines ending in CRLF and may
// arrive many at once (PIPELINING); each gets its reply in order. After DATA the body runs to a
// line holding only ".", found with Buffer.indexOf rather than read byte by byte: the sink only
// needs each message's Message-ID, which is never dot-stuffed (header lines do not start with ".").

const CRLF = Buffer.from('\r\n');
const END_OF_DATA = Buffer.from('\r\n.\r\n');
const MAX_LINE = 4096;
const MESSAGE_ID = /^Message-ID:[ \t]*(<[^>\r\n]+>)/im;

export type SmtpSessionEvents = {
  reply: (text: string) => void;
  // A whole message arrived (its final "." included): its Message-ID, or '' when it has none.
  message: (messageId: string) => void;
  quit: () => void;
};

export function createSmtpSession(events: SmtpSessionEvents) {
  let buffered: Buffer = Buffer.alloc(0);
  let inData = false;
  // Where to look for the end of the body next: a few bytes back, as the marker may straddle chunks.
  let searchFrom = 0;
  let closed = false;
  events.reply('220 coproduce-bench-sink ESMTP\r\n');

  function command(line: string) {
    const verb = line.slice(0, 4).toUpperCase();
    switch (verb) {
      case 'EHLO':
        return events.reply('250-coproduce-bench-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n');
      case 'HELO':
        return events.reply('250 coproduce-bench-sink\r\n');
      case 'MAIL':
      case 'RCPT':
      case 'RSET':
      case 'NOOP':
        return events.reply('250 OK\r\n');
      case 'DATA':
        inData = true;
        // The body starts on the next line; "\r\n" before it lets an empty body end at once.
        searchFrom = 0;
        return events.reply('354 End data with <CR><LF>.<CR><LF>\r\n');
      case 'QUIT':
        closed = true;
        events.reply('221 Bye\r\n');
        return events.quit();
      default:
        return events.reply('502 Command not implemented\r\n');
    }
  }

  function takeMessage(): boolean {
    // Looked for with the CRLF that ended the DATA line in front, so an empty body is found too.
    const body = Buffer.concat([CRLF, buffered]);
    const end = body.indexOf(END_OF_DATA, searchFrom);
    if (end < 0) {
      searchFrom = Math.max(0, body.length - END_OF_DATA.length);
      return false;
    }
    const message = body.subarray(CRLF.length, end + CRLF.length);
    const headEnd = message.indexOf('\r\n\r\n');
    const head = message.subarray(0, headEnd < 0 ? Math.min(message.length, 16_384) : headEnd).toString('latin1');
    events.message(MESSAGE_ID.exec(head)?.[1] ?? '');
    buffered = body.subarray(end + END_OF_DATA.length);
    inData = false;
    events.reply('250 OK: queued\r\n');
    return true;
  }

  return {
    receive(chunk: Buffer) {
      if (closed) return;
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      for (;;) {
        if (closed) return;
        if (inData) {
          if (!takeMessage()) return;
          continue;
        }
        const eol = buffered.indexOf(CRLF);
        if (eol < 0) {
          if (buffered.length > MAX_LINE) {
            closed = true;
            events.reply('500 Line too long\r\n');
            events.quit();
          }
          return;
        }
        const line = buffered.subarray(0, eol).toString('latin1');
        buffered = buffered.subarray(eol + CRLF.length);
        command(line);
      }
    },
  };
}
