-- name: conversation_list
-- about: the signed-in user's inbox: 50 most recently active conversations with unread counts (seed 002)
-- role: authenticated as :user_id
-- param: user_id = id(user) zipf 1.1
-- expect: uses index conversation_participants_profile_idx
-- expect: no seq scan on conversations
-- target: p95 < 100ms (seed 002, Success Metrics: Conversation List, query time < 100ms)
--
-- conversation_list is a security_invoker view joined on auth.uid(): the same SQL with RLS off
-- still lists only this user's conversations, without the policies' checks.
-- conversation_list_jooq (benchmarks module) is the same query written with jOOQ.
SELECT id, business_id, kind, channel, title, last_message_at, last_message_preview,
       unread_count, last_read_at
FROM conversation_list
ORDER BY last_message_at DESC NULLS LAST
LIMIT 50;
