-- platform: the extension installs cleanly, pins search_path on every
-- function, documents every object, keeps settings, and drops cleanly.
\i test/helpers.sql

-- The control file's promises.
SELECT extname, extversion, extrelocatable, n.nspname AS schema
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE extname = 'showroom';

SELECT 'library version' AS "case",
       showroom.library_version() = (SELECT extversion FROM pg_extension
                                      WHERE extname = 'showroom') AS same;

-- Every function of ours pins search_path.  Lists offenders; none expected.
SELECT 'function without pinned search_path' AS problem, p.oid::regprocedure
  FROM pg_proc p
 WHERE p.pronamespace = 'showroom'::regnamespace
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c
                    WHERE c LIKE 'search_path=%')
 ORDER BY 2::text;

-- Every table, view, function and type of ours has a comment, and so does
-- every column of every table and view.  Lists offenders; none expected.
SELECT 'object without comment' AS problem,
       pg_describe_object(d.classid, d.objid, 0) AS object
  FROM pg_depend d
 WHERE d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'showroom')
   AND d.deptype = 'e'
   AND d.classid IN ('pg_class'::regclass, 'pg_proc'::regclass,
                     'pg_type'::regclass)
   AND NOT (d.classid = 'pg_class'::regclass
            AND (SELECT relkind FROM pg_class WHERE oid = d.objid) IN ('S', 'i'))
   AND obj_description(d.objid, (SELECT relname FROM pg_class
                                  WHERE oid = d.classid)) IS NULL
UNION ALL
SELECT 'column without comment', format('%s.%s', c.oid::regclass, a.attname)
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
                     AND NOT a.attisdropped
 WHERE c.relnamespace = 'showroom'::regnamespace
   AND c.relkind IN ('r', 'v', 'm')
   AND col_description(c.oid, a.attnum) IS NULL
 ORDER BY 1, 2;

-- Every member of the extension lives in schema showroom (the extension
-- itself sits in pg_catalog, see src/sql/schema.sql).  Lists strays.
SELECT 'object outside schema showroom' AS problem,
       pg_describe_object(d.classid, d.objid, 0) AS object
  FROM pg_depend d
  LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
  LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
  LEFT JOIN pg_type t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid
 WHERE d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'showroom')
   AND d.deptype = 'e'
   AND coalesce(c.relnamespace, p.pronamespace, t.typnamespace)
       <> 'showroom'::regnamespace
 ORDER BY 2;

-- Settings: the default, a change, a bad value, an unknown name, a reset.
SELECT 'default' AS "case", showroom.setting_value('business_time_zone');
SELECT 'set' AS "case", showroom.set_setting('business_time_zone', 'Europe/Berlin');
SELECT 'in force' AS "case", value, default_value, changed
  FROM showroom.settings WHERE name = 'business_time_zone';
SELECT 'bad zone' AS "case",
       pg_temp.try($$SELECT showroom.set_setting('business_time_zone', 'Mars/Olympus')$$);
SELECT 'nan' AS "case",
       pg_temp.try($$SELECT showroom.set_setting('dispatch.weight_distance_km', 'NaN')$$);
SELECT 'infinity' AS "case",
       pg_temp.try($$SELECT showroom.set_setting('dispatch.weight_distance_km', '-Infinity')$$);
-- A number setting with a range: its bounds pass, values outside fail
-- and write nothing (only the three that passed are there to undo).
SELECT 'huge weight' AS "case",
       pg_temp.try($$SELECT showroom.set_setting('dispatch.weight_satisfaction', '1e308')$$);
SELECT 'negative weight' AS "case",
       pg_temp.try($$SELECT showroom.set_setting('dispatch.weight_load', '-0.5')$$);
SELECT 'satisfaction 99' AS "case",
       pg_temp.try($$SELECT showroom.set_setting('dispatch.default_satisfaction', '99')$$);
SELECT 'radius -5' AS "case",
       pg_temp.try($$SELECT showroom.set_setting('dispatch.screen_radius_m', '-5')$$);
SELECT 'poll 2^31-1' AS "case",
       pg_temp.try($$SELECT showroom.set_setting('dispatch.relay_poll_ms', '2147483647')$$);
SELECT 'by hand' AS "case",
       pg_temp.try($$INSERT INTO showroom.setting (name, value) VALUES ('dispatch.weight_load', '1e308')$$);
SELECT 'by hand, bad type' AS "case",
       pg_temp.try($$INSERT INTO showroom.setting (name, value) VALUES ('dispatch.notify_relay', 'perhaps')$$);
SELECT 'bounds pass' AS "case",
       showroom.set_setting('dispatch.weight_satisfaction', '1000'),
       showroom.set_setting('dispatch.default_satisfaction', '1'),
       showroom.set_setting('dispatch.relay_poll_ms', '1000');
SELECT 'ranges' AS "case", name, min_value, max_value FROM showroom.setting_default
 WHERE min_value IS NOT NULL OR max_value IS NOT NULL ORDER BY name;
SELECT 'undo' AS "case", showroom.set_setting(name, NULL) FROM showroom.setting
 WHERE name LIKE 'dispatch.%' ORDER BY name;
SELECT 'unknown name' AS "case",
       pg_temp.try($$SELECT showroom.set_setting('no_such', '1')$$);
SELECT 'null name' AS "case",
       pg_temp.try($$SELECT showroom.set_setting(NULL, '1')$$);
SELECT 'unknown read' AS "case",
       pg_temp.try($$SELECT showroom.setting_value('no_such')$$);
SELECT 'reset' AS "case", showroom.set_setting('business_time_zone', NULL);
SELECT 'after reset' AS "case", count(*) AS overrides FROM showroom.setting;

-- Business dates follow the business zone, not the session's TimeZone:
-- 2026-01-31 17:00 UTC is already 1 February in Shanghai.
SET TimeZone = 'America/New_York';
SELECT 'business date' AS "case",
       showroom.business_date('2026-01-31 17:00:00+00'),
       showroom.business_date('2026-01-31 15:59:59+00');
RESET TimeZone;

-- Locations: valid, out of range, swapped, NULL, NaN.
SELECT 'yangquan' AS "case", pg_temp.try($$SELECT showroom.check_lonlat(113.58, 37.86)$$);
SELECT 'swapped' AS "case", pg_temp.try($$SELECT showroom.check_lonlat(37.86, 113.58)$$);
SELECT 'lon too big' AS "case", pg_temp.try($$SELECT showroom.check_lonlat(180.5, 0)$$);
SELECT 'null lat' AS "case", pg_temp.try($$SELECT showroom.check_lonlat(113.58, NULL)$$);
SELECT 'nan' AS "case", pg_temp.try($$SELECT showroom.check_lonlat('NaN', 1)$$);

-- DROP EXTENSION leaves nothing of ours behind (PostGIS stays).
DROP EXTENSION showroom;
SELECT 'after drop' AS "case",
       (SELECT count(*) FROM pg_namespace WHERE nspname = 'showroom') AS schemas,
       (SELECT count(*) FROM pg_proc WHERE proname LIKE 'showroom%'
                                        OR prosrc LIKE '%showroom%') AS functions,
       (SELECT count(*) FROM pg_extension WHERE extname = 'postgis') AS postgis;
