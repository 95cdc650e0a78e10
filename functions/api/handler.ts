import { handle } from "hono/aws-lambda";
import { createApp } from "./app.js";
import { liveApiDeps } from "./deps.js";

type ApiHandler = ReturnType<typeof handle>;

let building: Promise<ApiHandler> | undefined;

/** Built on the first request from the composition root (ports, secrets) and kept for the container's life. */
const app = () => (building ??= liveApiDeps().then((deps) => handle(createApp(deps))));

/** An API Gateway REST API (proxy integration) in front of the same Hono app the local server runs. */
export const handler: ApiHandler = async (event, context) => (await app())(event, context);
