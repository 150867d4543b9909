/**
 * Who manages a KMS key (KeyManager CUSTOMER or AWS) and whether a customer key rotates. Asked once per key and
 * account, in the key's own region (an ARN names it). Since AWS encrypts S3 and CloudWatch Logs by default, the
 * key's manager is the fact that can contradict a map's `encryption.key`.
 */
import type { AccountRef } from './accounts.js';
import type { LiveContext } from './context.js';

export interface KeyFacts {
  readonly key: 'customer-managed' | 'provider-managed';
  /** Customer keys only; undefined when not asked or not readable. */
  readonly rotation?: boolean | undefined;
  readonly rotationError?: unknown;
  readonly source: string;
}

export function keyReader(live: LiveContext): (account: AccountRef, region: string, keyId: string) => Promise<KeyFacts> {
  const cache = new Map<string, Promise<KeyFacts>>();
  return (account, region, keyId) => {
    const keyRegion = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(keyId)?.[1] ?? region;
    const k = `${account.id}\u0000${keyRegion}\u0000${keyId}`;
    let p = cache.get(k);
    if (!p) {
      p = (async () => {
        const source = `kms:DescribeKey ${keyId} (${account.id}, ${keyRegion})`;
        const out = await live.call<{ KeyMetadata?: { KeyManager?: string; KeyId?: string; KeySpec?: string } }>(account, keyRegion, 'kms:DescribeKey', {
          KeyId: keyId,
        });
        const manager = out.KeyMetadata?.KeyManager;
        if (manager !== 'CUSTOMER') return { key: 'provider-managed', source: `${source}: KeyManager ${manager ?? 'not given'}` };
        try {
          const rot = await live.call<{ KeyRotationEnabled?: boolean }>(account, keyRegion, 'kms:GetKeyRotationStatus', {
            KeyId: out.KeyMetadata?.KeyId ?? keyId,
          });
          return { key: 'customer-managed', rotation: rot.KeyRotationEnabled === true, source: `${source}: KeyManager CUSTOMER` };
        } catch (err) {
          return { key: 'customer-managed', rotationError: err, source: `${source}: KeyManager CUSTOMER` };
        }
      })();
      cache.set(k, p);
    }
    return p;
  };
}
