/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";

/** The campaign wizard: a new campaign step by step, editing a draft, preview and test send, submit. */
export function campaignEditorPages(_kit: ConsoleKit) {
  return new Hono<ConsoleEnv>();
}
