import { type DeadLetterQueues, QUEUE_NAMES, type QueueName } from "./ports.js";

export type RedriveDeps = { deadLetters: DeadLetterQueues };

export type RedriveReport = {
  moved: Partial<Record<QueueName, number>>;
  /** What is left in each dead-letter queue afterwards: more than `max`, or what the queue refused. */
  left: Record<QueueName, number>;
};

/**
 * Puts the messages of the dead-letter queues back on their queues, once an admin has fixed
 * what made them fail. Nothing is sent twice by it: every consumer is idempotent, and a send
 * message claims its delivery (queued, or counted stuck) only once.
 */
export async function redriveDeadLetters(
  p: RedriveDeps,
  queues: readonly QueueName[] = QUEUE_NAMES,
  max = 1_000,
): Promise<RedriveReport> {
  const moved: RedriveReport["moved"] = {};
  for (const queue of queues) moved[queue] = (await p.deadLetters.redrive(queue, max)).moved;
  return { moved, left: await p.deadLetters.depths() };
}
