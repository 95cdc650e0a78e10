import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Duration, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export type PlatformFunctionProps = {
  /** The folder under `functions/` whose `handler.ts` exports `handler`. */
  handler: string;
  memorySize: number;
  timeout: Duration;
};

/**
 * A NodejsFunction with the settings every function shares. Bundled by the local esbuild, so
 * synth needs neither Docker nor a network.
 */
export function platformFunction(scope: Construct, id: string, props: PlatformFunctionProps): NodejsFunction {
  // An explicit log group instead of `logRetention`: the latter deploys a custom resource whose
  // role needs `Resource: "*"`.
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });

  // An explicit role instead of the one NodejsFunction makes: that one carries the managed
  // AWSLambdaBasicExecutionRole, which may write to every log group in the account. This one may
  // only create streams in, and write to, the function's own log group.
  const role = new iam.Role(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });
  logGroup.grantWrite(role);

  // No `tracing: ACTIVE`: X-Ray's PutTraceSegments can only be granted on `Resource: "*"`, and the
  // stack keeps every statement scoped.
  const fn = new NodejsFunction(scope, id, {
    entry: join(repoRoot, "functions", props.handler, "handler.ts"),
    handler: "handler",
    projectRoot: repoRoot,
    depsLockFilePath: join(repoRoot, "package-lock.json"),
    // The runtime the team builds and tests for (the code runs on Node 20 and 22 locally and in
    // CI). Named, not NODEJS_LATEST, so that a CDK upgrade cannot move it without a change here.
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    logGroup,
    role,
    environment: { NODE_OPTIONS: "--enable-source-maps" },
    bundling: {
      minify: true,
      sourceMap: true,
      // The sources are ESM; CommonJS output would break top-level await and `import.meta`.
      format: OutputFormat.ESM,
      target: "node22",
      mainFields: ["module", "main"],
      // Dependencies that still call `require` need one inside an ES module.
      banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      // Bundle the AWS SDK too: the functions then run the versions pinned in package-lock.json
      // and tested locally, not whatever the Lambda runtime ships that week.
      externalModules: [],
    },
  });
  Validations.of(fn).acknowledge({
    id: "AwsSolutions-L1",
    reason:
      "Node.js 22 is the runtime the platform is built and tested for: its code runs on Node 20 and 22 on the " +
      "developers' machines and in CI, and no test runs it on Node 24; " +
      "moving to a newer runtime is a change of its own, tested first.",
  });
  return fn;
}
