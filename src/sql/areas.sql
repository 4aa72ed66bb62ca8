
--
-- areas: service outlets, the kinds of service, outlets' service areas,
-- capabilities and capacity.
--

-- Kinds of service.  The built-in four ship with the extension; a chain may
-- add its own, and only those are dumped.
CREATE TABLE showroom.service_kind (
  code      text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  name      text NOT NULL,
  due_hours integer NOT NULL CHECK (due_hours > 0),
  builtin   boolean NOT NULL DEFAULT false
);

COMMENT ON TABLE showroom.service_kind IS 'kinds of service an outlet can do';
COMMENT ON COLUMN showroom.service_kind.code IS 'service kind code';
COMMENT ON COLUMN showroom.service_kind.name IS 'name shown to people';
COMMENT ON COLUMN showroom.service_kind.due_hours IS 'service level: hours from request to done';
COMMENT ON COLUMN showroom.service_kind.builtin IS 'shipped with showroom (not dumped)';

SELECT pg_catalog.pg_extension_config_dump('showroom.service_kind', 'WHERE NOT builtin');

INSERT INTO showroom.service_kind (code, name, due_hours, builtin) VALUES
  ('delivery', 'delivery', 48, true),
  ('installation', 'installation', 48, true),
  ('repair', 'repair', 72, true),
  ('maintenance', 'maintenance', 168, true);

-- Service outlets: the (often third-party) providers of delivery,
-- installation and repair.
CREATE TABLE showroom.outlet (
  id               bigserial PRIMARY KEY,
  code             text NOT NULL UNIQUE,
  name             text NOT NULL,
  base             geometry(Point, 4326) NOT NULL,
  priority         integer NOT NULL DEFAULT 0,
  daily_capacity   integer NOT NULL DEFAULT 10 CHECK (daily_capacity >= 0),
  active           boolean NOT NULL DEFAULT true,
  suspended_reason text,
  suspended_at     timestamptz,
  CHECK ((suspended_at IS NULL) = (suspended_reason IS NULL))
);

COMMENT ON TABLE showroom.outlet IS 'service outlets: providers of delivery, installation and repair';
COMMENT ON COLUMN showroom.outlet.id IS 'outlet id';
COMMENT ON COLUMN showroom.outlet.code IS 'outlet code';
COMMENT ON COLUMN showroom.outlet.name IS 'outlet name';
COMMENT ON COLUMN showroom.outlet.base IS 'where the outlet''s crews start from (lon/lat)';
COMMENT ON COLUMN showroom.outlet.priority IS 'dispatch priority set by the chain; higher goes first';
COMMENT ON COLUMN showroom.outlet.daily_capacity IS 'jobs a day it takes, all kinds together, unless outlet_capacity says otherwise for a date';
COMMENT ON COLUMN showroom.outlet.active IS 'whether the outlet works with the chain at all';
COMMENT ON COLUMN showroom.outlet.suspended_reason IS 'why dispatch to it is suspended, if it is';
COMMENT ON COLUMN showroom.outlet.suspended_at IS 'since when dispatch to it is suspended';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_id_seq', '');

-- The dispatcher's screen lists capable outlets based within a radius of
-- a job, in metres on the spheroid: this index finds them without
-- measuring the distance to every outlet.
CREATE INDEX outlet_base_geog_idx ON showroom.outlet USING gist ((base::geography));

-- Service areas: the regions an outlet covers; they may overlap.  A DC's
-- delivery region is a service area too (dc_id set instead of outlet_id),
-- so that both are checked and searched by the same code.
CREATE TABLE showroom.service_area (
  id        bigserial PRIMARY KEY,
  outlet_id bigint REFERENCES showroom.outlet (id),
  dc_id     bigint REFERENCES showroom.dc (id),
  name      text NOT NULL,
  geom      geometry(MultiPolygon, 4326) NOT NULL,
  CHECK ((outlet_id IS NULL) <> (dc_id IS NULL))
);

CREATE INDEX service_area_geom_idx ON showroom.service_area USING gist (geom);
CREATE INDEX service_area_outlet_idx ON showroom.service_area (outlet_id);
CREATE INDEX service_area_dc_idx ON showroom.service_area (dc_id);

