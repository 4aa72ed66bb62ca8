
--
-- finish: steps that must see every object of the script.
--

-- Functions that call PostGIS were created with search_path
-- "pg_catalog, public, pg_temp"; point them at PostGIS's real schema.
DO $$
DECLARE
  postgis_schema name;
  f regprocedure;
BEGIN
  SELECT extnamespace::regnamespace::name INTO STRICT postgis_schema
    FROM pg_catalog.pg_extension WHERE extname = 'postgis';
  IF postgis_schema = 'public' THEN
    RETURN;
  END IF;
  FOR f IN
    SELECT p.oid FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'showroom'::regnamespace
       AND 'search_path=pg_catalog, public, pg_temp' = ANY (p.proconfig)
  LOOP
    EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                              f, postgis_schema);
  END LOOP;
END
$$;
