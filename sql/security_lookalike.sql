-- security_lookalike: functions and operators planted in schema public,
-- named like those our functions call but matching some arguments
-- better, never run when any function of schema showroom is called, even
-- with public first in search_path.  Each look-alike counts its runs in
-- a sequence (which a rollback does not undo) and raises a warning naming
-- itself.  The look-alikes and the calls are derived from the catalog,
-- so functions that later rooms add are covered without a change here.
\i test/helpers.sql

-- Data for the calls to work on: every room's fixtures.
\set ECHO none
\o /dev/null
\! cat test/fixtures/fill_*.sql > results/security_lookalike_fill.sql
\i results/security_lookalike_fill.sql
\o
\set ECHO all
SET search_path = pg_catalog, pg_temp;
CREATE SEQUENCE public.lookalike_hits;

-- The names our functions call, and the operators they use, as they
-- appear in their definitions; plus a few classic targets.
CREATE TEMP TABLE called AS
SELECT DISTINCT lower(m[1]) AS name
  FROM pg_proc p, regexp_matches(pg_get_functiondef(p.oid), '([A-Za-z_][A-Za-z0-9_]*)\s*\(', 'g') m
 WHERE p.pronamespace = 'showroom'::regnamespace AND p.prokind IN ('f', 'p')
UNION SELECT unnest('{lower,upper,length,btrim,now,format,array_agg,num_nonnulls,st_dwithin,st_covers,st_distance,st_makepoint}'::text[]);
CREATE TEMP TABLE called_op AS
SELECT DISTINCT m[1] AS name
  FROM pg_proc p, regexp_matches(pg_get_functiondef(p.oid), '([-+*/<>=~!@#%^&|`?]+)', 'g') m
 WHERE p.pronamespace = 'showroom'::regnamespace AND p.prokind IN ('f', 'p')
UNION SELECT unnest('{=,<>,||,&&,~,<,>}'::text[]);

-- A narrower type that a call's argument may have where the real
-- function takes the wider one: the look-alike then matches exactly and
-- would win, were it on the function's path.
CREATE TEMP TABLE narrower AS
SELECT w::regtype AS wide, n::regtype AS narrow FROM (VALUES
  ('text', 'varchar'), ('text', 'name'), ('double precision', 'integer'),
  ('double precision', 'numeric'), ('numeric', 'integer'), ('bigint', 'integer'),
  ('integer', 'smallint'), ('timestamptz', 'timestamp'), ('timestamptz', 'date')) v(w, n);

-- Every signature of those names in pg_catalog and in PostGIS's schema,
-- with one argument narrowed, or all of them.
CREATE TEMP TABLE variant AS
WITH target AS (
  SELECT p.oid, p.proname AS name, p.prorettype AS ret, p.proargtypes::oid[] AS args
    FROM pg_proc p JOIN called c ON c.name = p.proname
   WHERE p.pronamespace IN ('pg_catalog'::regnamespace,
                            (SELECT extnamespace FROM pg_extension WHERE extname = 'postgis'))
     AND p.prokind = 'f' AND NOT p.proretset AND p.pronargs <= 4
     AND NOT EXISTS (SELECT 1 FROM unnest(p.proargtypes::oid[] || p.prorettype) t
                      JOIN pg_type ty ON ty.oid = t AND ty.typtype = 'p' AND t <> 'void'::regtype)
)
SELECT t.name, t.ret, t.args[:i - 1] || n.narrow::oid || t.args[i + 1:] AS args
  FROM target t, generate_subscripts(t.args, 1) i, narrower n
 WHERE t.args[i] = n.wide
UNION
SELECT t.name, t.ret, ARRAY(SELECT CASE WHEN a = n.wide THEN n.narrow::oid ELSE a END
                              FROM unnest(t.args) WITH ORDINALITY u(a, o) ORDER BY o)
  FROM target t, narrower n
 WHERE n.wide = ANY (t.args)
UNION
SELECT t.name, t.ret, t.args FROM target t WHERE cardinality(t.args) = 0;

