
--
-- decide: decision support over the history the other rooms record.
--
-- Three parts, each reading other rooms' tables and writing only its own:
--
--   1. DC site analysis: score candidate sites on a period's real door
--      visits (distance on the spheroid, share within radii, truck-km by
--      the delivery-run planner's own model), and find the best single
--      site (weighted 1-median) and the best pair (2-median heuristic).
--      The medians are C (src/median.c, pure; src/siting.c, its SQL face).
--   2. How each person works: every move of the workflow's audit trail,
--      with the durations and outcomes it led to, per person and per
--      outlet technician over a period.
--   3. Early warning on complaints: rules that watch complaints and
--      defects per outlet, SKU or district, an alert row and a NOTIFY when
--      one breaches, acknowledgement and closing, and a replay of the
--      rules over history.
--

--
-- 1. DC site analysis.
--

-- check_period: raise unless dc_id names a DC and from_date..to_date is a
-- period (both ends included) ending by 294276-12-30.  Returns the DC's
-- location.
CREATE FUNCTION showroom.check_period(dc_id bigint, from_date date, to_date date)
RETURNS geometry
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  loc geometry;
BEGIN
  IF dc_id IS NULL OR from_date IS NULL OR to_date IS NULL THEN
    RAISE EXCEPTION 'DC and period must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('dc_id = %s, from_date = %s, to_date = %s.',
                            coalesce(dc_id::text, 'NULL'),
                            coalesce(pg_catalog.to_char(from_date::timestamp, 'YYYY-MM-DD'), 'NULL'),
                            coalesce(pg_catalog.to_char(to_date::timestamp, 'YYYY-MM-DD'), 'NULL'));
  END IF;
  -- site_visits() reads up to the midnight after to_date as a timestamp,
  -- whose range ends with the year 294276.
  IF (isfinite(from_date) AND from_date >= date '294276-12-31')
     OR (isfinite(to_date) AND to_date >= date '294276-12-31') THEN
    RAISE EXCEPTION 'invalid period'
      USING ERRCODE = 'SR801',
            DETAIL = format('from_date %s or to_date %s lies past 294276-12-30, the last day a period may end.',
                            from_date::text, to_date::text),
            HINT = 'Pass the days of the history to analyse.';
  END IF;
  IF from_date > to_date THEN
    RAISE EXCEPTION 'invalid period'
      USING ERRCODE = 'SR801',
            DETAIL = format('from_date %s lies after to_date %s.',
                            pg_catalog.to_char(from_date::timestamp, 'YYYY-MM-DD'),
                            pg_catalog.to_char(to_date::timestamp, 'YYYY-MM-DD')),
            HINT = 'Both ends are included: pass the first day, then the last.';
  END IF;
  SELECT d.location INTO loc FROM showroom.dc d WHERE d.id = check_period.dc_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown DC %', dc_id
      USING ERRCODE = 'SR105', DETAIL = format('No DC has id %s.', dc_id);
  END IF;
  RETURN loc;
END
$$;

COMMENT ON FUNCTION showroom.check_period(bigint, date, date) IS
  'raise 22004 for NULLs, SR801 for a period that ends before it begins or past 294276-12-30, SR105 for an unknown DC; returns the DC''s location';

-- site_visits: the door visits of a DC in a period.  A visit is one sales
-- order's 'delivery' rows of the stock ledger on one business day: the
-- units really handed over, at the order's delivery point.  Its load is
-- what those rows delivered; sized is false when a SKU of it lacks a volume
-- or a weight (the planner cannot load it).
--
-- XXX: the ledger has no index on at (the sale path keeps its indexes
-- few on purpose), so every call reads the whole ledger.  That is fine
-- for a month's analysis on a year of history; on many years an index on
-- (kind, at) of the stock room, or a summary table, would be needed.
CREATE FUNCTION showroom.site_visits(dc_id bigint, from_date date, to_date date)
RETURNS TABLE (visit_date date, sales_order_id bigint, point geometry,
               volume_l numeric, weight_kg numeric, window_from time,
               window_to time, needs_install boolean, sized boolean)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
BEGIN ATOMIC
  WITH z AS (SELECT showroom.setting_value('business_time_zone') AS tz)
  SELECT (m.at AT TIME ZONE z.tz)::date, o.id, o.delivery_point,
         coalesce(sum(m.qty * s.volume_l), 0), coalesce(sum(m.qty * s.weight_kg), 0),
         o.window_from, o.window_to, bool_or(s.needs_install),
         bool_and(s.volume_l IS NOT NULL AND s.weight_kg IS NOT NULL)
    FROM z
    JOIN showroom.stock_movement m
      ON m.at >= (site_visits.from_date::timestamp AT TIME ZONE z.tz)
     AND m.at < ((site_visits.to_date + 1)::timestamp AT TIME ZONE z.tz)
    JOIN showroom.sales_order o ON o.id = m.sales_order_id
    JOIN showroom.sku s ON s.id = m.sku_id
   WHERE m.kind = 'delivery' AND m.dc_id = site_visits.dc_id AND m.qty > 0
   GROUP BY 1, o.id
   ORDER BY 1, o.id;
END;

COMMENT ON FUNCTION showroom.site_visits(bigint, date, date) IS
  'door visits of a DC in a period (both days included): one per sales order and business day with ledger delivery rows, with load and window';

-- check_sites: raise SR803 unless every element of sites is a non-empty
-- lon/lat point of SRID 4326.
CREATE FUNCTION showroom.check_sites(sites geometry[])
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  i integer;
  g geometry;
BEGIN
  IF sites IS NULL OR cardinality(sites) = 0 THEN
    RAISE EXCEPTION 'candidate sites must not be empty'
      USING ERRCODE = 'SR803',
            DETAIL = format('sites = %s.', coalesce(sites::text, 'NULL')),
            HINT = 'Pass an array of lon/lat points, such as ARRAY[ST_SetSRID(ST_MakePoint(113.58, 37.86), 4326)].';
  END IF;
  FOR i IN 1 .. cardinality(sites) LOOP
    g := sites[i];
    IF g IS NULL OR GeometryType(g) <> 'POINT' OR ST_IsEmpty(g) THEN
      RAISE EXCEPTION 'candidate site % is not a point', i
        USING ERRCODE = 'SR803',
              DETAIL = format('Site %s is %s.', i, coalesce(left(ST_AsText(g), 60), 'NULL'));
    END IF;
    IF ST_SRID(g) <> 4326 THEN
      RAISE EXCEPTION 'candidate site % has SRID %', i, ST_SRID(g)
        USING ERRCODE = 'SR803',
              DETAIL = format('Site %s is %s in SRID %s.', i, ST_AsText(g), ST_SRID(g)),
              HINT = 'Sites are lon/lat points of SRID 4326: use ST_SetSRID or ST_Transform.';
    END IF;
    PERFORM showroom.check_lonlat(ST_X(g), ST_Y(g));
  END LOOP;
END
$$;

COMMENT ON FUNCTION showroom.check_sites(geometry[]) IS
  'raise SR803 unless every candidate site is a lon/lat point (SRID 4326), SR108 when one is off the globe';

-- score_sites: score the DC's current location (site 0) and each
-- candidate site (1, 2, ... in array order) on the door visits of the
-- period, as if every visit had left from that site:
--   visits, total_km and avg_km: straight-line distance from the site to
--     each visit's door, on the spheroid;
--   within_share: for each radius of radii_m (metres), the share of visits
--     within it, in the order of radii_m;
--   truck_km, runs, unplanned: each day of the period planned by the
--     delivery-run planner (route_plan, the model plan_runs() uses) from
--     the site, with the DC's active vehicles and the runs settings; the
--     length of the routes on the spheroid, how many runs, and how many
--     visits the plan could not take (too big, window out of reach, no room,
--     or a SKU without a size).  All three are NULL when the DC has no
--     active vehicle.
-- SECURITY DEFINER: it reads the stock ledger, which a dispatcher cannot;
-- it writes nothing.
CREATE FUNCTION showroom.score_sites(dc_id bigint, from_date date, to_date date,
                                     sites geometry[],
                                     radii_m double precision[] DEFAULT '{5000,10000,20000}')
