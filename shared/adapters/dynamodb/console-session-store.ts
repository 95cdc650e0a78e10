import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ConsoleSession, type ConsoleSessionStore, PendingLogin } from "../../console/session.js";
import { Language } from "../../kernel/language.js";
import { documentClient } from "./client.js";
import { keys } from "./keys.js";

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);
/** DynamoDB's TTL removes an item some time after it expired: a read checks the time itself. */
const live = (item: Record<string, unknown> | undefined) =>
  item && typeof item.expiresAt === "number" && item.expiresAt > Date.now() / 1000 ? item : undefined;

/**
 * Console sessions and sign-ins under way in the campaigns table, each one item expiring by the
 * table's TTL attribute (`expiresAt`, epoch seconds), which every read checks too.
 */
export class DynamoDbConsoleSessionStore implements ConsoleSessionStore {
  constructor(private readonly table: string) {}

  async save(session: ConsoleSession, expiresAt: Date) {
    await documentClient.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.consoleSession(session.sessionKey), ...session, expiresAt: epochSeconds(expiresAt) },
      }),
    );
  }

  async get(sessionKey: string) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: this.table, Key: keys.consoleSession(sessionKey), ConsistentRead: true }),
    );
    const item = live(Item);
    return item ? ConsoleSession.parse(item) : null;
  }

  async delete(sessionKey: string) {
    await documentClient.send(new DeleteCommand({ TableName: this.table, Key: keys.consoleSession(sessionKey) }));
  }

  async savePendingLogin(login: PendingLogin, expiresAt: Date) {
    await documentClient.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.consoleLogin(login.stateKey), ...login, expiresAt: epochSeconds(expiresAt) },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async takePendingLogin(stateKey: string) {
    const { Attributes } = await documentClient.send(
      new DeleteCommand({ TableName: this.table, Key: keys.consoleLogin(stateKey), ReturnValues: "ALL_OLD" }),
    );
    const item = live(Attributes);
    return item ? PendingLogin.parse(item) : null;
  }

  async languageOf(userId: string) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: this.table, Key: keys.consoleLanguage(userId) }),
    );
    const language = Language.safeParse(Item?.language);
    return language.success ? language.data : null;
  }

  async rememberLanguage(userId: string, language: Language) {
    await documentClient.send(
      new PutCommand({ TableName: this.table, Item: { ...keys.consoleLanguage(userId), language } }),
    );
  }
}
