-- critpath reference workload, part 1: the platform a Supabase app runs on.
--
-- On a real Supabase database these objects already exist: every statement
-- here creates only what is missing and never replaces what is there.

SET LOCAL search_path = public, extensions;

-- Roles PostgREST switches to. NOLOGIN: they are only ever SET ROLE targets.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    CREATE ROLE anon NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
    CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
  END IF;
END
$$;

-- The connecting user must be able to SET ROLE to them (PostgREST's authenticator does).
DO $$
BEGIN
  EXECUTE format('GRANT anon, authenticated, service_role TO %I', current_user);
EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
  RAISE NOTICE 'could not grant API roles to %: %', current_user, SQLERRM;
END
$$;

CREATE SCHEMA IF NOT EXISTS extensions;
GRANT USAGE ON SCHEMA extensions TO anon, authenticated, service_role;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;

-- Server-side statistics per statement. Needs superuser (Supabase has it
-- already); without it critpath still runs and `doctor` says what is missing.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA extensions;
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
  RAISE NOTICE 'pg_stat_statements not installed: %', SQLERRM;
END
$$;

-- auth.uid() and friends read the JWT claims PostgREST puts into the session.
CREATE SCHEMA IF NOT EXISTS auth;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;

DO $$
BEGIN
  IF to_regprocedure('auth.uid()') IS NULL THEN
    CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $f$
      SELECT nullif(coalesce(current_setting('request.jwt.claim.sub', true),
                             current_setting('request.jwt.claims', true)::jsonb ->> 'sub'), '')::uuid
    $f$;
  END IF;
  IF to_regprocedure('auth.role()') IS NULL THEN
    CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $f$
      SELECT nullif(coalesce(current_setting('request.jwt.claim.role', true),
                             current_setting('request.jwt.claims', true)::jsonb ->> 'role'), '')::text
    $f$;
  END IF;
  IF to_regprocedure('auth.jwt()') IS NULL THEN
    CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $f$
      SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
    $f$;
  END IF;
END
$$;

-- The marker: this database holds critpath benchmark data. Seeding and write
-- benchmarks refuse databases without it (see docs on --allow-unmarked).
-- The schema itself is created by Flyway (it holds the migration history).
CREATE TABLE IF NOT EXISTS critpath.marker (
  id                  int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  created_at          timestamptz NOT NULL DEFAULT now(),
  note                text NOT NULL DEFAULT 'This database holds critpath benchmark data. critpath may replace its rows.',
  dataset_profile     text,
  dataset_seed        bigint,
  dataset_fingerprint text,
  -- the seeder's summary (dev.critpath.dataset.DatasetSummary): counts, id ranges, search terms
  dataset_summary     jsonb,
  seeded_at           timestamptz
);
INSERT INTO critpath.marker (id) VALUES (1) ON CONFLICT (id) DO NOTHING;
