/**
 * IAM, account-wide: root MFA and root access keys (GetAccountSummary), the password policy, and users with a
 * console password and no MFA device (the credential report: two or three calls however many users there are).
 */
import type { AccountRef } from './accounts.js';
import { CallError } from './caller.js';
import type { LiveContext } from './context.js';

/** A fact of one account: a value and where it came from, or the error that kept it from being read. */
export type AccountFact<T> = { value: T; source: string } | { error: unknown; source: string };

export interface AccountIam {
  rootMfa: AccountFact<boolean>;
  rootAccessKeys: AccountFact<boolean>;
  passwordMinLength: AccountFact<number>;
  consoleUsersWithoutMfa: AccountFact<string[]>;
}

/** The rows of a CSV credential report (no quoted commas occur in it). */
export function parseCredentialReport(csv: string): Record<string, string>[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    const row: Record<string, string> = Object.create(null) as Record<string, string>;
    header.forEach((h, i) => {
      row[h] = cells[i] ?? '';
    });
    return row;
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function accountIam(live: LiveContext, account: AccountRef, options: { reportWaitMs?: number } = {}): Promise<AccountIam> {
  const region = account.regions[0]!;
  const summary = (async () => {
    const source = `iam:GetAccountSummary (${account.id})`;
    try {
      const out = await live.call<{ SummaryMap?: Record<string, number> }>(account, region, 'iam:GetAccountSummary');
      const m = out.SummaryMap ?? {};
      const mfa: AccountFact<boolean> =
        m.AccountMFAEnabled === undefined
          ? { error: new CallError('iam:GetAccountSummary', 'Missing', 'iam:GetAccountSummary gave no AccountMFAEnabled'), source }
          : { value: m.AccountMFAEnabled === 1, source: `${source}: AccountMFAEnabled ${m.AccountMFAEnabled}` };
      const keys: AccountFact<boolean> =
        m.AccountAccessKeysPresent === undefined
          ? { error: new CallError('iam:GetAccountSummary', 'Missing', 'iam:GetAccountSummary gave no AccountAccessKeysPresent'), source }
          : { value: m.AccountAccessKeysPresent > 0, source: `${source}: AccountAccessKeysPresent ${m.AccountAccessKeysPresent}` };
      return { mfa, keys };
    } catch (err) {
      return { mfa: { error: err, source }, keys: { error: err, source } };
    }
  })();
  const password = (async (): Promise<AccountFact<number>> => {
    const source = `iam:GetAccountPasswordPolicy (${account.id})`;
    try {
      const out = await live.call<{ PasswordPolicy?: { MinimumPasswordLength?: number } }>(account, region, 'iam:GetAccountPasswordPolicy');
      const n = out.PasswordPolicy?.MinimumPasswordLength ?? 0;
      return { value: n, source: `${source}: MinimumPasswordLength ${n}` };
    } catch (err) {
      if (err instanceof CallError && (err.code === 'NoSuchEntityException' || err.code === 'NoSuchEntity')) {
        return { value: 0, source: `${source}: no password policy (IAM defaults apply)` };
      }
      return { error: err, source };
    }
  })();
  const users = (async (): Promise<AccountFact<string[]>> => {
    const source = `iam:GetCredentialReport (${account.id})`;
    try {
      await live.call(account, region, 'iam:GenerateCredentialReport');
      const wait = options.reportWaitMs ?? 1000;
      for (let attempt = 0; ; attempt++) {
        try {
          const out = await live.call<{ Content?: Uint8Array }>(account, region, 'iam:GetCredentialReport');
          const rows = parseCredentialReport(Buffer.from(out.Content ?? new Uint8Array()).toString('utf8'));
          const without = rows
            .filter((r) => r.user !== '<root_account>' && r.password_enabled === 'true' && r.mfa_active !== 'true')
            .map((r) => `${account.id}/${r.user}`);
          return { value: without, source: `${source}: ${rows.length} principals` };
        } catch (err) {
          const notReady = err instanceof CallError && /CredentialReportNotReady|CredentialReportNotPresent/.test(err.code);
          if (!notReady || attempt >= 4) throw err;
          await sleep(wait);
        }
      }
    } catch (err) {
      return { error: err, source };
    }
  })();
  const s = await summary;
  return { rootMfa: s.mfa, rootAccessKeys: s.keys, passwordMinLength: await password, consoleUsersWithoutMfa: await users };
}
