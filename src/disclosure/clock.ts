/**
 * Time and randomness are injected: every command takes a `Clock` and a `RandomSource`, so embargo,
 * expiry and escalation logic is testable and nothing in this part reads the system on its own.
 */
import { randomBytes } from 'node:crypto';

export interface Clock {
  now(): Date;
}

export interface RandomSource {
  /** n cryptographically strong random bytes (tests may pass a seeded source) */
  bytes(n: number): Uint8Array;
}

export const systemClock: Clock = { now: () => new Date() };

export const cryptoRandom: RandomSource = { bytes: (n) => new Uint8Array(randomBytes(n)) };

const DAY = 86_400_000;

/** A timestamp as stored in records: ISO 8601, UTC, milliseconds. */
export function iso(date: Date): string {
  return date.toISOString();
}

export function addDays(date: Date | string, days: number): Date {
  return new Date(new Date(date).getTime() + days * DAY);
}

export function addMinutes(date: Date | string, minutes: number): Date {
  return new Date(new Date(date).getTime() + minutes * 60_000);
}

/** Whole days from `from` to `to`, rounded down (negative when `to` is earlier). */
export function daysBetween(from: Date | string, to: Date | string): number {
  return Math.floor((new Date(to).getTime() - new Date(from).getTime()) / DAY);
}
