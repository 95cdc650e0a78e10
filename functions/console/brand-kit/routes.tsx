/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { z } from "zod";
import {
  BrandKitConflictError,
  LogoTooLargeError,
  LogoTypeError,
  removeLogo,
  setBrandKit,
  setLogo,
  viewBrandKit,
} from "../../../shared/campaigns/brand-kit.js";
import type { Actor, Role } from "../../../shared/kernel/actor.js";
import { BrandKit } from "../../../shared/kernel/brand.js";
import { ValidationError } from "../../../shared/kernel/errors.js";
import { t } from "../copy/say.js";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";
import {
  BrandKitPage,
  COLOURS,
  DONE,
  type Done,
  FORM_FIELDS,
  type FormField,
  type FormValues,
  type IN_EACH_LANGUAGE,
  LANGUAGES,
  type Problem,
  type Problems,
  valuesOf,
} from "./pages.js";

/** Far above a logo's 100 KB, so that checkLogo names a too-large file's size; anything beyond is refused unread. */
const UPLOAD_MAX_BYTES = 1024 * 1024;

const actorOf = (c: Context<ConsoleEnv>): Actor => {
  const { id, name, role } = c.get("session").user;
  return { kind: "person", id, name, role: role as Role };
};

/** The version the form was shown at; a missing or mangled one is as stale as an old one. */
const versionOf = (posted: unknown) => {
  const version = Number(posted);
  return Number.isInteger(version) && version >= 0 ? version : -1;
};

/**
 * A colour as the admin meant it: the text typed when it differs from what the form showed,
 * else the picker's when that was moved, else the text as it is.
 */
function colourOf(posted: (name: string) => string, field: string): string {
  const typed = posted(field).trim();
  const shown = posted(`${field}.shown`).trim();
  const picked = posted(`${field}.picked`).trim();
  if (typed.toLowerCase() === shown.toLowerCase() && picked && picked.toLowerCase() !== shown.toLowerCase())
    return picked;
  return typed;
}

/** The kit the form describes, field by field as typed. */
function kitOf(values: FormValues) {
  const inEachLanguage = (group: (typeof IN_EACH_LANGUAGE)[number]) =>
    Object.fromEntries(LANGUAGES.map((l) => [l, values[`${group}.${l}`] ?? ""]));
  return {
    name: inEachLanguage("name"),
    legalName: inEachLanguage("legalName"),
    senderName: inEachLanguage("senderName"),
    address: inEachLanguage("address"),
    colours: Object.fromEntries(COLOURS.map((colour) => [colour, values[`colours.${colour}`] ?? ""])),
    hotline: values.hotline ?? "",
  };
}

/** Each issue of BrandKit as the problem of the field it names, in the reader's words. */
function problemsOf(error: z.ZodError): Problems {
  const problems: Problems = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".");
    if (!(FORM_FIELDS as readonly string[]).includes(field) || problems[field as FormField]) continue;
    let problem: Problem = { key: "brandKit.problem.invalid" };
    if (issue.code === "too_small" || issue.code === "invalid_type") problem = { key: "brandKit.problem.required" };
    else if (issue.code === "too_big")
      problem = { key: "brandKit.problem.tooLong", params: { max: Number(issue.maximum) } };
    else if (issue.code === "custom") {
      const ratio = /contrast of ([\d.]+):1/.exec(issue.message)?.[1];
      if (ratio) problem = { key: "brandKit.problem.contrast", params: { ratio } };
    } else if (issue.code === "invalid_format")
      problem = {
        key: field.startsWith("colours.")
          ? "brandKit.problem.colour"
          : field === "hotline"
            ? "brandKit.problem.hotline"
            : "brandKit.problem.markup",
      };
    problems[field as FormField] = problem;
  }
  return problems;
}

/** Why a logo was refused, in the reader's words. */
function logoProblemOf(error: unknown, size: number): Problem | undefined {
  if (error instanceof LogoTooLargeError)
    return { key: "brandKit.problem.logoTooLarge", params: { size: Math.ceil(size / 1024) } };
  if (error instanceof LogoTypeError)
    return { key: /SVG/.test(error.message) ? "brandKit.problem.logoSvg" : "brandKit.problem.logoType" };
  if (error instanceof ValidationError) return { key: "brandKit.problem.logoDamaged" };
  return undefined;
}

