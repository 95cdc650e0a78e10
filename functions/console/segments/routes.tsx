/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";

/** The segment builder: segments listed, built visually with a live count, versions, archive. */
export function segmentPages(_kit: ConsoleKit) {
  return new Hono<ConsoleEnv>();
}
