/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { ConsoleEnv, ConsoleKit } from "../kit.js";

/** The approver's inbox and review, and what a campaign's page lets each role do: approve, send back, launch, pause, resume, cancel. */
export function reviewPages(_kit: ConsoleKit) {
  return new Hono<ConsoleEnv>();
}
