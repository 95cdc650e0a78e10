import { ArnFormat, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import type * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** A work queue and its dead-letter queue, under the name operators know it by ("Send"). */
export type MonitoredQueue = {
  name: string;
  queue: sqs.IQueue;
  deadLetterQueue: sqs.IQueue;
  maxReceiveCount: number;
  /** What a message left in the dead-letter queue holds up, for the alarm's description. */
  stuck: string;
};

export type PlatformMonitoringProps = {
  queues: MonitoredQueue[];
  /** The send queue, whose oldest message says whether sends keep up. */
  sendQueue: sqs.IQueue;
  /**
   * How long a send message may legitimately wait on the send queue: the longest quiet-hours
   * hold (the sender hides a message until the customer's morning). The age alarm adds its
   * margin to this.
   */
  longestSendHold: Duration;
  /** Functions whose every error deserves a look: the queue consumers and the reconciler. */
  alarmedFunctions: { name: string; fn: lambda.IFunction }[];
  /** Functions drawn on the dashboard: the above and the API's. */
  dashboardFunctions: { name: string; fn: lambda.IFunction }[];
  api: apigateway.RestApi;
  /** An address subscribed to the alarm topic (`-c alarmEmail=...`); none when absent. */
  alarmEmail?: string;
};

/**
 * SES's own review thresholds for an account's reputation: past 5% bounces or 0.1% complaints,
 * SES puts the account under review, and at 10% / 0.5% it may pause sending altogether.
 */
export const SES_REVIEW_THRESHOLDS = { bounceRate: 0.05, complaintRate: 0.001 } as const;
/**
 * A warning before review: at 4% bounces or 0.08% complaints there is still time to find the
 * campaign or segment responsible (stale addresses imported from core banking, an offer sent
 * to customers who never asked) and pause it before SES reviews the account. Lower would ring
 * on an ordinary month: the rates are over the account's recent sends, and a bank's own
 * customer addresses bounce at a steady percent or two.
 */
export const SES_WARNING_THRESHOLDS = { bounceRate: 0.04, complaintRate: 0.0008 } as const;

/** Past the longest legitimate hold, sends have this long to leave the queue before it is an alarm. */
const SEND_AGE_MARGIN = Duration.hours(6);

const REDRIVE =
  "Fix the cause first (the function's log says why each message failed), then redrive: " +
  "POST /api/admin/dead-letters/redrive or npm run redrive.";

/**
 * What tells an operator that something needs a person: alarms on an SNS topic (dead letters,
 * function errors, SES reputation, a send queue that does not drain) and one dashboard of the
 * platform's queues, functions, SES and API.
 */
export class PlatformMonitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: PlatformMonitoringProps) {
    super(scope, id);
    this.alarmTopic = this.topic(props.alarmEmail);
    this.action = new SnsAction(this.alarmTopic);

    for (const { name, deadLetterQueue, maxReceiveCount, stuck } of props.queues) {
      this.alarm(`${name}DeadLetters`, {
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // SQS stops reporting a queue nobody has touched for some hours; a dead letter left
        // there must keep the alarm raised, so missing data keeps the state it finds.
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
        alarmDescription:
          `Messages are in the ${name} dead-letter queue: each failed ${maxReceiveCount} times, and ${stuck} ` +
          `until it is redriven. ${REDRIVE}`,
      });
    }

    for (const { name, fn } of props.alarmedFunctions) {
      this.alarm(`${name}Errors`, {
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription:
          `The ${name} function failed in the last 5 minutes: an invocation threw, timed out or ran out of ` +
          "memory (a single queue record that fails is retried on its own and does not count here). Read the " +
          "function's log group for the error. A failed batch is retried, and its messages land in the " +
          "dead-letter queue after maxReceiveCount receives; the reconciler simply runs again 5 minutes later.",
      });
    }

    const hold = props.longestSendHold.toSeconds();
    const oldestSendLimit = Duration.seconds(hold + SEND_AGE_MARGIN.toSeconds());
    this.alarm("SendQueueBacklog", {
      metric: props.sendQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: oldestSendLimit.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // Three periods in a row: one old message about to be sent is not a backlog.
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription:
        `A send message has waited more than ${oldestSendLimit.toHumanString()} on the send queue ` +
        `(${SEND_AGE_MARGIN.toHours()} hours past the longest quiet-hours hold): sends are not keeping up. ` +
        "Check the sender's errors and throttles, SES's sending quota and SES_MAX_SEND_RATE / " +
        "-c maxSendRate, and -c senderConcurrency.",
    });

    for (const level of ["Warning", "Review"] as const) {
      const thresholds = level === "Review" ? SES_REVIEW_THRESHOLDS : SES_WARNING_THRESHOLDS;
      const what = level === "Review" ? "has reached SES's review threshold" : "is nearing SES's review threshold";
      const at = (rate: number, review: number) =>
        level === "Review" ? percent(review) : `${percent(review)}; this warning at ${percent(rate)}`;
      this.alarm(`SesBounceRate${level}`, {
        metric: reputation("Reputation.BounceRate"),
        threshold: thresholds.bounceRate,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // SES reports the rate only now and then; between reports the last one still holds.
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
        alarmDescription:
          `The account's bounce rate ${what} (${at(thresholds.bounceRate, SES_REVIEW_THRESHOLDS.bounceRate)}). ` +
          "Pause the running campaigns, find the segment with stale addresses (bounced deliveries per campaign in the statistics) and correct the data in " +
          "core banking; see the account's reputation page in the SES console.",
      });
      this.alarm(`SesComplaintRate${level}`, {
        metric: reputation("Reputation.ComplaintRate"),
        threshold: thresholds.complaintRate,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
        alarmDescription:
          `The account's complaint rate ${what} ` +
          `(${at(thresholds.complaintRate, SES_REVIEW_THRESHOLDS.complaintRate)}). ` +
          "Customers mark offers as spam: pause the running campaigns, check whom they target and how often, and that the unsubscribe link works; see " +
          "the account's reputation page in the SES console.",
      });
    }

