-- workflow: service orders requested by a call, every shipped transition
-- (each allowed move made once, each other pair refused), required fields,
-- result-code branches, refusal clearing the outlet, done_at.
\i test/helpers.sql

INSERT INTO showroom.outlet (code, name, base)
VALUES ('wf-o1', 'Outlet one', ST_SetSRID(ST_MakePoint(113.58, 37.86), 4326)),
       ('wf-o2', 'Outlet two', ST_SetSRID(ST_MakePoint(113.60, 37.85), 4326));
INSERT INTO showroom.sku (code, name, category, needs_install, list_price_fen)
VALUES ('wf-ac', 'split air conditioner 1.5 hp', 'air_conditioner', true, 299900);

-- A repair by call: every field is kept; state requested, no trail yet.
SELECT 'repair' AS "case",
       showroom.request_repair('Wang Li', '13800000001', 'Chengqu 1', 113.58, 37.86,
                               (SELECT id FROM showroom.sku WHERE code = 'wf-ac'),
                               ' SN-001 ', 'repair.symptom.no_cooling', '2026-12-05') AS id;
SELECT 'repair row' AS "case", kind, category, origin, serial, symptom_code, state,
       ST_AsText(point), service_date, outlet_id, done_at
  FROM showroom.service_order;

-- Bad requests: each refused, nothing written.
SELECT 'no serial' AS "case", pg_temp.try($$SELECT showroom.request_repair('Wang', '1', 'a', 113.58, 37.86, 1, ' ', 'repair.symptom.noise')$$);
SELECT 'all missing' AS "case", pg_temp.try($$SELECT showroom.request_repair(NULL, NULL, NULL, 113.58, 37.86, NULL, NULL, NULL)$$);
SELECT 'symptom of other branch' AS "case", pg_temp.try($$SELECT showroom.request_repair('Wang', '1', 'a', 113.58, 37.86, 1, 'S', 'feedback.rude')$$);
SELECT 'unknown symptom' AS "case", pg_temp.try($$SELECT showroom.request_repair('Wang', '1', 'a', 113.58, 37.86, 1, 'S', 'repair.symptom.smoke')$$);
SELECT 'unknown sku' AS "case", pg_temp.try($$SELECT showroom.request_repair('Wang', '1', 'a', 113.58, 37.86, 999, 'S', 'repair.symptom.noise')$$);
SELECT 'swapped lon/lat' AS "case", pg_temp.try($$SELECT showroom.request_repair('Wang', '1', 'a', 37.86, 113.58, 1, 'S', 'repair.symptom.noise')$$);
SELECT 'unknown kind' AS "case", pg_temp.try($$SELECT showroom.request_service('painting', 113.58, 37.86, '2026-12-05', category => 'television')$$);
SELECT 'no sku nor category' AS "case", pg_temp.try($$SELECT showroom.request_service('maintenance', 113.58, 37.86, '2026-12-05')$$);
SELECT 'category mismatch' AS "case", pg_temp.try($$SELECT showroom.request_service('repair', 113.58, 37.86, '2026-12-05', sku_id => 1, category => 'television')$$);
SELECT 'null date' AS "case", pg_temp.try($$SELECT showroom.request_service('maintenance', 113.58, 37.86, NULL, category => 'air_conditioner')$$);
SELECT 'after bad requests' AS "case", count(*) AS orders FROM showroom.service_order;

-- The shipped path, one call per move: dispatch (needs an outlet), accept,
-- leave, finish (needs a result under repair.result), call back, close,
-- reopen (needs a note), and the second round to closed.
SELECT 'dispatch without outlet' AS "case", pg_temp.try($$SELECT showroom.move_order(1, 'dispatched')$$);
UPDATE showroom.service_order SET outlet_id = 1 WHERE id = 1;
SELECT 'dispatch' AS "case", (showroom.move_order(1, 'dispatched')).seq;
SELECT 'accept' AS "case", (showroom.move_order(1, 'accepted')).seq;
SELECT 'leave' AS "case", (showroom.move_order(1, 'on_the_way')).seq;
SELECT 'finish without result' AS "case", pg_temp.try($$SELECT showroom.move_order(1, 'done')$$);
SELECT 'finish with wrong branch' AS "case", pg_temp.try($$SELECT showroom.move_order(1, 'done', 'installation.result.installed')$$);
SELECT 'finish with unknown code' AS "case", pg_temp.try($$SELECT showroom.move_order(1, 'done', 'repair.result.magic')$$);
SELECT 'still on the way' AS "case", state, done_at IS NULL AS not_done FROM showroom.service_order WHERE id = 1;
SELECT 'finish' AS "case", (showroom.move_order(1, 'done', 'repair.result.part_replaced', 'compressor relay')).seq;
SELECT 'done stamped' AS "case", state, result_code,
       done_at BETWEEN now() - interval '1 minute' AND now() AS done_just_now
  FROM showroom.service_order WHERE id = 1;
