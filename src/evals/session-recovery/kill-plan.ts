/**
 * When a run's writer gets SIGKILL. Three moments break stores in different ways: while it opens and
 * repairs what the last kill left (resume), somewhere inside its append loop, and right after it claimed a
 * record durable (an ack printed before the data reached the file is lost here).
 */
export type KillPlan =
  | { category: 'kill-during-resume'; afterSpawnMs: number }
  | { category: 'kill-during-append'; afterFirstAckMs: number }
  | { category: 'kill-after-ack'; ack: number };

/** Kills inside the append loop land anywhere in this window after the first ack. */
export const APPEND_WINDOW_MS = 40;
const MAX_ACKS_BEFORE_KILL = 5;

/**
 * Draws the plan of one run. Every run takes exactly three draws, so a seed replays the same sequence of
 * plans. `resumeWindowMs` is how long the writer last took to its first ack and scales resume kills;
 * until a writer has acked once there is nothing to resume and no proof it runs, so the run waits for acks.
 */
export function planKill(random: () => number, resumeWindowMs: number | undefined): KillPlan {
  const pick = random();
  const fraction = random();
  const ack = 1 + Math.floor(random() * MAX_ACKS_BEFORE_KILL);
  if (pick < 0.2)
    return resumeWindowMs === undefined
      ? { category: 'kill-after-ack', ack }
      : { category: 'kill-during-resume', afterSpawnMs: fraction * resumeWindowMs };
  if (pick < 0.6) return { category: 'kill-during-append', afterFirstAckMs: fraction * APPEND_WINDOW_MS };
  return { category: 'kill-after-ack', ack };
}

/** Acks the writer must print before the plan can strike; fewer within the timeout is a harness error. */
export function acksNeeded(plan: KillPlan): number {
  if (plan.category === 'kill-after-ack') return plan.ack;
  return plan.category === 'kill-during-append' ? 1 : 0;
}

export function describePlan(plan: KillPlan): string {
  switch (plan.category) {
    case 'kill-during-resume':
      return `SIGKILL ${plan.afterSpawnMs.toFixed(1)} ms after spawn`;
    case 'kill-during-append':
      return `SIGKILL ${plan.afterFirstAckMs.toFixed(1)} ms after the first ack`;
    case 'kill-after-ack':
      return `SIGKILL on ack #${plan.ack}`;
  }
}