    this.dashboard = this.buildDashboard(props);
  }

  /**
   * Encrypted with a key of the stack's own, as the SES events topic is: CloudWatch may only
   * publish to an encrypted topic whose key policy lets it, which AWS's managed SNS key does not.
   */
  private topic(alarmEmail: string | undefined): sns.Topic {
    const stack = Stack.of(this);
    const key = new kms.Key(this, "AlarmTopicKey", {
      description: "Encrypts the alarm topic (the platform's CloudWatch alarms).",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // No condition here: the topic policy below decides which alarms may publish, and the key
    // encrypts nothing but this topic.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        resources: ["*"], // in a key policy, "*" is this key
      }),
    );
    const topic = new sns.Topic(this, "AlarmTopic", {
      displayName: "Cross-sell campaigns alarms",
      masterKey: key,
      enforceSSL: true,
    });
    // The topic's own policy replaces SNS's default one, so CloudWatch needs its allow; only
    // alarms of this account and region.
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ["sns:Publish"],
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: {
            "aws:SourceArn": stack.formatArn({
              service: "cloudwatch",
              resource: "alarm",
              resourceName: "*",
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { "aws:SourceAccount": stack.account },
        },
      }),
    );
    if (alarmEmail) topic.addSubscription(new EmailSubscription(alarmEmail));
    return topic;
  }

  private alarm(id: string, props: Omit<cloudwatch.AlarmProps, "evaluationPeriods"> & { evaluationPeriods?: number }) {
    // Named, so that a notification says which alarm in words: "CrossSellCampaigns-SendDeadLetters".
    const alarmName = `${Stack.of(this).stackName}-${id}`;
    const alarm = new cloudwatch.Alarm(this, id, { evaluationPeriods: 1, alarmName, ...props });
    alarm.addAlarmAction(this.action);
    // Told when it clears too, so nobody chases what has already recovered.
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }

  private buildDashboard(props: PlatformMonitoringProps): cloudwatch.Dashboard {
    const fiveMinutes = { period: Duration.minutes(5) };
    const sum = { ...fiveMinutes, statistic: cloudwatch.Stats.SUM };
    const max = { ...fiveMinutes, statistic: cloudwatch.Stats.MAXIMUM };
    const graph = (title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, ...extra });
    const perFunction = (f: (fn: lambda.IFunction) => cloudwatch.Metric) =>
      props.dashboardFunctions.map(({ name, fn }) => f(fn).with({ label: name }));
    const ses = (metricName: string) =>
      new cloudwatch.Metric({ namespace: "AWS/SES", metricName, label: metricName, ...sum });

    const dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: Stack.of(this).stackName,
      defaultInterval: Duration.days(1),
    });
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: "Alarms", alarms: this.alarms, width: 24, height: 4 }),
    );
    dashboard.addWidgets(
      ...props.queues.map(({ name, queue }) =>
        graph(`${name} queue: sent, received, waiting`, [
          queue.metricNumberOfMessagesSent({ ...sum, label: "sent" }),
          queue.metricNumberOfMessagesReceived({ ...sum, label: "received" }),
          queue.metricApproximateNumberOfMessagesVisible({ ...max, label: "waiting (visible)" }),
        ]),
      ),
    );
    dashboard.addWidgets(
      graph(
        "Dead-letter queues: messages waiting for a redrive",
        props.queues.map(({ name, deadLetterQueue }) =>
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({ ...max, label: name }),
        ),
      ),
      graph("Send queue: age of the oldest message (s)", [
        props.sendQueue.metricApproximateAgeOfOldestMessage({ ...max, label: "oldest" }),
      ]),
      graph("API: 4xx and 5xx answers", [
        props.api.metricClientError({ ...sum, label: "4xx" }),
        props.api.metricServerError({ ...sum, label: "5xx" }),
      ]),
    );
    dashboard.addWidgets(
      graph(
        "Function errors",
        perFunction((fn) => fn.metricErrors(sum)),
      ),
      graph(
        "Function throttles",
        perFunction((fn) => fn.metricThrottles(sum)),
      ),
      graph(
        "Function duration, p95 (ms)",
        perFunction((fn) => fn.metricDuration({ ...fiveMinutes, statistic: "p95" })),
      ),
    );
    dashboard.addWidgets(
      graph("SES: sends, deliveries, bounces, complaints", ["Send", "Delivery", "Bounce", "Complaint"].map(ses), {
        width: 12,
      }),
      graph(
        "SES reputation: bounce and complaint rates",
        [reputation("Reputation.BounceRate").with({ label: "bounce rate" })],
        {
          width: 12,
          right: [reputation("Reputation.ComplaintRate").with({ label: "complaint rate" })],
          leftAnnotations: [{ value: SES_REVIEW_THRESHOLDS.bounceRate, label: "bounce review" }],
          rightAnnotations: [{ value: SES_REVIEW_THRESHOLDS.complaintRate, label: "complaint review" }],
        },
      ),
    );
    return dashboard;
  }
}

/**
 * The account's reputation rates as SES publishes them (no dimension: the whole account in the
 * region). Hourly, the maximum: SES updates them as sends are counted, over a window of its own.
 */
function reputation(metricName: "Reputation.BounceRate" | "Reputation.ComplaintRate"): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: "AWS/SES",
    metricName,
    period: Duration.hours(1),
    statistic: cloudwatch.Stats.MAXIMUM,
  });
}

const percent = (rate: number) => `${Number((rate * 100).toFixed(2))}%`;
