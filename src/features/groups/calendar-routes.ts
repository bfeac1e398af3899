import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { ifNoneMatchHits, strongEtag } from '#src/lib/etag.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';

const V = 'groups/views/calendar';

// Calendar files and feeds (README "Calendars and reminders"). What a file may show is decided in
// the calendar service; a meeting nobody may see here answers 404, as its page does.
export default async function calendarRoutes(app: FastifyInstance) {
  const { calendar } = app.services;

  // Calendar programs poll: an unchanged calendar (same bytes: see the DTSTAMP in calendar-events.ts)
  // is answered 304 to one that sends back the ETag it was given.
  const sendCalendar = (reply: FastifyReply, body: string, disposition: string, cache: string) => {
    const etag = strongEtag(body);
    reply.header('etag', etag).header('cache-control', cache);
    if (ifNoneMatchHits(reply.request.headers['if-none-match'], [etag])) return reply.code(304).send();
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', disposition).send(body);
  };

  app.get<{ Params: { id: string } }>('/meetings/:id/calendar.ics', async (req, reply) => {
    const id = idOrNotFound(req.params.id, 'meeting');
    const body = await calendar.meetingFile(id, req.currentUser, req.lang);
    if (body === null) throw notFound('meeting');
    return sendCalendar(reply, body, `attachment; filename="meeting-${id}.ics"`, 'private, no-store');
  });

  // Calendar programs poll a subscription every few hours; five minutes of caching costs nothing.
  app.get('/events/calendar.ics', async (req, reply) => {
    const body = await calendar.publicFeed(req.lang);
    return sendCalendar(reply, body, 'inline; filename="events.ics"', 'public, max-age=300');
  });

  // The secret address is the key: it works signed out (calendar programs have no session) and is
  // never stored by a shared cache. No rate limit: Google and Microsoft fetch everyone's feeds from
  // a few addresses, and 32 random bytes cannot be guessed.
  app.get<{ Params: { token: string } }>('/calendar/:token.ics', async (req, reply) => {
    const body = await calendar.personalFeed(req.params.token);
    if (body === null) throw notFound('calendar');
    return sendCalendar(reply, body, 'inline; filename="my-meetings.ics"', 'private, no-store');
  });

  await app.register(async (own) => {
    own.addHook('onRequest', requireContributor);
    const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

    own.get<{ Querystring: { made?: string } }>('/profile/calendar', async (req, reply) => {
      const feed = await calendar.feedOf(me(req).id);
      const url = feed ? calendar.feedUrl(feed.token) : null;
      return reply.render(`${V}/profile.njk`, {
        pageTitle: msg('calendar.profile.title'),
        feedUrl: url,
        webcalUrl: url?.replace(/^https?:\/\//, 'webcal://'),
        madeAt: feed?.createdAt,
        made: req.query.made === '1',
      });
    });

    // "Make a new address" asks first: the old address stops working in every calendar using it.
    own.get('/profile/calendar/new', async (req, reply) => {
      const feed = await calendar.feedOf(me(req).id);
      if (!feed) return reply.redirect('/profile/calendar');
      return reply.render(`${V}/renew.njk`, { pageTitle: msg('calendar.renew.title') });
    });

    own.post('/profile/calendar/new', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (req, reply) => {
      await calendar.newFeed(me(req));
      return reply.redirect('/profile/calendar?made=1', 303);
    });
  });
}
