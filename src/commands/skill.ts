import { defineCommand } from './command.js';
import { ExitCode } from './exit-codes.js';
import { projectRoot } from './project-root.js';

interface SkillArgs {
  action: 'install';
  user: boolean;
  force: boolean;
  path: string;
}

export const skillCommand = defineCommand<SkillArgs>({
  command: 'skill <action>',
  describe: 'Install the plumbline Agent Skill into .claude/skills/ of the project (or the user)',
  builder: (y) =>
    y
      .positional('action', { choices: ['install'] as const, demandOption: true, describe: 'What to do' })
      .option('user', {
        type: 'boolean',
        default: false,
        describe: 'Install for the user: ~/.claude/skills, or $CLAUDE_CONFIG_DIR/skills when that is set',
      })
      .option('force', { type: 'boolean', default: false, describe: 'Replace installed files that differ' })
      .option('path', { type: 'string', default: '.', describe: 'Project folder (ignored with --user)' })
      .example('$0 skill install', 'Write .claude/skills/plumbline/ in this project')
      .example(
        '$0 skill install --user --force',
        'Install or upgrade it for every project of this user',
      ) as never,
  handler: async (args) => {
    const { installSkill } = await import('../skill/install.js');
    const outcome = installSkill({
      user: args.user,
      force: args.force,
      projectDir: args.user ? '.' : projectRoot(args.path),
    });
    const lines = [`skill folder: ${outcome.target}`];
    for (const f of outcome.files) lines.push(`  ${f.action.padEnd(9)}  ${f.path}`);
    if (outcome.conflicts.length > 0) {
      lines.push(
        `nothing was written: ${outcome.conflicts.length} installed file(s) differ from this plumbline's skill.`,
        '  keep your edits elsewhere, or pass --force to replace them.',
      );
      process.stdout.write(`${lines.join('\n')}\n`);
      return ExitCode.CheckFailed;
    }
    lines.push(outcome.written ? 'installed.' : 'already up to date; nothing written.');
    process.stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.Ok;
  },
});