RETURNS TABLE (site integer, point geometry, visits integer, total_km numeric,
               avg_km numeric, within_share numeric[], truck_km numeric,
               runs integer, unplanned integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER COST 10000
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  depot geometry := showroom.check_period(dc_id, from_date, to_date);
  speed double precision := showroom.setting_value('runs.speed_kmh')::double precision;
  svc integer := showroom.setting_value('runs.service_min')::integer * 60;
  inst integer := showroom.setting_value('runs.install_min')::integer * 60;
  vvol float8[]; vwt float8[]; vfrom integer[]; vto integer[]; vinst boolean[];
  r double precision;
BEGIN
  PERFORM showroom.check_sites(sites);
  IF radii_m IS NULL THEN
    RAISE EXCEPTION 'radii must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  FOREACH r IN ARRAY radii_m LOOP
    IF r IS NULL OR NOT r > 0::float8 OR r = 'Infinity'::float8 OR r = 'NaN'::float8 THEN
      RAISE EXCEPTION 'radius out of range'
        USING ERRCODE = 'numeric_value_out_of_range',
              DETAIL = format('radii_m = %s; each radius is a finite number of metres above 0.', radii_m);
    END IF;
  END LOOP;
  IF NOT EXISTS (SELECT 1 FROM showroom.site_visits(dc_id, from_date, to_date)) THEN
    RAISE EXCEPTION 'no deliveries in the period'
      USING ERRCODE = 'SR802',
            DETAIL = format('DC %s delivered nothing from %s to %s.', dc_id,
                            pg_catalog.to_char(from_date::timestamp, 'YYYY-MM-DD'),
                            pg_catalog.to_char(to_date::timestamp, 'YYYY-MM-DD')),
            HINT = 'Deliveries are the ledger''s delivery rows (showroom.deliver()); pick a period with some.';
  END IF;

  SELECT array_agg(v.volume_l ORDER BY v.id), array_agg(v.weight_kg ORDER BY v.id),
         array_agg(extract(epoch FROM v.work_from)::integer ORDER BY v.id),
         array_agg(extract(epoch FROM v.work_to)::integer ORDER BY v.id),
         array_agg(v.installs ORDER BY v.id)
    INTO vvol, vwt, vfrom, vto, vinst
    FROM showroom.vehicle v
   WHERE v.dc_id = score_sites.dc_id AND v.active;

  RETURN QUERY
  WITH v AS MATERIALIZED (
    SELECT * FROM showroom.site_visits(dc_id, from_date, to_date)
  ), s AS (
    SELECT 0 AS site, depot AS pt
    UNION ALL
    SELECT i, sites[i] FROM generate_subscripts(sites, 1) i
  ), d AS MATERIALIZED (
    SELECT s.site, ST_Distance(s.pt::geography, v.point::geography) AS m
      FROM s CROSS JOIN v
  ), dist AS (
    SELECT d.site, count(*)::integer AS n, sum(d.m) AS total
      FROM d GROUP BY d.site
  ), share AS (
    SELECT x.site, array_agg(x.share ORDER BY x.k) AS shares
      FROM (SELECT d.site, k, round(avg((d.m <= radii_m[k])::integer), 4) AS share
              FROM d CROSS JOIN generate_subscripts(radii_m, 1) k
             GROUP BY d.site, k) x
     GROUP BY x.site
  ), day AS (
    SELECT s.site, s.pt, v.visit_date,
           array_agg(v.point ORDER BY v.sales_order_id) AS pts,
           array_agg(ST_X(v.point) ORDER BY v.sales_order_id) AS lons,
           array_agg(ST_Y(v.point) ORDER BY v.sales_order_id) AS lats,
           array_agg(v.volume_l::float8 ORDER BY v.sales_order_id) AS vols,
           array_agg(v.weight_kg::float8 ORDER BY v.sales_order_id) AS wts,
           array_agg(extract(epoch FROM v.window_from)::integer ORDER BY v.sales_order_id) AS wfrom,
           array_agg(extract(epoch FROM v.window_to)::integer ORDER BY v.sales_order_id) AS wto,
           array_agg(svc ORDER BY v.sales_order_id) AS svcs,
           array_agg(CASE WHEN v.needs_install THEN inst ELSE 0 END ORDER BY v.sales_order_id) AS insts
      FROM s CROSS JOIN v
     WHERE v.sized AND vvol IS NOT NULL
     GROUP BY s.site, s.pt, v.visit_date
  ), plan AS MATERIALIZED (
    SELECT day.site, day.visit_date, p.vehicle, p.seq,
           coalesce(day.pts[p.delivery], day.pt) AS pt
      FROM day,
           LATERAL showroom.route_plan(ST_X(day.pt), ST_Y(day.pt), day.lons, day.lats,
                                       day.vols, day.wts, day.wfrom, day.wto,
                                       day.svcs, day.insts, vvol, vwt, vfrom, vto,
                                       vinst, speed) p
  ), route AS (
    SELECT pl.site, pl.visit_date, pl.vehicle,
           ST_Length(ST_MakeLine(pl.pt ORDER BY pl.seq)::geography) AS m
      FROM plan pl WHERE pl.vehicle IS NOT NULL
     GROUP BY pl.site, pl.visit_date, pl.vehicle
  ), truck AS (
    SELECT s.site,
           (SELECT sum(r.m) FROM route r WHERE r.site = s.site) AS m,
           (SELECT count(*) FROM route r WHERE r.site = s.site)::integer AS runs,
           ((SELECT count(*) FROM plan pl WHERE pl.site = s.site AND pl.vehicle IS NULL)
            + (SELECT count(*) FROM v WHERE NOT v.sized))::integer AS unplanned
      FROM s
  )
  SELECT s.site, s.pt, dist.n,
         round((dist.total / 1000)::numeric, 3),
         round((dist.total / 1000 / dist.n)::numeric, 3),
         share.shares,
         CASE WHEN vvol IS NOT NULL THEN round((coalesce(truck.m, 0) / 1000)::numeric, 3) END,
         CASE WHEN vvol IS NOT NULL THEN truck.runs END,
         CASE WHEN vvol IS NOT NULL THEN truck.unplanned END
    FROM s
    JOIN dist USING (site)
    JOIN share USING (site)
    JOIN truck USING (site)
   ORDER BY s.site;
END
$$;

COMMENT ON FUNCTION showroom.score_sites(bigint, date, date, geometry[], double precision[]) IS
  'score the DC (site 0) and candidate sites on the period''s door visits: km on the spheroid, share within each radius, truck-km by the run planner';

-- best_sites: where the DC would best have stood for the period's door
-- visits, each visit weighing 1.  Returns one row per site of each plan:
--   current: the DC where it is;
--   one:     the weighted 1-median of the doors (weighted_median());
--   two:     a pair of sites from the 2-median heuristic
--            (weighted_median_pair(), starts starting pairs), each visit
--            served by the nearer one.
-- km is the distance from the site to the visits it serves, plan_km that
-- of the whole plan, saving_km and saving_share what the plan saves
-- against the current DC (all on the spheroid).
CREATE FUNCTION showroom.best_sites(dc_id bigint, from_date date, to_date date,
                                    starts integer DEFAULT 8)
RETURNS TABLE (plan text, site integer, point geometry, visits integer,
               km numeric, avg_km numeric, plan_km numeric, saving_km numeric,
               saving_share numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER COST 10000
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  depot geometry := showroom.check_period(dc_id, from_date, to_date);
  lons float8[]; lats float8[]; ws float8[];
  one record;
  two record;
BEGIN
  -- Doors visited more than once weigh more; one array element per door.
  SELECT array_agg(ST_X(g.pt) ORDER BY ST_X(g.pt), ST_Y(g.pt)),
         array_agg(ST_Y(g.pt) ORDER BY ST_X(g.pt), ST_Y(g.pt)),
         array_agg(g.n ORDER BY ST_X(g.pt), ST_Y(g.pt))
    INTO lons, lats, ws
    FROM (SELECT v.point AS pt, count(*)::float8 AS n
            FROM showroom.site_visits(dc_id, from_date, to_date) v
           GROUP BY v.point) g;
  IF lons IS NULL THEN
    RAISE EXCEPTION 'no deliveries in the period'
      USING ERRCODE = 'SR802',
            DETAIL = format('DC %s delivered nothing from %s to %s.', dc_id,
                            pg_catalog.to_char(from_date::timestamp, 'YYYY-MM-DD'),
                            pg_catalog.to_char(to_date::timestamp, 'YYYY-MM-DD')),
            HINT = 'Deliveries are the ledger''s delivery rows (showroom.deliver()); pick a period with some.';
  END IF;
  one := showroom.weighted_median(lons, lats, ws);
  two := showroom.weighted_median_pair(lons, lats, ws, starts);

  RETURN QUERY
  WITH s AS (
    SELECT 'current'::text AS plan, 1 AS site, depot AS pt
    UNION ALL
    SELECT 'one', 1, ST_SetSRID(ST_MakePoint(one.lon, one.lat), 4326)
    UNION ALL
    SELECT 'two', 1, ST_SetSRID(ST_MakePoint(two.lon1, two.lat1), 4326)
    UNION ALL
    SELECT 'two', 2, ST_SetSRID(ST_MakePoint(two.lon2, two.lat2), 4326)
  ), v AS MATERIALIZED (
    SELECT row_number() OVER () AS k, x.point
      FROM showroom.site_visits(dc_id, from_date, to_date) x
  ), served AS (
    -- Each visit goes to the nearest site of each plan (ties: lower site).
    SELECT DISTINCT ON (s.plan, v.k) s.plan, s.site,
           ST_Distance(s.pt::geography, v.point::geography) AS m
      FROM v CROSS JOIN s
     ORDER BY s.plan, v.k, ST_Distance(s.pt::geography, v.point::geography), s.site
  ), per_site AS (
    SELECT s.plan, s.site, s.pt, count(sv.m)::integer AS n, coalesce(sum(sv.m), 0) AS m
      FROM s LEFT JOIN served sv ON sv.plan = s.plan AND sv.site = s.site
     GROUP BY s.plan, s.site, s.pt
  ), per_plan AS (
    SELECT p.plan, sum(p.m) AS m FROM per_site p GROUP BY p.plan
  )
  SELECT p.plan, p.site, p.pt, p.n,
         round((p.m / 1000)::numeric, 3),
         CASE WHEN p.n > 0 THEN round((p.m / 1000 / p.n)::numeric, 3) END,
         round((pp.m / 1000)::numeric, 3),
         round(((cur.m - pp.m) / 1000)::numeric, 3),
         CASE WHEN cur.m > 0 THEN round(((cur.m - pp.m) / cur.m)::numeric, 4) END
    FROM per_site p
    JOIN per_plan pp ON pp.plan = p.plan
    JOIN per_plan cur ON cur.plan = 'current'
   ORDER BY array_position(ARRAY['current', 'one', 'two'], p.plan), p.site;
END
$$;

COMMENT ON FUNCTION showroom.best_sites(bigint, date, date, integer) IS
  'the current DC, the best single site (weighted 1-median) and a good pair (2-median) for the period''s door visits, with the km each saves';

CREATE FUNCTION showroom.weighted_median(lon double precision[], lat double precision[],
                                         weight double precision[],
                                         OUT lon double precision, OUT lat double precision,
                                         OUT cost_m double precision, OUT steps integer)
RETURNS record
LANGUAGE c IMMUTABLE PARALLEL SAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'weighted_median';

COMMENT ON FUNCTION showroom.weighted_median(double precision[], double precision[], double precision[]) IS
  'weighted 1-median of lon/lat points by Weiszfeld''s iteration (Vardi-Zhang at data points): the site, its weighted distance in metres on the planner''s plane, the steps taken';

CREATE FUNCTION showroom.weighted_median_pair(lon double precision[], lat double precision[],
                                              weight double precision[],
                                              starts integer DEFAULT 8,
                                              OUT lon1 double precision, OUT lat1 double precision,
                                              OUT weight1 double precision, OUT cost1_m double precision,
                                              OUT lon2 double precision, OUT lat2 double precision,
                                              OUT weight2 double precision, OUT cost2_m double precision)
RETURNS record
LANGUAGE c IMMUTABLE PARALLEL SAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'weighted_median_pair';

COMMENT ON FUNCTION showroom.weighted_median_pair(double precision[], double precision[], double precision[], integer) IS
  'a pair of sites for weighted lon/lat points (2-median: alternate assignment and Weiszfeld from several starts); the busier site first, each with the weight it serves and its weighted distance in metres';

--
-- 2. How each person works.
--
-- Everything here comes from the workflow's audit trail (service_trail):
-- each move names the person the application passed (showroom.person),
-- else the database role that made it.  Nothing is typed twice.
--

-- Every move of the trail, with who made it and what it led to.  Step
-- times are measured to the move from the move before it; outcomes are
-- those of the job a finishing move (to done) completed.  Read by
-- person_work() and technician_work() and their 30-day views.
CREATE VIEW showroom.person_steps AS
WITH t AS (
  SELECT tr.*, coalesce(tr.person, tr.db_role::text) AS who,
         lag(tr.at) OVER w AS prev_at, lead(tr.at) OVER w AS next_at
    FROM showroom.service_trail tr
  WINDOW w AS (PARTITION BY tr.order_id ORDER BY tr.seq)
)
SELECT t.id AS trail_id, t.order_id, t.who, t.db_role, t.outlet_id, t.at,
       t.from_state, t.to_state,
       t.at - coalesce(t.prev_at, o.created_at) AS in_state,
       CASE WHEN t.from_state = 'dispatched' AND t.to_state = 'accepted'
            THEN t.at - coalesce(t.prev_at, o.created_at) END AS dispatch_to_accept,
       CASE WHEN t.to_state = 'done'
            THEN t.at - (SELECT max(a.at) FROM showroom.service_trail a
                          WHERE a.order_id = t.order_id AND a.seq < t.seq
                            AND a.to_state = 'accepted') END AS accept_to_done,
       CASE WHEN t.to_state = 'done'
            THEN NOT EXISTS (SELECT 1 FROM showroom.service_trail r
                              WHERE r.order_id = t.order_id AND r.seq > t.seq
                                AND r.to_state = 'dispatched')
                 AND rep.previous_id IS NULL END AS fixed_first_time,
       CASE WHEN t.to_state = 'done'
            THEN (SELECT avg(v.score) FROM showroom.return_visit v
                   WHERE v.order_id = t.order_id AND v.visited_at >= t.at
                     AND v.visited_at < coalesce(
                           (SELECT min(d.at) FROM showroom.service_trail d
                             WHERE d.order_id = t.order_id AND d.seq > t.seq
                               AND d.to_state = 'done'), 'infinity')) END AS visit_score,
       (SELECT count(*) FROM showroom.complaint c
         WHERE c.order_id = t.order_id AND c.opened_at >= t.at
           AND c.opened_at < coalesce(t.next_at, 'infinity'))::integer AS complaints,
       t.at > o.created_at + make_interval(hours => k.due_hours) AS late
  FROM t
  JOIN showroom.service_order o ON o.id = t.order_id
  JOIN showroom.service_kind k ON k.code = o.kind
  -- Orders some later order repeats, as one hashed set: service_order has
  -- no index on previous_id to probe once per row.
  LEFT JOIN (SELECT DISTINCT f.previous_id FROM showroom.service_order f
              WHERE f.previous_id IS NOT NULL) rep ON rep.previous_id = t.order_id;

COMMENT ON VIEW showroom.person_steps IS
  'every move of the service trail with its person, the time the order spent in the state it left, and for finishing moves the outcome of the job';
COMMENT ON COLUMN showroom.person_steps.trail_id IS 'trail row';
COMMENT ON COLUMN showroom.person_steps.order_id IS 'service order';
COMMENT ON COLUMN showroom.person_steps.who IS 'person named by the application (showroom.person), else the database role';
COMMENT ON COLUMN showroom.person_steps.db_role IS 'database role that made the move';
COMMENT ON COLUMN showroom.person_steps.outlet_id IS 'outlet of the order at the move';
COMMENT ON COLUMN showroom.person_steps.at IS 'when the move was made';
COMMENT ON COLUMN showroom.person_steps.from_state IS 'state left';
COMMENT ON COLUMN showroom.person_steps.to_state IS 'state entered';
COMMENT ON COLUMN showroom.person_steps.in_state IS 'time since the previous move of the order (since its creation for the first)';
COMMENT ON COLUMN showroom.person_steps.dispatch_to_accept IS 'for an accept: time since the dispatch';
COMMENT ON COLUMN showroom.person_steps.accept_to_done IS 'for a finish: time since the latest accept';
COMMENT ON COLUMN showroom.person_steps.fixed_first_time IS 'for a finish: the order was never dispatched again and no later order repeats it';
COMMENT ON COLUMN showroom.person_steps.visit_score IS 'for a finish: mean score of the return visits that followed it (before the next finish)';
COMMENT ON COLUMN showroom.person_steps.complaints IS 'complaints about the order opened after this move and before its next move';
COMMENT ON COLUMN showroom.person_steps.late IS 'the move was made after the order was due (created_at plus the kind''s due_hours)';

-- check_window: raise unless [from_at, to_at) is a non-empty stretch of
-- time.
CREATE FUNCTION showroom.check_window(from_at timestamptz, to_at timestamptz)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF from_at IS NULL OR to_at IS NULL THEN
    RAISE EXCEPTION 'period must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('from_at = %s, to_at = %s.',
                            coalesce(to_char(from_at, 'YYYY-MM-DD HH24:MI:SSOF'), 'NULL'),
                            coalesce(to_char(to_at, 'YYYY-MM-DD HH24:MI:SSOF'), 'NULL'));
  END IF;
  IF from_at >= to_at THEN
    RAISE EXCEPTION 'invalid period'
      USING ERRCODE = 'SR801',
            DETAIL = format('from_at %s is not before to_at %s.',
                            to_char(from_at, 'YYYY-MM-DD HH24:MI:SSOF'),
                            to_char(to_at, 'YYYY-MM-DD HH24:MI:SSOF')),
            HINT = 'The period runs from from_at (included) to to_at (excluded).';
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.check_window(timestamptz, timestamptz) IS
  'raise 22004 for NULLs, SR801 unless from_at lies before to_at';

-- person_work: per person, the moves made in [from_at, to_at).  Keep the
-- query alike with the view person_work_30d.
CREATE FUNCTION showroom.person_work(from_at timestamptz, to_at timestamptz)
RETURNS TABLE (who text, moves integer, jobs integer, dispatches integer,
               accepts integer, finishes integer,
               dispatch_to_accept_p50 interval, dispatch_to_accept_p90 interval,
               accept_to_done_p50 interval, accept_to_done_p90 interval,
               first_time_fix_share numeric, visit_score numeric,
               complaints integer, overdue_share numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM showroom.check_window(from_at, to_at);
  RETURN QUERY
  SELECT s.who, count(*)::integer, count(DISTINCT s.order_id)::integer,
         count(*) FILTER (WHERE s.to_state = 'dispatched')::integer,
         count(*) FILTER (WHERE s.to_state = 'accepted')::integer,
         count(*) FILTER (WHERE s.to_state = 'done')::integer,
         date_trunc('second', percentile_cont(0.5) WITHIN GROUP (ORDER BY s.dispatch_to_accept)),
         date_trunc('second', percentile_cont(0.9) WITHIN GROUP (ORDER BY s.dispatch_to_accept)),
         date_trunc('second', percentile_cont(0.5) WITHIN GROUP (ORDER BY s.accept_to_done)),
         date_trunc('second', percentile_cont(0.9) WITHIN GROUP (ORDER BY s.accept_to_done)),
         round(avg(s.fixed_first_time::integer), 4),
         round(avg(s.visit_score), 2),
         sum(s.complaints)::integer,
         round(avg(s.late::integer), 4)
    FROM showroom.person_steps s
   WHERE s.at >= from_at AND s.at < to_at
   GROUP BY s.who
   ORDER BY s.who;
END
$$;

COMMENT ON FUNCTION showroom.person_work(timestamptz, timestamptz) IS
  'per person, the workflow moves made in [from_at, to_at): jobs, dispatches, accepts, finishes, step times (p50, p90), first-time-fix share, visit score, complaints, overdue share';

-- technician_work: per outlet and person, the outlet's own moves (accept,
-- leave, finish) made in [from_at, to_at).  Keep the query alike with the
-- view technician_work_30d.
CREATE FUNCTION showroom.technician_work(from_at timestamptz, to_at timestamptz)
RETURNS TABLE (outlet_id bigint, who text, moves integer, jobs integer,
               accepts integer, finishes integer,
               dispatch_to_accept_p50 interval, dispatch_to_accept_p90 interval,
               accept_to_done_p50 interval, accept_to_done_p90 interval,
               first_time_fix_share numeric, visit_score numeric,
               complaints integer, overdue_share numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM showroom.check_window(from_at, to_at);
  RETURN QUERY
  SELECT s.outlet_id, s.who, count(*)::integer, count(DISTINCT s.order_id)::integer,
         count(*) FILTER (WHERE s.to_state = 'accepted')::integer,
         count(*) FILTER (WHERE s.to_state = 'done')::integer,
         date_trunc('second', percentile_cont(0.5) WITHIN GROUP (ORDER BY s.dispatch_to_accept)),
         date_trunc('second', percentile_cont(0.9) WITHIN GROUP (ORDER BY s.dispatch_to_accept)),
         date_trunc('second', percentile_cont(0.5) WITHIN GROUP (ORDER BY s.accept_to_done)),
         date_trunc('second', percentile_cont(0.9) WITHIN GROUP (ORDER BY s.accept_to_done)),
         round(avg(s.fixed_first_time::integer), 4),
         round(avg(s.visit_score), 2),
         sum(s.complaints)::integer,
         round(avg(s.late::integer), 4)
    FROM showroom.person_steps s
   WHERE s.at >= from_at AND s.at < to_at
     AND s.to_state IN ('accepted', 'on_the_way', 'done')
     AND s.outlet_id IS NOT NULL
   GROUP BY s.outlet_id, s.who
   ORDER BY s.outlet_id, s.who;
END
$$;

COMMENT ON FUNCTION showroom.technician_work(timestamptz, timestamptz) IS
  'per outlet and person, the outlet''s moves (accept, leave, finish) made in [from_at, to_at), with the figures of person_work';

CREATE VIEW showroom.person_work_30d AS
SELECT s.who, count(*)::integer AS moves, count(DISTINCT s.order_id)::integer AS jobs,
       count(*) FILTER (WHERE s.to_state = 'dispatched')::integer AS dispatches,
       count(*) FILTER (WHERE s.to_state = 'accepted')::integer AS accepts,
       count(*) FILTER (WHERE s.to_state = 'done')::integer AS finishes,
       date_trunc('second', percentile_cont(0.5) WITHIN GROUP (ORDER BY s.dispatch_to_accept)) AS dispatch_to_accept_p50,
       date_trunc('second', percentile_cont(0.9) WITHIN GROUP (ORDER BY s.dispatch_to_accept)) AS dispatch_to_accept_p90,
       date_trunc('second', percentile_cont(0.5) WITHIN GROUP (ORDER BY s.accept_to_done)) AS accept_to_done_p50,
       date_trunc('second', percentile_cont(0.9) WITHIN GROUP (ORDER BY s.accept_to_done)) AS accept_to_done_p90,
       round(avg(s.fixed_first_time::integer), 4) AS first_time_fix_share,
       round(avg(s.visit_score), 2) AS visit_score,
       sum(s.complaints)::integer AS complaints,
       round(avg(s.late::integer), 4) AS overdue_share
  FROM showroom.person_steps s
 WHERE s.at >= now() - interval '30 days'
 GROUP BY s.who;

COMMENT ON VIEW showroom.person_work_30d IS 'person_work() over the last 30 days, for readers that may run no function';
COMMENT ON COLUMN showroom.person_work_30d.who IS 'person named by the application, else the database role';
COMMENT ON COLUMN showroom.person_work_30d.moves IS 'moves made';
COMMENT ON COLUMN showroom.person_work_30d.jobs IS 'distinct service orders moved';
COMMENT ON COLUMN showroom.person_work_30d.dispatches IS 'moves to dispatched';
COMMENT ON COLUMN showroom.person_work_30d.accepts IS 'moves to accepted';
COMMENT ON COLUMN showroom.person_work_30d.finishes IS 'moves to done';
COMMENT ON COLUMN showroom.person_work_30d.dispatch_to_accept_p50 IS 'median time from dispatch to the person''s accept';
COMMENT ON COLUMN showroom.person_work_30d.dispatch_to_accept_p90 IS '90th percentile of that time';
COMMENT ON COLUMN showroom.person_work_30d.accept_to_done_p50 IS 'median time from the latest accept to the person''s finish';
COMMENT ON COLUMN showroom.person_work_30d.accept_to_done_p90 IS '90th percentile of that time';
COMMENT ON COLUMN showroom.person_work_30d.first_time_fix_share IS 'share of the person''s finishes never dispatched again nor repeated';
COMMENT ON COLUMN showroom.person_work_30d.visit_score IS 'mean return-visit score after the person''s finishes';
COMMENT ON COLUMN showroom.person_work_30d.complaints IS 'complaints opened right after the person''s moves (before the order''s next move)';
COMMENT ON COLUMN showroom.person_work_30d.overdue_share IS 'share of the person''s moves made after the order was due';

CREATE VIEW showroom.technician_work_30d AS
SELECT s.outlet_id, s.who, count(*)::integer AS moves,
       count(DISTINCT s.order_id)::integer AS jobs,
       count(*) FILTER (WHERE s.to_state = 'accepted')::integer AS accepts,
       count(*) FILTER (WHERE s.to_state = 'done')::integer AS finishes,
       date_trunc('second', percentile_cont(0.5) WITHIN GROUP (ORDER BY s.dispatch_to_accept)) AS dispatch_to_accept_p50,
       date_trunc('second', percentile_cont(0.9) WITHIN GROUP (ORDER BY s.dispatch_to_accept)) AS dispatch_to_accept_p90,
       date_trunc('second', percentile_cont(0.5) WITHIN GROUP (ORDER BY s.accept_to_done)) AS accept_to_done_p50,
       date_trunc('second', percentile_cont(0.9) WITHIN GROUP (ORDER BY s.accept_to_done)) AS accept_to_done_p90,
       round(avg(s.fixed_first_time::integer), 4) AS first_time_fix_share,
       round(avg(s.visit_score), 2) AS visit_score,
       sum(s.complaints)::integer AS complaints,
       round(avg(s.late::integer), 4) AS overdue_share
  FROM showroom.person_steps s
 WHERE s.at >= now() - interval '30 days'
   AND s.to_state IN ('accepted', 'on_the_way', 'done')
   AND s.outlet_id IS NOT NULL
 GROUP BY s.outlet_id, s.who;

COMMENT ON VIEW showroom.technician_work_30d IS 'technician_work() over the last 30 days, for readers that may run no function';
COMMENT ON COLUMN showroom.technician_work_30d.outlet_id IS 'outlet of the orders at the moves';
COMMENT ON COLUMN showroom.technician_work_30d.who IS 'person named by the application, else the database role';
COMMENT ON COLUMN showroom.technician_work_30d.moves IS 'accepts, leaves and finishes made';
COMMENT ON COLUMN showroom.technician_work_30d.jobs IS 'distinct service orders moved';
COMMENT ON COLUMN showroom.technician_work_30d.accepts IS 'moves to accepted';
COMMENT ON COLUMN showroom.technician_work_30d.finishes IS 'moves to done';
COMMENT ON COLUMN showroom.technician_work_30d.dispatch_to_accept_p50 IS 'median time from dispatch to the accept';
COMMENT ON COLUMN showroom.technician_work_30d.dispatch_to_accept_p90 IS '90th percentile of that time';
COMMENT ON COLUMN showroom.technician_work_30d.accept_to_done_p50 IS 'median time from the latest accept to the finish';
COMMENT ON COLUMN showroom.technician_work_30d.accept_to_done_p90 IS '90th percentile of that time';
COMMENT ON COLUMN showroom.technician_work_30d.first_time_fix_share IS 'share of finishes never dispatched again nor repeated';
COMMENT ON COLUMN showroom.technician_work_30d.visit_score IS 'mean return-visit score after the finishes';
COMMENT ON COLUMN showroom.technician_work_30d.complaints IS 'complaints opened right after these moves';
COMMENT ON COLUMN showroom.technician_work_30d.overdue_share IS 'share of these moves made after the order was due';

--
-- 3. Early warning on complaints and defects.
--
-- An event is a complaint (at its opened_at) or a defect found at delivery
-- (at its found_at).  Each event has up to three subjects: its outlet (the
-- complaint's outlet; the defect's outlet when the outlet is responsible),
-- its SKU (the service order's; the defect's) and its district (the one
-- that covers the service order's point or the sales order's delivery
-- point).  A rule watches one kind of subject: it breaches for a subject
-- at an event when the subject's events of the rule's kinds in the last
-- window_days (up to and including this event) are at least min_count and
-- more than multiplier times the count the baseline_days before the window
-- would give for a window of that length.  An alert is raised at most once
-- per rule and subject within window_days, whatever became of the last.
--

-- Districts: the administrative districts the chain groups its early
-- warning by.  Outlets' service areas overlap and DC regions are coarse,
-- so districts are kept here, loaded from the real boundaries
-- (tools/load-districts) with add_district().
CREATE TABLE showroom.district (
  id   bigserial PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (btrim(code) <> ''),
  name text NOT NULL CHECK (btrim(name) <> ''),
  geom geometry(MultiPolygon, 4326) NOT NULL
);

CREATE INDEX district_geom_idx ON showroom.district USING gist (geom);

COMMENT ON TABLE showroom.district IS 'administrative districts, the third subject of complaint alert rules; add them with add_district()';
COMMENT ON COLUMN showroom.district.id IS 'district id';
COMMENT ON COLUMN showroom.district.code IS 'administrative code, for example 140302';
COMMENT ON COLUMN showroom.district.name IS 'district name';
COMMENT ON COLUMN showroom.district.geom IS 'its boundary, a valid lon/lat multipolygon';

SELECT pg_catalog.pg_extension_config_dump('showroom.district', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.district_id_seq', '');

-- The rules.
CREATE TABLE showroom.alert_rule (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  subject       text NOT NULL CHECK (subject IN ('outlet', 'sku', 'district')),
  events        text[] NOT NULL CHECK (cardinality(events) > 0
                                       AND events <@ ARRAY['complaint', 'defect']),
  window_days   integer NOT NULL CHECK (window_days BETWEEN 1 AND 366),
  baseline_days integer NOT NULL CHECK (baseline_days BETWEEN 1 AND 3660),
  multiplier    numeric NOT NULL CHECK (multiplier > 0 AND multiplier <= 1000),
  min_count     integer NOT NULL CHECK (min_count BETWEEN 1 AND 1000000),
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL
);

COMMENT ON TABLE showroom.alert_rule IS 'early-warning rules on complaints and defects; add them with add_alert_rule()';
COMMENT ON COLUMN showroom.alert_rule.id IS 'rule id';
COMMENT ON COLUMN showroom.alert_rule.name IS 'rule name, unique';
COMMENT ON COLUMN showroom.alert_rule.subject IS 'what it counts per: outlet, sku or district';
COMMENT ON COLUMN showroom.alert_rule.events IS 'events it counts: complaint, defect or both';
COMMENT ON COLUMN showroom.alert_rule.window_days IS 'the rolling window, in days, ending at the event';
COMMENT ON COLUMN showroom.alert_rule.baseline_days IS 'the baseline: this many days before the window';
COMMENT ON COLUMN showroom.alert_rule.multiplier IS 'breach when the window holds more than this times the baseline''s rate per window';
COMMENT ON COLUMN showroom.alert_rule.min_count IS 'and at least this many events';
COMMENT ON COLUMN showroom.alert_rule.active IS 'whether recorded events are judged by it';
COMMENT ON COLUMN showroom.alert_rule.created_at IS 'when it was added';
COMMENT ON COLUMN showroom.alert_rule.created_by IS 'who added it (showroom.person, else the role)';

SELECT pg_catalog.pg_extension_config_dump('showroom.alert_rule', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.alert_rule_id_seq', '');

-- The alerts: one row per breach, acknowledged and closed by people.
CREATE TABLE showroom.alert (
  id              bigserial PRIMARY KEY,
  rule_id         bigint NOT NULL REFERENCES showroom.alert_rule (id),
  subject         text NOT NULL,
  subject_id      bigint NOT NULL,
  fired_at        timestamptz NOT NULL,
  source          text NOT NULL CHECK (source IN ('complaint', 'defect')),
  source_id       bigint NOT NULL,
  window_count    integer NOT NULL,
  baseline_count  integer NOT NULL,
  state           text NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'acknowledged', 'closed')),
  acknowledged_at timestamptz,
  acknowledged_by text,
  ack_note        text,
  closed_at       timestamptz,
  closed_by       text,
  close_note      text,
  UNIQUE (rule_id, source, source_id),
  CHECK ((state = 'open') = (acknowledged_at IS NULL AND closed_at IS NULL)),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
  CHECK (closed_at IS NULL OR close_note IS NOT NULL)
);

CREATE INDEX alert_rule_subject_idx ON showroom.alert (rule_id, subject_id, fired_at);
CREATE INDEX alert_state_idx ON showroom.alert (state) WHERE state <> 'closed';

COMMENT ON TABLE showroom.alert IS 'alerts raised by the early-warning rules, with the figures they saw';
COMMENT ON COLUMN showroom.alert.id IS 'alert id';
COMMENT ON COLUMN showroom.alert.rule_id IS 'rule that breached';
COMMENT ON COLUMN showroom.alert.subject IS 'outlet, sku or district (the rule''s subject)';
COMMENT ON COLUMN showroom.alert.subject_id IS 'id of the outlet, SKU or district';
COMMENT ON COLUMN showroom.alert.fired_at IS 'time of the event that breached';
COMMENT ON COLUMN showroom.alert.source IS 'kind of that event: complaint or defect';
COMMENT ON COLUMN showroom.alert.source_id IS 'id of that complaint or defect';
COMMENT ON COLUMN showroom.alert.window_count IS 'events of the subject in the window, this one included';
COMMENT ON COLUMN showroom.alert.baseline_count IS 'events of the subject in the baseline before the window';
COMMENT ON COLUMN showroom.alert.state IS 'open, acknowledged or closed';
COMMENT ON COLUMN showroom.alert.acknowledged_at IS 'when someone took it up';
COMMENT ON COLUMN showroom.alert.acknowledged_by IS 'who took it up';
COMMENT ON COLUMN showroom.alert.ack_note IS 'note given when taking it up';
COMMENT ON COLUMN showroom.alert.closed_at IS 'when it was closed';
COMMENT ON COLUMN showroom.alert.closed_by IS 'who closed it';
COMMENT ON COLUMN showroom.alert.close_note IS 'what was found and done';

SELECT pg_catalog.pg_extension_config_dump('showroom.alert', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.alert_id_seq', '');

-- Every complaint and defect as an event with its subjects.
CREATE VIEW showroom.alert_events AS
SELECT 'complaint'::text AS kind, c.id, c.opened_at AS at, c.outlet_id, so.sku_id,
       (SELECT d.id FROM showroom.district d
         WHERE ST_Covers(d.geom, so.point) ORDER BY d.id LIMIT 1) AS district_id
  FROM showroom.complaint c
  JOIN showroom.service_order so ON so.id = c.order_id
UNION ALL
SELECT 'defect'::text, f.id, f.found_at, f.outlet_id, f.sku_id,
       (SELECT d.id FROM showroom.district d
         WHERE ST_Covers(d.geom, o.delivery_point) ORDER BY d.id LIMIT 1)
  FROM showroom.defect f
  JOIN showroom.sales_order o ON o.id = f.sales_order_id;

COMMENT ON VIEW showroom.alert_events IS 'complaints and defects as early-warning events, with their outlet, SKU and district';
COMMENT ON COLUMN showroom.alert_events.kind IS 'complaint or defect';
COMMENT ON COLUMN showroom.alert_events.id IS 'id of the complaint or defect';
COMMENT ON COLUMN showroom.alert_events.at IS 'when it was recorded (opened_at, found_at)';
COMMENT ON COLUMN showroom.alert_events.outlet_id IS 'outlet concerned: the complaint''s, or the defect''s responsible outlet';
COMMENT ON COLUMN showroom.alert_events.sku_id IS 'SKU concerned';
COMMENT ON COLUMN showroom.alert_events.district_id IS 'district covering the job''s or the delivery''s point (lowest id if several)';

-- The alerts with their rule, for people and reports.
CREATE VIEW showroom.alerts AS
SELECT a.id, a.rule_id, r.name AS rule_name, a.subject, a.subject_id,
       a.fired_at, a.source, a.source_id, a.window_count, a.baseline_count,
       r.window_days, r.baseline_days, r.multiplier, r.min_count, a.state,
       a.acknowledged_at, a.acknowledged_by, a.ack_note,
       a.closed_at, a.closed_by, a.close_note
  FROM showroom.alert a
  JOIN showroom.alert_rule r ON r.id = a.rule_id;

COMMENT ON VIEW showroom.alerts IS 'alerts with the rule that raised them';
COMMENT ON COLUMN showroom.alerts.id IS 'alert id';
COMMENT ON COLUMN showroom.alerts.rule_id IS 'rule id';
COMMENT ON COLUMN showroom.alerts.rule_name IS 'rule name';
COMMENT ON COLUMN showroom.alerts.subject IS 'outlet, sku or district';
COMMENT ON COLUMN showroom.alerts.subject_id IS 'id of the subject';
COMMENT ON COLUMN showroom.alerts.fired_at IS 'time of the event that breached';
COMMENT ON COLUMN showroom.alerts.source IS 'complaint or defect';
COMMENT ON COLUMN showroom.alerts.source_id IS 'id of the complaint or defect';
COMMENT ON COLUMN showroom.alerts.window_count IS 'events in the window';
COMMENT ON COLUMN showroom.alerts.baseline_count IS 'events in the baseline';
COMMENT ON COLUMN showroom.alerts.window_days IS 'the rule''s window';
COMMENT ON COLUMN showroom.alerts.baseline_days IS 'the rule''s baseline';
COMMENT ON COLUMN showroom.alerts.multiplier IS 'the rule''s multiplier';
COMMENT ON COLUMN showroom.alerts.min_count IS 'the rule''s minimum count';
COMMENT ON COLUMN showroom.alerts.state IS 'open, acknowledged or closed';
COMMENT ON COLUMN showroom.alerts.acknowledged_at IS 'when taken up';
COMMENT ON COLUMN showroom.alerts.acknowledged_by IS 'who took it up';
COMMENT ON COLUMN showroom.alerts.ack_note IS 'note on taking it up';
COMMENT ON COLUMN showroom.alerts.closed_at IS 'when closed';
COMMENT ON COLUMN showroom.alerts.closed_by IS 'who closed it';
COMMENT ON COLUMN showroom.alerts.close_note IS 'note on closing';

-- add_district: add a district; the boundary is checked (and, with
-- repair, made valid) by area_geometry().  Returns its id.
CREATE FUNCTION showroom.add_district(code text, name text, geom geometry,
                                      repair boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  g geometry;
  new_id bigint;
BEGIN
  IF nullif(btrim(code), '') IS NULL OR nullif(btrim(name), '') IS NULL THEN
    RAISE EXCEPTION 'district code and name must not be empty'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('code = %s, name = %s.', coalesce(quote_literal(code), 'NULL'),
                            coalesce(quote_literal(name), 'NULL'));
  END IF;
  g := showroom.area_geometry(geom, repair);
  IF EXISTS (SELECT 1 FROM showroom.district d WHERE d.code = btrim(add_district.code)) THEN
    RAISE EXCEPTION 'duplicate district %', btrim(code)
      USING ERRCODE = 'SR809',
            DETAIL = format('A district with code %s exists already.', btrim(code));
  END IF;
  INSERT INTO showroom.district (code, name, geom)
  VALUES (btrim(code), btrim(name), g)
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.add_district(text, text, geometry, boolean) IS
  'add a district for the early warning (boundary checked by area_geometry, repaired if asked); returns its id';

-- add_alert_rule: add a rule and return its id.  events lists the kinds
-- it counts (complaint, defect).
CREATE FUNCTION showroom.add_alert_rule(name text, subject text, window_days integer,
                                        baseline_days integer, multiplier numeric,
                                        min_count integer,
                                        events text[] DEFAULT '{complaint,defect}')
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  new_id bigint;
  bad text;
BEGIN
  IF nullif(btrim(name), '') IS NULL OR subject IS NULL OR window_days IS NULL
     OR baseline_days IS NULL OR multiplier IS NULL OR min_count IS NULL OR events IS NULL THEN
    RAISE EXCEPTION 'alert rule fields must not be null or empty'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('name = %s, subject = %s, window_days = %s, baseline_days = %s, multiplier = %s, min_count = %s, events = %s.',
                            coalesce(quote_literal(name), 'NULL'), coalesce(subject, 'NULL'),
                            coalesce(window_days::text, 'NULL'), coalesce(baseline_days::text, 'NULL'),
                            coalesce(multiplier::text, 'NULL'), coalesce(min_count::text, 'NULL'),
                            coalesce(events::text, 'NULL'));
  END IF;
  bad := CASE
    WHEN subject NOT IN ('outlet', 'sku', 'district') THEN
      format('subject %s is not outlet, sku or district.', quote_literal(subject))
    WHEN cardinality(events) = 0 OR NOT events <@ ARRAY['complaint', 'defect']
         OR array_position(events, NULL) IS NOT NULL THEN
      format('events %s must list complaint, defect or both.', events)
    WHEN window_days NOT BETWEEN 1 AND 366 THEN
      format('window_days = %s; it must lie in [1, 366].', window_days)
    WHEN baseline_days NOT BETWEEN 1 AND 3660 THEN
      format('baseline_days = %s; it must lie in [1, 3660].', baseline_days)
    WHEN multiplier = 'NaN'::numeric OR multiplier <= 0 OR multiplier > 1000 THEN
      format('multiplier = %s; it must lie in (0, 1000].', multiplier)
    WHEN min_count NOT BETWEEN 1 AND 1000000 THEN
      format('min_count = %s; it must lie in [1, 1000000].', min_count)
  END;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'invalid alert rule %', btrim(name)
      USING ERRCODE = 'SR805', DETAIL = bad,
            HINT = 'For example: add_alert_rule(''outlet spike'', ''outlet'', 7, 90, 3, 3).';
  END IF;
  IF EXISTS (SELECT 1 FROM showroom.alert_rule r WHERE r.name = btrim(add_alert_rule.name)) THEN
    RAISE EXCEPTION 'duplicate alert rule %', btrim(name)
      USING ERRCODE = 'SR806',
            DETAIL = format('A rule named %s exists already.', quote_literal(btrim(name))),
            HINT = 'Pick another name, or switch the old rule off with set_alert_rule_active().';
  END IF;
  INSERT INTO showroom.alert_rule (name, subject, events, window_days, baseline_days,
                                   multiplier, min_count, created_by)
  VALUES (btrim(name), subject, ARRAY(SELECT DISTINCT e FROM unnest(events) e ORDER BY e),
          window_days, baseline_days, multiplier, min_count, showroom.acting_person())
  RETURNING id INTO new_id;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION showroom.add_alert_rule(text, text, integer, integer, numeric, integer, text[]) IS
  'add an early-warning rule (subject outlet, sku or district; window and baseline days; multiplier; minimum count; event kinds); returns its id';

-- set_alert_rule_active: switch a rule on or off for recorded events.
CREATE FUNCTION showroom.set_alert_rule_active(rule_id bigint, active boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF rule_id IS NULL OR active IS NULL THEN
    RAISE EXCEPTION 'rule id and active must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('rule_id = %s, active = %s.', coalesce(rule_id::text, 'NULL'),
                            coalesce(active::text, 'NULL'));
  END IF;
  UPDATE showroom.alert_rule r SET active = set_alert_rule_active.active
   WHERE r.id = set_alert_rule_active.rule_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown alert rule %', rule_id
      USING ERRCODE = 'SR804', DETAIL = format('No alert rule has id %s.', rule_id);
  END IF;
END
$$;

COMMENT ON FUNCTION showroom.set_alert_rule_active(bigint, boolean) IS
  'switch an early-warning rule on or off';

-- alert_check: the figures of rule r for subject subject_id at the event
-- (kind, id) recorded at time at: events of the subject in the window up
-- to and including this one (later events at the same instant and events
-- after it do not count), events in the baseline before the window, and
-- whether that breaches the rule.  The trigger and the replay both judge
-- by this function, so that they agree.  It counts what the view
-- alert_events shows, but reads the tables directly, one query per kind
-- of subject, so that an outlet's count probes complaint's index on
-- (outlet_id, opened_at) and a district's tests each point against that
-- district alone.
CREATE FUNCTION showroom.alert_check(r showroom.alert_rule, subject_id bigint,
                                     kind text, id bigint, at timestamptz,
                                     OUT window_count integer,
                                     OUT baseline_count integer,
                                     OUT breach boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  subj bigint := alert_check.subject_id;
  ev_kind text := alert_check.kind;
  ev_id bigint := alert_check.id;
  t timestamptz := alert_check.at;
  lo timestamptz := alert_check.at - make_interval(days => r.window_days + r.baseline_days);
  mid timestamptz := alert_check.at - make_interval(days => r.window_days);
  want_c boolean := 'complaint' = ANY (r.events);
  want_d boolean := 'defect' = ANY (r.events);
  g geometry;
BEGIN
  IF r.subject = 'outlet' THEN
    SELECT count(*) FILTER (WHERE e.at > mid), count(*) FILTER (WHERE e.at <= mid)
      INTO window_count, baseline_count
      FROM (SELECT 'complaint'::text AS kind, c.id, c.opened_at AS at
              FROM showroom.complaint c
             WHERE want_c AND c.outlet_id = subj AND c.opened_at > lo AND c.opened_at <= t
            UNION ALL
            SELECT 'defect', f.id, f.found_at
              FROM showroom.defect f
             WHERE want_d AND f.outlet_id = subj AND f.found_at > lo AND f.found_at <= t) e
     WHERE (e.at, e.kind, e.id) <= (t, ev_kind, ev_id);
  ELSIF r.subject = 'sku' THEN
    SELECT count(*) FILTER (WHERE e.at > mid), count(*) FILTER (WHERE e.at <= mid)
      INTO window_count, baseline_count
      FROM (SELECT 'complaint'::text AS kind, c.id, c.opened_at AS at
              FROM showroom.complaint c
              JOIN showroom.service_order so ON so.id = c.order_id
             WHERE want_c AND so.sku_id = subj AND c.opened_at > lo AND c.opened_at <= t
            UNION ALL
            SELECT 'defect', f.id, f.found_at
              FROM showroom.defect f
             WHERE want_d AND f.sku_id = subj AND f.found_at > lo AND f.found_at <= t) e
     WHERE (e.at, e.kind, e.id) <= (t, ev_kind, ev_id);
  ELSE
    -- An event belongs to the lowest-id district that covers its point.
    SELECT d.geom INTO g FROM showroom.district d WHERE d.id = subj;
    SELECT count(*) FILTER (WHERE e.at > mid), count(*) FILTER (WHERE e.at <= mid)
      INTO window_count, baseline_count
      FROM (SELECT 'complaint'::text AS kind, c.id, c.opened_at AS at, so.point AS pt
              FROM showroom.complaint c
              JOIN showroom.service_order so ON so.id = c.order_id
             WHERE want_c AND c.opened_at > lo AND c.opened_at <= t
            UNION ALL
            SELECT 'defect', f.id, f.found_at, o.delivery_point
              FROM showroom.defect f
              JOIN showroom.sales_order o ON o.id = f.sales_order_id
             WHERE want_d AND f.found_at > lo AND f.found_at <= t) e
     WHERE (e.at, e.kind, e.id) <= (t, ev_kind, ev_id)
       AND ST_Covers(g, e.pt)
       AND NOT EXISTS (SELECT 1 FROM showroom.district d
                        WHERE d.id < subj AND ST_Covers(d.geom, e.pt));
  END IF;
  -- Numeric on both sides, so that no look-alike mixed operator applies.
  breach := window_count >= r.min_count
            AND (window_count * r.baseline_days)::numeric
                > r.multiplier * baseline_count::numeric * r.window_days::numeric;
END
$$;

COMMENT ON FUNCTION showroom.alert_check(showroom.alert_rule, bigint, text, bigint, timestamptz) IS
  'figures of an alert rule for a subject at an event: window count, baseline count, breach';

-- alert_on_event: trigger on complaint and defect inserts.  Judges the new
-- event by every active rule counting its kind, for each subject it has;
-- a breach not already alerted within the rule's window writes an alert
-- and sends a NOTIFY on the channel showroom_alerts (delivered when the
-- transaction commits; a rollback sends nothing) with a JSON payload:
-- alert id, rule, subject, subject id.
--
-- Only events recorded as they happen are judged: an event whose time is
-- not its transaction's (history loaded afterwards, or pg_restore
-- reloading rows) is left alone, so a restore raises no alert twice;
-- replay_alert_rules() shows what such history would have raised.  An
-- advisory lock per rule and subject, taken before counting, makes two
-- concurrent events of one subject count each other: the second waits
-- for the first to commit, then sees it.
--
-- SECURITY DEFINER: it counts every event of the subject and writes the
-- alert whoever records the complaint or defect.
--
-- XXX: a complaint and a defect recorded in one transaction share one
-- time; the replay orders them complaint first, the trigger sees them in
-- the order they were inserted.  Only a rule counting both kinds, for a
-- subject both touch, at that instant, can then differ between the two.
CREATE FUNCTION showroom.alert_on_event()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ev showroom.alert_events;
  r showroom.alert_rule;
  subj bigint;
  f record;
  new_id bigint;
BEGIN
  SELECT * INTO ev FROM showroom.alert_events e
   WHERE e.kind = TG_ARGV[0] AND e.id = NEW.id;
  IF NOT FOUND OR ev.at <> now() THEN
    RETURN NULL;
  END IF;
  FOR r IN SELECT * FROM showroom.alert_rule x
            WHERE x.active AND ev.kind = ANY (x.events) ORDER BY x.id LOOP
    subj := CASE r.subject WHEN 'outlet' THEN ev.outlet_id
                           WHEN 'sku' THEN ev.sku_id ELSE ev.district_id END;
    CONTINUE WHEN subj IS NULL;
    PERFORM pg_advisory_xact_lock(
      hashtextextended(format('showroom.alert %s %s', r.id, subj), 0::bigint));
    CONTINUE WHEN EXISTS (
      SELECT 1 FROM showroom.alert a
       WHERE a.rule_id = r.id AND a.subject_id = subj
         AND a.fired_at > ev.at - make_interval(days => r.window_days));
    f := showroom.alert_check(r, subj, ev.kind, ev.id, ev.at);
    CONTINUE WHEN NOT f.breach;
    INSERT INTO showroom.alert (rule_id, subject, subject_id, fired_at, source,
                                source_id, window_count, baseline_count)
    VALUES (r.id, r.subject, subj, ev.at, ev.kind, ev.id, f.window_count, f.baseline_count)
    RETURNING id INTO new_id;
    PERFORM pg_notify('showroom_alerts',
                      json_build_object('alert', new_id, 'rule', r.name,
                                        'subject', r.subject, 'subject_id', subj)::text);
  END LOOP;
  RETURN NULL;
END
$$;

COMMENT ON FUNCTION showroom.alert_on_event() IS
  'trigger on complaint and defect inserts: judge the event by the active alert rules, write alerts and NOTIFY showroom_alerts';

CREATE TRIGGER complaint_alert
  AFTER INSERT ON showroom.complaint
  FOR EACH ROW EXECUTE FUNCTION showroom.alert_on_event('complaint');
CREATE TRIGGER defect_alert
  AFTER INSERT ON showroom.defect
  FOR EACH ROW EXECUTE FUNCTION showroom.alert_on_event('defect');

-- alert_row: an alert by id, locked for update; raises SR807 when unknown.
CREATE FUNCTION showroom.alert_row(alert_id bigint)
RETURNS showroom.alert
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a showroom.alert;
BEGIN
  IF alert_id IS NULL THEN
    RAISE EXCEPTION 'alert id must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT * INTO a FROM showroom.alert x WHERE x.id = alert_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'unknown alert %', alert_id
      USING ERRCODE = 'SR807', DETAIL = format('No alert has id %s.', alert_id);
  END IF;
  RETURN a;
END
$$;

COMMENT ON FUNCTION showroom.alert_row(bigint) IS
  'an alert by id, locked for update; SR807 when unknown';

-- acknowledge_alert: someone takes an open alert up, with an optional
-- note.  Returns the alert.
CREATE FUNCTION showroom.acknowledge_alert(alert_id bigint, note text DEFAULT NULL)
RETURNS showroom.alert
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a showroom.alert := showroom.alert_row(alert_id);
BEGIN
  IF a.state <> 'open' THEN
    RAISE EXCEPTION 'alert % is %', alert_id, a.state
      USING ERRCODE = 'SR808',
            DETAIL = format('Alert %s was %s by %s at %s.', alert_id, a.state,
                            coalesce(a.closed_by, a.acknowledged_by),
                            coalesce(a.closed_at, a.acknowledged_at)),
            HINT = 'Only an open alert can be acknowledged.';
  END IF;
  UPDATE showroom.alert x
     SET state = 'acknowledged', acknowledged_at = now(),
         acknowledged_by = showroom.acting_person(), ack_note = nullif(btrim(note), '')
   WHERE x.id = alert_id
  RETURNING * INTO a;
  RETURN a;
END
$$;

COMMENT ON FUNCTION showroom.acknowledge_alert(bigint, text) IS
  'take up an open alert, with an optional note; returns it';

-- close_alert: close an open or acknowledged alert with a note saying what
-- was found and done.  Returns the alert.
CREATE FUNCTION showroom.close_alert(alert_id bigint, note text)
RETURNS showroom.alert
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  a showroom.alert := showroom.alert_row(alert_id);
BEGIN
  IF nullif(btrim(note), '') IS NULL THEN
    RAISE EXCEPTION 'closing an alert needs a note'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = format('alert %s, note = %s.', alert_id, coalesce(quote_literal(note), 'NULL')),
            HINT = 'Say what was found and what was done.';
  END IF;
  IF a.state = 'closed' THEN
    RAISE EXCEPTION 'alert % is closed', alert_id
      USING ERRCODE = 'SR808',
            DETAIL = format('Alert %s was closed by %s at %s: %s', alert_id, a.closed_by,
                            a.closed_at, a.close_note);
  END IF;
  UPDATE showroom.alert x
     SET state = 'closed', closed_at = now(), closed_by = showroom.acting_person(),
         close_note = btrim(note)
   WHERE x.id = alert_id
  RETURNING * INTO a;
  RETURN a;
END
$$;

COMMENT ON FUNCTION showroom.close_alert(bigint, text) IS
  'close an open or acknowledged alert with a note; returns it';

-- replay_alert_rules: judge the events of [from_at, to_at) in time order
-- (then kind, then id) by one rule (for_rule) or by every active rule
-- (NULL), as the trigger would have, and return the alerts they would have
-- raised.  The once-per-window limit counts only alerts of the replay, not
-- the alert table; counts look back before from_at as far as each rule's
-- window and baseline reach.  Writes nothing.
-- SECURITY DEFINER: it counts every event, as the trigger does.
CREATE FUNCTION showroom.replay_alert_rules(from_at timestamptz, to_at timestamptz,
                                            for_rule bigint DEFAULT NULL)
RETURNS TABLE (rule_id bigint, rule_name text, subject text, subject_id bigint,
               fired_at timestamptz, source text, source_id bigint,
               window_count integer, baseline_count integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  only_rule bigint := for_rule;
  rules showroom.alert_rule[];
  r showroom.alert_rule;
  ev showroom.alert_events;
  subj bigint;
  f record;
  last jsonb := '{}';
  key text;
BEGIN
  PERFORM showroom.check_window(from_at, to_at);
  IF only_rule IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM showroom.alert_rule x WHERE x.id = only_rule) THEN
    RAISE EXCEPTION 'unknown alert rule %', only_rule
      USING ERRCODE = 'SR804', DETAIL = format('No alert rule has id %s.', only_rule);
  END IF;
  rules := ARRAY(SELECT x FROM showroom.alert_rule x
                  WHERE CASE WHEN only_rule IS NULL THEN x.active ELSE x.id = only_rule END
                  ORDER BY x.id);

  FOR ev IN SELECT * FROM showroom.alert_events e
             WHERE e.at >= from_at AND e.at < to_at
             ORDER BY e.at, e.kind, e.id LOOP
    FOREACH r IN ARRAY rules LOOP
      CONTINUE WHEN NOT ev.kind = ANY (r.events);
      subj := CASE r.subject WHEN 'outlet' THEN ev.outlet_id
                             WHEN 'sku' THEN ev.sku_id ELSE ev.district_id END;
      CONTINUE WHEN subj IS NULL;
      key := r.id || ' ' || subj;
      CONTINUE WHEN (last ->> key)::timestamptz > ev.at - make_interval(days => r.window_days);
      f := showroom.alert_check(r, subj, ev.kind, ev.id, ev.at);
      CONTINUE WHEN NOT f.breach;
      last := last || jsonb_build_object(key, ev.at);
      replay_alert_rules.rule_id := r.id;
      rule_name := r.name;
      subject := r.subject;
      subject_id := subj;
      fired_at := ev.at;
      source := ev.kind;
      source_id := ev.id;
      window_count := f.window_count;
      baseline_count := f.baseline_count;
      RETURN NEXT;
    END LOOP;
  END LOOP;
END
$$;

COMMENT ON FUNCTION showroom.replay_alert_rules(timestamptz, timestamptz, bigint) IS
  'the alerts one rule (or every active rule) would have raised for the events of [from_at, to_at), judged as the trigger judges; writes nothing';
