// Starts a node:http server on a free port of the project's test range (3700-3799).
import http from "node:http";

export type Listening = { server: http.Server; url: string; close: () => Promise<void> };

export async function listen(handler: http.RequestListener): Promise<Listening> {
  const server = http.createServer(handler);
  const start = 3700 + Math.floor(Math.random() * 100);
  for (let i = 0; i < 100; i++) {
    const port = 3700 + ((start - 3700 + i) % 100);
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
  throw new Error("no free port in 3700-3799");
}

/** A port in the range that nothing listens on (taken, then released). */
export async function closedPortUrl(): Promise<string> {
  const l = await listen(() => {});
  await l.close();
  return l.url;
}
