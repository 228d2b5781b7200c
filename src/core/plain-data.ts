/**
 * Throws when `value` is not plain data (primitives, arrays, plain objects, Maps and Sets of those).
 * File-step summaries cross worker threads by structured clone, which silently turns a syntax node into
 * `{}`; checking on the main thread makes such a bug fail every test instead of only large audits.
 */
export function assertPlainData(value: unknown, where: string, seen = new Set<object>()): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol')
      throw new Error(`${where}: a ${typeof value} is not plain data`);
    return;
  }
  if (seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      assertPlainData(v, `${where}[${i}]`, seen);
    });
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      assertPlainData(k, `${where} key`, seen);
      assertPlainData(v, `${where}.get(${String(k)})`, seen);
    }
    return;
  }
  if (value instanceof Set) {
    for (const v of value) assertPlainData(v, `${where} member`, seen);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    throw new Error(`${where}: a ${proto?.constructor?.name ?? 'class'} instance is not plain data`);
  for (const [k, v] of Object.entries(value)) assertPlainData(v, `${where}.${k}`, seen);
}
