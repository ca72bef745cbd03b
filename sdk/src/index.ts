// @latchkey/sdk: verify Latchkey keys and call the management API.
export { Latchkey, parseRetryAfter } from "./latchkey.js";
export { LatchkeyError, type LatchkeyErrorKind } from "./errors.js";
export { VerifyCache, MAX_CACHE_TTL_MS } from "./cache.js";
export { createManagementApi, type ManagementApi } from "./management.js";
export { VERIFY_CODES } from "./types.js";
export type { Environment, FailMode, LatchkeyOptions, UnavailableAnswer, VerifyAnswer, VerifyCode, VerifyKeyRequest, VerifyResult } from "./types.js";