SELECT 'call back' AS "case", (showroom.move_order(1, 'return_visit')).seq;
SELECT 'reopen without note' AS "case", pg_temp.try($$SELECT showroom.move_order(1, 'dispatched')$$);
SELECT 'reopen from visit' AS "case", (showroom.move_order(1, 'dispatched', NULL, 'still warm air')).seq;
SELECT 'second round' AS "case", (showroom.move_order(1, 'accepted')).seq,
       (showroom.move_order(1, 'on_the_way')).seq,
       (showroom.move_order(1, 'done', 'repair.result.fixed')).seq,
       (showroom.move_order(1, 'return_visit')).seq,
       (showroom.move_order(1, 'closed')).seq;
SELECT 'reopen from closed' AS "case", (showroom.move_order(1, 'dispatched', NULL, 'customer called again')).seq;

-- Refusal by the outlet puts the order back in the queue without an
-- outlet; the trail keeps who refused.  Refusing needs a refusal code.
SELECT 'refuse without code' AS "case", pg_temp.try($$SELECT showroom.move_order(1, 'requested')$$);
SELECT 'refuse' AS "case", t.seq, t.outlet_id, t.result_code
  FROM showroom.move_order(1, 'requested', 'refusal.capacity') t;
SELECT 'back in queue' AS "case", state, outlet_id FROM showroom.service_order WHERE id = 1;

-- Cancelling needs a code under cancel; from requested here.
SELECT 'cancel with wrong code' AS "case", pg_temp.try($$SELECT showroom.move_order(1, 'cancelled', 'refusal.capacity')$$);
SELECT 'cancel' AS "case", (showroom.move_order(1, 'cancelled', 'cancel.customer')).to_state;
SELECT 'cancelled is final' AS "case", pg_temp.try($$SELECT showroom.move_order(1, 'requested', 'refusal.capacity')$$);

-- The trail of the order: one row per move above, in order.
SELECT seq, from_state, to_state, outlet_id, result_code, note, db_role = current_user AS me
  FROM showroom.service_trail WHERE order_id = 1 ORDER BY seq;

-- Every pair of built-in states, tried on an order put in the from-state
-- with triggers off (as a superuser may): 'ok' for the thirteen shipped
-- moves, SR402 for every other pair.  A valid result code and a note are
-- passed, so that an allowed move never fails for a missing field.
CREATE FUNCTION pg_temp.try_move(f text, t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  oid bigint;
  r text;
BEGIN
  oid := showroom.request_service('repair', 113.58, 37.86, '2026-12-05', sku_id => 1);
  SET LOCAL session_replication_role = replica;
  UPDATE showroom.service_order SET state = f, outlet_id = 2 WHERE id = oid;
  SET LOCAL session_replication_role = origin;
  r := pg_temp.try(format('SELECT showroom.move_order(%s, %L, %L, %L)', oid, t,
                          CASE t WHEN 'done' THEN 'repair.result.fixed'
                                 WHEN 'requested' THEN 'refusal.no_parts'
                                 WHEN 'cancelled' THEN 'cancel.duplicate' END,
                          'matrix'));
  RETURN left(r, 5);
END
$$;
SELECT f.code AS from_state,
       string_agg(t.code, ' ' ORDER BY t.code) FILTER (WHERE m = 'ok') AS allowed,
       string_agg(t.code || ':' || m, ' ' ORDER BY t.code) FILTER (WHERE m <> 'ok') AS refused
  FROM showroom.service_state f
 CROSS JOIN showroom.service_state t
 CROSS JOIN LATERAL pg_temp.try_move(f.code, t.code) m
 WHERE f.code <> t.code
 GROUP BY f.code ORDER BY f.code;

-- A refused move names the moves in force in its hint.
SELECT
       showroom.request_service('maintenance', 113.58, 37.86, '2026-12-06',
                                category => 'air_conditioner') AS id \gset
SELECT 'hint' AS "case", pg_temp.try(format('SELECT showroom.move_order(%s, %L)', :id, 'closed'));
SELECT 'same state' AS "case", pg_temp.try(format('SELECT showroom.move_order(%s, %L)', :id, 'requested'));
SELECT 'unknown state' AS "case", pg_temp.try(format('SELECT showroom.move_order(%s, %L)', :id, 'lost'));
SELECT 'null state' AS "case", pg_temp.try(format('SELECT showroom.move_order(%s, NULL)', :id));
SELECT 'unknown order' AS "case", pg_temp.try($$SELECT showroom.move_order(99999, 'dispatched')$$);
SELECT 'null order' AS "case", pg_temp.try($$SELECT showroom.move_order(NULL, 'dispatched')$$);
-- A plain UPDATE is checked the same way (dispatch updates directly).
SELECT 'raw update refused' AS "case",
       pg_temp.try(format('UPDATE showroom.service_order SET state = %L WHERE id = %s', 'done', :id));
SELECT 'after refusals' AS "case", state, (SELECT count(*) FROM showroom.service_trail WHERE order_id = :id) AS trail
  FROM showroom.service_order WHERE id = :id;
