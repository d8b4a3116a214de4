// GET ?limit=N -> {conversations: [...], count}
// The caller's inbox, newest first, read through the security_invoker view so RLS decides
// what the caller sees.
import { asCaller } from "../_shared/db.ts";
import { claimsOf } from "../_shared/auth.ts";
import { error, json } from "../_shared/http.ts";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

Deno.serve(async (req) => {
  if (req.method !== "GET") {
    return error(405, "use GET");
  }
  const param = new URL(req.url).searchParams.get("limit");
  const limit = param === null ? DEFAULT_LIMIT : Number(param);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return error(400, `limit must be an integer in 1..${MAX_LIMIT}`);
  }
  const conversations = await asCaller(claimsOf(req), (tx) =>
    tx`SELECT id, business_id, kind, channel, title, last_message_at, last_message_preview,
              unread_count, last_read_at
       FROM conversation_list
       ORDER BY last_message_at DESC NULLS LAST
       LIMIT ${limit}`
  );
  return json({ conversations, count: conversations.length });
});
