/**
 * A suggest is tens of milliseconds of CPU on the caller's thread; giving the
 * event loop a turn between its steps lets a server read (and shed or queue)
 * requests that arrived meanwhile instead of leaving them unseen in sockets.
 */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
