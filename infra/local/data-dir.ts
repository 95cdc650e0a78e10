import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { LocalStartError } from "./emulators.js";
import { newSigningKey, type SigningKey } from "./oidc-provider.js";
import { sentJournalPath } from "./ses-events.js";

/**
 * The folder where `npm start` keeps its data between runs: DynamoDB Local's database file, the
 * link-signing secret (so that links in emails of an earlier run still verify), the local sign-in
 * provider's signing key (so that a token issued before a restart still verifies) and the journal
 * of every email the SES stand-in accepted. The queues and the SNS topic (fauxqs) and the SES
 * emulator's inbox live in memory and start empty each time.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL("../../.local/data", import.meta.url));

/** What a data folder holds; `--fresh` deletes a folder holding nothing else. */
export const dataPaths = (dataDir: string) => ({
  dynamodb: join(dataDir, "dynamodb"),
  linkSigningSecret: join(dataDir, "link-signing-secret"),
  oidcSigningKey: join(dataDir, "oidc-signing-key.json"),
  sentJournal: sentJournalPath(dataDir),
});

const OWN_ENTRIES = new Set(["dynamodb", "link-signing-secret", "oidc-signing-key.json", "ses"]);

/**
 * Empties the data folder for `npm start -- --fresh`. It deletes only a folder that holds
 * nothing but what `npm start` writes there, so that a mistyped LOCAL_DATA_DIR cannot take
 * anything else with it. Whether there was anything to delete.
 */
export function clearDataDir(dataDir: string): boolean {
  const path = resolve(dataDir);
  if (!existsSync(path)) return false;
  const foreign = readdirSync(path).filter((entry) => !OWN_ENTRIES.has(entry));
  if (foreign.length > 0)
    throw new LocalStartError(
      `${path} holds more than npm start's data (${foreign.slice(0, 3).join(", ")}): --fresh deletes nothing there; point LOCAL_DATA_DIR at a folder of its own`,
    );
  rmSync(path, { recursive: true, force: true });
  return true;
}

/**
 * The data folder's link-signing secret, created on first use (readable by its owner only);
 * without a data folder, a new random one per start.
 */
export function linkSigningSecret(dataDir: string | undefined): string {
  const fresh = () => randomBytes(32).toString("base64url");
  if (dataDir === undefined) return fresh();
  const file = dataPaths(dataDir).linkSigningSecret;
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, fresh(), { flag: "wx", mode: 0o600 }); // only when there is none yet
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < 32)
    throw new LocalStartError(
      `${file} holds no usable link-signing secret: delete it, or start empty with npm start -- --fresh`,
    );
  return secret;
}

/**
 * The local provider's RSA signing key as a private JWK, kept in the data folder (readable by its
 * owner only) and made on first use; without a data folder, a new one per start.
 */
export function oidcSigningKey(dataDir: string | undefined): SigningKey {
  if (dataDir === undefined) return newSigningKey();
  const file = dataPaths(dataDir).oidcSigningKey;
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, JSON.stringify(newSigningKey()), { flag: "wx", mode: 0o600 }); // only when there is none yet
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  try {
    const key = JSON.parse(readFileSync(file, "utf8"));
    if (key.kty === "RSA" && key.d && typeof key.kid === "string") return key;
  } catch {
    // Unreadable: said below.
  }
  throw new LocalStartError(
    `${file} holds no usable signing key: delete it (everyone signs in again), or start empty with npm start -- --fresh`,
  );
}

/** How many items a table holds: a counting Scan, cheap enough locally. */
export async function countItems(dynamodb: DynamoDBClient, table: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, import("@aws-sdk/client-dynamodb").AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: table, Select: "COUNT", ExclusiveStartKey }));
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}
