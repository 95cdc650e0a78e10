import { GetSendQuotaCommand, SESClient } from "@aws-sdk/client-ses";
import type { SendQuota } from "../../delivery/ports.js";

/** One client per container. Locally AWS_ENDPOINT_URL_SES points it at the SES stand-in, which answers this. */
const ses = new SESClient({});

/**
 * The account's maximum send rate, from SES v1 GetSendQuota (`MaxSendRate`, emails per
 * second). The caller (SendRate) keeps it for a few minutes, so this is one call per container
 * now and then. `ses:GetSendQuota` cannot be scoped to a resource in IAM.
 */
export class SesSendQuota implements SendQuota {
  async maxSendRate(): Promise<number> {
    const { MaxSendRate } = await ses.send(new GetSendQuotaCommand({}));
    if (MaxSendRate === undefined || !(MaxSendRate > 0)) throw new Error(`SES stated no send rate (${MaxSendRate})`);
    return MaxSendRate;
  }
}
