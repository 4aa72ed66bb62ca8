
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
COMMENT ON COLUMN showroom.outlet.active IS 'whether the outlet works with the chain at all';
COMMENT ON COLUMN showroom.outlet.suspended_reason IS 'why dispatch to it is suspended, if it is';
COMMENT ON COLUMN showroom.outlet.suspended_at IS 'since when dispatch to it is suspended';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_id_seq', '');

-- Service areas: the regions an outlet covers; they may overlap.
CREATE TABLE showroom.service_area (
  id        bigserial PRIMARY KEY,
  outlet_id bigint NOT NULL REFERENCES showroom.outlet (id),
  name      text NOT NULL,
  geom      geometry(MultiPolygon, 4326) NOT NULL
);

CREATE INDEX service_area_geom_idx ON showroom.service_area USING gist (geom);
CREATE INDEX service_area_outlet_idx ON showroom.service_area (outlet_id);

COMMENT ON TABLE showroom.service_area IS 'regions served by outlets; areas of different outlets may overlap';
COMMENT ON COLUMN showroom.service_area.id IS 'area id';
COMMENT ON COLUMN showroom.service_area.outlet_id IS 'outlet serving it';
COMMENT ON COLUMN showroom.service_area.name IS 'area name, for example a district';
COMMENT ON COLUMN showroom.service_area.geom IS 'the area, a valid lon/lat multipolygon';

SELECT pg_catalog.pg_extension_config_dump('showroom.service_area', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.service_area_id_seq', '');
