-- decision support: where the DC should stand, how each person worked, alerts
\set QUIET on
SELECT id AS dc FROM showroom.dc WHERE code = 'YQ-DC' \gset
\set QUIET off
-- The year's door visits from the DC where it stands, from the best
-- single site and from the best pair of sites.
SELECT plan, site, round(ST_X(point)::numeric, 4) AS lon, round(ST_Y(point)::numeric, 4) AS lat,
       visits, km, plan_km, saving_km, saving_share
  FROM showroom.best_sites(:dc, :'from', :'to');
-- Truck-km by the run planner from the DC and from the best single site.
SELECT site, visits, total_km, within_share AS within_5_10_20_km, truck_km, runs, unplanned
  FROM showroom.score_sites(:dc, :'from', :'to',
         ARRAY(SELECT point FROM showroom.best_sites(:dc, :'from', :'to') WHERE plan = 'one'));
-- How each technician worked over the year.
SELECT o.code AS outlet, w.who, w.jobs, w.finishes, w.accept_to_done_p50,
       w.first_time_fix_share, w.visit_score, w.complaints
  FROM showroom.technician_work(:'from'::date, :'to'::date + 1) w
  JOIN showroom.outlet o ON o.id = w.outlet_id
 ORDER BY o.code, w.who;
-- The alerts the year raised, and the replay of the rules agreeing.
SELECT rule_name, subject, count(*) AS alerts, min(fired_at)::date AS first, max(fired_at)::date AS last
  FROM showroom.alerts GROUP BY rule_name, subject ORDER BY rule_name;
SELECT count(*) AS replayed_alerts,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM showroom.alert a
                                       WHERE a.rule_id = r.rule_id AND a.source = r.source
                                         AND a.source_id = r.source_id)) AS also_live
  FROM showroom.replay_alert_rules(:'from'::date, :'to'::date + 1) r;
