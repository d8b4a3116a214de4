-- name: conversation_messages
-- about: seed 001 query 2: the latest 100 messages of a conversation (second most common load)
-- role: authenticated as :user_id
-- param: conversation_id, user_id = sample(
--     SELECT cp.conversation_id, cp.profile_id
--     FROM conversation_participants cp
--     JOIN conversations c ON c.id = cp.conversation_id
--     JOIN business_members bm ON bm.business_id = c.business_id AND bm.profile_id = cp.profile_id
--     ORDER BY cp.conversation_id, cp.profile_id LIMIT 20000) zipf 1.1
-- expect: uses index messages_conversation_created_idx
-- expect: no seq scan on messages
-- target: p95 < 100ms
SELECT *
FROM messages
WHERE conversation_id = :conversation_id
ORDER BY created_at DESC
LIMIT 100;
