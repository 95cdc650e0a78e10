import { Aws, Fn, Validations } from "aws-cdk-lib";
import * as apigateway from "aws-cdk-lib/aws-apigateway";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

export type ApiThrottling = {
  /** Steady-state requests per second the stage accepts, for all callers together. */
  rateLimit: number;
  /** Requests the stage accepts at once above the steady rate. */
  burstLimit: number;
};

export type PlatformApiProps = {
  /** The function that answers every path: the Hono app behind `hono/aws-lambda`'s `handle`. */
  handler: lambda.IFunction;
  throttling: ApiThrottling;
};

/**
 * A regional REST API that sends every path and method to one function, with stage throttling,
 * access logs and error-level execution logs. REST rather than HTTP API because only a REST API
 * stage can carry an AWS WAF web ACL (see CustomerPageFirewall).
 */
export class PlatformApi extends Construct {
  /** In the URL of the execute-api endpoint: https://{id}.execute-api.{region}.amazonaws.com/{stage}/ */
  static readonly STAGE_NAME = "prod";

  readonly restApi: apigateway.LambdaRestApi;
  readonly stage: apigateway.Stage;
  readonly accessLogs: logs.LogGroup;
  /**
   * The base URL of the stage, built from the API's id and the stage's name rather than read from
   * the stage: the handler's environment carries it, and the stage depends on the handler (through
   * the deployment and the methods), so a reference to the stage would be a cycle.
   */
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);

    // Who called, when, with what answer: no path, because /o/ and /u/ paths carry the signed
    // link token of a customer's email. The request id joins an entry to the function's log.
    this.accessLogs = new logs.LogGroup(this, "AccessLogs", { retention: logs.RetentionDays.ONE_YEAR });
    const F = apigateway.AccessLogField;
    const accessLogFormat = apigateway.AccessLogFormat.custom(
      JSON.stringify({
        requestId: F.contextRequestId(),
        extendedRequestId: F.contextExtendedRequestId(),
        requestTime: F.contextRequestTimeEpoch(),
        ip: F.contextIdentitySourceIp(),
        userAgent: F.contextIdentityUserAgent(),
        httpMethod: F.contextHttpMethod(),
        protocol: F.contextProtocol(),
        status: F.contextStatus(),
        responseLength: F.contextResponseLength(),
        responseLatency: F.contextResponseLatency(),
        integrationLatency: F.contextIntegrationLatency(),
        wafStatus: F.contextWafStatus(),
        errorType: F.contextErrorResponseType(),
      }),
    );

    this.restApi = new apigateway.LambdaRestApi(this, "RestApi", {
      description: "Cross-sell campaign API",
      handler: props.handler,
      // `ANY /` and `ANY /{proxy+}`: the Hono app routes, as it does locally.
      proxy: true,
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // Every request body reaches the function base64-encoded and byte for byte: the customer
      // import reads GBK files, which API Gateway would otherwise pass on as (mangled) UTF-8 text.
      // `hono/aws-lambda` decodes them. Its answers are text (HTML, JSON, CSV), which passes as is.
      binaryMediaTypes: ["*/*"],
      // A REST API writes its logs through the account's API Gateway CloudWatch role, one per
      // account and region; this creates it and sets it (the role is kept if the stack is deleted).
      cloudWatchRole: true,
      deployOptions: {
        stageName: PlatformApi.STAGE_NAME,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat,
        // Execution logs for errors only; never the request and response bodies (`dataTraceEnabled`),
        // which hold customer data.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
      },
    });
    this.stage = this.restApi.deploymentStage;

    // API Gateway writes execution logs to a group of this name, and creates it without expiry if
    // it does not exist yet; created here first, with a retention.
    const executionLogs = new logs.LogGroup(this, "ExecutionLogs", {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${PlatformApi.STAGE_NAME}`,
      retention: logs.RetentionDays.ONE_MONTH,
    });
    this.stage.node.addDependency(executionLogs);

    this.baseUrl = Fn.join("", [
      "https://",
      this.restApi.restApiId,
      ".execute-api.",
      Aws.REGION,
      ".",
      Aws.URL_SUFFIX,
      `/${PlatformApi.STAGE_NAME}`,
    ]);

    this.acknowledgeNagRules();
  }

  /** The cdk-nag AwsSolutions findings this API keeps, each with the reason it is accepted. */
  private acknowledgeNagRules() {
    // On the API, so that they cover both methods (`ANY /` and `ANY /{proxy+}`).
    Validations.of(this.restApi).acknowledge(
      {
        id: "AwsSolutions-APIG4",
        reason:
          "Authorisation happens in the function: every /api path requires an access token from the stack's " +
          "Cognito user pool, verified by the function with aws-jwt-verify (signature, issuer, client, token use, " +
          "expiry), and held to one role matrix (functions/api/access.ts). /health, /openapi.json and the customer pages /o/ and /u/ are " +
          "public by design: a customer reaches them from an email, and each /o/ and /u/ request carries an " +
          "HMAC-signed, expiring link token that the function verifies; the WAF rate-limits them per IP.",
      },
      {
        id: "AwsSolutions-COG4",
        reason:
          "The stack's Cognito user pool signs staff and machine clients in, but its tokens are verified by the " +
          "function, not a Cognito authoriser: one proxy integration serves /api and the public customer pages " +
          "(see APIG4), the role and scope of each route live in the function's matrix, and the same code verifies " +
          "the local provider's tokens.",
      },
      {
        id: "AwsSolutions-APIG2",
        reason:
          "The proxy integration has no API Gateway models to validate against: the function validates each " +
          "request itself (zod schemas on the /api routes, explicit parsing on the customer pages) and answers " +
          "400 on invalid input. The WAF's managed rule groups inspect requests before they reach it.",
      },
    );
    // The role CDK makes for `cloudWatchRole: true`.
    const cloudWatchRole = this.restApi.node.tryFindChild("CloudWatchRole");
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
        reason:
          "The account-wide role API Gateway uses to write REST API logs, one per account and region. It is " +
          "assumable only by apigateway.amazonaws.com, and AWS maintains its policy for that purpose. It cannot " +
          "be scoped to this stack's log groups: every REST API in the account and region logs through it.",
      });
    }
  }
}
