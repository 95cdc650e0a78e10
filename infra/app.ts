import { App } from "aws-cdk-lib";
import { QuietHoursSetting } from "../shared/delivery/quiet-hours.js";
import { PlatformStack } from "./stacks/platform-stack.js";

const app = new App();

// Context comes from cdk.json or the command line (`-c fanoutShards=16`), where it is a string.
const mailFrom = String(app.node.tryGetContext("mailFrom") ?? "offers@example-bank.com");
const fanoutShards = Number(app.node.tryGetContext("fanoutShards") ?? 8);
if (!Number.isInteger(fanoutShards) || fanoutShards < 1) {
  throw new Error(`context fanoutShards must be a positive integer, got ${app.node.tryGetContext("fanoutShards")}`);
}

// Real customers are not emailed at night: on by default when deployed, "off" to disable.
const quietHours = String(app.node.tryGetContext("quietHours") ?? "21-8");
const parsedQuietHours = QuietHoursSetting.safeParse(quietHours);
if (!parsedQuietHours.success)
  throw new Error(`context quietHours: ${parsedQuietHours.error.issues[0].message}, got ${quietHours}`);

new PlatformStack(app, "CrossSellCampaigns", {
  mailFrom,
  fanoutShards,
  quietHours,
  // Left unresolved when no credentials are around, so synth works offline.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
