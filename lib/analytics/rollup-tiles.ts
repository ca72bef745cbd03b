// Owns splitting a time range into the fewest per-key rollup rows to read: whole UTC weeks and days,
// hours at the edges, and a unit read whole less its part before the range when that is cheaper.
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** 1970-01-05, the first Monday after the epoch: UTC weeks run Monday to Monday (date_trunc('week')). */
const FIRST_MONDAY = 4 * DAY;

export type TileUnit = "week" | "day" | "hour";
const TILE_MS: Record<TileUnit, number> = { week: WEEK, day: DAY, hour: HOUR };
/** A piece of a range read from one rollup; sign -1: a piece to take away from a unit read whole. */
export type RollupTile = { unit: TileUnit; from: number; to: number; sign: 1 | -1 };

/**
 * [from, to) (whole hours) as few per-key rollup rows as it takes: whole UTC weeks and days, and
 * hours at the edges. The part before the first Monday is read whichever way costs fewest rows,
 * forwards (hours, then days) or as a unit read whole less its part before `from` (from 03:00 on a
 * Tuesday: the week less its Monday and three hours, 4 rows rather than 21 hours and 5 days). When the range
 * reaches `now` the week or day under way is read whole, from its one row: nothing is recorded after
 * now, so its row holds exactly the part in the range.
 */
export function rollupTiles(from: number, to: number, now: number): RollupTile[] {
  const fits = (end: number) => end <= to || to >= now;
  type Piece = [unit: TileUnit, from: number, to: number, sign: 1 | -1];
  // Rows a piece costs per key and outcome: its units that have begun (later ones hold nothing yet).
  const rows = (ps: Piece[]) => ps.reduce((n, [unit, a, b]) => n + Math.max(0, Math.min((b - a) / TILE_MS[unit], Math.floor((now - a) / TILE_MS[unit]) + 1)), 0);
  const tiles: RollupTile[] = [];
  const add = ([unit, a, b, sign]: Piece) => {
    if (a >= b) return;
    const last = tiles.findLast((x) => x.unit === unit && x.sign === sign && x.to === a);
    if (last) last.to = b;
    else tiles.push({ unit, from: a, to: b, sign });
  };
  // The leading part: up to the next Monday when the range gets there, else up to the next midnight.
  const d0 = from - (from % DAY);
  const d1 = from === d0 ? d0 : d0 + DAY;
  const w0 = d0 - ((((d0 - FIRST_MONDAY) % WEEK) + WEEK) % WEEK);
  const w1 = w0 + WEEK;
  let plans: Piece[][] = [];
  let end = from;
  if (from > w0 && fits(w1)) {
    end = w1;
    plans = [
      [["hour", from, d1, 1], ["day", d1, w1, 1]],
      [["day", d0, d0 + DAY, 1], ["hour", d0, from, -1], ["day", d0 + DAY, w1, 1]],
      [["week", w0, w1, 1], ["day", w0, d0, -1], ["hour", d0, from, -1]],
      [["week", w0, w1, 1], ["day", w0, d1, -1], ["hour", from, d1, 1]],
    ];
  } else if (from > d0 && fits(d1)) {
    end = d1;
    plans = [[["hour", from, d1, 1]], [["day", d0, d1, 1], ["hour", d0, from, -1]]];
  }
  if (plans.length) for (const p of plans.reduce((a, b) => (rows(b) < rows(a) ? b : a))) add(p);
  let t = end;
  while (t < to) {
    const unit: TileUnit = (t - FIRST_MONDAY) % WEEK === 0 && fits(t + WEEK) ? "week" : t % DAY === 0 && fits(t + DAY) ? "day" : "hour";
    add([unit, t, t + TILE_MS[unit], 1]);
    t += TILE_MS[unit];
  }
  return tiles;
}
