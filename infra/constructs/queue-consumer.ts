import { Duration } from "aws-cdk-lib";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { QueueDefinition } from "../resources.js";
import { platformFunction } from "./function-defaults.js";

export type QueueConsumerProps = {
  definition: QueueDefinition;
  memorySize: number;
  /** Caps the concurrent invocations the event source starts (at least 2). */
  maxConcurrency?: number;
};

/**
 * A work queue, its dead-letter queue and the function that drains it. The function reports
 * partial batch failures, so one bad record is retried alone and, after `maxReceiveCount`
 * receives, parked in the DLQ instead of blocking the queue.
 */
export class QueueConsumer extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    const { definition } = props;

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: time to find the bug and redrive.
      retentionPeriod: Duration.days(14),
    });

    this.queue = new sqs.Queue(this, "Queue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
    });

    this.fn = platformFunction(this, "Function", {
      handler: definition.handler,
      memorySize: props.memorySize,
      timeout: Duration.seconds(definition.consumerTimeoutSeconds),
    });

    // Also grants the function the receive/delete permissions on the queue.
    this.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: definition.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }
}
