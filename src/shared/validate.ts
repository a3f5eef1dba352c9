// A tiny validation kit for untrusted input (messages from pages and content
// scripts, imported settings, managed policy). Every failure names the field,
// so a bad config or message produces an error a person can act on.

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: string): Result<never> => ({ ok: false, error });

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown, field: string, max = 2048): Result<string> {
  if (typeof v !== 'string') return fail(`${field}: expected a string`);
  if (v.length > max) return fail(`${field}: longer than ${max} characters`);
  return ok(v);
}

export function count(v: unknown, field: string, max = 1_000_000_000): Result<number> {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    return fail(`${field}: expected a whole number from 0 to ${max}`);
  }
  return ok(v);
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): Result<T> {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return ok(v as T);
  return fail(`${field}: expected one of ${allowed.join(', ')}`);
}

export function bool(v: unknown, field: string): Result<boolean> {
  if (typeof v !== 'boolean') return fail(`${field}: expected true or false`);
  return ok(v);
}

/** Validates every element; fails on the first bad one, naming its index. */
export function arrayOf<T>(
  v: unknown,
  field: string,
  max: number,
  each: (item: unknown, field: string) => Result<T>,
): Result<T[]> {
  if (!Array.isArray(v)) return fail(`${field}: expected a list`);
  if (v.length > max) return fail(`${field}: more than ${max} items`);
  const out: T[] = [];
  for (let i = 0; i < v.length; i++) {
    const r = each(v[i], `${field}[${i}]`);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
}
