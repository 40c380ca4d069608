/**
 * Limits on work in flight, which the failure counts of rate-limit.ts cannot give: a password
 * check costs 128 MiB and a good part of a second (scrypt), so a burst of logins — for one account,
 * from one address, or for many unknown addresses at once — must not queue up behind each other
 * until every login takes half a minute. Logins in flight are capped per account and per address
 * (the extra ones are refused at once, 429), and scrypt runs are capped for the whole process with
 * a short queue (the extra ones are refused at once, 503). Process state on purpose: it is the
 * process's memory and threads that these limits protect.
 */
import { CpansecError } from '../../errors.js';

export interface ThrottleLimits {
  /** logins (and password re-checks) of one account at the same time */
  inFlightPerAccount: number;
  /** logins from one address at the same time */
  inFlightPerAddress: number;
  /** scrypt runs at once: libuv's thread pool has 4 threads by default; 4 × 128 MiB */
  hashConcurrency: number;
  /** scrypt runs waiting for a slot; beyond that, refused */
  hashQueue: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { inFlightPerAccount: 2, inFlightPerAddress: 4, hashConcurrency: 4, hashQueue: 8 };

/**
 * Too many attempts (429, per account or address) or too much work in flight (503, the whole
 * server): try again at `retryAt`. A CONFLICT for callers that know only the codes.
 */
export class Throttled extends CpansecError {
  constructor(
    readonly status: 429 | 503,
    readonly retryAt: Date,
    message: string,
    file = 'password',
  ) {
    super('CONFLICT', message, { file });
  }
}

export const BUSY = Symbol('busy');

export class CredentialThrottle {
  readonly limits: ThrottleLimits;
  private readonly accounts = new Map<string, number>();
  private readonly addresses = new Map<string, number>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(limits: Partial<ThrottleLimits> = {}) {
    this.limits = { ...DEFAULT_THROTTLE, ...limits };
  }

  /** A slot for one login of this account from this address, or why not; call the release once done. */
  enter(key: { emailKey: string; ip: string }): { release: () => void } | { refused: 'account' | 'address' } {
    const a = this.accounts.get(key.emailKey) ?? 0;
    const b = this.addresses.get(key.ip) ?? 0;
    if (a >= this.limits.inFlightPerAccount) return { refused: 'account' };
    if (b >= this.limits.inFlightPerAddress) return { refused: 'address' };
    this.accounts.set(key.emailKey, a + 1);
    this.addresses.set(key.ip, b + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const down = (m: Map<string, number>, k: string) => {
          const n = (m.get(k) ?? 1) - 1;
          if (n <= 0) m.delete(k);
          else m.set(k, n);
        };
        down(this.accounts, key.emailKey);
        down(this.addresses, key.ip);
      },
    };
  }

  /** Run a password hash when a slot is free; BUSY at once when the queue is full too. */
  async hash<T>(work: () => Promise<T>): Promise<T | typeof BUSY> {
    if (this.running >= this.limits.hashConcurrency) {
      if (this.waiting.length >= this.limits.hashQueue) return BUSY;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // hand the slot straight to the next in line, or give it back
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** what is in flight now (for tests and the log) */
  load(): { running: number; waiting: number; accounts: number; addresses: number } {
    return { running: this.running, waiting: this.waiting.length, accounts: this.accounts.size, addresses: this.addresses.size };
  }
}

/** The process's throttle, for deps that bring none. */
export const processThrottle = new CredentialThrottle();
