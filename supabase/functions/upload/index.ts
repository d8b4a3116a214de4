// POST ?conversation_id=<uuid> with a binary body (1–5 MB photos and videos) ->
// {path, size, sha256}. Like Supabase Storage behind a policy: the caller must see the
// conversation (RLS) to attach to it. The body is hashed and discarded: the benchmark measures
// transfer and handling, not disk.
import { asCaller } from "../_shared/db.ts";
import { claimsOf } from "../_shared/auth.ts";
import { error, isUuid, json } from "../_shared/http.ts";

const MAX_BYTES = Number(Deno.env.get("UPLOAD_MAX_BYTES") ?? String(6 * 1024 * 1024));

Deno.serve(async (req) => {
  if (req.method !== "POST" && req.method !== "PUT") {
    return error(405, "use POST or PUT");
  }
  const conversationId = new URL(req.url).searchParams.get("conversation_id");
  if (!isUuid(conversationId)) {
    return error(400, "conversation_id query parameter must be a uuid");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BYTES) {
    return error(413, `body larger than ${MAX_BYTES} bytes`);
  }
  const claims = claimsOf(req);
  const visible = await asCaller(claims, (tx) =>
    tx`SELECT 1 FROM conversations WHERE id = ${conversationId}`
  );
  if (visible.length === 0) {
    return error(403, "conversation not found or not yours");
  }
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.length === 0) {
    return error(400, "empty body");
  }
  if (bytes.length > MAX_BYTES) {
    return error(413, `body larger than ${MAX_BYTES} bytes`);
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return json({
    path: `conversations/${conversationId}/${crypto.randomUUID()}`,
    size: bytes.length,
    sha256,
    content_type: req.headers.get("content-type") ?? "application/octet-stream",
  });
});