COMMENT ON TABLE showroom.service_area IS 'regions served by outlets; areas of different outlets may overlap';
COMMENT ON COLUMN showroom.service_area.id IS 'area id';
COMMENT ON COLUMN showroom.service_area.outlet_id IS 'outlet serving it (NULL for a DC region)';
COMMENT ON COLUMN showroom.service_area.dc_id IS 'DC delivering to it (NULL for an outlet''s area)';
COMMENT ON COLUMN showroom.service_area.name IS 'area name, for example a district';
COMMENT ON COLUMN showroom.service_area.geom IS 'the area, a valid lon/lat multipolygon';

SELECT pg_catalog.pg_extension_config_dump('showroom.service_area', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.service_area_id_seq', '');

-- Pieces of every area, cut by ST_Subdivide into parts of at most 128
-- vertices.  Point searches probe these instead of the whole area: a
-- district of thousands of vertices would otherwise be detoasted and walked
-- for every point near it.  The pieces cover their area, boundary
-- included, so "some piece covers p" means "the area covers p", up to
-- floating-point rounding: where ST_Subdivide cuts an edge it computes the
-- new vertex, so a point within a few units of the last place of such a
-- vertex or cut may be judged otherwise than by ST_Covers on the whole
-- area (seen for 4 of 27,758 points placed on vertices and cut lines on
-- purpose).  Every search uses the pieces, so they agree.  They are
-- derived data, kept by a trigger on service_area and never dumped: a
-- restore re-inserts service_area and the trigger cuts them again.
CREATE TABLE showroom.service_area_piece (
  area_id   bigint NOT NULL REFERENCES showroom.service_area (id) ON DELETE CASCADE,
  outlet_id bigint,
  dc_id     bigint,
  geom      geometry(Polygon, 4326) NOT NULL
);

CREATE INDEX service_area_piece_geom_idx ON showroom.service_area_piece USING gist (geom);
CREATE INDEX service_area_piece_area_idx ON showroom.service_area_piece (area_id);

COMMENT ON TABLE showroom.service_area_piece IS
  'service areas cut into small polygons for fast point searches; kept by a trigger, never written by hand';
COMMENT ON COLUMN showroom.service_area_piece.area_id IS 'area the piece belongs to';
COMMENT ON COLUMN showroom.service_area_piece.outlet_id IS 'outlet of the area (copied, so a search needs no join)';
COMMENT ON COLUMN showroom.service_area_piece.dc_id IS 'DC of the area (copied)';
COMMENT ON COLUMN showroom.service_area_piece.geom IS 'one piece of the area';

-- service_area_cut: trigger keeping service_area_piece equal to the
-- subdivided areas.
CREATE FUNCTION showroom.service_area_cut()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM showroom.service_area_piece WHERE area_id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO showroom.service_area_piece (area_id, outlet_id, dc_id, geom)
    SELECT NEW.id, NEW.outlet_id, NEW.dc_id, d.geom
      FROM ST_Subdivide(NEW.geom, 128) AS d(geom)
     WHERE GeometryType(d.geom) = 'POLYGON';
  END IF;
  RETURN NULL;
END
$$;

COMMENT ON FUNCTION showroom.service_area_cut() IS
  'trigger: keep service_area_piece equal to the areas cut into small polygons';

CREATE TRIGGER service_area_cut
AFTER INSERT OR UPDATE OR DELETE ON showroom.service_area
FOR EACH ROW EXECUTE FUNCTION showroom.service_area_cut();

-- Capabilities: which kinds of service an outlet does for which product
-- categories, and how well (skill 1, a beginner, to 5, an expert).
CREATE TABLE showroom.capability (
  outlet_id bigint NOT NULL REFERENCES showroom.outlet (id),
  kind      text NOT NULL REFERENCES showroom.service_kind (code),
  category  text NOT NULL REFERENCES showroom.category (code),
  skill     smallint NOT NULL CHECK (skill BETWEEN 1 AND 5),
  PRIMARY KEY (outlet_id, kind, category)
);

COMMENT ON TABLE showroom.capability IS 'what each outlet can do: service kind, product category and skill level';
COMMENT ON COLUMN showroom.capability.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.capability.kind IS 'kind of service';
COMMENT ON COLUMN showroom.capability.category IS 'product category';
COMMENT ON COLUMN showroom.capability.skill IS 'skill level, 1 (beginner) to 5 (expert)';

SELECT pg_catalog.pg_extension_config_dump('showroom.capability', '');

-- Capacity overrides.  An outlet takes outlet.daily_capacity jobs a day,
-- all kinds together.  A row with a day and no kind changes that total for
-- one date.  A row with a kind adds a limit for that kind alone, for every
-- date (no day) or for one date; the total still applies as well.
CREATE TABLE showroom.outlet_capacity (
  outlet_id bigint NOT NULL REFERENCES showroom.outlet (id),
  kind      text REFERENCES showroom.service_kind (code),
  day       date,
  jobs      integer NOT NULL CHECK (jobs >= 0),
  CONSTRAINT outlet_capacity_key UNIQUE NULLS NOT DISTINCT (outlet_id, kind, day)
);

COMMENT ON TABLE showroom.outlet_capacity IS
  'capacity overrides: a total for one date, or a limit for one service kind (every date or one)';
COMMENT ON COLUMN showroom.outlet_capacity.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_capacity.kind IS 'service kind limited, or NULL for the total of all kinds';
COMMENT ON COLUMN showroom.outlet_capacity.day IS 'date it applies to, or NULL for every date';
COMMENT ON COLUMN showroom.outlet_capacity.jobs IS 'jobs allowed';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_capacity', '');

-- Who suspended or reinstated an outlet, when and why.
CREATE TABLE showroom.outlet_suspension_log (
  id        bigserial PRIMARY KEY,
  outlet_id bigint NOT NULL REFERENCES showroom.outlet (id),
  action    text NOT NULL CHECK (action IN ('suspend', 'lift')),
  reason    text NOT NULL,
  at        timestamptz NOT NULL DEFAULT now(),
  done_by   text NOT NULL
);

CREATE INDEX outlet_suspension_log_outlet_idx ON showroom.outlet_suspension_log (outlet_id);

COMMENT ON TABLE showroom.outlet_suspension_log IS 'every suspension of an outlet and every lifting of one';
COMMENT ON COLUMN showroom.outlet_suspension_log.id IS 'entry id';
COMMENT ON COLUMN showroom.outlet_suspension_log.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_suspension_log.action IS 'suspend or lift';
COMMENT ON COLUMN showroom.outlet_suspension_log.reason IS 'why';
COMMENT ON COLUMN showroom.outlet_suspension_log.at IS 'when';
COMMENT ON COLUMN showroom.outlet_suspension_log.done_by IS 'person (showroom.person) or else role that did it';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_suspension_log', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_suspension_log_id_seq', '');

