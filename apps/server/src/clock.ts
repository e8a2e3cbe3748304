/** The time source every part of the service reads, so tests can set it. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}
