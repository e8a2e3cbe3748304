import type { EventInput, Level } from '@vitrine/contracts';

export interface DemoSubject {
  id: string;
  level: Level;
  /** Sends the Global Privacy Control signal. */
  gpc: boolean;
}

export interface DemoTraffic {
  subjects: DemoSubject[];
  /** Sorted by `ts`; every `ts` is before `now`. */
  events: EventInput[];
}

export interface VisitorOptions {
  seed?: number;
  visitors?: number;
  /** Epoch milliseconds; all traffic lies in the `days` before it. */
  now: number;
  days?: number;
}

export type Device = 'desktop' | 'mobile' | 'tablet';

/** A simulated shopper: their subject, device, coarse region and favourite top categories. */
export interface Visitor {
  subject: DemoSubject;
  device: Device;
  region: string;
  favourites: readonly string[];
}
