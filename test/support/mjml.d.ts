/** mjml 5 ships no types (and @types/mjml describes mjml 4, whose compile was synchronous): what the layout test uses. */
declare module "mjml" {
  export type MjmlError = { line: number; message: string; tagName: string };
  export default function mjml2html(
    mjml: string,
    options?: { validationLevel?: "strict" | "soft" | "skip" },
  ): Promise<{ html: string; errors: MjmlError[] }>;
}
