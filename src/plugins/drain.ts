import { Server as NetServer } from 'node:net';
import fp from 'fastify-plugin';

// How a SIGTERM ends the server without dropping anyone (README, "Stopping the server"):
// 1. take the connections already queued, then stop accepting, but keep the open ones (Node's http
//    close would also destroy idle keep-alive connections at once, racing a request already on its
//    way to us);
// 2. answer every request already received, and any that still arrive on an open connection,
//    each with `Connection: close`, so clients close politely instead of being reset;
// 3. once nothing has been in flight for a moment, close what is left and then the app (queue
//    workers stop); the caller closes the database last. All within an upper bound.
const QUIET_MS = 250;

export default fp(
  async (app) => {
    let draining = false;
    let inFlight = 0;
    let lastActivity = Date.now();
    app.server.on('request', (_req, res) => {
      inFlight++;
      lastActivity = Date.now();
      res.once('close', () => {
        inFlight--;
        lastActivity = Date.now();
      });
    });
    app.addHook('onSend', async (_req, reply) => {
      if (draining) reply.header('connection', 'close');
    });

    // Resolves true when every request was answered within boundMs, false if the bound cut it short.
    app.decorate('drain', async (boundMs: number) => {
      draining = true;
      // Quiet is counted from now, not from the last request read: a server busy for longer than
      // QUIET_MS when the signal came has not yet read requests already written to its open
      // connections, and closing them would reset those (src/plugins/drain.test.ts).
      lastActivity = Date.now();
      const deadline = Date.now() + boundMs;
      // Connections the kernel has queued but the server has not yet taken (it was busy) would be
      // reset when the listening socket closes, though their requests were already sent: take them
      // first. Node takes every queued connection when it next polls; two turns include one poll.
      for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
      if (app.server.listening) NetServer.prototype.close.call(app.server);
      while ((inFlight > 0 || Date.now() - lastActivity < QUIET_MS) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        // A timer runs before the sockets are read in each turn of the event loop. On a busy machine
        // it fires late, when a request may have arrived meanwhile: one turn of reading first, so
        // such a request is counted before "quiet" is decided (it once was not, under load 12).
        await new Promise((resolve) => setImmediate(resolve));
      }
      const answeredAll = inFlight === 0;
      app.server.closeAllConnections();
      await app.close();
      return answeredAll;
    });
  },
  { name: 'drain' },
);

declare module 'fastify' {
  interface FastifyInstance {
    drain(boundMs: number): Promise<boolean>;
  }
}
