// The world's clock. Months pass in a run (so closed months grow old enough to archive): every Date the test isolate
// makes, the Worker's included (it runs in this isolate), reads the real time plus the offset. Each run starts at 0.
const RealDate = Date;
let offsetMs = 0;

const SimDate = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    return Reflect.construct(target, args.length === 0 ? [RealDate.now() + offsetMs] : args, newTarget);
  },
  get(target, prop, receiver) {
    if (prop === 'now') return () => RealDate.now() + offsetMs;
    return Reflect.get(target, prop, receiver);
  },
});

let installed = false;

export function installClock(): void {
  if (installed) return;
  globalThis.Date = SimDate;
  installed = true;
}

export function uninstallClock(): void {
  globalThis.Date = RealDate;
  installed = false;
  offsetMs = 0;
}

export function resetClock(): void {
  offsetMs = 0;
}

export function advanceClock(ms: number): void {
  offsetMs += ms;
}

export function clockOffset(): number {
  return offsetMs;
}