-- Plant them.  A signature PostGIS already has in public is skipped.
CREATE FUNCTION pg_temp.plant_function(name text, ret regtype, args oid[]) RETURNS int
LANGUAGE plpgsql AS $plant$
BEGIN
  EXECUTE format($f$CREATE FUNCTION public.%I(%s) RETURNS %s LANGUAGE plpgsql AS $b$
    BEGIN PERFORM pg_catalog.nextval('public.lookalike_hits');
          RAISE WARNING 'look-alike public.%s(%s) ran'; RETURN %s; END $b$$f$,
    name, array_to_string(args::regtype[], ', '), ret, name,
    array_to_string(args::regtype[], ', '), CASE WHEN ret = 'void'::regtype THEN '' ELSE 'NULL' END);
  RETURN 1;
EXCEPTION WHEN duplicate_function THEN RETURN 0;
END $plant$;
SELECT 'functions planted' AS "case",
       sum(pg_temp.plant_function(name, ret, args)) > 50 AS many FROM variant;

CREATE FUNCTION pg_temp.plant_operator(name text, l regtype, r regtype, ret regtype) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE fn text := 'lookalike_op_' || md5(name || l || r);
BEGIN
  PERFORM pg_temp.plant_function(fn, ret, ARRAY[l, r]::oid[]);
  EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.%I)',
                 name, l, r, fn);
  RETURN 1;
EXCEPTION WHEN duplicate_function OR duplicate_object THEN RETURN 0;
END $$;
SELECT 'operators planted' AS "case", sum(pg_temp.plant_operator(o.oprname, v.l, v.r, o.oprresult)) > 100 AS many
  FROM pg_operator o JOIN called_op c ON c.name = o.oprname,
       LATERAL (SELECT n.narrow AS l, o.oprright::regtype AS r FROM narrower n WHERE n.wide = o.oprleft
                UNION SELECT o.oprleft, n.narrow FROM narrower n WHERE n.wide = o.oprright
                UNION SELECT n1.narrow, n2.narrow FROM narrower n1, narrower n2
                       WHERE n1.wide = o.oprleft AND n2.wide = o.oprright) v
 WHERE o.oprkind = 'b' AND o.oprnamespace IN ('pg_catalog'::regnamespace,
         (SELECT extnamespace FROM pg_extension WHERE extname = 'postgis'));

-- They work: called unqualified with public first, one runs.
SET search_path = public, pg_catalog;
SELECT 'control' AS "case", lower('ABC'::varchar) IS NULL AS lookalike_answered;
SET search_path = pg_catalog, pg_temp;
SELECT 'control hits' AS "case", last_value FROM public.lookalike_hits;
SELECT pg_catalog.setval('public.lookalike_hits', 1, false) IS NOT NULL AS reset;

-- A plausible value of each type for the calls, in two sets; NULL for
-- other types.  Text and floats vary with the argument's position.
CREATE FUNCTION pg_temp.value_for(t regtype, pos int, set int) RETURNS text
LANGUAGE sql RETURN CASE
  WHEN t::text IN ('smallint', 'integer', 'bigint', 'numeric') THEN set::text
  WHEN t::text IN ('real', 'double precision') THEN (ARRAY['113.58', '37.86'])[pos % 2 + 1]
  WHEN t::text IN ('text', 'character varying') THEN
    (CASE set WHEN 1 THEN ARRAY['business_time_zone', 'Asia/Shanghai', 'x']
              ELSE ARRAY['installation', 'air_conditioner', 'YQ-S1'] END)[least(pos, 3)]
  WHEN t::text = 'name' THEN current_user
  WHEN t::text = 'boolean' THEN (set = 1)::text
  WHEN t::text = 'date' THEN '2026-05-04'
  WHEN t::text LIKE 'timestamp%' THEN '2026-05-04 10:00+08'
  WHEN t::text = 'time without time zone' THEN '10:00'
  WHEN t::text = 'interval' THEN '1 day'
  WHEN t::text IN ('geometry', 'geography', 'public.geometry', 'public.geography')
    THEN 'SRID=4326;POINT(113.58 37.86)'
  WHEN t::text IN ('json', 'jsonb') THEN '{}'
  WHEN (SELECT typcategory = 'A' FROM pg_type WHERE oid = t) THEN '{}'
