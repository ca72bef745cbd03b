// Owns "synchronous when it can be": the verify hot path answers a cached key without creating a
// single promise (each one costs the event loop a microtask; measured in README "Performance"),
// and only the steps that really wait (a cache miss, Redis) return promises. Callers may `await`
// the result either way.
export type MaybePromise<T> = T | Promise<T>;

/** `f(value)` now when `value` is ready, else once it settles (rejections pass through). */
export function after<T, U>(value: MaybePromise<T>, f: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}
