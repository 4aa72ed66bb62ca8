
--
-- runs: vehicles, delivery runs and their stops.
--
-- A DC plans its trucks for a day with plan_runs(dc, date): the day's
-- deliveries (sales orders of the DC for that date, allocated or picked)
-- go onto runs of its vehicles, each run an ordered list of stops, or stay
-- pending with a reason.  The heuristic itself is C (src/routing.c, pure);
-- route_plan() is its SQL face, and plan_runs() gathers its input from the
-- tables and writes its output back.  A run once loaded never changes:
-- planning the day again keeps it and its vehicle, and replans the rest.
--

INSERT INTO showroom.setting_default (name, value, value_type, description) VALUES
  ('runs.speed_kmh', '25', 'double precision',
   'average speed of a delivery truck, in km per hour of straight-line distance'),
  ('runs.service_min', '15', 'integer',
   'minutes a crew spends at a door to hand over a delivery'),
  ('runs.install_min', '40', 'integer',
   'extra minutes at a door when the crew installs what it delivers');

-- Vehicles: a DC's trucks with their crews.
CREATE TABLE showroom.vehicle (
  id        bigserial PRIMARY KEY,
  dc_id     bigint NOT NULL REFERENCES showroom.dc (id),
  code      text NOT NULL UNIQUE,
  volume_l  numeric(10,1) NOT NULL CHECK (volume_l > 0),
  weight_kg numeric(10,1) NOT NULL CHECK (weight_kg > 0),
  work_from time NOT NULL,
  work_to   time NOT NULL,
  installs  boolean NOT NULL DEFAULT false,
  active    boolean NOT NULL DEFAULT true,
  CHECK (work_from < work_to)
);

CREATE INDEX vehicle_dc_idx ON showroom.vehicle (dc_id);

COMMENT ON TABLE showroom.vehicle IS 'delivery vehicles of a DC, each with its crew; add them with add_vehicle()';
COMMENT ON COLUMN showroom.vehicle.id IS 'vehicle id';
COMMENT ON COLUMN showroom.vehicle.dc_id IS 'DC the vehicle leaves from and returns to';
COMMENT ON COLUMN showroom.vehicle.code IS 'vehicle code (a plate number, say)';
COMMENT ON COLUMN showroom.vehicle.volume_l IS 'load volume it carries, in litres';
COMMENT ON COLUMN showroom.vehicle.weight_kg IS 'load weight it carries, in kilograms';
COMMENT ON COLUMN showroom.vehicle.work_from IS 'earliest time it leaves the DC';
COMMENT ON COLUMN showroom.vehicle.work_to IS 'latest time it is back at the DC';
COMMENT ON COLUMN showroom.vehicle.installs IS 'the crew installs on the same visit (each such stop takes runs.install_min longer)';
COMMENT ON COLUMN showroom.vehicle.active IS 'whether it is planned';

SELECT pg_catalog.pg_extension_config_dump('showroom.vehicle', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.vehicle_id_seq', '');

-- Delivery runs: one vehicle's trip of one day, DC to DC.
CREATE TABLE showroom.delivery_run (
  id         bigserial PRIMARY KEY,
  dc_id      bigint NOT NULL REFERENCES showroom.dc (id),
  run_date   date NOT NULL,
  vehicle_id bigint NOT NULL REFERENCES showroom.vehicle (id),
  state      text NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'loaded')),
  depart_at  timestamptz NOT NULL,
  return_at  timestamptz NOT NULL,
  distance_m double precision NOT NULL CHECK (distance_m >= 0),
  volume_l   numeric(12,1) NOT NULL,
  weight_kg  numeric(12,1) NOT NULL,
  route      geometry(LineString, 4326) NOT NULL,
  planned_at timestamptz NOT NULL DEFAULT now(),
  planned_by name NOT NULL DEFAULT current_user,
  loaded_at  timestamptz,
  loaded_by  name,
  UNIQUE (vehicle_id, run_date),
  CHECK (depart_at <= return_at),
  CHECK ((state = 'loaded') = (loaded_at IS NOT NULL))
);

CREATE INDEX delivery_run_dc_date_idx ON showroom.delivery_run (dc_id, run_date);

