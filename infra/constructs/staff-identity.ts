import { Aws, CfnOutput, Duration, RemovalPolicy, SecretValue, Stack } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { type GroupRoleMap, IDP_GROUPS_ATTRIBUTE } from "../../shared/adapters/identity/federated-roles.js";
import { MACHINE_SCOPES, ROLES } from "../../shared/kernel/actor.js";
import { platformFunction } from "./function-defaults.js";

/**
 * The bank's own identity provider, which the pool federates to when the context names one
 * (`-c federation=saml -c federationName=BankAD -c federationMetadataUrl=https://...`, or
 * `-c federation=oidc -c federationName=BankIdP -c federationIssuer=https://... -c federationClientId=...
 * -c federationClientSecretName=<a Secrets Manager secret holding the client secret>`).
 */
export type Federation = (
  | { type: "saml"; name: string; metadataUrl: string }
  | { type: "oidc"; name: string; issuer: string; clientId: string; clientSecretName: string }
) & {
  /**
   * Roles from the IdP's groups (`-c federationGroupClaim=groups -c federationGroups='{"Marketing":"marketer"}'`):
   * the claim or SAML attribute that carries a person's groups, and the role each group gives.
   */
  groups?: { claim: string; roles: GroupRoleMap };
};

export type StaffIdentityProps = {
  /** Where the console's sign-in returns: authorization code with PKCE (`<api>/console/callback`). */
  consoleCallbackUrls: string[];
  /** Where Cognito's /logout may send a person back to (`<api>/console/signed-out`). */
  consoleSignedOutUrls: string[];
  /** The first part of the managed login pages' address, `<prefix>.auth.<region>.amazoncognito.com`. */
  domainPrefix?: string;
  federation?: Federation;
};

/** The resource server's identifier: a machine client's scopes in its tokens read `cross-sell-api/conversions.write`. */
export const RESOURCE_SERVER_ID = "cross-sell-api";

/**
 * Who signs in, deployed: a Cognito user pool with a group per role, the console's app client
 * (authorization code with PKCE on Cognito's managed login pages), a resource server whose
 * scopes open the machine routes, and core banking's app client (client credentials). The API
 * verifies the pool's access tokens itself (shared/adapters/identity/access-tokens.ts).
 *
 * MFA is required for everyone in the pool. The issue asks it of approvers and admins; Cognito
 * cannot require MFA per group, and the alternatives (an optional pool plus a trigger refusing
 * approvers and admins without MFA) leave a window: a user promoted to approver signs in
 * without a second factor until they enrol, and a marketer's account that can edit customer
 * records is worth protecting as much. One pool-wide rule is simpler to audit. TOTP only: SMS
 * codes can be SIM-swapped and need an SNS role and spend limits.
 */
