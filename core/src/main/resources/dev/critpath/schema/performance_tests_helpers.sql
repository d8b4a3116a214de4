CREATE SCHEMA IF NOT EXISTS critpath;

-- One row per query and run of critpath.run_performance_tests().
CREATE TABLE IF NOT EXISTS critpath.performance_test_results (
  run_id      uuid NOT NULL,
  query       text NOT NULL,
  source      text NOT NULL,
  calls       integer NOT NULL,
  p50_ms      double precision,
  p95_ms      double precision,
  target      text,
  observed_ms double precision,
  pass        boolean,
  plan        json,
  error       text,
  executed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, query)
);

-- A rank 1..n: uniform (zipf_exponent NULL), or Zipf-skewed towards 1 by the inverse of the
-- continuous power law's distribution (the JMH paths draw the discrete Zipf; both favour the
-- first ranks the same way).
CREATE OR REPLACE FUNCTION critpath.perf_pick(n bigint, zipf_exponent double precision)
RETURNS bigint LANGUAGE sql VOLATILE AS $$
  SELECT least(n, greatest(1, CASE
    WHEN zipf_exponent IS NULL THEN 1 + floor(random() * n)
    WHEN zipf_exponent = 1 THEN floor(exp(random() * ln(n + 1)))
    ELSE floor(power((power(n + 1, 1 - zipf_exponent) - 1) * random() + 1, 1 / (1 - zipf_exponent)))
  END))::bigint
$$;

-- The row count of a sample query, after checking it has rows and one column per name.
CREATE OR REPLACE FUNCTION critpath.perf_sample_size(n bigint, width integer, names integer, source text)
RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  IF n = 0 THEN
    RAISE EXCEPTION '%: the sample query returned no rows (is the dataset seeded?)', source
      USING ERRCODE = '22023';
  END IF;
  IF width <> names THEN
    RAISE EXCEPTION '%: the sample query returns % columns for % names (one column per name, in order)',
      source, width, names USING ERRCODE = '22023';
  END IF;
  RETURN n;
END
$$;