COMMENT ON TABLE showroom.delivery_run IS 'delivery runs: one vehicle''s trip of a day from its DC and back; written by plan_runs() and load_run()';
COMMENT ON COLUMN showroom.delivery_run.id IS 'run id';
COMMENT ON COLUMN showroom.delivery_run.dc_id IS 'DC the run leaves from';
COMMENT ON COLUMN showroom.delivery_run.run_date IS 'day of the run';
COMMENT ON COLUMN showroom.delivery_run.vehicle_id IS 'vehicle that drives it';
COMMENT ON COLUMN showroom.delivery_run.state IS 'planned (replanning may change it) or loaded (fixed)';
COMMENT ON COLUMN showroom.delivery_run.depart_at IS 'planned departure from the DC';
COMMENT ON COLUMN showroom.delivery_run.return_at IS 'planned return to the DC';
COMMENT ON COLUMN showroom.delivery_run.distance_m IS 'length of the route on the spheroid, in metres';
COMMENT ON COLUMN showroom.delivery_run.volume_l IS 'volume loaded, in litres';
COMMENT ON COLUMN showroom.delivery_run.weight_kg IS 'weight loaded, in kilograms';
COMMENT ON COLUMN showroom.delivery_run.route IS 'the route as a line from the DC through every stop back to the DC (straight legs)';
COMMENT ON COLUMN showroom.delivery_run.planned_at IS 'when it was planned';
COMMENT ON COLUMN showroom.delivery_run.planned_by IS 'role that planned it';
COMMENT ON COLUMN showroom.delivery_run.loaded_at IS 'when it was loaded, after which it never changes';
COMMENT ON COLUMN showroom.delivery_run.loaded_by IS 'role that loaded it';

