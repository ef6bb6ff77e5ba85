// Sign-in throttling, as a pure rule over the counters of the current windows.
//
// - Per account and address: a few tries per window (a success clears them), then that address waits out the window.
// - Per account: once an account has collected many failures (a guess spread over many addresses), an address that
//   has failed on it waits out the window, and the addresses that have not are let through one try a minute between
//   them. The owner, signing in from an address that never failed, therefore always gets through within a minute or
//   so: an attacker cannot keep the account locked, only slow it to one guess a minute from a fresh address each.

export const SIGN_IN = {
  windowSeconds: 15 * 60,
  perAddressTries: 5,
  accountFailuresBeforeSlowdown: 10,
  slowdownSeconds: 60,
  slowdownTries: 1,
} as const;

export interface SignInCounts {
  /** Tries from this address on this account in the window since its last success, this one included. */
  addressTries: number;
  /** Failed tries on this account in the window, from any address. */
  accountFailures: number;
  /** Failed tries from this address on this account in the window. */
  addressFailures: number;
}

export type SignInVerdict = { kind: 'try' } | { kind: 'slowdown' } | { kind: 'wait'; until: 'window' };

export function signInVerdict(counts: SignInCounts): SignInVerdict {
  if (counts.addressTries > SIGN_IN.perAddressTries) return { kind: 'wait', until: 'window' };
  if (counts.accountFailures < SIGN_IN.accountFailuresBeforeSlowdown) return { kind: 'try' };
  if (counts.addressFailures > 0) return { kind: 'wait', until: 'window' };
  return { kind: 'slowdown' };
}