-- acting_person: who is acting, for audit rows: the name the application
-- passed in showroom.person, else the database role.
CREATE FUNCTION showroom.acting_person()
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN coalesce(nullif(current_setting('showroom.person', true), ''),
                current_user::text);

COMMENT ON FUNCTION showroom.acting_person() IS
  'the acting person for audit rows: setting showroom.person if set, else the current role';

-- to_lonlat: a geometry as SRID 4326, in two dimensions (Z and M are
-- dropped).  SRID 4326 passes; another known SRID is transformed; SRID 0
-- (no SRID) is refused, because a geometry without SRID compared with
-- lon/lat areas would silently match nothing.  A transform must give the
-- input back when reversed: coordinates outside the projection's domain
-- would otherwise wrap round the globe (EPSG:3857 x = 1e9 lands at lon
-- -16.8) instead of being refused.  The result must lie within lon/lat
-- bounds.
CREATE FUNCTION showroom.to_lonlat(g geometry)
RETURNS geometry
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  given_srid integer := ST_SRID(g);
  r geometry;
  back box2d;
  given box2d;
  tolerance float8;
BEGIN
  IF ST_CoordDim(g) > 2 THEN
    g := ST_Force2D(g);
  END IF;
  IF given_srid = 0 THEN
    RAISE EXCEPTION 'geometry has no SRID'
      USING ERRCODE = 'SR203',
            DETAIL = format('SRID 0 given for %s; showroom keeps lon/lat in SRID 4326.',
                            left(ST_AsText(g), 60)),
            HINT = 'Use ST_SetSRID(geom, 4326) for lon/lat, or give the SRID the coordinates are in.';
  END IF;
  IF given_srid = 4326 THEN
    r := g;
  ELSIF NOT EXISTS (SELECT 1 FROM spatial_ref_sys s WHERE s.srid = given_srid) THEN
    RAISE EXCEPTION 'unknown SRID %', given_srid
      USING ERRCODE = 'SR203',
            DETAIL = format('SRID %s is not in spatial_ref_sys, so it cannot be transformed to SRID 4326.', given_srid),
            HINT = 'Give lon/lat geometry in SRID 4326.';
  ELSE
    BEGIN
      r := ST_Transform(g, 4326);
      back := Box2D(ST_Transform(r, given_srid));
    EXCEPTION WHEN internal_error THEN
      RAISE EXCEPTION 'coordinates outside the domain of SRID %', given_srid
        USING ERRCODE = 'SR108',
              DETAIL = format('%s cannot be transformed to SRID 4326: %s.',
                              left(ST_AsText(g), 60), SQLERRM),
              HINT = 'Check the SRID the coordinates are really in.';
    END;
    given := Box2D(g);
    tolerance := 1e-6 * (1 + greatest(abs(ST_XMin(given)), abs(ST_XMax(given)),
                                      abs(ST_YMin(given)), abs(ST_YMax(given))));
    IF NOT ST_IsEmpty(g)
       AND (back IS NULL
            OR abs(ST_XMin(back) - ST_XMin(given)) > tolerance
            OR abs(ST_XMax(back) - ST_XMax(given)) > tolerance
            OR abs(ST_YMin(back) - ST_YMin(given)) > tolerance
            OR abs(ST_YMax(back) - ST_YMax(given)) > tolerance) THEN
      RAISE EXCEPTION 'coordinates outside the domain of SRID %', given_srid
        USING ERRCODE = 'SR108',
              DETAIL = format('extent %s in SRID %s comes back as %s from SRID 4326.',
                              given::text, given_srid, coalesce(back::text, 'nothing')),
              HINT = 'Check the SRID the coordinates are really in.';
    END IF;
  END IF;
  IF NOT ST_IsEmpty(r)
     AND (ST_XMin(r) < -180::float8 OR ST_XMax(r) > 180::float8
          OR ST_YMin(r) < -90::float8 OR ST_YMax(r) > 90::float8) THEN
    RAISE EXCEPTION 'coordinates out of lon/lat range'
      USING ERRCODE = 'SR108',
            DETAIL = format('extent %s; lon must lie in [-180, 180] and lat in [-90, 90].',
                            Box2D(r)::text),
            HINT = 'Give longitude first, then latitude, in SRID 4326.';
  END IF;
  RETURN r;
