import { randomInt } from 'node:crypto';

/** A fresh seed when the config names none; the notice prints it so a failing schedule can be replayed. */
export function newSeed(): number {
  return randomInt(1, 2 ** 31);
}

/** mulberry32: small, fast and good enough to spread kill times; the same seed gives the same draws. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
