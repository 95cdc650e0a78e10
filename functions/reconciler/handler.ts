import type { ScheduledHandler } from "aws-lambda";
import { platform } from "../../shared/adapters/platform.js";
import { config } from "../../shared/config/index.js";
import { RECONCILE_DEFAULTS, reconcile } from "../../shared/delivery/reconcile.js";
import { logger } from "../../shared/observability/logger.js";

/**
 * Every few minutes (an EventBridge schedule on AWS; a timer, and once at start, locally): finds
 * what waits for a message that will not come, and moves it on (shared/delivery/reconcile.ts).
 * `queuesLost` is the local start's: its in-memory queues are new and empty.
 */
export async function runReconciler(queuesLost = false) {
  const c = config();
  const report = await reconcile(await platform(), {
    lostAfterSeconds: c.RECONCILE_LOST_AFTER_SECONDS,
    unconfirmedAfterSeconds: c.RECONCILE_UNCONFIRMED_AFTER_SECONDS,
    fanoutSilentSeconds: c.RECONCILE_FANOUT_SILENT_SECONDS,
    limit: RECONCILE_DEFAULTS.limit,
    queuesLost,
  });
  const moved = report.shardsResumed + report.requeued + report.unconfirmed;
  (moved > 0 ? logger.warn : logger.info).call(logger, "reconciled", { ...report });
  return report;
}

export const handler: ScheduledHandler = async () => {
  await runReconciler();
};