export class StaffIdentity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly consoleClient: cognito.UserPoolClient;
  readonly machineClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** Runs before every token is issued: a failure here stops every sign-in, so it is alarmed. */
  readonly preTokenFunction: lambda.IFunction;

  constructor(scope: Construct, id: string, props: StaffIdentityProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, "UserPool", {
      // An admin creates every user (README, "Signing in"): nobody signs themself up.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      // The sign-in name is what approvals and the audit trail record: it must not be reused differently-cased.
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      // Where a federated person's IdP groups land at each sign-in, for the pre-token trigger to map to roles.
      ...(props.federation?.groups
        ? { customAttributes: { [IDP_GROUPS_ATTRIBUTE]: new cognito.StringAttribute({ mutable: true, maxLen: 2048 }) } }
        : {}),
      // A bank's policy: long passphrases of every character kind, a temporary password valid for a day.
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(1),
        passwordHistorySize: 12,
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Recovery by email only; without a verified email, an admin resets the password.
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      autoVerify: { email: true },
      // Threat protection in full: compromised credentials are refused, risky sign-ins challenged.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      // The staff's accounts outlive the stack, like the customer data.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Before each token: the access token gets the person's email (the console's test send goes
    // there), and a federated person the roles their IdP groups map to (functions/pre-token).
    const preToken = platformFunction(this, "PreTokenFunction", {
      handler: "pre-token",
      memorySize: 256,
      timeout: Duration.seconds(5),
    });
    this.preTokenFunction = preToken;
    preToken.addEnvironment("FEDERATED_GROUP_ROLES", JSON.stringify(props.federation?.groups?.roles ?? {}));
    this.userPool.addTrigger(
      cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      preToken,
      cognito.LambdaVersion.V2_0,
    );

    for (const role of ROLES) {
      new cognito.UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: `Staff with the ${role} role (functions/api/access.ts says what it may do)`,
      });
    }

    const resourceServer = this.userPool.addResourceServer("Api", {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: "Cross-sell campaigns API",
      scopes: MACHINE_SCOPES.map(
        (scopeName) =>
          new cognito.ResourceServerScope({
            scopeName,
            scopeDescription:
              scopeName === "conversions.write"
                ? "POST /api/conversions: core banking reports product openings"
                : "POST /api/customers/import: core banking's customer feed",
          }),
      ),
    });

    const identityProviders = [cognito.UserPoolClientIdentityProvider.COGNITO];
    const federated = props.federation && this.federate(props.federation);
    if (federated) identityProviders.push(cognito.UserPoolClientIdentityProvider.custom(federated.providerName));

    this.consoleClient = this.userPool.addClient("ConsoleClient", {
      userPoolClientName: "console",
      // A public client with PKCE: the console's backend-for-frontend (functions/console) exchanges the code
      // server-side and keeps no token in the browser; a secret would add a second thing to rotate for little.
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE, cognito.OAuthScope.EMAIL],
        callbackUrls: props.consoleCallbackUrls,
        logoutUrls: props.consoleSignedOutUrls,
      },
      supportedIdentityProviders: identityProviders,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(8),
    });
    if (federated) this.consoleClient.node.addDependency(federated);

    this.machineClient = this.userPool.addClient("CoreBankingClient", {
      userPoolClientName: "core-banking",
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: MACHINE_SCOPES.map((scopeName) =>
          cognito.OAuthScope.resourceServer(
            resourceServer,
            new cognito.ResourceServerScope({ scopeName, scopeDescription: scopeName }),
          ),
        ),
      },
      accessTokenValidity: Duration.minutes(15),
      enableTokenRevocation: true,
    });

    this.domain = this.userPool.addDomain("Domain", {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `cross-sell-${Aws.ACCOUNT_ID}` },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // The managed login pages need a style; Cognito's own until the bank brands them.
    new cognito.CfnManagedLoginBranding(this, "LoginBranding", {
      userPoolId: this.userPool.userPoolId,
      clientId: this.consoleClient.userPoolClientId,
      useCognitoProvidedValues: true,
    }).node.addDependency(this.domain);

    new CfnOutput(Stack.of(this), "UserPoolId", { value: this.userPool.userPoolId });
    new CfnOutput(Stack.of(this), "SignInIssuer", {
      description:
        "The OpenID Connect issuer (GET /health names it too); discovery at /.well-known/openid-configuration",
      value: this.userPool.userPoolProviderUrl,
    });
    new CfnOutput(Stack.of(this), "SignInDomain", { value: this.domain.baseUrl() });
    new CfnOutput(Stack.of(this), "ConsoleClientId", { value: this.consoleClient.userPoolClientId });
    new CfnOutput(Stack.of(this), "CoreBankingClientId", {
      description: "Its secret: aws cognito-idp describe-user-pool-client --user-pool-id ... --client-id ...",
      value: this.machineClient.userPoolClientId,
    });
  }

  /** The issuer the API accepts tokens from, and what it checks of them (shared/config: OIDC_*). */
  apiEnvironment(): Record<string, string> {
    return {
      OIDC_ISSUER: this.userPool.userPoolProviderUrl,
      OIDC_CLIENT_IDS: [this.consoleClient.userPoolClientId, this.machineClient.userPoolClientId].join(","),
      OIDC_SCOPE_PREFIX: `${RESOURCE_SERVER_ID}/`,
      // The console signs people in with its own client, and out at the managed login's /logout.
      CONSOLE_CLIENT_ID: this.consoleClient.userPoolClientId,
      OIDC_LOGOUT_URL: `${this.domain.baseUrl()}/logout`,
    };
  }

  /**
   * The bank's staff sign in with the accounts they already have. Their roles come from their
   * groups in this pool, which an admin sets, and, with `groups`, from their IdP groups as well,
   * read afresh at every sign-in (functions/pre-token).
   */
  private federate(federation: Federation): cognito.IUserPoolIdentityProvider & Construct {
    const attributeMapping: cognito.AttributeMapping = {
      email: cognito.ProviderAttribute.other(
        federation.type === "saml" ? "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" : "email",
      ),
      ...(federation.groups
        ? { custom: { [`custom:${IDP_GROUPS_ATTRIBUTE}`]: cognito.ProviderAttribute.other(federation.groups.claim) } }
        : {}),
    };
    if (federation.type === "saml") {
      return new cognito.UserPoolIdentityProviderSaml(this, "Federation", {
        userPool: this.userPool,
        name: federation.name,
        metadata: cognito.UserPoolIdentityProviderSamlMetadata.url(federation.metadataUrl),
        attributeMapping,
      });
    }
    return new cognito.UserPoolIdentityProviderOidc(this, "Federation", {
      userPool: this.userPool,
      name: federation.name,
      issuerUrl: federation.issuer,
      clientId: federation.clientId,
      // A dynamic reference, resolved by CloudFormation: the secret never enters the template.
      clientSecret: SecretValue.secretsManager(federation.clientSecretName).unsafeUnwrap(),
      scopes: ["openid", "email", "profile"],
      attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
      attributeMapping,
    });
  }
}