SELECT pg_catalog.pg_extension_config_dump('showroom.delivery_run', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.delivery_run_id_seq', '');

-- Stops: the deliveries of a run, in visiting order.
CREATE TABLE showroom.run_stop (
  run_id     bigint NOT NULL REFERENCES showroom.delivery_run (id) ON DELETE CASCADE,
  seq        integer NOT NULL CHECK (seq > 0),
  run_date   date NOT NULL,
  order_id   bigint NOT NULL REFERENCES showroom.sales_order (id),
  arrive_at  timestamptz NOT NULL,
  service_at timestamptz NOT NULL,
  leg_m      double precision NOT NULL CHECK (leg_m >= 0),
  PRIMARY KEY (run_id, seq),
  UNIQUE (order_id, run_date),
  CHECK (arrive_at <= service_at)
);

COMMENT ON TABLE showroom.run_stop IS 'stops of delivery runs, one per delivery, in visiting order';
COMMENT ON COLUMN showroom.run_stop.run_id IS 'run';
COMMENT ON COLUMN showroom.run_stop.seq IS 'position on the run, from 1';
COMMENT ON COLUMN showroom.run_stop.run_date IS 'day of the run (an order is on at most one run a day)';
COMMENT ON COLUMN showroom.run_stop.order_id IS 'sales order delivered';
COMMENT ON COLUMN showroom.run_stop.arrive_at IS 'estimated arrival at the door';
COMMENT ON COLUMN showroom.run_stop.service_at IS 'estimated start of the hand-over: the arrival, or the window''s start if the crew comes early and waits';
COMMENT ON COLUMN showroom.run_stop.leg_m IS 'straight-line metres from the previous stop (or the DC)';

SELECT pg_catalog.pg_extension_config_dump('showroom.run_stop', '');

-- Deliveries the last plan of a day could not put on a run, and why.
CREATE TABLE showroom.run_pending (
  dc_id    bigint NOT NULL REFERENCES showroom.dc (id),
  run_date date NOT NULL,
  order_id bigint NOT NULL REFERENCES showroom.sales_order (id),
  reason   text NOT NULL CHECK (reason IN ('no_vehicle', 'too_big',
                                           'window_unreachable', 'no_room',
                                           'unknown_size')),
  detail   text NOT NULL,
  PRIMARY KEY (run_date, order_id)
);

CREATE INDEX run_pending_dc_date_idx ON showroom.run_pending (dc_id, run_date);

COMMENT ON TABLE showroom.run_pending IS 'deliveries of a day that the last plan_runs() could not plan, with the reason';
COMMENT ON COLUMN showroom.run_pending.dc_id IS 'DC';
COMMENT ON COLUMN showroom.run_pending.run_date IS 'day planned';
COMMENT ON COLUMN showroom.run_pending.order_id IS 'sales order left out';
COMMENT ON COLUMN showroom.run_pending.reason IS 'no_vehicle, too_big, window_unreachable, no_room or unknown_size';
COMMENT ON COLUMN showroom.run_pending.detail IS 'the figures behind the reason, for people';

SELECT pg_catalog.pg_extension_config_dump('showroom.run_pending', '');

-- add_vehicle: register a vehicle of a DC; returns its id.
CREATE FUNCTION showroom.add_vehicle(dc_id bigint, code text, volume_l numeric,
                                     weight_kg numeric,
                                     work_from time DEFAULT '08:00',
                                     work_to time DEFAULT '18:00',
                                     installs boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
BEGIN
  IF dc_id IS NULL OR code IS NULL OR volume_l IS NULL OR weight_kg IS NULL
     OR work_from IS NULL OR work_to IS NULL OR installs IS NULL THEN
    RAISE EXCEPTION 'vehicle arguments must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('dc_id = %s, code = %s, volume_l = %s, weight_kg = %s, work_from = %s, work_to = %s, installs = %s.',
                            coalesce(dc_id::text, 'NULL'), coalesce(code, 'NULL'),
                            coalesce(volume_l::text, 'NULL'), coalesce(weight_kg::text, 'NULL'),
                            coalesce(work_from::text, 'NULL'), coalesce(work_to::text, 'NULL'),
                            coalesce(installs::text, 'NULL'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM showroom.dc d WHERE d.id = add_vehicle.dc_id) THEN
    RAISE EXCEPTION 'unknown DC %', dc_id
      USING ERRCODE = 'SR105', DETAIL = format('No DC has id %s.', dc_id);
  END IF;
  IF volume_l <= 0 OR weight_kg <= 0 OR volume_l >= 1e9 OR weight_kg >= 1e9 THEN
    RAISE EXCEPTION 'invalid capacity for vehicle "%"', code
      USING ERRCODE = 'SR304',
            DETAIL = format('volume_l = %s, weight_kg = %s; both must be positive and below 1e9.',
                            volume_l, weight_kg);
  END IF;
  IF work_from >= work_to THEN
    RAISE EXCEPTION 'invalid working window for vehicle "%"', code
      USING ERRCODE = 'SR304',
            DETAIL = format('work_from = %s, work_to = %s.', work_from, work_to),
            HINT = 'The window runs within one day: work_from must come before work_to.';
  END IF;
  IF EXISTS (SELECT 1 FROM showroom.vehicle v WHERE v.code = add_vehicle.code) THEN
    RAISE EXCEPTION 'duplicate vehicle code "%"', code
      USING ERRCODE = 'SR305',
            DETAIL = format('Vehicle %s already has code "%s".',
                            (SELECT v.id FROM showroom.vehicle v WHERE v.code = add_vehicle.code), code);
  END IF;
  INSERT INTO showroom.vehicle (dc_id, code, volume_l, weight_kg, work_from, work_to, installs)
  VALUES (dc_id, code, volume_l, weight_kg, work_from, work_to, installs)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.add_vehicle(bigint, text, numeric, numeric, time, time, boolean) IS
  'register a vehicle of a DC with its volume (l) and weight (kg) capacity, working window and whether its crew installs; returns its id';

-- set_vehicle_active: take a vehicle out of planning, or put it back.
-- Runs already planned or loaded keep it.
CREATE FUNCTION showroom.set_vehicle_active(vehicle_id bigint, active boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF vehicle_id IS NULL OR active IS NULL THEN
    RAISE EXCEPTION 'vehicle id and active must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  UPDATE showroom.vehicle v SET active = set_vehicle_active.active
   WHERE v.id = set_vehicle_active.vehicle_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown vehicle %', vehicle_id
      USING ERRCODE = 'SR301', DETAIL = format('No vehicle has id %s.', vehicle_id);
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.set_vehicle_active(bigint, boolean) IS
  'take a vehicle out of planning (false) or put it back (true); existing runs keep it';

-- route_plan: the heuristic itself, on arrays (src/runs.c, src/routing.c).
CREATE FUNCTION showroom.route_plan(
    depot_lon double precision, depot_lat double precision,
    lon double precision[], lat double precision[],
    volume double precision[], weight double precision[],
    win_from integer[], win_to integer[],
    service_s integer[], install_s integer[],
    v_volume double precision[], v_weight double precision[],
    v_from integer[], v_to integer[], v_installs boolean[],
    speed_kmh double precision,
    OUT delivery integer, OUT vehicle integer, OUT seq integer,
    OUT arrival_s integer, OUT start_s integer, OUT leg_m double precision,
    OUT reason text)
RETURNS SETOF record
LANGUAGE c IMMUTABLE PARALLEL SAFE COST 10000 ROWS 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'route_plan';

COMMENT ON FUNCTION showroom.route_plan(double precision, double precision, double precision[], double precision[], double precision[], double precision[], integer[], integer[], integer[], integer[], double precision[], double precision[], integer[], integer[], boolean[], double precision) IS
  'plan deliveries (parallel arrays: lon, lat, volume, weight, window from/to in seconds of the day or NULL, service and install seconds) onto vehicles (volume, weight, working from/to, installs) from a depot at a speed in km/h; returns each run''s rows (seq 0 the departure, then the stops, then the return, 1-based delivery and vehicle indices) and each delivery left out with its reason';

-- plan_runs: plan a DC's deliveries of a day.  Loaded runs stay as they
-- are, with their vehicles and deliveries; every planned run of the day is
-- dropped and the rest planned anew.  Returns one row per delivery of the
-- day: planned (on a new run), kept (on a loaded run) or not_plannable.
CREATE FUNCTION showroom.plan_runs(dc_id bigint, run_date date)
RETURNS TABLE (order_id bigint, outcome text, run_id bigint, seq integer,
               reason text)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  depot geometry;
  tz text := showroom.setting_value('business_time_zone');
  speed double precision := showroom.setting_value('runs.speed_kmh')::double precision;
  svc integer := showroom.setting_value('runs.service_min')::integer * 60;
  inst integer := showroom.setting_value('runs.install_min')::integer * 60;
  ids bigint[]; pts geometry[]; lons float8[]; lats float8[];
  vols float8[]; wts float8[]; wfrom integer[]; wto integer[];
  svcs integer[]; insts integer[];
  vids bigint[]; vvol float8[]; vwt float8[]; vfrom integer[]; vto integer[];
  vinst boolean[];
BEGIN
  IF dc_id IS NULL OR run_date IS NULL THEN
    RAISE EXCEPTION 'DC and date to plan must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('dc_id = %s, run_date = %s.', coalesce(dc_id::text, 'NULL'),
                            coalesce(pg_catalog.to_char(run_date::timestamp, 'YYYY-MM-DD'), 'NULL'));
  END IF;
  SELECT d.location INTO depot FROM showroom.dc d WHERE d.id = plan_runs.dc_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown DC %', dc_id
      USING ERRCODE = 'SR105', DETAIL = format('No DC has id %s.', dc_id);
  END IF;

  -- One planner per DC and day at a time; load_run() takes the same lock.
  PERFORM pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended(format('showroom.runs %s %s', dc_id, run_date), 0::bigint));

  DELETE FROM showroom.delivery_run r
   WHERE r.dc_id = plan_runs.dc_id AND r.run_date = plan_runs.run_date
     AND r.state = 'planned';
  DELETE FROM showroom.run_pending p
   WHERE p.dc_id = plan_runs.dc_id AND p.run_date = plan_runs.run_date;

  -- The deliveries: orders of the day not on a loaded run, with their load.
  -- An order with a line whose SKU has no size cannot be loaded safely.
  WITH del AS (
    SELECT o.id, o.delivery_point AS pt, o.window_from, o.window_to,
           coalesce(sum(l.qty::numeric * s.volume_l), 0) AS vol,
           coalesce(sum(l.qty::numeric * s.weight_kg), 0) AS wt,
           coalesce(bool_or(s.needs_install), false) AS needs_install,
           count(l.id) FILTER (WHERE s.volume_l IS NULL OR s.weight_kg IS NULL) AS unsized
      FROM showroom.sales_order o
      LEFT JOIN showroom.sales_line l ON l.order_id = o.id
      LEFT JOIN showroom.sku s ON s.id = l.sku_id
     WHERE o.dc_id = plan_runs.dc_id AND o.delivery_date = plan_runs.run_date
       AND o.state IN ('allocated', 'picked')
       AND NOT EXISTS (SELECT 1 FROM showroom.run_stop st
                        WHERE st.order_id = o.id AND st.run_date = plan_runs.run_date)
     GROUP BY o.id
  ), unsized AS (
    INSERT INTO showroom.run_pending (dc_id, run_date, order_id, reason, detail)
    SELECT plan_runs.dc_id, plan_runs.run_date, del.id, 'unknown_size',
           format('%s line(s) of the order have a SKU without volume_l or weight_kg.', del.unsized)
      FROM del WHERE del.unsized > 0
  )
  SELECT array_agg(del.id ORDER BY del.id), array_agg(del.pt ORDER BY del.id),
         array_agg(ST_X(del.pt) ORDER BY del.id), array_agg(ST_Y(del.pt) ORDER BY del.id),
         array_agg(del.vol ORDER BY del.id), array_agg(del.wt ORDER BY del.id),
         array_agg(extract(epoch FROM del.window_from)::integer ORDER BY del.id),
         array_agg(extract(epoch FROM del.window_to)::integer ORDER BY del.id),
         array_agg(svc ORDER BY del.id),
         array_agg(CASE WHEN del.needs_install THEN inst ELSE 0 END ORDER BY del.id)
    INTO ids, pts, lons, lats, vols, wts, wfrom, wto, svcs, insts
    FROM del WHERE del.unsized = 0;

  -- The vehicles: active ones of the DC without a loaded run that day.
  SELECT array_agg(v.id ORDER BY v.id), array_agg(v.volume_l ORDER BY v.id),
         array_agg(v.weight_kg ORDER BY v.id),
         array_agg(extract(epoch FROM v.work_from)::integer ORDER BY v.id),
         array_agg(extract(epoch FROM v.work_to)::integer ORDER BY v.id),
         array_agg(v.installs ORDER BY v.id)
    INTO vids, vvol, vwt, vfrom, vto, vinst
    FROM showroom.vehicle v
   WHERE v.dc_id = plan_runs.dc_id AND v.active
     AND NOT EXISTS (SELECT 1 FROM showroom.delivery_run r
                      WHERE r.vehicle_id = v.id AND r.run_date = plan_runs.run_date);

  IF ids IS NOT NULL THEN
    WITH plan AS MATERIALIZED (
      SELECT ids[p.delivery] AS order_id, vids[p.vehicle] AS vehicle_id, p.seq,
             p.arrival_s, p.start_s, p.leg_m, p.reason,
             coalesce(pts[p.delivery], depot) AS pt,
             coalesce(vols[p.delivery], 0) AS vol, coalesce(wts[p.delivery], 0) AS wt,
             p.delivery
        FROM showroom.route_plan(ST_X(depot), ST_Y(depot), lons, lats, vols, wts,
                                 wfrom, wto, svcs, insts,
                                 coalesce(vvol, '{}'), coalesce(vwt, '{}'),
                                 coalesce(vfrom, '{}'), coalesce(vto, '{}'),
                                 coalesce(vinst, '{}'), speed) p
    ), new_run AS (
      INSERT INTO showroom.delivery_run AS r
             (dc_id, run_date, vehicle_id, depart_at, return_at, distance_m,
              volume_l, weight_kg, route)
      SELECT plan_runs.dc_id, plan_runs.run_date, pl.vehicle_id,
             (plan_runs.run_date + make_interval(secs => min(pl.arrival_s))) AT TIME ZONE tz,
             (plan_runs.run_date + make_interval(secs => max(pl.arrival_s))) AT TIME ZONE tz,
             ST_Length(ST_MakeLine(pl.pt ORDER BY pl.seq)::geography),
             sum(pl.vol), sum(pl.wt), ST_MakeLine(pl.pt ORDER BY pl.seq)
        FROM plan pl
       WHERE pl.vehicle_id IS NOT NULL
       GROUP BY pl.vehicle_id
      RETURNING r.id, r.vehicle_id
    ), new_stop AS (
      INSERT INTO showroom.run_stop (run_id, seq, run_date, order_id, arrive_at,
                                     service_at, leg_m)
      SELECT nr.id, pl.seq, plan_runs.run_date, pl.order_id,
             (plan_runs.run_date + make_interval(secs => pl.arrival_s)) AT TIME ZONE tz,
             (plan_runs.run_date + make_interval(secs => pl.start_s)) AT TIME ZONE tz,
             pl.leg_m
        FROM plan pl JOIN new_run nr ON nr.vehicle_id = pl.vehicle_id
       WHERE pl.order_id IS NOT NULL
    )
    INSERT INTO showroom.run_pending (dc_id, run_date, order_id, reason, detail)
    SELECT plan_runs.dc_id, plan_runs.run_date, pl.order_id, pl.reason,
           CASE pl.reason
             WHEN 'no_vehicle' THEN 'The DC has no active vehicle without a loaded run on that day.'
             WHEN 'too_big' THEN
               format('The delivery takes %s l and %s kg; no vehicle carries both (largest %s l, heaviest %s kg).',
                      pl.vol, pl.wt,
                      (SELECT max(x) FROM unnest(vvol) x), (SELECT max(x) FROM unnest(vwt) x))
             WHEN 'window_unreachable' THEN
               format('No vehicle it fits can reach it between %s and %s and be back within its working hours.',
                      coalesce(to_char(make_interval(secs => wfrom[pl.delivery]), 'HH24:MI'), 'any time'),
                      coalesce(to_char(make_interval(secs => wto[pl.delivery]), 'HH24:MI'), 'any time'))
             ELSE 'Every vehicle of the day is full or out of time; add a vehicle or move the date.'
           END
      FROM plan pl
     WHERE pl.vehicle_id IS NULL;
  END IF;

  RETURN QUERY
  SELECT st.order_id,
         CASE r.state WHEN 'loaded' THEN 'kept' ELSE 'planned' END,
         r.id, st.seq, NULL::text
    FROM showroom.run_stop st
    JOIN showroom.delivery_run r ON r.id = st.run_id
   WHERE r.dc_id = plan_runs.dc_id AND r.run_date = plan_runs.run_date
  UNION ALL
  SELECT p.order_id, 'not_plannable', NULL, NULL, p.reason
    FROM showroom.run_pending p
   WHERE p.dc_id = plan_runs.dc_id AND p.run_date = plan_runs.run_date
   ORDER BY 1;
END
$$;

COMMENT ON FUNCTION showroom.plan_runs(bigint, date) IS
  'plan the delivery runs of a DC for a day (orders allocated or picked for that date); loaded runs are kept, the rest replanned; returns each delivery as planned, kept or not_plannable with its reason';

-- load_run: mark a run loaded; from then on replanning never changes it.
CREATE FUNCTION showroom.load_run(run_id bigint)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r showroom.delivery_run;
BEGIN
  SELECT * INTO r FROM showroom.delivery_run d WHERE d.id = load_run.run_id;
  IF FOUND THEN
    -- Wait for a planner of the same day, then read the run again: the
    -- planner may have replaced it.
    PERFORM pg_catalog.pg_advisory_xact_lock(
      pg_catalog.hashtextextended(format('showroom.runs %s %s', r.dc_id, r.run_date), 0::bigint));
    SELECT * INTO r FROM showroom.delivery_run d WHERE d.id = load_run.run_id;
  END IF;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown delivery run %', run_id
      USING ERRCODE = 'SR303', DETAIL = format('No delivery run has id %s.', run_id),
            HINT = 'Each plan_runs() replaces the runs not loaded; read the run ids again from showroom.delivery_runs.';
  END IF;
  IF r.state = 'loaded' THEN
    RAISE EXCEPTION 'delivery run % is already loaded', run_id
      USING ERRCODE = 'SR302',
            DETAIL = format('Run %s was loaded by %s; a loaded run never changes.', run_id, r.loaded_by),
            HINT = 'Call plan_runs() to replan the runs not yet loaded around it.';
  END IF;
  UPDATE showroom.delivery_run d
     SET state = 'loaded', loaded_at = now(), loaded_by = current_user
   WHERE d.id = load_run.run_id;
END
$$;

COMMENT ON FUNCTION showroom.load_run(bigint) IS
  'mark a planned run as loaded: later plan_runs() calls keep it, its stops and its vehicle as they are';

-- The runs, as a dispatcher and the demo's map read them.
CREATE VIEW showroom.delivery_runs AS
SELECT r.id AS run_id, r.dc_id, r.run_date, r.vehicle_id, v.code AS vehicle_code,
       r.state,
       (SELECT count(*) FROM showroom.run_stop s WHERE s.run_id = r.id)::integer AS stops,
       round((r.distance_m / 1000)::numeric, 2) AS km,
       r.volume_l, r.weight_kg,
       round(r.volume_l / v.volume_l, 3) AS volume_share,
       round(r.weight_kg / v.weight_kg, 3) AS weight_share,
       r.depart_at, r.return_at, r.route
  FROM showroom.delivery_run r
  JOIN showroom.vehicle v ON v.id = r.vehicle_id;

COMMENT ON VIEW showroom.delivery_runs IS 'delivery runs with their vehicle, stops, kilometres, load share and times';
COMMENT ON COLUMN showroom.delivery_runs.run_id IS 'run id';
COMMENT ON COLUMN showroom.delivery_runs.dc_id IS 'DC the run leaves from';
COMMENT ON COLUMN showroom.delivery_runs.run_date IS 'day of the run';
COMMENT ON COLUMN showroom.delivery_runs.vehicle_id IS 'vehicle id';
COMMENT ON COLUMN showroom.delivery_runs.vehicle_code IS 'vehicle code';
COMMENT ON COLUMN showroom.delivery_runs.state IS 'planned or loaded';
COMMENT ON COLUMN showroom.delivery_runs.stops IS 'number of deliveries on the run';
COMMENT ON COLUMN showroom.delivery_runs.km IS 'length of the route on the spheroid, in km (straight legs)';
COMMENT ON COLUMN showroom.delivery_runs.volume_l IS 'volume loaded, in litres';
COMMENT ON COLUMN showroom.delivery_runs.weight_kg IS 'weight loaded, in kilograms';
COMMENT ON COLUMN showroom.delivery_runs.volume_share IS 'volume loaded over the vehicle''s volume capacity';
COMMENT ON COLUMN showroom.delivery_runs.weight_share IS 'weight loaded over the vehicle''s weight capacity';
COMMENT ON COLUMN showroom.delivery_runs.depart_at IS 'planned departure from the DC';
COMMENT ON COLUMN showroom.delivery_runs.return_at IS 'planned return to the DC';
COMMENT ON COLUMN showroom.delivery_runs.route IS 'route as a LineString, DC to DC, for maps';

-- The stops, in visiting order.
CREATE VIEW showroom.delivery_stops AS
SELECT s.run_id, r.run_date, r.vehicle_id, s.seq, s.order_id, o.delivery_point AS point,
       o.window_from, o.window_to, s.arrive_at, s.service_at,
       round((s.leg_m / 1000)::numeric, 2) AS leg_km,
       o.state AS order_state
  FROM showroom.run_stop s
  JOIN showroom.delivery_run r ON r.id = s.run_id
  JOIN showroom.sales_order o ON o.id = s.order_id;

COMMENT ON VIEW showroom.delivery_stops IS 'stops of delivery runs with the customer''s point, window and estimated arrival';
COMMENT ON COLUMN showroom.delivery_stops.run_id IS 'run id';
COMMENT ON COLUMN showroom.delivery_stops.run_date IS 'day of the run';
COMMENT ON COLUMN showroom.delivery_stops.vehicle_id IS 'vehicle id';
COMMENT ON COLUMN showroom.delivery_stops.seq IS 'position on the run, from 1';
COMMENT ON COLUMN showroom.delivery_stops.order_id IS 'sales order delivered';
COMMENT ON COLUMN showroom.delivery_stops.point IS 'customer''s delivery point (lon/lat)';
COMMENT ON COLUMN showroom.delivery_stops.window_from IS 'start of the customer''s window, if any';
COMMENT ON COLUMN showroom.delivery_stops.window_to IS 'end of the customer''s window, if any: the latest start of the hand-over';
COMMENT ON COLUMN showroom.delivery_stops.arrive_at IS 'estimated arrival at the door';
COMMENT ON COLUMN showroom.delivery_stops.service_at IS 'estimated start of the hand-over (after waiting for the window, if early)';
COMMENT ON COLUMN showroom.delivery_stops.leg_km IS 'straight-line km from the previous stop or the DC';
COMMENT ON COLUMN showroom.delivery_stops.order_state IS 'state of the order now: a cancelled order on a loaded run is skipped at the door';
