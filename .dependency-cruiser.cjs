/**
 * The boundaries the README's architecture section promises, checked on every CI run.
 * The contexts under shared/ import one way only, kernel first:
 *   kernel <- customers <- segments <- campaigns <- delivery <- responses <- views
 * Type-only imports count too (tsPreCompilationDeps), so a cycle of types fails as well.
 */
const ORDER = ["kernel", "customers", "segments", "campaigns", "delivery", "responses", "views"];

const laterThan = (context) =>
  ORDER.slice(ORDER.indexOf(context) + 1).map((later) => ({
    name: `${context}-not-${later}`,
    comment: `shared/${context} comes before shared/${later} in the contexts' order; move the shared part down or the caller up.`,
    severity: "error",
    from: { path: `^shared/${context}/` },
    to: { path: `^shared/${later}/` },
  }));

const CONTEXTS = `^shared/(${ORDER.join("|")})/`;

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "An import cycle ties modules together so that neither can change or load alone.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...ORDER.flatMap(laterThan),
    {
      name: "domain-not-aws-hono-lambda",
      comment: "Only shared/adapters talks to AWS, Hono or Lambda; the contexts talk to their ports.",
      severity: "error",
      from: { path: "^shared/", pathNot: "^shared/adapters/" },
      to: {
        dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown"],
        path: "(^|/)node_modules/(@aws-sdk/|hono/|@hono/|aws-lambda/|@types/aws-lambda/)",
      },
    },
    {
      name: "domain-not-adapters-or-config",
      comment: "The contexts receive their ports and settings; they never build or read them.",
      severity: "error",
      from: { path: CONTEXTS },
      to: { path: "^shared/(adapters|config|observability)/" },
    },
    {
      name: "shared-not-entry-points",
      comment: "functions/ and infra/ depend on shared/, never the reverse.",
      severity: "error",
      from: { path: "^shared/" },
      to: { path: "^(functions|infra)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
