-- name: unread_count_naive
-- about: seed 002's unread count: messages of a conversation without a read receipt (LEFT JOIN)
-- role: authenticated as :user_id
-- param: conversation_id, user_id = sample(
--     SELECT cp.conversation_id, cp.profile_id
--     FROM conversation_participants cp
--     JOIN conversations c ON c.id = cp.conversation_id
--     JOIN business_members bm ON bm.business_id = c.business_id AND bm.profile_id = cp.profile_id
--     ORDER BY cp.conversation_id, cp.profile_id LIMIT 20000) zipf 1.1
-- expect: uses index messages_conversation_created_idx
-- target: p95 < 50ms (seed 002, Success Metrics: Unread Count, query time < 50ms)
--
-- The seed joined receipts of any reader; this counts the reader's own, as the badge means.
-- Its cost grows with the conversation's length: compare with unread_count.
SELECT count(*) AS unread
FROM messages m
LEFT JOIN message_read_receipts r ON r.message_id = m.id AND r.profile_id = :user_id
WHERE m.conversation_id = :conversation_id
  AND m.sender_id <> :user_id
  AND r.read_at IS NULL;
