-- showroom install script, generated from src/sql/*.sql by the Makefile.
-- Do not edit the generated file; edit the room under src/sql/.
\echo Use "CREATE EXTENSION showroom CASCADE" to load this file. \quit

--
-- schema: the settings of a database, and what every room shares.
--
-- The control file fixes the extension itself in pg_catalog and this script
-- creates the schema showroom, so that the schema is a member of the
-- extension and DROP EXTENSION removes it.  Every object below is therefore
-- qualified with showroom; an unqualified name would land in pg_catalog.
--
-- Functions pin search_path.  Most use "pg_catalog, pg_temp".  Those that
-- call PostGIS are written with "pg_catalog, public, pg_temp", and the last
-- room of the script (finish.sql) replaces public with the schema PostGIS
-- is really installed in.
--

CREATE SCHEMA showroom;

COMMENT ON SCHEMA showroom IS
  'showroom: stock, dispatch, delivery runs, service workflow and settlement of a central-distribution appliance chain';

-- Which version of the shared library is loaded (it may differ from the
-- installed SQL objects' version during an upgrade).
CREATE FUNCTION showroom.library_version()
RETURNS text
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'showroom_version';

COMMENT ON FUNCTION showroom.library_version() IS
  'version of the loaded showroom shared library';

--
-- Settings.  The defaults ship with the extension in setting_default; an
-- administrator's choices are rows of setting, which pg_dump keeps.  A
-- setting is always read through setting_value(), which falls back to the
-- default, so a restore never carries a stale copy of a default.
--

CREATE TABLE showroom.setting_default (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  value_type  regtype NOT NULL,
  description text NOT NULL,
  min_value   numeric,
  max_value   numeric,
  CHECK (min_value <= max_value)
);

COMMENT ON TABLE showroom.setting_default IS
  'settings showroom knows, with the default each has when no row of setting overrides it';
COMMENT ON COLUMN showroom.setting_default.name IS 'setting name, dotted by room';
COMMENT ON COLUMN showroom.setting_default.value IS 'default value, as text';
COMMENT ON COLUMN showroom.setting_default.value_type IS 'type the value must cast to';
COMMENT ON COLUMN showroom.setting_default.description IS 'what the setting changes';
COMMENT ON COLUMN showroom.setting_default.min_value IS 'least value a number setting may take (NULL: no bound)';
COMMENT ON COLUMN showroom.setting_default.max_value IS 'greatest value a number setting may take (NULL: no bound)';

CREATE TABLE showroom.setting (
  name       text PRIMARY KEY REFERENCES showroom.setting_default (name),
  value      text NOT NULL,
  changed_by name NOT NULL DEFAULT current_user,
  changed_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE showroom.setting IS
  'settings an administrator changed from their defaults; change them with set_setting()';
COMMENT ON COLUMN showroom.setting.name IS 'setting name';
COMMENT ON COLUMN showroom.setting.value IS 'value in force, as text';
COMMENT ON COLUMN showroom.setting.changed_by IS 'role that last changed it';
COMMENT ON COLUMN showroom.setting.changed_at IS 'when it was last changed';

SELECT pg_catalog.pg_extension_config_dump('showroom.setting', '');

INSERT INTO showroom.setting_default (name, value, value_type, description) VALUES
  ('business_time_zone', 'Asia/Shanghai', 'text',
   'time zone in which the chain''s days and settlement months begin');

-- setting_value: the value in force for a setting, as text.
CREATE FUNCTION showroom.setting_value(setting_name text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  result text;
BEGIN
  SELECT coalesce(s.value, d.value) INTO result
    FROM showroom.setting_default d
    LEFT JOIN showroom.setting s USING (name)
   WHERE d.name = setting_name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown setting "%"', setting_name
      USING ERRCODE = 'SR001',
            HINT = 'The settings are listed in showroom.settings.';
  END IF;
  RETURN result;
END
$$;

COMMENT ON FUNCTION showroom.setting_value(text) IS
  'value in force for a setting: the administrator''s, else the default';

-- setting_check: hold every value written to showroom.setting, by
-- set_setting() or by hand, to its setting's rules: it casts to the
-- setting's type; a number is finite and lies in the setting's range,
-- where it has one (NaN, infinity or an extreme weight would poison
-- every ranking or rate computed from it); a time zone exists.  Stamps
-- a change with who made it and when.
CREATE FUNCTION showroom.setting_check()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  vtype regtype;
  lo numeric;
  hi numeric;
BEGIN
  SELECT d.value_type, d.min_value, d.max_value INTO vtype, lo, hi
    FROM showroom.setting_default d WHERE d.name = NEW.name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown setting "%"', NEW.name
      USING ERRCODE = 'SR001',
            HINT = 'The settings are listed in showroom.settings.';
  END IF;
  BEGIN
    EXECUTE format('SELECT %L::%s', NEW.value, vtype);
  EXCEPTION WHEN data_exception OR invalid_text_representation THEN
    RAISE EXCEPTION 'invalid value for setting "%"', NEW.name
      USING ERRCODE = 'SR002',
            DETAIL = format('"%s" is not a valid %s.', NEW.value, vtype);
  END;
  IF vtype IN ('double precision'::regtype, 'real'::regtype, 'numeric'::regtype)
     AND lower(btrim(NEW.value)) IN ('nan', 'infinity', '+infinity', '-infinity', 'inf', '+inf', '-inf') THEN
    RAISE EXCEPTION 'invalid value for setting "%"', NEW.name
      USING ERRCODE = 'SR002',
            DETAIL = format('"%s" is not a finite number.', NEW.value);
  END IF;
  IF (lo IS NOT NULL OR hi IS NOT NULL)
     AND NOT (NEW.value::numeric BETWEEN coalesce(lo, NEW.value::numeric)
                                     AND coalesce(hi, NEW.value::numeric)) THEN
    RAISE EXCEPTION 'invalid value for setting "%"', NEW.name
      USING ERRCODE = 'SR002',
            DETAIL = format('%s is outside %s to %s.', NEW.value,
                            coalesce(lo::text, '-infinity'), coalesce(hi::text, 'infinity'));
  END IF;
  IF NEW.name = 'business_time_zone'
     AND NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.value) THEN
    RAISE EXCEPTION 'invalid value for setting "%"', NEW.name
      USING ERRCODE = 'SR002',
            DETAIL = format('"%s" is not a time zone name.', NEW.value),
            HINT = 'Use a name from pg_timezone_names, such as Asia/Shanghai.';
  END IF;
  -- A new row takes its stamp from the column defaults (or, restored by
  -- pg_restore, keeps the one it had); a change is stamped here.
  IF TG_OP = 'UPDATE' THEN
    NEW.changed_by := current_user;
    NEW.changed_at := now();
  END IF;
  RETURN NEW;
END
$$;

COMMENT ON FUNCTION showroom.setting_check() IS
  'trigger: refuse a setting value that does not fit its type or range; stamp who changed it';

CREATE TRIGGER setting_check
  BEFORE INSERT OR UPDATE ON showroom.setting
  FOR EACH ROW EXECUTE FUNCTION showroom.setting_check();

-- set_setting: change a setting (the trigger setting_check checks the
-- value); NULL puts the default back.
CREATE FUNCTION showroom.set_setting(setting_name text, new_value text)
RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF setting_name IS NULL THEN
    RAISE EXCEPTION 'setting name must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.setting_default d WHERE d.name = setting_name) THEN
    RAISE EXCEPTION 'unknown setting "%"', setting_name
      USING ERRCODE = 'SR001',
            HINT = 'The settings are listed in showroom.settings.';
  END IF;
  IF new_value IS NULL THEN
    DELETE FROM showroom.setting WHERE name = setting_name;
    RETURN showroom.setting_value(setting_name);
  END IF;
  INSERT INTO showroom.setting AS s (name, value)
  VALUES (setting_name, new_value)
  ON CONFLICT (name) DO UPDATE SET value = excluded.value;
  RETURN new_value;
END
$$;

COMMENT ON FUNCTION showroom.set_setting(text, text) IS
  'change a setting (checked against its type); NULL restores the default';

CREATE VIEW showroom.settings AS
SELECT d.name,
       coalesce(s.value, d.value) AS value,
       d.value AS default_value,
       d.value_type::text AS value_type,
       s.name IS NOT NULL AS changed,
       d.description
  FROM showroom.setting_default d
  LEFT JOIN showroom.setting s USING (name);

COMMENT ON VIEW showroom.settings IS 'every setting with its value in force and its default';
COMMENT ON COLUMN showroom.settings.name IS 'setting name';
COMMENT ON COLUMN showroom.settings.value IS 'value in force';
COMMENT ON COLUMN showroom.settings.default_value IS 'value shipped with showroom';
COMMENT ON COLUMN showroom.settings.value_type IS 'type of the value';
COMMENT ON COLUMN showroom.settings.changed IS 'whether an administrator changed it';
COMMENT ON COLUMN showroom.settings.description IS 'what the setting changes';

-- business_date: the chain's calendar date of a moment, in the business
-- time zone, whatever the session's TimeZone.
CREATE FUNCTION showroom.business_date(at timestamptz)
RETURNS date
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN (at AT TIME ZONE showroom.setting_value('business_time_zone'))::date;

COMMENT ON FUNCTION showroom.business_date(timestamptz) IS
  'calendar date of a moment in the chain''s business time zone';

-- check_lonlat: refuse a point that is not a plausible lon/lat pair.  The
-- message names both values, so that swapped coordinates are easy to see.
CREATE FUNCTION showroom.check_lonlat(lon double precision, lat double precision)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF lon IS NULL OR lat IS NULL THEN
    RAISE EXCEPTION 'location must not be null'
      USING ERRCODE = 'SR108',
            DETAIL = format('lon = %s, lat = %s.', coalesce(lon::text, 'NULL'),
                            coalesce(lat::text, 'NULL'));
  END IF;
  IF lon NOT BETWEEN -180 AND 180 OR lat NOT BETWEEN -90 AND 90
     OR lon = 'NaN' OR lat = 'NaN' THEN
    RAISE EXCEPTION 'location out of range'
      USING ERRCODE = 'SR108',
            DETAIL = format('lon = %s, lat = %s; lon must lie in [-180, 180] and lat in [-90, 90].', lon, lat),
            HINT = 'Pass longitude first, then latitude.';
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.check_lonlat(double precision, double precision) IS
  'raise SR108 unless (lon, lat) is a valid WGS 84 longitude and latitude';

-- check_range: refuse a number outside [lo, hi], naming the argument, so
-- that a huge count or amount is an error of ours rather than an overflow
-- somewhere later.  NULL passes: each caller says itself whether NULL is
-- allowed.
CREATE FUNCTION showroom.check_range(what text, value numeric, lo numeric, hi numeric)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF value IS NOT NULL AND (value < lo OR value > hi OR value = 'NaN') THEN
    RAISE EXCEPTION '% out of range', what
      USING ERRCODE = 'SR004',
            DETAIL = format('%s = %s; it must lie in [%s, %s].', what, value, lo, hi);
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.check_range(text, numeric, numeric, numeric) IS
  'raise SR004 unless the named value is NULL or lies in [lo, hi]';

-- check_day: refuse a business day outside the years 2000 to 2999 (an
-- infinite or mistyped date), naming the argument.  NULL passes.
CREATE FUNCTION showroom.check_day(what text, day date)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF day IS NOT NULL AND (day < DATE '2000-01-01' OR day > DATE '2999-12-31') THEN
    RAISE EXCEPTION '% out of range', what
      USING ERRCODE = 'SR004',
            DETAIL = format('%s = %s; a business day lies in the years 2000 to 2999.', what, day);
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.check_day(text, date) IS
  'raise SR004 unless the named day is NULL or lies in the years 2000 to 2999';

-- check_time: the same for a moment: refuse one outside the years 2000
-- to 2999 (UTC), naming the argument.  NULL passes.
CREATE FUNCTION showroom.check_time(what text, at timestamptz)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF at IS NOT NULL AND (at < TIMESTAMPTZ '2000-01-01 00:00Z' OR at >= TIMESTAMPTZ '3000-01-01 00:00Z') THEN
    RAISE EXCEPTION '% out of range', what
      USING ERRCODE = 'SR004',
            DETAIL = format('%s = %s; a business event lies in the years 2000 to 2999.', what, at);
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.check_time(text, timestamptz) IS
  'raise SR004 unless the named moment is NULL or lies in the years 2000 to 2999';
