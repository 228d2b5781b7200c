/**
 * A one-line progress indicator on stderr for work that takes more than a moment. It appears only on a
 * terminal, only after a short delay (quick runs stay silent), never on stdout, and erases itself.
 */
export interface Progress {
  update(message: string): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const SILENT: Progress = { update() {}, stop() {} };

export function startProgress(
  message: string,
  options: { quiet?: boolean; stream?: NodeJS.WriteStream; delayMs?: number } = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY || process.env.CI) return SILENT;
  let text = message;
  let frame = 0;
  let shown = false;
  const started = Date.now();
  let last = 0;
  const draw = () => {
    shown = true;
    last = Date.now();
    const columns = stream.columns || 80;
    const line = `${FRAMES[frame++ % FRAMES.length]} ${text}`.slice(0, columns - 1);
    stream.write(`\r\x1b[2K${line}`);
  };
  let interval: NodeJS.Timeout | undefined;
  const delay = setTimeout(() => {
    draw();
    interval = setInterval(draw, 80);
    interval.unref();
  }, options.delayMs ?? 400);
  delay.unref();
  return {
    // Synchronous work never lets the timer fire, so updates draw too, at the same pace.
    update(next) {
      text = next;
      const now = Date.now();
      if (now - started >= (options.delayMs ?? 400) && now - last >= 80) draw();
    },
    stop() {
      clearTimeout(delay);
      if (interval) clearInterval(interval);
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
