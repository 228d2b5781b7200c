import type { Detector } from './types.js';

/**
 * Every detector, in run order. `frameworks` must stay first: the others read what it found.
 * Adding a detector kind: one file in this folder, one line here.
 */
export const detectors: readonly Detector[] = [];
