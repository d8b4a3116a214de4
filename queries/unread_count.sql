-- name: unread_count
-- about: unread messages of one conversation for its reader, from the per-participant read model
-- role: authenticated as :user_id
-- param: conversation_id, user_id = sample(
--     SELECT cp.conversation_id, cp.profile_id
--     FROM conversation_participants cp
--     JOIN conversations c ON c.id = cp.conversation_id
--     JOIN business_members bm ON bm.business_id = c.business_id AND bm.profile_id = cp.profile_id
--     ORDER BY cp.conversation_id, cp.profile_id LIMIT 20000) zipf 1.1
-- expect: uses index conversation_participants_pkey
-- expect: no seq scan on conversation_participants
-- target: p95 < 50ms (seed 002, Success Metrics: Unread Count, query time < 50ms)
--
-- The tuned form: send_message bumps unread_count, mark_as_read zeroes it, so reading the
-- count is one index lookup. unread_count_naive is the seed's join over read receipts.
SELECT unread_count, last_read_at
FROM conversation_participants
WHERE conversation_id = :conversation_id
  AND profile_id = :user_id;
