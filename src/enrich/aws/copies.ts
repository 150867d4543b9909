/**
 * The copies AWS makes for you: Bedrock model invocation logging (per account and region: prompts and completions
 * written to S3 and/or CloudWatch Logs) and SageMaker endpoint data capture (requests written to S3). Each destination
 * must be a node of the map that holds PHI (a flow brings it there); any other is an undeclared PHI path.
 */
import type { AccountRef, Target } from './accounts.js';
import type { LiveContext } from './context.js';

/** A place AWS writes a copy of PHI to. */
export interface Destination {
  readonly kind: 's3' | 'logs' | 'sqs';
  readonly name: string;
  /** What writes there, for the finding: `Bedrock model invocation logs (prod, us-east-1)`. */
  readonly what: string;
  /** `s3://bucket/prefix`, `log group /aws/bedrock/...`, `queue name`. */
  readonly shown: string;
}

export interface BedrockLogging {
  /** Destinations of prompt text; empty when logging is off or keeps no text. */
  readonly destinations: Destination[];
  readonly source: string;
}

export async function bedrockLogging(live: LiveContext, account: AccountRef, region: string): Promise<BedrockLogging> {
  const source = `bedrock:GetModelInvocationLoggingConfiguration (${account.id}, ${region})`;
  const out = await live.call<{
    loggingConfig?: {
      textDataDeliveryEnabled?: boolean;
      s3Config?: { bucketName?: string; keyPrefix?: string };
      cloudWatchConfig?: { logGroupName?: string; largeDataDeliveryS3Config?: { bucketName?: string; keyPrefix?: string } };
    };
  }>(account, region, 'bedrock:GetModelInvocationLoggingConfiguration');
  const c = out.loggingConfig;
  if (!c) return { destinations: [], source: `${source}: not configured` };
  if (c.textDataDeliveryEnabled === false) return { destinations: [], source: `${source}: on, without text (no prompts kept)` };
  const what = `Bedrock model invocation logs (${account.id}, ${region})`;
  const d: Destination[] = [];
  const s3 = (b: { bucketName?: string; keyPrefix?: string } | undefined) => {
    if (b?.bucketName) d.push({ kind: 's3', name: b.bucketName, what, shown: `s3://${b.bucketName}/${b.keyPrefix ?? ''}` });
  };
  s3(c.s3Config);
  if (c.cloudWatchConfig?.logGroupName)
    d.push({ kind: 'logs', name: c.cloudWatchConfig.logGroupName, what, shown: `log group ${c.cloudWatchConfig.logGroupName}` });
  s3(c.cloudWatchConfig?.largeDataDeliveryS3Config);
  return { destinations: d, source: `${source}: text delivery on, to ${d.map((x) => x.shown).join(', ') || 'no destination'}` };
}

export async function dataCapture(live: LiveContext, target: Target): Promise<BedrockLogging> {
  const { account } = target;
  const region = target.locator.region ?? account.regions[0]!;
  const name = target.locator.name;
  const ep = await live.call<{ EndpointConfigName?: string }>(account, region, 'sagemaker:DescribeEndpoint', { EndpointName: name });
  const source = `sagemaker:DescribeEndpointConfig ${ep.EndpointConfigName ?? '?'} of endpoint ${name} (${account.id}, ${region})`;
  const cfg = await live.call<{ DataCaptureConfig?: { EnableCapture?: boolean; DestinationS3Uri?: string; CaptureOptions?: { CaptureMode?: string }[] } }>(
    account,
    region,
    'sagemaker:DescribeEndpointConfig',
    { EndpointConfigName: ep.EndpointConfigName },
  );
  const dc = cfg.DataCaptureConfig;
  if (!dc?.EnableCapture || !dc.DestinationS3Uri) return { destinations: [], source: `${source}: data capture off` };
  const modes = (dc.CaptureOptions ?? []).map((o) => o.CaptureMode).join('+') || 'Input+Output';
  const bucket = /^s3:\/\/([^/]+)/.exec(dc.DestinationS3Uri)?.[1] ?? dc.DestinationS3Uri;
  return {
    destinations: [{ kind: 's3', name: bucket, what: `SageMaker data capture (${modes}) of endpoint ${name}`, shown: dc.DestinationS3Uri }],
    source: `${source}: capturing ${modes} to ${dc.DestinationS3Uri}`,
  };
}
