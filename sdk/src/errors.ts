// Owns the SDK's one error type.

export type LatchkeyErrorKind =
  /** No answer within the budget, a network failure, or only 5xx/429 answers: Latchkey is unreachable. */
  | "unavailable"
  /** Latchkey refused the call itself (4xx other than 429): a wrong baseUrl, rootKey or request. Retrying will not help. */
  | "rejected"
  /** Latchkey answered 200 with a body that is not a verify answer. */
  | "bad-response";

export class LatchkeyError extends Error {
  override readonly name = "LatchkeyError";
  constructor(
    readonly kind: LatchkeyErrorKind,
    message: string,
    readonly details: { attempts: number; status?: number; problem?: unknown; cause?: unknown } = { attempts: 0 },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
}
