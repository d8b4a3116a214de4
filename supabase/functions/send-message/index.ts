// POST {conversation_id, content, kind?, client_id?} -> {message_id, created_at}
// Sends a message as the caller through send_message(), which checks participation and is
// idempotent per client_id (a retried send returns the first message).
import { asCaller, sqlState } from "../_shared/db.ts";
import { claimsOf } from "../_shared/auth.ts";
import { error, isUuid, json, jsonBody } from "../_shared/http.ts";

const KINDS = new Set(["text", "image", "video", "file", "system"]);
const MAX_CONTENT = 4096;

Deno.serve(async (req) => {
  if (req.method !== "POST") {
    return error(405, "use POST");
  }
  const body = await jsonBody(req);
  if (!body) {
    return error(400, "body must be a JSON object");
  }
  const { conversation_id, content, kind = "text", client_id = null } = body;
  if (!isUuid(conversation_id)) {
    return error(400, "conversation_id must be a uuid");
  }
  if (typeof content !== "string" || content.length === 0 || content.length > MAX_CONTENT) {
    return error(400, `content must be a string of 1..${MAX_CONTENT} characters`);
  }
  if (typeof kind !== "string" || !KINDS.has(kind)) {
    return error(400, "kind must be one of " + [...KINDS].join(", "));
  }
  if (client_id !== null && !isUuid(client_id)) {
    return error(400, "client_id must be a uuid");
  }
  try {
    const rows = await asCaller(claimsOf(req), (tx) =>
      tx`SELECT message_id, created_at FROM send_message(${conversation_id}, ${content}, ${kind}, ${client_id})`
    );
    return json(rows[0]);
  } catch (e) {
    if (sqlState(e) === "42501") {
      return error(403, "not a participant of this conversation");
    }
    throw e;
  }
});
