/** Identical for every command and output format (DESIGN.md "Exit codes"). */
export const ExitCode = {
  Ok: 0,
  CheckFailed: 1,
  Usage: 2,
} as const;
