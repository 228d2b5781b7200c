import { addCommand } from './add.js';
import { auditCommand } from './audit.js';
import { baselineCommand } from './baseline.js';
import { ciCommand } from './ci.js';
import type { Command } from './command.js';
import { decideCommand } from './decide.js';
import { demoCommand } from './demo.js';
import { evalCommand } from './eval.js';
import { explainCommand } from './explain.js';
import { fixCommand } from './fix.js';
import { initCommand } from './init.js';
import { initCiCommand } from './init-ci.js';
import { mcpCommand } from './mcp.js';
import { rubricsCommand } from './rubrics.js';
import { skillCommand } from './skill.js';
import { watchCommand } from './watch.js';

/** Every command, in help order. Adding a command: one module in this folder, one line here. */
export const commands: readonly Command<unknown>[] = [
  auditCommand,
  explainCommand,
  rubricsCommand,
  initCommand,
  addCommand,
  fixCommand,
  evalCommand,
  decideCommand,
  baselineCommand,
  ciCommand,
  watchCommand,
  initCiCommand,
  skillCommand,
  mcpCommand,
  demoCommand,
];
