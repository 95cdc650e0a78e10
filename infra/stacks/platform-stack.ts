import { type CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as ses from "aws-cdk-lib/aws-ses";
import * as sns from "aws-cdk-lib/aws-sns";
import { SqsSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { QuietHoursSetting } from "../../shared/delivery/quiet-hours.js";
import { CustomerPageFirewall } from "../constructs/customer-page-firewall.js";
import { platformFunction } from "../constructs/function-defaults.js";
import { type ApiThrottling, PlatformApi } from "../constructs/platform-api.js";
import { PlatformMonitoring } from "../constructs/platform-monitoring.js";
import { QueueConsumer } from "../constructs/queue-consumer.js";
import { type Federation, StaffIdentity } from "../constructs/staff-identity.js";
import { dlqEnv, MAIL_EVENTS, QUEUES, SETTINGS_ENV, TABLES, type TableDefinition } from "../resources.js";

export type PlatformStackProps = StackProps & {
  /** The From address of every offer; its domain must be a verified SES identity. */
  mailFrom: string;
  /** How many shards a campaign's fan-out is split into. */
  fanoutShards: number;
  /** QUIET_HOURS for the functions ("21-8", or "off"); the functions' own default when absent. */
  quietHours?: string;
  /** The API stage's throttling, for all callers together; API_PROTECTION_DEFAULTS when absent. */
  apiThrottling?: ApiThrottling;
  /** Requests one IP may make to /o/ and /u/ in five minutes; API_PROTECTION_DEFAULTS when absent. */
  customerPageRateLimit?: number;
  /** SES_MAX_SEND_RATE: emails per second, when lower than the account's SES quota; the quota alone when absent. */
  maxSendRate?: number;
  /** The sender's maxConcurrency: Lambda instances taking batches of ten at once (2 when absent). */
  senderConcurrency?: number;
  /** An address the alarm topic emails (`-c alarmEmail=...`); the topic has no subscription when absent. */
  alarmEmail?: string;
  /** The managed login pages' domain prefix (`-c signInDomainPrefix=...`); `cross-sell-<account>` when absent. */
  signInDomainPrefix?: string;
  /** The bank's identity provider the user pool federates to (`-c federation=saml|oidc ...`, see infra/app.ts). */
  federation?: Federation;
};

/** What a message parked in each dead-letter queue holds up (for the alarms' descriptions). */
const STUCK_WHILE_DEAD_LETTERED: Record<keyof typeof QUEUES, string> = {
  fanout: "part of a campaign's customers is not queued for sending",
  send: "each holds an offer that is not sent",
  feedback: "each holds an SES event (a bounce, complaint or delivery) that is not recorded",
};

/** How often the reconciler looks for deliveries and campaigns that stopped moving. */
export const RECONCILE_EVERY = Duration.minutes(5);

/** What the API accepts when the context does not say (`-c apiRateLimit=...`, see infra/app.ts). */
export const API_PROTECTION_DEFAULTS = {
  apiThrottling: { rateLimit: 50, burstLimit: 100 },
  // A customer opening an offer and answering it makes a handful of requests; 300 in five minutes
  // from one address is a script, or many people behind one NAT.
  customerPageRateLimit: 300,
} as const;

/** The customer pages reached from an email's links (functions/api/routes/customer-pages.ts). */
const CUSTOMER_PAGES = ["/o/", "/u/"];

/** SES's event type names (MAIL_EVENTS) as the configuration set's event destination lists them. */
const SES_EVENT_TYPES: Record<(typeof MAIL_EVENTS.eventTypes)[number], ses.EmailSendingEvent> = {
  Send: ses.EmailSendingEvent.SEND,
  Delivery: ses.EmailSendingEvent.DELIVERY,
  Bounce: ses.EmailSendingEvent.BOUNCE,
  Complaint: ses.EmailSendingEvent.COMPLAINT,
  Reject: ses.EmailSendingEvent.REJECT,
  DeliveryDelay: ses.EmailSendingEvent.DELIVERY_DELAY,
  "Rendering Failure": ses.EmailSendingEvent.RENDERING_FAILURE,
};

/**
 * The whole platform: three tables, three queue consumers, the reconciler, the REST API behind
 * AWS WAF, SES wiring, and the alarms and dashboard.
 */
export class PlatformStack extends Stack {
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);

    const tables = mapValues(TABLES, (definition) => this.table(definition));

    const configurationSet = new ses.ConfigurationSet(this, "ConfigurationSet");

    const secret = new secretsmanager.Secret(this, "PlatformSecret", {
      // No bearer tokens: people and machine clients sign in at the user pool (StaffIdentity), and
      // the functions ignore an apiTokens field. The template keeps its old, empty apiTokens so that
      // an existing stack's secret is not generated anew, which would break every link already emailed.
      description: "linkSigningSecret signs offer and unsubscribe links.",
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ apiTokens: "" }),
        generateStringKey: "linkSigningSecret",
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    Validations.of(secret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "No automatic rotation: linkSigningSecret verifies every offer and unsubscribe link already emailed " +
        "(valid LINK_TTL_DAYS, 30 by default), so rotating it would break unsubscribe links customers hold; " +
        "that needs verification against the previous key too, which the functions do not do yet.",
    });

    const fanout = new QueueConsumer(this, QUEUES.fanout.id, { definition: QUEUES.fanout, memorySize: 512 });
    const sender = new QueueConsumer(this, QUEUES.send.id, {
      definition: QUEUES.send,
      memorySize: 256,
      // The send rate is held to SES's quota by the shared bucket every sender takes a slot from
      // (shared/delivery/send-rate.ts), however many run. This only bounds how many records wait
      // for a slot at once (two batches of ten): raise it when sends take long enough that twenty
      // in flight cannot keep up with the quota.
      maxConcurrency: props.senderConcurrency ?? 2,
    });
    const feedback = new QueueConsumer(this, QUEUES.feedback.id, { definition: QUEUES.feedback, memorySize: 256 });
    const consumers = { fanout, send: sender, feedback };
    const queues = { fanout: fanout.queue, send: sender.queue, feedback: feedback.queue };
    this.mailEvents(configurationSet, feedback.queue);

    const apiFunction = platformFunction(this, "ApiFunction", {
      handler: "api",
      memorySize: 512,
      // API Gateway gives up on an integration after 29 s.
      timeout: Duration.seconds(29),
    });
    const api = new PlatformApi(this, "Api", {
      handler: apiFunction,
      throttling: props.apiThrottling ?? API_PROTECTION_DEFAULTS.apiThrottling,
    });
    // Who signs in: the staff's user pool and its app clients; the API verifies their tokens itself.
    const identity = new StaffIdentity(this, "Identity", {
      consoleCallbackUrls: [`${api.baseUrl}/console/callback`],
      consoleSignedOutUrls: [`${api.baseUrl}/console/signed-out`],
      domainPrefix: props.signInDomainPrefix,
      federation: props.federation,
    });
    for (const [name, value] of Object.entries(identity.apiEnvironment())) apiFunction.addEnvironment(name, value);
    new CustomerPageFirewall(this, "Firewall", {
      stage: api.stage,
      stageName: PlatformApi.STAGE_NAME,
      customerPages: CUSTOMER_PAGES,
      customerPageRateLimit: props.customerPageRateLimit ?? API_PROTECTION_DEFAULTS.customerPageRateLimit,
    });

    // Every few minutes: deliveries left queued or sending with no message to carry them, and
    // campaigns whose every delivery has ended, are moved on (functions/reconciler/handler.ts).
    const reconciler = platformFunction(this, "ReconcilerFunction", {
      handler: "reconciler",
      memorySize: 256,
      timeout: Duration.minutes(5),
    });
    new events.Rule(this, "ReconcilerSchedule", {
      description: "Runs the reconciler, which moves stuck deliveries and campaigns on",
      schedule: events.Schedule.rate(RECONCILE_EVERY),
      targets: [new LambdaFunction(reconciler)],
    });

    const functions = [apiFunction, fanout.fn, sender.fn, feedback.fn, reconciler];

    // Only names and addresses travel in the environment; access comes from the grants below.
    // Added after creation because the functions and the resources they name refer to each
    // other (the API function is behind the REST API whose URL it needs). That is no cycle in
    // CloudFormation: the function depends on the RestApi, the methods and stage on the function.
    const environment: Record<string, string> = {
      [SETTINGS_ENV.mailFrom]: props.mailFrom,
      [SETTINGS_ENV.configurationSet]: configurationSet.configurationSetName,
      [SETTINGS_ENV.publicBaseUrl]: api.baseUrl,
      [SETTINGS_ENV.platformSecretArn]: secret.secretArn,
      FANOUT_SHARDS: String(props.fanoutShards),
      ...(props.quietHours ? { QUIET_HOURS: props.quietHours } : {}),
      ...(props.maxSendRate ? { SES_MAX_SEND_RATE: String(props.maxSendRate) } : {}),
    };
    for (const key of keysOf(TABLES)) environment[TABLES[key].env] = tables[key].tableName;
    for (const key of keysOf(QUEUES)) environment[QUEUES[key].env] = queues[key].queueUrl;
    // Only the reconciler and the API (which redrives) are told where the dead letters are.
    const deadLetterEnvironment = Object.fromEntries(
      keysOf(QUEUES).map((key) => [dlqEnv(QUEUES[key]), consumers[key].deadLetterQueue.queueUrl]),
    );
    const tablesOf = new Map<lambda.IFunction, (keyof typeof TABLES)[]>([[reconciler, ["deliveries", "campaigns"]]]);
    for (const fn of functions) {
      for (const [name, value] of Object.entries(environment)) fn.addEnvironment(name, value);
      const tableKeys = tablesOf.get(fn) ?? keysOf(TABLES);
      for (const key of tableKeys) tables[key].grantReadWriteData(fn);
      // grantReadWriteData covers a table's indexes as `<table ARN>/index/*`.
      for (const key of tableKeys) {
        if (!("indexes" in TABLES[key])) continue;
        const tableLogicalId = this.getLogicalId(tables[key].node.defaultChild as CfnElement);
        Validations.of(fn.role!).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
          reason:
            `The indexes of the ${TABLES[key].id} table, which this stack creates and owns: the wildcard ` +
            "cannot reach beyond that one table's ARN, and only the table's own global secondary indexes match it.",
        });
      }
    }

    for (const fn of [apiFunction, reconciler]) {
      for (const [name, value] of Object.entries(deadLetterEnvironment)) fn.addEnvironment(name, value);
    }

    queues.fanout.grantSendMessages(apiFunction);
    queues.fanout.grantSendMessages(fanout.fn);
    queues.send.grantSendMessages(fanout.fn);
    // A paused campaign's send goes back on the queue as a fresh, delayed copy (shared/delivery/control.ts).
    queues.send.grantSendMessages(sender.fn);
    // The reconciler puts a stuck delivery's send, or a stuck fan-out shard, back on its queue.
    queues.send.grantSendMessages(reconciler);
    queues.fanout.grantSendMessages(reconciler);
    // ...and reads the send queue's backlog first: while sends are still flowing, a queued delivery may be among them.
    queues.send.grant(reconciler, "sqs:GetQueueAttributes");
    // An admin's redrive moves each message itself (receive from the DLQ, send to its queue,
    // delete): fauxqs has no StartMessageMoveTask, and one code path serves both.
    for (const key of keysOf(QUEUES)) {
      consumers[key].deadLetterQueue.grant(
        apiFunction,
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
      );
      queues[key].grantSendMessages(apiFunction);
    }

    // All five, not just the API and the sender: the composition root
    // (shared/adapters/platform.ts) loads the secret in every function at cold start.
    for (const fn of functions) secret.grantRead(fn);

    // SES authorises a send against the sending identity and the configuration set. Identities
    // are matched with a wildcard because in the SES sandbox the recipient's identity is
    // checked too, and those are not known here. The API sends too, but only the test emails
    // staff send themselves (POST /api/campaigns/{id}/test-send), from the same address through
    // the same configuration set, so that a test goes out exactly as the offers do.
    for (const fn of [sender.fn, apiFunction]) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["ses:SendEmail", "ses:SendRawEmail"],
          resources: [
            this.formatArn({ service: "ses", resource: "identity", resourceName: "*" }),
            this.formatArn({
              service: "ses",
              resource: "configuration-set",
              resourceName: configurationSet.configurationSetName,
            }),
          ],
        }),
      );
      Validations.of(fn.role!).acknowledge({
        id: "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]",
        reason:
          "Only ses:SendEmail and ses:SendRawEmail, on identities of this account and region. SES authorises a " +
          "send against every identity involved, and in the SES sandbox that includes each recipient's address, " +
          "which is not known at deploy time. The function only sends from MAIL_FROM.",
      });
    }
    // The sender reads the account's maximum send rate (send-rate.ts). GetSendQuota is an
    // account-level read that IAM does not scope to a resource.
    sender.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ["ses:GetSendQuota"], resources: ["*"] }));
    Validations.of(sender.fn.role!).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "Only ses:GetSendQuota, which reads the account's sending quota (the maximum send rate the sender " +
        "holds itself to). IAM has no resource type for it: it takes only `*`.",
    });

    const monitoring = new PlatformMonitoring(this, "Monitoring", {
      queues: keysOf(QUEUES).map((key) => ({
        name: QUEUES[key].id,
        queue: queues[key],
        deadLetterQueue: consumers[key].deadLetterQueue,
        maxReceiveCount: QUEUES[key].maxReceiveCount,
        stuck: STUCK_WHILE_DEAD_LETTERED[key],
      })),
      sendQueue: queues.send,
      longestSendHold: longestQuietHold(props.quietHours),
      alarmedFunctions: [
        { name: "Fanout", fn: fanout.fn },
        { name: "Sender", fn: sender.fn },
        { name: "Feedback", fn: feedback.fn },
        { name: "Reconciler", fn: reconciler },
        { name: "SignIn", fn: identity.preTokenFunction },
      ],
      dashboardFunctions: [
        { name: "Api", fn: apiFunction },
        { name: "Fanout", fn: fanout.fn },
        { name: "Sender", fn: sender.fn },
        { name: "Feedback", fn: feedback.fn },
        { name: "Reconciler", fn: reconciler },
        { name: "SignIn", fn: identity.preTokenFunction },
      ],
      api: api.restApi,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, "ApiUrl", { value: api.restApi.url });
    new CfnOutput(this, "AlarmTopicArn", {
      description: "The SNS topic every alarm notifies: subscribe the bank's own endpoints to it.",
      value: monitoring.alarmTopic.topicArn,
    });
  }

  /**
   * SES's events about each email (MAIL_EVENTS) → an SNS topic → the feedback queue. SNS, not
   * EventBridge: the local runtime emulates SNS delivering to SQS (fauxqs), so the feedback
   * handler parses the same envelope locally as here. The events name recipients, so the topic
   * is encrypted with a key of the stack's own: SES may only publish to an encrypted topic whose
   * key policy lets it, which AWS's managed SNS key does not.
   */
  private mailEvents(configurationSet: ses.ConfigurationSet, queue: sqs.IQueue): sns.Topic {
    const key = new kms.Key(this, `${MAIL_EVENTS.id}Key`, {
      description: "Encrypts the SES events topic (bounces, complaints, deliveries name the recipients).",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const publishedBySes = {
      StringEquals: {
        "aws:SourceAccount": this.account,
        "aws:SourceArn": this.formatArn({
          service: "ses",
          resource: "configuration-set",
          resourceName: configurationSet.configurationSetName,
        }),
      },
    };
    // SES encrypts what it publishes with the topic's key; SNS decrypts it to deliver to SQS.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        principals: [new iam.ServicePrincipal("ses.amazonaws.com")],
        resources: ["*"], // in a key policy, "*" is this key
        conditions: publishedBySes,
      }),
    );
    const topic = new sns.Topic(this, `${MAIL_EVENTS.id}Topic`, { masterKey: key, enforceSSL: true });
    configurationSet.addEventDestination(MAIL_EVENTS.id, {
      destination: ses.EventDestination.snsTopic(topic),
      events: MAIL_EVENTS.eventTypes.map((type) => SES_EVENT_TYPES[type]),
    });
    // The SNS envelope is kept (no raw delivery), as fauxqs delivers it locally.
    topic.addSubscription(new SqsSubscription(queue));
    return topic;
  }

  private table(definition: TableDefinition): dynamodb.Table {
    const table = new dynamodb.Table(this, `${definition.id}Table`, {
      partitionKey: attribute(definition.partitionKey),
      sortKey: definition.sortKey && attribute(definition.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Customer data outlives the stack: deleting or replacing it must be a deliberate act.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      timeToLiveAttribute: definition.timeToLiveAttribute,
    });
    for (const index of definition.indexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: index.sortKey && attribute(index.sortKey),
      });
    }
    return table;
  }
}

/**
 * The longest a send may wait on the queue for the customer's morning: the quiet hours' length,
 * plus the spread of up to 15 minutes that staggers the morning's sends (shared/delivery/quiet-hours.ts).
 */
function longestQuietHold(quietHours: string | undefined): Duration {
  const quiet = QuietHoursSetting.parse(quietHours ?? "off");
  if (!quiet) return Duration.seconds(0);
  const hours = quiet.from < quiet.to ? quiet.to - quiet.from : 24 - quiet.from + quiet.to;
  return Duration.minutes(hours * 60 + 15);
}

function attribute(key: TableDefinition["partitionKey"]): dynamodb.Attribute {
  return { name: key.name, type: key.type === "S" ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER };
}

const keysOf = Object.keys as <T extends object>(record: T) => (keyof T)[];

function mapValues<K extends string, V, R>(record: Record<K, V>, f: (value: V) => R): Record<K, R> {
  return Object.fromEntries(keysOf(record).map((key) => [key, f(record[key])])) as Record<K, R>;
}