END
$$;

COMMENT ON FUNCTION showroom.to_lonlat(geometry) IS
  'the geometry in SRID 4326: passed, transformed from a known SRID, or refused (SRID 0, out of range)';

-- area_geometry: check an area and return it as a lon/lat multipolygon
-- (Z and M dropped).  Refuses what is not a polygon, is empty, or is
-- invalid.  With repair, an invalid area is rebuilt as the union of what
-- its outer rings enclose, less what its holes enclose, each ring first
-- made valid by ST_MakeValid's structure method: a bow-tie becomes two
-- triangles (never one lobe), parts that overlap or nest are merged (not
-- cut into holes), and a hole outside its shell takes nothing away.
CREATE FUNCTION showroom.area_geometry(g geometry, repair boolean DEFAULT false)
RETURNS geometry
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  r geometry;
  fixed geometry;
BEGIN
  IF g IS NULL THEN
    RAISE EXCEPTION 'area must not be null' USING ERRCODE = '22004';
  END IF;
  IF ST_CoordDim(g) > 2 THEN
    g := ST_Force2D(g);
  END IF;
  IF GeometryType(g) NOT IN ('POLYGON', 'MULTIPOLYGON') THEN
    RAISE EXCEPTION 'area must be a polygon or multipolygon'
      USING ERRCODE = 'SR202',
            DETAIL = format('got a %s: %s', GeometryType(g), left(ST_AsText(g), 60));
  END IF;
  IF ST_IsEmpty(g) THEN
    RAISE EXCEPTION 'area is empty' USING ERRCODE = 'SR202',
      DETAIL = format('%s has no coordinates.', ST_AsText(g));
  END IF;
  r := showroom.to_lonlat(g);
  IF NOT (ST_IsValidDetail(r)).valid THEN
    IF NOT coalesce(repair, false) THEN
      RAISE EXCEPTION 'area is not a valid polygon'
        USING ERRCODE = 'SR202',
              DETAIL = ST_IsValidReason(r),
              HINT = 'Fix the polygon, or pass repair => true to make it valid keeping every part.';
    END IF;
    -- Every ring of every part, as the polygon it encloses; a ring of
    -- fewer than four points encloses nothing.
    WITH ring AS (
      SELECT i = 0 AS outer_ring,
             CASE WHEN i = 0 THEN ST_ExteriorRing(p.geom)
                  ELSE ST_InteriorRingN(p.geom, i) END AS line
        FROM ST_Dump(r) p, generate_series(0, ST_NumInteriorRings(p.geom)) i),
    enclosed AS (
      SELECT outer_ring, ST_MakeValid(ST_MakePolygon(line), 'method=structure') AS ground
        FROM ring WHERE ST_NPoints(line) >= 4)
    SELECT ST_CollectionExtract(ST_Difference(
             coalesce((SELECT ST_Union(ground) FROM enclosed WHERE outer_ring),
                      'SRID=4326;POLYGON EMPTY'::geometry),
             coalesce((SELECT ST_Union(ground) FROM enclosed WHERE NOT outer_ring),
                      'SRID=4326;POLYGON EMPTY'::geometry)), 3)
      INTO fixed;
    IF ST_IsEmpty(fixed) OR ST_Area(fixed) = 0::float8 THEN
      RAISE EXCEPTION 'area cannot be repaired'
        USING ERRCODE = 'SR202',
              DETAIL = format('%s; nothing of positive area is left.', ST_IsValidReason(r));
    END IF;
    r := fixed;
  END IF;
  RETURN ST_Multi(r);
