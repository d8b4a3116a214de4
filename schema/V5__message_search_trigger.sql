-- critpath reference workload, part 5: messages.search kept by a trigger.
--
-- The full-text vector was a GENERATED column, which PostgreSQL computes for
-- every row a COPY loads (to_tsvector is about two thirds of a message row's
-- load cost) and which no loader may supply. As a plain column kept by the
-- built-in tsvector_update_trigger, every INSERT and UPDATE by the app still
-- gets exactly to_tsvector('english', content), while a bulk loader that may
-- skip triggers (session_replication_role = replica, as pg_restore does) can
-- send the vector it computed from the same dictionary. The seeder does, and
-- checks what it sent against to_tsvector on the server.

SET LOCAL search_path = public, extensions;

ALTER TABLE messages ALTER COLUMN search DROP EXPRESSION;

CREATE TRIGGER messages_search_sync
  BEFORE INSERT OR UPDATE ON messages
  FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(search, 'pg_catalog.english', content);
