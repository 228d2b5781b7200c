/** Variables a harness process may need to start at all; everything else (API keys above all) stays out. */
const BASE_VARS = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SYSTEMROOT',
  'PYTHONPATH',
  'NODE_PATH',
  'VIRTUAL_ENV',
];

/** Builds the environment of an adapter process: a small base plus what the config passes explicitly. */
export function scrubbedEnv(
  pass: readonly string[] = [],
  source: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of [...BASE_VARS, ...pass]) {
    const value = source[key];
    if (value !== undefined) env[key] = value;
  }
  env.PLUMBLINE_EVAL = '1';
  return env;
}
