-- name: message_fetch
-- about: the latest 50 messages of one conversation, as the chat screen opens (seed 002)
-- role: authenticated as :user_id
-- param: conversation_id, user_id = sample(
--     SELECT cp.conversation_id, cp.profile_id
--     FROM conversation_participants cp
--     JOIN conversations c ON c.id = cp.conversation_id
--     JOIN business_members bm ON bm.business_id = c.business_id AND bm.profile_id = cp.profile_id
--     ORDER BY cp.conversation_id, cp.profile_id LIMIT 20000) zipf 1.1
-- expect: uses index messages_conversation_created_idx
-- expect: no seq scan on messages
-- target: p95 < 50ms (seed 002, Success Metrics: Message Fetch, query time < 50ms)
-- variants: rls_on, rls_off, plain
--
-- Conversations are drawn by popularity (seeded ids sort by rank), each with one of its
-- participants who belongs to the business, so the RLS-scoped read returns rows.
SELECT id, sender_id, kind, content, created_at
FROM messages
WHERE conversation_id = :conversation_id
ORDER BY created_at DESC
LIMIT 50;
