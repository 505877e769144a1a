// No imports: the pure planning engine uses this too.

/** A value the code's own invariants guarantee (a site of the plan it came from, a row just written); missing is a bug (500). */
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
