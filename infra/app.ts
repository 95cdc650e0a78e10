import { App } from "aws-cdk-lib";
import { parseGroupRoleMap } from "../shared/adapters/identity/federated-roles.js";
import { QuietHoursSetting } from "../shared/delivery/quiet-hours.js";
import type { Federation } from "./constructs/staff-identity.js";
import { API_PROTECTION_DEFAULTS, PlatformStack } from "./stacks/platform-stack.js";

const app = new App();

/** A whole number of at least `min` from the context, or `fallback` when the context has none. */
function integerContext(name: string, fallback: number, min = 1): number {
  const raw = app.node.tryGetContext(name);
  const value = Number(raw ?? fallback);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`context ${name} must be an integer of at least ${min}, got ${raw}`);
  }
  return value;
}

// Context comes from cdk.json or the command line (`-c fanoutShards=16`), where it is a string.
const mailFrom = String(app.node.tryGetContext("mailFrom") ?? "offers@example-bank.com");
const fanoutShards = integerContext("fanoutShards", 8);

// What the API accepts: requests per second and burst for the whole stage, and requests per five
// minutes from one IP to the customer pages (WAF takes no limit under 10).
const defaults = API_PROTECTION_DEFAULTS;
const apiThrottling = {
  rateLimit: integerContext("apiRateLimit", defaults.apiThrottling.rateLimit),
  burstLimit: integerContext("apiBurstLimit", defaults.apiThrottling.burstLimit),
};
const customerPageRateLimit = integerContext("customerPageRateLimit", defaults.customerPageRateLimit, 10);

// Real customers are not emailed at night: on by default when deployed, "off" to disable.
const quietHours = String(app.node.tryGetContext("quietHours") ?? "21-8");
const parsedQuietHours = QuietHoursSetting.safeParse(quietHours);
if (!parsedQuietHours.success)
  throw new Error(`context quietHours: ${parsedQuietHours.error.issues[0].message}, got ${quietHours}`);

// Emails per second, below the account's SES quota (`-c maxSendRate=10`); SES's own quota when absent.
const maxSendRateContext = app.node.tryGetContext("maxSendRate");
const maxSendRate = maxSendRateContext === undefined ? undefined : integerContext("maxSendRate", 1);
// Sender instances at once (`-c senderConcurrency=4`): enough for sends to keep up with the quota.
// Lambda's SQS event source takes 2 to 1,000.
const senderConcurrency = integerContext("senderConcurrency", 2, 2);

// Where the alarms are emailed (`-c alarmEmail=ops@bank.example`); SNS asks the address to
// confirm first. Other endpoints subscribe to the AlarmTopicArn output.
const alarmEmailContext = app.node.tryGetContext("alarmEmail");
const alarmEmail = alarmEmailContext === undefined ? undefined : String(alarmEmailContext).trim();
if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail))
  throw new Error(`context alarmEmail must be an email address, got ${alarmEmailContext}`);

// Staff sign in with the bank's own accounts when the context names its identity provider:
// `-c federation=saml -c federationName=BankAD -c federationMetadataUrl=https://...`, or
// `-c federation=oidc -c federationName=BankIdP -c federationIssuer=https://... -c federationClientId=...
//  -c federationClientSecretName=<Secrets Manager secret>`. README, "Signing in".
function federationContext(): Federation | undefined {
  const type = app.node.tryGetContext("federation");
  if (type === undefined) return undefined;
  const need = (name: string) => {
    const value = app.node.tryGetContext(name);
    if (typeof value !== "string" || value.trim() === "") throw new Error(`context federation=${type} needs ${name}`);
    return value.trim();
  };
  const name = need("federationName");
  const groupClaim = app.node.tryGetContext("federationGroupClaim");
  const groupRoles = app.node.tryGetContext("federationGroups");
  if ((groupClaim === undefined) !== (groupRoles === undefined))
    throw new Error(
      "context federationGroupClaim and federationGroups go together: the claim carrying the groups, and the role of each",
    );
  const groups =
    groupClaim === undefined
      ? {}
      : {
          groups: {
            claim: need("federationGroupClaim"),
            roles: parseGroupRoleMap(typeof groupRoles === "string" ? groupRoles : JSON.stringify(groupRoles)),
          },
        };
  if (type === "saml") return { type, name, metadataUrl: need("federationMetadataUrl"), ...groups };
  if (type === "oidc")
    return {
      type,
      name,
      issuer: need("federationIssuer"),
      clientId: need("federationClientId"),
      clientSecretName: need("federationClientSecretName"),
      ...groups,
    };
  throw new Error(`context federation must be saml or oidc, got ${type}`);
}
const signInDomainPrefix = app.node.tryGetContext("signInDomainPrefix");

new PlatformStack(app, "CrossSellCampaigns", {
  mailFrom,
  fanoutShards,
  quietHours,
  apiThrottling,
  customerPageRateLimit,
  maxSendRate,
  senderConcurrency,
  alarmEmail,
  signInDomainPrefix: signInDomainPrefix === undefined ? undefined : String(signInDomainPrefix),
  federation: federationContext(),
  // Left unresolved when no credentials are around, so synth works offline.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
