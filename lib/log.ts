// Owns the process's structured logs: one pino logger writing JSON lines to stdout, at LOG_LEVEL.
// Never a token, a hash or an Authorization header: callers log no request bodies or headers, and
// these paths are redacted should one slip in.
import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

const REDACT = ["authorization", "token", "key", "hash", "*.authorization", "*.token", "*.key", "*.hash", "headers.authorization", "req.headers.authorization"];

const KEY = Symbol.for("latchkey.log");
const store = globalThis as unknown as { [KEY]?: Logger };

/** The process's logger (shared by server.ts and Next's bundle). */
export function log(): Logger {
  store[KEY] ??= createLogger();
  return store[KEY];
}

/** A logger with the process's options; to stdout unless given another destination (tests). */
export function createLogger(destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: levelFromEnv(),
    name: "latchkey",
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT, censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}

// LOG_LEVEL is validated by lib/env at start-up; reading it here keeps the logger usable before that.
function levelFromEnv(): string {
  const v = process.env.LOG_LEVEL;
  return v === "debug" || v === "warn" || v === "error" ? v : "info";
}

/** A request id: the caller's X-Request-Id when it is a sane token (≤ 64 characters of [A-Za-z0-9._-]), else a new one. */
export function requestIdFrom(header: string | string[] | undefined, make: () => string): string {
  const v = Array.isArray(header) ? header[0] : header;
  return v && /^[A-Za-z0-9._-]{1,64}$/.test(v) ? v : make();
}