END;

-- Call every function and procedure of the schema (not triggers) with
-- NULLs and with each set of values, public first in search_path; count
-- the calls and how many failed (failures are fine: many arguments are
-- wrong; what matters is that no look-alike runs).
CREATE FUNCTION pg_temp.call_every(set int) RETURNS TABLE (calls int, failed int)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  p record;
  q text;
BEGIN
  calls := 0; failed := 0;
  FOR p IN
    SELECT f.oid, f.prokind, coalesce(f.proallargtypes, f.proargtypes::oid[]) AS types,
           coalesce(f.proargmodes, array_fill('i'::"char", ARRAY[f.pronargs])) AS modes
      FROM pg_proc f
     WHERE f.pronamespace = 'showroom'::regnamespace AND f.prokind IN ('f', 'p')
       AND f.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
     ORDER BY f.oid::regprocedure::text
  LOOP
    SELECT format('%s %s.%I(%s)', CASE p.prokind WHEN 'p' THEN 'CALL' ELSE 'SELECT' END,
                  n.nspname, f.proname,
                  coalesce(string_agg(CASE WHEN u.m = 'o' AND p.prokind = 'f' THEN NULL
                                           ELSE format('%L::%s', CASE WHEN set = 0 OR u.m = 'o' THEN NULL
                                                                       ELSE pg_temp.value_for(u.t::regtype, u.o::int, set) END,
                                                       format_type(u.t, NULL)) END, ', ' ORDER BY u.o), ''))
      INTO q
      FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
      LEFT JOIN unnest(p.types, p.modes) WITH ORDINALITY u(t, m, o) ON u.m <> 't'
     WHERE f.oid = p.oid
     GROUP BY n.nspname, f.proname;
    calls := calls + 1;
    BEGIN
      PERFORM pg_catalog.set_config('search_path', 'public, pg_catalog, pg_temp', true);
      EXECUTE q;
      PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    EXCEPTION WHEN OTHERS THEN
      failed := failed + 1;
    END;
  END LOOP;
  RETURN NEXT;
END $$;

SET statement_timeout = '20s';

-- The harness finds a function of the schema that does not pin its path:
-- this one calls lower() on a varchar and so meets the look-alike.
CREATE FUNCTION showroom.sr_lookalike_unpinned(v varchar) RETURNS text
LANGUAGE plpgsql AS $$ BEGIN RETURN lower(v); END $$;
SELECT 'harness control' AS "case", calls > 10 AS many_calls FROM pg_temp.call_every(1);
SELECT 'harness control hits' AS "case", last_value FROM public.lookalike_hits;
DROP FUNCTION showroom.sr_lookalike_unpinned(varchar);
SELECT pg_catalog.setval('public.lookalike_hits', 1, false) IS NOT NULL AS reset;

-- The real run.
SELECT 'nulls' AS "case", calls > 10 AS many_calls FROM pg_temp.call_every(0);
SELECT 'values 1' AS "case", calls > 10 AS many_calls, failed < calls AS some_worked FROM pg_temp.call_every(1);
SELECT 'values 2' AS "case", calls > 10 AS many_calls FROM pg_temp.call_every(2);
RESET statement_timeout;

-- The verdict: no look-alike ran.
SELECT 'look-alike runs' AS "case", CASE WHEN is_called THEN last_value ELSE 0 END AS runs
  FROM public.lookalike_hits;

-- Clean up public for the tests that follow.
SET client_min_messages = warning;
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT oid FROM pg_proc
            WHERE pronamespace = 'public'::regnamespace AND prosrc LIKE '%lookalike_hits%'
  LOOP
    EXECUTE format('DROP FUNCTION %s CASCADE', f);
  END LOOP;
END $$;
DROP SEQUENCE public.lookalike_hits;
RESET client_min_messages;
SELECT 'left in public' AS "case", count(*) FROM pg_proc
 WHERE pronamespace = 'public'::regnamespace AND prosrc LIKE '%lookalike_hits%';
