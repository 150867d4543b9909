/** What every live check shares: the caller (per account, behind the identity check) and the way facts are recorded. */
import type { FactStore } from '../facts.js';
import type { AccountRef } from './accounts.js';
import { CallError, type Caller } from './caller.js';
import type { Action } from './calls.js';

export interface LiveContext {
  /** A call in an account, once its credentials are known to belong to it. */
  call<T = Record<string, unknown>>(account: AccountRef, region: string, action: Action, input?: Record<string, unknown>): Promise<T>;
  /** The 12-digit id the credentials of an account reach (declared, or read from STS for the default account). */
  accountId(account: AccountRef): Promise<string | undefined>;
  observe(subject: string, field: string, observed: unknown, source: string): void;
  /** Each field becomes unavailable, naming the error. */
  unavailable(subject: string, fields: readonly string[], err: unknown, source: string): void;
}

/** An error's message for a fact: a CallError already says which action failed and how. */
export const errorText = (err: unknown): string => (err instanceof CallError ? err.message : `internal error: ${(err as Error)?.message ?? String(err)}`);

/** True for errors that mean "this resource does not exist". */
export function isNotFound(err: unknown, ...codes: string[]): boolean {
  return err instanceof CallError && codes.includes(err.code);
}

export function createContext(caller: Caller, facts: FactStore, counter: { observed: number }): LiveContext {
  const identities = new Map<string, Promise<{ accountId?: string; error?: CallError }>>();
  const identity = (account: AccountRef) => {
    let p = identities.get(account.id);
    if (!p) {
      p = caller
        .call({ account: account.id, region: account.regions[0]! }, 'sts:GetCallerIdentity', {})
        .then((out) => {
          const got = (out as { Account?: string }).Account;
          if (account.accountId !== undefined && got !== undefined && got !== account.accountId) {
            return {
              error: new CallError(
                'sts:GetCallerIdentity',
                'WrongAccount',
                `the credentials for account "${account.id}" reach account ${got}, but the map says ${account.accountId}: nothing was read there`,
              ),
            };
          }
          return { accountId: got ?? account.accountId };
        })
        .catch((err: unknown) => ({ error: err instanceof CallError ? err : new CallError('sts:GetCallerIdentity', 'Error', errorText(err)) }));
      identities.set(account.id, p);
    }
    return p;
  };
  return {
    async call<T>(account: AccountRef, region: string, action: Action, input: Record<string, unknown> = {}): Promise<T> {
      const id = await identity(account);
      if (id.error) throw id.error;
      return (await caller.call({ account: account.id, region }, action, input)) as T;
    },
    async accountId(account) {
      return (await identity(account)).accountId;
    },
    observe(subject, field, observed, source) {
      facts.observe({ subject, field, observed, source });
      counter.observed++;
    },
    unavailable(subject, fields, err, source) {
      const error = errorText(err);
      for (const field of fields) {
        facts.observe({ subject, field, error, source });
        counter.observed++;
      }
    },
  };
}
