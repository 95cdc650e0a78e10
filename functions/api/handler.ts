import { handle } from "hono/aws-lambda";
import { app } from "./app.js";

/** API Gateway HTTP API (payload v2) in front of the same Hono app the local server runs. */
export const handler = handle(app);
