// POST {campaign_id, max?} -> {sent, requeued, failed, throttled, next_slot_at}
// Seed 004's campaign dispatcher: sends the next pending targets of a campaign to the WhatsApp
// Business API, at most CHANNEL_LIMIT_PER_MINUTE per channel (the campaign's business number) in
// any minute. The window lives in the database (claim_campaign_targets), so every instance of
// this function shares it; it is counted a little longer than a minute (CHANNEL_WINDOW_MS) to
// cover the time between a claim and the API receiving the message. A 429 from the API puts the
// target back (and the rest of the claim with it); an unreachable API is a 502 that puts every
// claimed target back: nothing is left half-sent.
import { asCaller, sqlState } from "../_shared/db.ts";
import { claimsOf } from "../_shared/auth.ts";
import { error, isUuid, json, jsonBody } from "../_shared/http.ts";

const WABA_API_URL = (Deno.env.get("WABA_API_URL") ?? "https://graph.facebook.com").replace(/\/$/, "");
const WABA_TOKEN = Deno.env.get("WABA_TOKEN") ?? "";
const LIMIT = Number(Deno.env.get("CHANNEL_LIMIT_PER_MINUTE") ?? "250");
const WINDOW_MS = Number(Deno.env.get("CHANNEL_WINDOW_MS") ?? "62000");
const DEFAULT_MAX = 25;
const MAX_MAX = 1000;
const PARALLEL_SENDS = 8;

interface Claimed {
  target_id: string | null;
  phone: string | null;
  channel_id: string;
  next_slot_at: string | null;
}

type Outcome = "sent" | "requeue" | "failed" | "unreachable";

async function send(t: Claimed): Promise<{ outcome: Outcome; detail?: string }> {
  try {
    const res = await fetch(`${WABA_API_URL}/v17.0/${t.channel_id}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${WABA_TOKEN}` },
      body: JSON.stringify({
        messaging_product: "whatsapp",
        to: t.phone,
        type: "template",
        template: { name: "campaign", language: { code: "en" } },
      }),
    });
    await res.body?.cancel();
    if (res.ok) return { outcome: "sent" };
    if (res.status === 429 || res.status >= 500) return { outcome: "requeue", detail: `${res.status}` };
    return { outcome: "failed", detail: `${res.status}` };
  } catch (e) {
    return { outcome: "unreachable", detail: e instanceof Error ? e.message : String(e) };
  }
}

Deno.serve(async (req) => {
  if (req.method !== "POST") {
    return error(405, "use POST");
  }
  const body = await jsonBody(req);
  if (!body) {
    return error(400, "body must be a JSON object");
  }
  const { campaign_id, max = DEFAULT_MAX } = body;
  if (!isUuid(campaign_id)) {
    return error(400, "campaign_id must be a uuid");
  }
  if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > MAX_MAX) {
    return error(400, `max must be an integer in 1..${MAX_MAX}`);
  }
  const claims = claimsOf(req);
  let claimed: Claimed[];
  try {
    claimed = await asCaller(claims, (tx) =>
      tx`SELECT target_id, phone, channel_id, next_slot_at
         FROM claim_campaign_targets(${campaign_id}, ${max}, ${LIMIT}, make_interval(secs => ${WINDOW_MS / 1000}))`
    );
  } catch (e) {
    switch (sqlState(e)) {
      case "P0002":
        return error(404, (e as Error).message);
      case "22023":
        return error(422, (e as Error).message);
      case "42501":
        return error(403, "only the service role dispatches campaigns");
      default:
        throw e;
    }
  }
  const targets = claimed.filter((t) => t.target_id !== null);
  if (targets.length === 0) {
    return json({ sent: 0, requeued: 0, failed: 0, throttled: claimed.length > 0, next_slot_at: claimed[0]?.next_slot_at ?? null });
  }
  const results: Outcome[] = new Array(targets.length);
  let stop: string | null = null;
  let unreachable: string | null = null;
  for (let i = 0; i < targets.length; i += PARALLEL_SENDS) {
    const chunk = targets.slice(i, i + PARALLEL_SENDS);
    if (stop !== null) {
      chunk.forEach((_, j) => (results[i + j] = "requeue"));
      continue;
    }
    const outcomes = await Promise.all(chunk.map(send));
    outcomes.forEach((o, j) => {
      results[i + j] = o.outcome;
      if (o.outcome === "requeue") stop ??= `the API answered ${o.detail}`;
      if (o.outcome === "unreachable") {
        stop ??= "unreachable";
        unreachable ??= o.detail ?? "unknown error";
      }
    });
  }
  const back = targets.filter((_, i) => results[i] === "requeue" || results[i] === "unreachable");
  const failed = targets.filter((_, i) => results[i] === "failed");
  if (back.length + failed.length > 0) {
    await asCaller(claims, async (tx) => {
      for (const t of back) await tx`SELECT release_campaign_target(${t.target_id}, 'pending')`;
      for (const t of failed) await tx`SELECT release_campaign_target(${t.target_id}, 'failed')`;
    });
  }
  if (unreachable !== null) {
    return error(502, `WhatsApp Business API unreachable at ${WABA_API_URL} (${unreachable}); ` +
      `${back.length} claimed targets put back to pending`);
  }
  const sent = results.filter((r) => r === "sent").length;
  return json({ sent, requeued: back.length, failed: failed.length, throttled: stop !== null, next_slot_at: null });
});