END
$$;

COMMENT ON FUNCTION showroom.area_geometry(geometry, boolean) IS
  'check an area (polygon, SRID, validity) and return it as a valid lon/lat multipolygon, repairing if asked';

-- outlet_row: lock and return an outlet, or raise SR201.
CREATE FUNCTION showroom.outlet_row(outlet bigint)
RETURNS showroom.outlet
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r showroom.outlet;
BEGIN
  IF outlet IS NULL THEN
    RAISE EXCEPTION 'outlet id must not be null' USING ERRCODE = '22004';
  END IF;
  SELECT * INTO r FROM showroom.outlet o WHERE o.id = outlet FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown outlet %', outlet
      USING ERRCODE = 'SR201', DETAIL = format('No outlet has id %s.', outlet);
  END IF;
  RETURN r;
END
$$;

COMMENT ON FUNCTION showroom.outlet_row(bigint) IS
  'lock and return an outlet; SR201 if there is none with that id';

-- add_outlet: register a service outlet with its base (lon, lat).
CREATE FUNCTION showroom.add_outlet(code text, name text,
                                    lon double precision, lat double precision,
                                    priority integer DEFAULT 0,
                                    daily_capacity integer DEFAULT 10)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  IF code IS NULL OR name IS NULL OR btrim(code) = '' OR btrim(name) = '' THEN
    RAISE EXCEPTION 'outlet code and name must not be empty'
      USING ERRCODE = '22023',
            DETAIL = format('code = %s, name = %s.', coalesce(quote_literal(code), 'NULL'),
                            coalesce(quote_literal(name), 'NULL'));
  END IF;
  PERFORM showroom.check_lonlat(lon, lat);
  IF priority IS NULL OR daily_capacity IS NULL OR daily_capacity < 0 THEN
    RAISE EXCEPTION 'invalid priority or daily capacity'
      USING ERRCODE = '22023',
            DETAIL = format('priority = %s, daily_capacity = %s; capacity must be 0 or more.',
                            coalesce(priority::text, 'NULL'), coalesce(daily_capacity::text, 'NULL'));
  END IF;
  PERFORM showroom.check_range('priority', priority, -1000000, 1000000);
  PERFORM showroom.check_range('daily_capacity', daily_capacity, 0, 100000);
  IF EXISTS (SELECT 1 FROM showroom.outlet o WHERE o.code = add_outlet.code) THEN
    RAISE EXCEPTION 'outlet code % already exists', code
      USING ERRCODE = 'SR112', DETAIL = format('Code "%s" is taken.', code);
  END IF;
  INSERT INTO showroom.outlet (code, name, base, priority, daily_capacity)
  VALUES (code, name, ST_SetSRID(ST_MakePoint(lon, lat), 4326), priority, daily_capacity)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.add_outlet(text, text, double precision, double precision, integer, integer) IS
  'register a service outlet at (lon, lat) with a priority and a daily capacity; returns its id';

