import { auditCommand } from './audit.js';
import type { Command } from './command.js';
import { decideCommand } from './decide.js';
import { evalCommand } from './eval.js';

/** Every command, in help order. Adding a command: one module in this folder, one line here. */
export const commands: readonly Command<unknown>[] = [auditCommand, evalCommand, decideCommand];