-- How many seeded rows of an entity the dataset holds (their ids run from 1 to it).
CREATE OR REPLACE FUNCTION critpath.perf_entity_count(entity text, source text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_n bigint;
BEGIN
  SELECT (dataset_summary -> 'entities' ->> entity)::bigint INTO v_n FROM critpath.marker WHERE id = 1;
  IF coalesce(v_n, 0) < 1 THEN
    RAISE EXCEPTION '%: id(%) needs a seeded dataset and this database has no % rows in critpath.marker.dataset_summary: run ./run.sh seed first',
      source, lower(entity), lower(entity) USING ERRCODE = '22023';
  END IF;
  RETURN v_n;
END
$$;

-- The seeded id of an entity's row: EEEEEEEE-0000-4000-8000-NNNNNNNNNNNN.
CREATE OR REPLACE FUNCTION critpath.perf_seeded_id(code integer, idx bigint)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT lpad(to_hex(code), 8, '0') || '-0000-4000-8000-' || lpad(idx::text, 12, '0')
$$;

-- The search terms the seeder planted, of the given selectivities (all when none given).
CREATE OR REPLACE FUNCTION critpath.perf_terms(selectivities text[], source text)
RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  v_terms text[];
BEGIN
  SELECT array_agg(x ->> 'term') INTO v_terms
  FROM critpath.marker m, jsonb_array_elements(m.dataset_summary -> 'searchTerms') x
  WHERE m.id = 1 AND (cardinality(selectivities) = 0 OR lower(x ->> 'selectivity') = ANY (selectivities));
  IF v_terms IS NULL THEN
    RAISE EXCEPTION '%: no search terms in critpath.marker.dataset_summary (run ./run.sh seed first, or list terms with list(...))',
      source USING ERRCODE = '22023';
  END IF;
  RETURN v_terms;
END
$$;

-- Measures one catalog query: prepares its SQL (as the JDBC driver does), runs it `calls` times
-- with drawn parameters as its role (with the JWT claims PostgREST would set), then once under
-- EXPLAIN (ANALYZE, BUFFERS). Every call runs in a subtransaction that is rolled back: a write
-- path leaves nothing behind. A query that cannot run gets its error and no numbers.
CREATE OR REPLACE FUNCTION critpath.perf_measure(
  p_run_id uuid, p_query text, p_source text, p_sql text, p_draws text, p_role text,
  p_subject integer, p_arity integer, p_calls integer, p_target text, p_fraction double precision,
  p_limit_ms double precision, p_inclusive boolean)
RETURNS critpath.performance_test_results
LANGUAGE plpgsql AS $$
DECLARE
  v_stmt   text := 'critpath_perf_' || md5(p_query);  -- fits 63 bytes whatever the name
  v_values text[];
  v_args   text;
  v_claims text;
  v_done   integer := 0;
  v_t0     timestamptz;
  v_ms     double precision;
  v_times  double precision[] := '{}';
  v_plan   json;
  r        critpath.performance_test_results;
BEGIN
  r.run_id := p_run_id;
  r.query := p_query;
  r.source := p_source;
  r.target := p_target;
  r.executed_at := now();
  IF EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = v_stmt) THEN
    EXECUTE format('DEALLOCATE %I', v_stmt);
  END IF;
  BEGIN
    EXECUTE format('PREPARE %I AS %s', v_stmt, p_sql);
    FOR v_values IN EXECUTE p_draws USING p_calls + 1 LOOP
      -- the statement's parameters come first; a subject only the claims use follows them
      v_args := CASE WHEN p_arity = 0 THEN '' ELSE
        '(' || (SELECT string_agg(quote_nullable(v), ', ' ORDER BY o)
                FROM unnest(v_values[1:p_arity]) WITH ORDINALITY AS u(v, o)) || ')' END;
      v_claims := CASE
        WHEN p_role = 'none' THEN ''
        WHEN p_subject > 0 THEN json_build_object('sub', v_values[p_subject], 'role', p_role,
                                                  'aud', 'authenticated')::text
        ELSE json_build_object('role', p_role)::text END;
      BEGIN
        PERFORM set_config('role', p_role, true), set_config('request.jwt.claims', v_claims, true);
        IF v_done < p_calls THEN
          v_t0 := clock_timestamp();
          EXECUTE format('EXECUTE %I', v_stmt) || v_args;
          v_ms := extract(epoch FROM clock_timestamp() - v_t0) * 1000;
        ELSE
          EXECUTE format('EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE %I', v_stmt) || v_args
            INTO v_plan;
        END IF;
        RAISE SQLSTATE 'CPRB0';
      EXCEPTION WHEN SQLSTATE 'CPRB0' THEN
        -- rolled back: the call's writes, role and claims are gone
        IF v_done < p_calls THEN
          v_times := v_times || v_ms;
        END IF;
      END;
      v_done := v_done + 1;
    END LOOP;
    EXECUTE format('DEALLOCATE %I', v_stmt);
  EXCEPTION WHEN OTHERS THEN
    r.error := SQLERRM || ' (SQLSTATE ' || SQLSTATE || ')';
    IF EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = v_stmt) THEN
      EXECUTE format('DEALLOCATE %I', v_stmt);
    END IF;
    RAISE WARNING 'critpath: % (%) cannot run: %', p_query, p_source, r.error;
    r.calls := 0;
    RETURN r;
  END;
  r.calls := cardinality(v_times);
  r.plan := v_plan;
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t), percentile_cont(0.95) WITHIN GROUP (ORDER BY t),
         CASE WHEN p_fraction IS NULL THEN avg(t) ELSE percentile_cont(p_fraction) WITHIN GROUP (ORDER BY t) END
    INTO r.p50_ms, r.p95_ms, r.observed_ms
  FROM unnest(v_times) t;
  IF p_limit_ms IS NOT NULL THEN
    r.pass := CASE WHEN p_inclusive THEN r.observed_ms <= p_limit_ms ELSE r.observed_ms < p_limit_ms END;
  END IF;
  RETURN r;
END
$$;
