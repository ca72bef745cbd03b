// Starts a node:http server on a free port of the project's test range (3700-3799).
import http from "node:http";

export type Listening = { server: http.Server; url: string; close: () => Promise<void> };

export function listen(handler: http.RequestListener): Promise<Listening> {
  return listenIn(3700, handler);
}

async function listenIn(first: number, handler: http.RequestListener): Promise<Listening> {
  const server = http.createServer(handler);
  const start = Math.floor(Math.random() * 100);
  for (let i = 0; i < 100; i++) {
    const port = first + ((start + i) % 100);
    const ok = await new Promise<boolean>((resolve) => {
      const onError = () => resolve(false);
      server.once("error", onError);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", onError);
        resolve(true);
      });
    });
    if (ok) {
      return {
        server,
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
      };
    }
  }
  throw new Error(`no free port in ${first}-${first + 99}`);
}

/**
 * A port nothing listens on (taken, then released). It comes from 3800-3899, a range no test server
 * binds: from listen()'s own range, the next listen() could be handed the port just released, and
 * "Latchkey is down" would then reach that server (seen once in CI: an Express 404 page).
 */
export async function closedPortUrl(): Promise<string> {
  const l = await listenIn(3800, () => {});
  await l.close();
  return l.url;
}