-- set_capability: say that an outlet does a kind of service for a
-- category, at a skill level; a NULL skill removes the capability.
CREATE FUNCTION showroom.set_capability(outlet_id bigint, kind text, category text, skill integer)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM showroom.outlet_row(outlet_id);
  IF NOT EXISTS (SELECT 1 FROM showroom.service_kind k WHERE k.code = kind) THEN
    RAISE EXCEPTION 'unknown service kind %', coalesce(kind, 'NULL')
      USING ERRCODE = 'SR207', DETAIL = format('No service kind has code %s.', coalesce(quote_literal(kind), 'NULL')),
            HINT = 'The kinds are listed in showroom.service_kind.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.category c WHERE c.code = category) THEN
    RAISE EXCEPTION 'unknown category %', coalesce(category, 'NULL')
      USING ERRCODE = '22023', DETAIL = format('No category has code %s.', coalesce(quote_literal(category), 'NULL')),
            HINT = 'The categories are listed in showroom.category.';
  END IF;
  IF skill IS NULL THEN
    DELETE FROM showroom.capability c
     WHERE c.outlet_id = set_capability.outlet_id AND c.kind = set_capability.kind
       AND c.category = set_capability.category;
    RETURN;
  END IF;
  IF skill NOT BETWEEN 1 AND 5 THEN
    RAISE EXCEPTION 'skill level out of range'
      USING ERRCODE = '22003', DETAIL = format('skill = %s; it must be 1 to 5.', skill);
  END IF;
  INSERT INTO showroom.capability AS c (outlet_id, kind, category, skill)
  VALUES (outlet_id, kind, category, skill)
  ON CONFLICT ON CONSTRAINT capability_pkey DO UPDATE SET skill = excluded.skill;
END
$$;

COMMENT ON FUNCTION showroom.set_capability(bigint, text, text, integer) IS
  'set the skill (1-5) of an outlet for a service kind and category; NULL skill removes it';

