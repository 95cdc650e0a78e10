/** What would tell a client about the server's insides, each with what to look for in a reply. */
const INTERNALS: [string, RegExp][] = [
  ["a stack frame", /^\s*at\s/m],
  ["a stack frame", /\bat \S+ \(/],
  ["a source file and line", /\.(ts|js|mjs|cjs):\d+/],
  ["a dependency path", /node_modules/],
  ["a Node.js internal", /node:internal/],
  ["a file URL", /file:\/\//],
  ["the Lambda code directory", /\/var\/task\b/],
  ["the repository's directory", new RegExp(process.cwd().replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))],
];

/** The internals a reply's text shows (stack frames, source, dependency or code paths); none is the only good answer. */
export const internalsIn = (text: string): string[] =>
  INTERNALS.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);
