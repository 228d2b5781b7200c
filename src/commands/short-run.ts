import { setFlagsFromString } from 'node:v8';

/**
 * Tunes V8 for a command that ends within seconds: its optimising compiler is switched off for the process,
 * worker threads included (V8 flags are per process). An audit spends most of its time in native parsing
 * and tree queries; optimising its JavaScript costs more CPU than it saves before the process ends, and on
 * two cores the compiler's background threads take that time from the scanning workers (the figures are in
 * the README's "Measured" section). Long-running commands (mcp, watch, eval) keep V8's default.
 */
export function tuneForShortRun(): void {
  setFlagsFromString('--no-opt');
}