-- set_capacity: change an outlet's capacity.  With neither day nor kind it
-- sets the daily default; otherwise it sets an override (see
-- outlet_capacity); jobs NULL removes that override.
CREATE FUNCTION showroom.set_capacity(outlet_id bigint, jobs integer,
                                      day date DEFAULT NULL, kind text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM showroom.outlet_row(outlet_id);
  IF kind IS NOT NULL AND NOT EXISTS (SELECT 1 FROM showroom.service_kind k WHERE k.code = kind) THEN
    RAISE EXCEPTION 'unknown service kind %', kind
      USING ERRCODE = 'SR207', DETAIL = format('No service kind has code %L.', kind);
  END IF;
  IF jobs < 0 THEN
    RAISE EXCEPTION 'capacity must not be negative'
      USING ERRCODE = '22003', DETAIL = format('jobs = %s.', jobs);
  END IF;
  PERFORM showroom.check_range('jobs', jobs, 0, 100000);
  PERFORM showroom.check_day('day', day);
  IF day IS NULL AND kind IS NULL THEN
    IF jobs IS NULL THEN
      RAISE EXCEPTION 'daily capacity must not be null' USING ERRCODE = '22004';
    END IF;
    UPDATE showroom.outlet o SET daily_capacity = jobs WHERE o.id = outlet_id;
  ELSIF jobs IS NULL THEN
    DELETE FROM showroom.outlet_capacity c
     WHERE c.outlet_id = set_capacity.outlet_id
       AND c.kind IS NOT DISTINCT FROM set_capacity.kind
       AND c.day IS NOT DISTINCT FROM set_capacity.day;
  ELSE
    INSERT INTO showroom.outlet_capacity AS c (outlet_id, kind, day, jobs)
    VALUES (outlet_id, kind, day, jobs)
    ON CONFLICT ON CONSTRAINT outlet_capacity_key DO UPDATE SET jobs = excluded.jobs;
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.set_capacity(bigint, integer, date, text) IS
  'set an outlet''s daily capacity, or an override for a date and/or a service kind; NULL jobs removes an override';

-- capacity_on: the capacity of an outlet on a date: the total over all
-- kinds, and the limit of one kind (NULL when the kind has no own limit).
CREATE FUNCTION showroom.capacity_on(outlet_id bigint, kind text, day date,
                                     OUT total integer, OUT kind_limit integer)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce((SELECT c.jobs FROM showroom.outlet_capacity c
                    WHERE c.outlet_id = capacity_on.outlet_id AND c.kind IS NULL
                      AND c.day = capacity_on.day),
                  o.daily_capacity),
         (SELECT c.jobs FROM showroom.outlet_capacity c
           WHERE c.outlet_id = capacity_on.outlet_id AND c.kind = capacity_on.kind
             AND (c.day = capacity_on.day OR c.day IS NULL)
           ORDER BY c.day NULLS LAST LIMIT 1)
    FROM showroom.outlet o WHERE o.id = capacity_on.outlet_id;
END;

COMMENT ON FUNCTION showroom.capacity_on(bigint, text, date) IS
  'capacity of an outlet on a date: the total of all kinds and the limit of one kind (NULL if none)';

-- add_service_area: give an outlet (or, with add_dc_area, a DC) an area.
CREATE FUNCTION showroom.add_service_area(outlet_id bigint, name text, geom geometry,
                                          repair boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  PERFORM showroom.outlet_row(outlet_id);
  IF name IS NULL OR btrim(name) = '' THEN
    RAISE EXCEPTION 'area name must not be empty' USING ERRCODE = '22023';
  END IF;
  INSERT INTO showroom.service_area (outlet_id, name, geom)
  VALUES (outlet_id, name, showroom.area_geometry(geom, repair))
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.add_service_area(bigint, text, geometry, boolean) IS
  'add a service area to an outlet after checking it (SRID, validity; repair => true keeps every part); returns the area id';

CREATE FUNCTION showroom.add_dc_area(dc_id bigint, name text, geom geometry,
                                     repair boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  IF dc_id IS NULL THEN
    RAISE EXCEPTION 'DC id must not be null' USING ERRCODE = '22004';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.dc d WHERE d.id = dc_id) THEN
    RAISE EXCEPTION 'unknown DC %', coalesce(dc_id::text, 'NULL')
      USING ERRCODE = 'SR105', DETAIL = format('No DC has id %s.', coalesce(dc_id::text, 'NULL'));
  END IF;
  IF name IS NULL OR btrim(name) = '' THEN
    RAISE EXCEPTION 'area name must not be empty' USING ERRCODE = '22023';
  END IF;
  INSERT INTO showroom.service_area (dc_id, name, geom)
  VALUES (dc_id, name, showroom.area_geometry(geom, repair))
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.add_dc_area(bigint, text, geometry, boolean) IS
  'add a delivery region to a DC, checked like a service area; returns the area id';

-- dcs_covering: the DCs whose delivery regions cover a point.
CREATE FUNCTION showroom.dcs_covering(point geometry)
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  p geometry := showroom.to_lonlat(point);
BEGIN
  -- As the dispatcher's screen refuses it: a line or an empty point
  -- would otherwise cover nothing and give no rows.
  IF GeometryType(p) <> 'POINT' OR ST_IsEmpty(p) THEN
    RAISE EXCEPTION 'an address must be one point'
      USING ERRCODE = '22023', DETAIL = format('Got %s.', ST_AsText(p));
  END IF;
  RETURN QUERY
    SELECT DISTINCT pc.dc_id FROM showroom.service_area_piece pc
     WHERE pc.dc_id IS NOT NULL AND ST_Covers(pc.geom, p)
     ORDER BY 1;
END
$$;

COMMENT ON FUNCTION showroom.dcs_covering(geometry) IS
  'ids of the DCs whose delivery regions cover the point (boundary included)';

-- suspend_outlet: stop dispatching to an outlet, with the reason.  Jobs it
-- already has stay with it.  Suspending a suspended outlet keeps the first
-- suspension's time and logs the new reason.
CREATE FUNCTION showroom.suspend_outlet(outlet_id bigint, reason text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'a suspension needs a reason'
      USING ERRCODE = '22023', DETAIL = format('outlet %s, reason %s.', outlet_id,
                                               coalesce(quote_literal(reason), 'NULL'));
  END IF;
  PERFORM showroom.outlet_row(outlet_id);
  UPDATE showroom.outlet o
     SET suspended_reason = reason, suspended_at = coalesce(o.suspended_at, now())
   WHERE o.id = outlet_id;
  INSERT INTO showroom.outlet_suspension_log (outlet_id, action, reason, done_by)
  VALUES (outlet_id, 'suspend', reason, showroom.acting_person());
END
$$;

COMMENT ON FUNCTION showroom.suspend_outlet(bigint, text) IS
  'suspend dispatch to an outlet, with a reason (logged); its existing jobs stay';

-- lift_suspension: dispatch to a suspended outlet again.
CREATE FUNCTION showroom.lift_suspension(outlet_id bigint, reason text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r showroom.outlet;
BEGIN
  IF reason IS NULL OR btrim(reason) = '' THEN
    RAISE EXCEPTION 'lifting a suspension needs a reason'
      USING ERRCODE = '22023', DETAIL = format('outlet %s, reason %s.', outlet_id,
                                               coalesce(quote_literal(reason), 'NULL'));
  END IF;
  r := showroom.outlet_row(outlet_id);
  IF r.suspended_at IS NULL THEN
    RAISE EXCEPTION 'outlet % is not suspended', outlet_id
      USING ERRCODE = 'SR209', DETAIL = format('Outlet %s (%s) is open for dispatch.', outlet_id, r.code);
  END IF;
  UPDATE showroom.outlet o SET suspended_reason = NULL, suspended_at = NULL
   WHERE o.id = outlet_id;
  INSERT INTO showroom.outlet_suspension_log (outlet_id, action, reason, done_by)
  VALUES (outlet_id, 'lift', reason, showroom.acting_person());
END
$$;

COMMENT ON FUNCTION showroom.lift_suspension(bigint, text) IS
  'lift the suspension of an outlet, with a reason (logged)';

-- remove_service_area: take an area away from its outlet or DC.
CREATE FUNCTION showroom.remove_service_area(area_id bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF area_id IS NULL THEN
    RAISE EXCEPTION 'area id must not be null' USING ERRCODE = '22004';
  END IF;
  DELETE FROM showroom.service_area a WHERE a.id = area_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown service area %', coalesce(area_id::text, 'NULL')
      USING ERRCODE = 'SR202', DETAIL = format('No service area has id %s.', coalesce(area_id::text, 'NULL'));
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.remove_service_area(bigint) IS
  'remove a service area (or DC region); jobs already assigned stay where they are';