/**
 * The administrator's brand kit page (/console/admin/brand): the same use cases as PUT
 * /api/brand-kit and its logo, so the console and the API refuse and record alike.
 */
export function brandKitPages(kit: ConsoleKit) {
  const { ports, base, signedIn, csrfChecked, viewOf } = kit;
  const pageUrl = `${base}/admin/brand`;
  const admins = kit.onlyRoles(["admin"], (language, role) =>
    t(language, "brandKit.forbidden", { role: t(language, `role.${role}`) }),
  );

  const page = async (
    c: Context<ConsoleEnv>,
    status: 200 | 400 | 409 | 413 | 415,
    options: { values?: FormValues; problems?: Problems; done?: Done } = {},
  ) => {
    const [current, history] = await Promise.all([viewBrandKit(ports), ports.brandKits.history()]);
    const data = {
      current,
      history,
      values: options.values ?? valuesOf(current.kit),
      problems: options.problems ?? {},
      done: options.done,
    };
    return c.html(<BrandKitPage view={viewOf(c)} data={data} />, status);
  };
  const posted = async (c: Context<ConsoleEnv>) => {
    const body = await c.req.parseBody();
    return { body, field: (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "") };
  };
  const done = (what: Done) => `${pageUrl}?done=${what}`;

  return new Hono<ConsoleEnv>()
    .get("/admin/brand", signedIn({ touch: true }), admins, async (c) => {
      const asked = c.req.query("done");
      return page(c, 200, { done: (DONE as readonly string[]).includes(asked ?? "") ? (asked as Done) : undefined });
    })
    .post("/admin/brand", signedIn({ touch: true }), admins, csrfChecked, async (c) => {
      const { field } = await posted(c);
      const values: FormValues = Object.fromEntries(
        FORM_FIELDS.map((name) => [name, name.startsWith("colours.") ? colourOf(field, name) : field(name)]),
      );
      const parsed = BrandKit.safeParse(kitOf(values));
      if (!parsed.success) return page(c, 400, { values, problems: problemsOf(parsed.error) });
      const version = versionOf(field("version"));
      try {
        const saved = await setBrandKit(ports, parsed.data, version, actorOf(c));
        return c.redirect(done(saved.version === version ? "unchanged" : "saved"), 303);
      } catch (error) {
        if (error instanceof BrandKitConflictError)
          return page(c, 409, { values, problems: { form: { key: "brandKit.problem.conflict" } } });
        throw error;
      }
    })
    .post(
      "/admin/brand/logo",
      signedIn({ touch: true }),
      admins,
      bodyLimit({
        maxSize: UPLOAD_MAX_BYTES,
        onError: (c) =>
          page(c as Context<ConsoleEnv>, 413, {
            problems: {
              logo: {
                key: "brandKit.problem.logoTooLarge",
                params: { size: Math.ceil(Number(c.req.header("content-length") ?? UPLOAD_MAX_BYTES) / 1024) },
              },
            },
          }),
      }),
      csrfChecked,
      async (c) => {
        const { body, field } = await posted(c);
        const file = body.logo;
        if (!(file instanceof File) || file.size === 0)
          return page(c, 400, { problems: { logo: { key: "brandKit.problem.logoMissing" } } });
        const bytes = new Uint8Array(await file.arrayBuffer());
        try {
          await setLogo(ports, file.type, bytes, versionOf(field("version")), actorOf(c));
          return c.redirect(done("logo"), 303);
        } catch (error) {
          if (error instanceof BrandKitConflictError)
            return page(c, 409, { problems: { form: { key: "brandKit.problem.conflict" } } });
          const problem = logoProblemOf(error, bytes.length);
          if (!problem) throw error;
          const status = error instanceof LogoTooLargeError ? 413 : error instanceof LogoTypeError ? 415 : 400;
          return page(c, status, { problems: { logo: problem } });
        }
      },
    )
    .post("/admin/brand/logo/delete", signedIn({ touch: true }), admins, csrfChecked, async (c) => {
      const { field } = await posted(c);
      try {
        await removeLogo(ports, versionOf(field("version")), actorOf(c));
        return c.redirect(done("logoRemoved"), 303);
      } catch (error) {
        if (error instanceof BrandKitConflictError)
          return page(c, 409, { problems: { form: { key: "brandKit.problem.conflict" } } });
        throw error;
      }
    });
}
