import type * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

export type CustomerPageFirewallProps = {
  /** The REST API stage the web ACL is associated with. */
  stage: apigateway.Stage;
  /** The stage's name as a literal (`stage.stageName` is a CloudFormation reference). */
  stageName: string;
  /**
   * Path prefixes of the customer pages, each starting and ending with "/" ("/o/", "/u/"). The
   * rate limit counts requests whose path starts with one of them.
   */
  customerPages: string[];
  /** Requests one IP may make to the customer pages in five minutes before it is blocked. */
  customerPageRateLimit: number;
};

/** WAF's evaluation window for the rate-based rule: five minutes. */
const RATE_WINDOW_SECONDS = 300;

/**
 * A regional AWS WAF web ACL on the API stage: a per-IP rate limit on the customer pages (public,
 * reached from emails), then AWS's common rule set and known-bad-inputs rule group on every request.
 * Requests no rule blocks are allowed.
 */
export class CustomerPageFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: CustomerPageFirewallProps) {
    super(scope, id);
    // On the execute-api endpoint the path a client sends starts with the stage (/prod/o/...);
    // through a custom domain mapped to the stage it would not (/o/...). Both forms are counted.
    const prefixes = props.customerPages.flatMap((page) => [`/${props.stageName}${page}`, page]);

    this.webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      scope: "REGIONAL",
      description: "Rate limit on the customer pages, AWS managed common and known-bad-inputs rules",
      defaultAction: { allow: {} },
      visibilityConfig: visibility("CrossSellApi"),
      rules: [
        {
          name: "CustomerPagesRateLimit",
          priority: 0,
          statement: {
            rateBasedStatement: {
              limit: props.customerPageRateLimit,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
              aggregateKeyType: "IP",
              scopeDownStatement: {
                orStatement: { statements: prefixes.map(pathStartsWith) },
              },
            },
          },
          // 429 tells a browser or mail client to slow down, where WAF's default 403 would not.
          action: { block: { customResponse: { responseCode: 429 } } },
          visibilityConfig: visibility("CustomerPagesRateLimit"),
        },
        {
          name: "AWSManagedRulesCommonRuleSet",
          priority: 1,
          statement: {
            managedRuleGroupStatement: {
              vendorName: "AWS",
              name: "AWSManagedRulesCommonRuleSet",
              // SizeRestrictions_BODY blocks every body over 8 KB, and the customer import
              // (POST /api/customers/import) takes CSV and NDJSON files of up to 10 MB: it counts
              // instead. API Gateway refuses bodies over 10 MB anyway, and the import route
              // enforces its own limit.
              ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
            },
          },
          overrideAction: { none: {} },
          visibilityConfig: visibility("AWSManagedRulesCommonRuleSet"),
        },
        {
          name: "AWSManagedRulesKnownBadInputsRuleSet",
          priority: 2,
          statement: {
            managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" },
          },
          overrideAction: { none: {} },
          visibilityConfig: visibility("AWSManagedRulesKnownBadInputsRuleSet"),
        },
      ],
    });

    new wafv2.CfnWebACLAssociation(this, "Association", {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

function pathStartsWith(prefix: string): wafv2.CfnWebACL.StatementProperty {
  return {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: "STARTS_WITH",
      searchString: prefix,
      // A percent-encoded path (/%6F/...) must not slip past the limit.
      textTransformations: [{ priority: 0, type: "URL_DECODE" }],
    },
  };
}
