// Node flags the server runs with (`npm start` passes the same ones; keep them in step).
// V8 sizes the young generation for the machine's memory (up to hundreds of MB on a large host);
// a 16 MB semi-space keeps the server's resident memory small at a small cost in extra scavenges.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=16'];
