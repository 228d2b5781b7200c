import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../core/errors.js';
import { type Adapter, type AdapterResult, checkResponse, type DecisionRequest } from '../protocol.js';

type DecideFn = (request: DecisionRequest) => unknown;

/**
 * A JS module exporting `decide(request)` (sync or async). It runs in plumbline's process, so it is only
 * loaded when the user names it as an adapter (flag or config) — never discovered and run on its own.
 */
export async function moduleAdapter(spec: string, projectRoot: string, timeoutMs = 10_000): Promise<Adapter> {
  const path = resolve(projectRoot, spec);
  let mod: { decide?: DecideFn; default?: { decide?: DecideFn } | DecideFn };
  try {
    mod = await import(pathToFileURL(path).href);
  } catch (e) {
    throw new UsageError(`cannot load adapter module ${spec}: ${(e as Error).message.split('\n')[0]}`, {
      hint: 'The module must be JavaScript Node can import (build TypeScript first) and export decide(request).',
      file: spec,
    });
  }
  const fn =
    mod.decide ??
    (typeof mod.default === 'function' ? mod.default : (mod.default as { decide?: DecideFn })?.decide);
  if (typeof fn !== 'function')
    throw new UsageError(`adapter module ${spec} does not export decide(request)`, {
      hint: 'Export a function: export function decide(request) { return { decision: "ask", reason: "..." } }',
      file: spec,
    });
  return {
    id: `module:${spec}`,
    async decide(request): Promise<AdapterResult> {
      let timer: NodeJS.Timeout | undefined;
      try {
        const answer = await Promise.race([
          Promise.resolve().then(() => fn(request)),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return checkResponse(answer);
      } catch (e) {
        return { ok: false, error: `decide() threw: ${(e as Error).message}` };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {},
  };
}
