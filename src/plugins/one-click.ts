import type { FastifyInstance } from 'fastify';

// RFC 8058 one-click unsubscribe: a mail program POSTs "List-Unsubscribe=One-Click" to the address
// in the List-Unsubscribe header, with no cookies, so such a route takes no CSRF token (the signed
// token in its address authorises it). Some send the body as multipart/form-data, whose content is
// not needed: the routes `add` registers read such a body as empty. Nothing else accepts multipart.
export async function oneClickRoutes(app: FastifyInstance, add: (scope: FastifyInstance) => void) {
  await app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 16_384 }, (_req, _body, done) => done(null, {}));
    add(scope);
  });
}
