/**
 * Long model builds on the request thread, in slices. The work is written as a generator that
 * checks `slicer.due()` every few hundred steps and yields when its slice is used up; `runNow`
 * runs it to the end in one go, `runInSlices` awaits the caller's pause (e.g. `setImmediate`)
 * at every yield, so that a server answers requests between slices.
 */
export class Slicer {
  /** A slicer that is never due: the work runs to the end in one go. */
  static readonly never = new Slicer(Number.POSITIVE_INFINITY);

  #start = performance.now();

  constructor(
    /** longest stretch of work between two pauses */
    readonly budgetMs = 1,
  ) {}

  get sync(): boolean {
    return this.budgetMs === Number.POSITIVE_INFINITY;
  }

  /** Whether the current slice is used up. */
  due(): boolean {
    return this.budgetMs !== Number.POSITIVE_INFINITY && performance.now() - this.#start >= this.budgetMs;
  }

  /** A new slice starts. */
  restart(): void {
    this.#start = performance.now();
  }
}

export type Steps<T> = Generator<void, T, void>;

/** Runs stepwise work to the end at once. */
export function runNow<T>(steps: Steps<T>): T {
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** Runs stepwise work, awaiting `pause()` at every step the work yields. */
export async function runInSlices<T>(
  steps: Steps<T>,
  slicer: Slicer,
  pause: () => Promise<void>,
): Promise<T> {
  slicer.restart();
  let r = steps.next();
  while (!r.done) {
    await pause();
    slicer.restart();
    r = steps.next();
  }
  return r.value;
}

/**
 * A stable merge sort that yields between slices (bottom-up over runs sorted natively). Returns
 * the sorted array (the input's contents are rearranged too). When the slicer is never due it is
 * one call to the native (stable) sort.
 */
export function* sortSteps<T>(a: T[], cmp: (x: T, y: T) => number, slicer: Slicer): Steps<T[]> {
  if (slicer.sync) return a.sort(cmp);
  const n = a.length;
  const RUN = 256;
  for (let s = 0; s < n; s += RUN) {
    const part = a.slice(s, Math.min(n, s + RUN)).sort(cmp);
    for (let k = 0; k < part.length; k++) a[s + k] = part[k]!;
    if (slicer.due()) yield;
  }
  let src = a;
  let dst: T[] = new Array<T>(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      if (mid >= hi || cmp(src[mid - 1]!, src[mid]!) <= 0) {
        // Already in order (common: stored rows come roughly in time order).
        while (k < hi) {
          dst[k] = src[k]!;
          k++;
          if ((k & 4095) === 0 && slicer.due()) yield;
        }
        continue;
      }
      while (k < hi) {
        if (i < mid && (j >= hi || cmp(src[i]!, src[j]!) <= 0)) dst[k++] = src[i++]!;
        else dst[k++] = src[j++]!;
        if ((k & 1023) === 0 && slicer.due()) yield;
      }
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}
