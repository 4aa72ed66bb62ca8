-- workflow_trail: the audit trail of service orders: one row per state
-- change from any path, who and when, append-only, hash-chained; the
-- verification finds an edit by a superuser; the transition table edited
-- by an administrator; the role check.
\i test/helpers.sql

INSERT INTO showroom.outlet (code, name, base)
VALUES ('wf-o1', 'Outlet one', ST_SetSRID(ST_MakePoint(113.58, 37.86), 4326));
SELECT showroom.request_service('installation', 113.58, 37.86, '2026-12-05',
                                category => 'air_conditioner') AS a \gset
SELECT showroom.request_service('installation', 113.59, 37.87, '2026-12-05',
                                category => 'air_conditioner') AS b \gset

-- The triggers' queries are planned in the caller's session, on its first
-- move, but under the triggers' own search path: an operator planted ahead
-- of pg_catalog, which would make every transition match, is not used.
-- (This must stay the session's first move.)
CREATE SCHEMA wf_evil;
CREATE FUNCTION wf_evil.always(a text, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE RETURN true;
CREATE OPERATOR wf_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = wf_evil.always);
SET search_path = wf_evil, pg_catalog, public;
SELECT 'planted operator works' AS "case", 'a'::text = 'b'::text AS equal;
SELECT 'planted operator' AS "case",
       pg_temp.try(format('UPDATE showroom.service_order SET state = %L WHERE id = %s', 'closed', :a));
RESET search_path;
SELECT 'a unchanged' AS "case", state, (SELECT count(*) FROM showroom.service_trail WHERE order_id = :a) AS rows
  FROM showroom.service_order WHERE id = :a;
DROP SCHEMA wf_evil CASCADE;

-- Dispatch's way: a plain UPDATE setting the outlet and the state leaves
-- exactly one trail row; an UPDATE that does not change the state, none.
UPDATE showroom.service_order SET outlet_id = 1, state = 'dispatched' WHERE id = :a;
UPDATE showroom.service_order SET service_date = '2026-12-06' WHERE id = :a;
UPDATE showroom.service_order SET state = 'dispatched' WHERE id = :a;
SELECT 'raw dispatch' AS "case", count(*) AS rows, min(to_state) AS to_state, min(outlet_id) AS outlet
  FROM showroom.service_trail WHERE order_id = :a;

-- The person named by the application is recorded with the role.
SET showroom.person = 'Li Ming';
SELECT 'accept' AS "case", seq, db_role = current_user AS role_ok, person, at = now() AS at_now,
       prev_hash IS NOT NULL AS chained, length(hash) AS hash_bytes
  FROM showroom.move_order(:a, 'accepted');
RESET showroom.person;
SELECT 'no person' AS "case", person
  FROM showroom.move_order(:a, 'on_the_way', NULL, 'traffic on the ring road');
SELECT (showroom.move_order(:a, 'done', 'installation.result.installed')).seq AS done;

-- The hash does not depend on the session's TimeZone or DateStyle.
SET TimeZone = 'America/Lima';
SET DateStyle = 'SQL, DMY';
SELECT 'verify in another zone' AS "case", * FROM showroom.verify_trail(:a);
RESET TimeZone;
RESET DateStyle;
SELECT 'verify empty trail' AS "case", * FROM showroom.verify_trail(:b);
SELECT 'verify unknown order' AS "case", * FROM showroom.verify_trail(99999);

-- Nobody may change the trail, the owner included.
SELECT 'update' AS "case", pg_temp.try(format('UPDATE showroom.service_trail SET note = %L WHERE order_id = %s', 'x', :a));
SELECT 'delete' AS "case", pg_temp.try(format('DELETE FROM showroom.service_trail WHERE order_id = %s', :a));
SELECT 'truncate' AS "case", pg_temp.try('TRUNCATE showroom.service_trail');
SELECT 'after refusals' AS "case", count(*) AS rows, count(note) AS notes FROM showroom.service_trail;

-- A superuser can bypass the triggers; verification then names the first
-- broken link.  Edit row 2's note: row 2's own hash no longer matches.
SET session_replication_role = replica;
UPDATE showroom.service_trail SET note = 'edited' WHERE order_id = :a AND seq = 2;
SET session_replication_role = origin;
SELECT 'edited note' AS "case", v.ok, v.rows_checked, v.broken_seq,
       v.broken_id = t.id AS names_row, v.problem
  FROM showroom.verify_trail(:a) v
  JOIN showroom.service_trail t ON t.order_id = :a AND t.seq = 2;
SELECT 'broken_trails' AS "case", order_id = :a AS this_order, broken_seq, problem
  FROM showroom.broken_trails();

-- Re-hashing the edited row to hide the edit breaks the next link instead.
SET session_replication_role = replica;
UPDATE showroom.service_trail t SET hash = showroom.trail_hash(t) WHERE order_id = :a AND seq = 2;
SET session_replication_role = origin;
SELECT 'rehashed' AS "case", ok, broken_seq, problem FROM showroom.verify_trail(:a);

-- Deleting a row leaves a gap the verification reports.
SET session_replication_role = replica;
DELETE FROM showroom.service_trail WHERE order_id = :a AND seq = 3;
SET session_replication_role = origin;
SELECT 'deleted row' AS "case", ok, broken_seq, broken_id, problem FROM showroom.verify_trail(:a);

-- The administrator edits the workflow.  Let accepted go straight to done
-- for members of a role of our own, withdraw the shipped leave move, and
-- put it back.
-- The movers are outlet staff, as in a real chain: members of
-- showroom_outlet (which may run move_order()) mapped to the order's
-- outlet; only wf_mover is also in wf_crew.  wf_nobody is in no group.
CREATE ROLE wf_crew NOLOGIN;
CREATE ROLE wf_mover NOLOGIN IN ROLE wf_crew, showroom_outlet;
CREATE ROLE wf_other NOLOGIN IN ROLE showroom_outlet;
CREATE ROLE wf_nobody NOLOGIN;
SELECT showroom.map_login('wf_mover', outlet_id => 1) > 0 AS mover_mapped,
       showroom.map_login('wf_other', outlet_id => 1) > 0 AS other_mapped;

SELECT 'set' AS "case", showroom.set_transition('accepted', 'done', 'quick finish', '{wf_crew}',
                                                '{result_code}', ':kind.result');
SELECT 'drop shipped' AS "case", showroom.drop_transition('accepted', 'on_the_way');
SELECT 'in force from accepted' AS "case", showroom.allowed_moves('accepted');
SELECT 'rows' AS "case", from_state, to_state, builtin, enabled, roles
  FROM showroom.service_transition WHERE from_state = 'accepted' ORDER BY to_state, builtin;

SELECT 'no outlet' AS "case",
       pg_temp.try(format('UPDATE showroom.service_order SET state = %L WHERE id = %s', 'dispatched', :b));
UPDATE showroom.service_order SET outlet_id = 1 WHERE id = :b;
SELECT (showroom.move_order(:b, 'dispatched')).seq AS dispatched,
       (showroom.move_order(:b, 'accepted')).seq AS accepted;
SELECT 'withdrawn move' AS "case", pg_temp.try(format('SELECT showroom.move_order(%s, %L)', :b, 'on_the_way'));

-- A role in no group role may not even call move_order().  An outlet's
-- role that is not in wf_crew may call it, and the workflow's own check
-- refuses the move; a member of wf_crew may make it.  set_transition()
-- is the administrator's only, so the outlet's role meets the grants
-- before require_workflow_admin() could refuse it.
SET ROLE wf_nobody;
SELECT 'no group' AS "case", pg_temp.try(format('SELECT showroom.move_order(%s, %L, %L)', :b, 'done', 'installation.result.installed'));
RESET ROLE;
SET ROLE wf_other;
SELECT 'other role' AS "case", pg_temp.try(format('SELECT showroom.move_order(%s, %L, %L)', :b, 'done', 'installation.result.installed'));
SELECT 'other role, shipped move' AS "case", pg_temp.try(format('SELECT showroom.move_order(%s, %L, %L)', :b, 'cancelled', 'cancel.customer'));
SELECT 'not admin' AS "case", pg_temp.try($$SELECT showroom.set_transition('done', 'closed', 'x', '{}')$$);
RESET ROLE;
SET ROLE wf_mover;
SELECT 'member' AS "case", to_state, db_role FROM showroom.move_order(:b, 'done', 'installation.result.installed');
RESET ROLE;

-- Memberships granted and revoked in the session are seen by the next
-- move (the trigger keeps no stale copy): wf_other, given wf_crew, may
-- make the crew's move; once it is taken back, it may not.
SELECT showroom.request_service('installation', 113.58, 37.86, '2026-12-05',
                                category => 'air_conditioner') AS c \gset
UPDATE showroom.service_order SET outlet_id = 1, state = 'dispatched' WHERE id = :c;
SELECT (showroom.move_order(:c, 'accepted')).seq AS c_accepted;
GRANT wf_crew TO wf_other;
SET ROLE wf_other;
SELECT 'granted' AS "case", to_state, db_role FROM showroom.move_order(:c, 'done', 'installation.result.installed');
RESET ROLE;
REVOKE wf_crew FROM wf_other;
UPDATE showroom.service_order SET state = 'return_visit' WHERE id = :c;
SELECT showroom.set_transition('return_visit', 'closed', 'crew close', '{wf_crew}') IS NOT NULL AS crew_close;
SET ROLE wf_other;
SELECT 'revoked' AS "case", pg_temp.try(format('SELECT showroom.move_order(%s, %L)', :c, 'closed'));
RESET ROLE;
SELECT 'c stays' AS "case", state FROM showroom.service_order WHERE id = :c;
SELECT showroom.reset_transition('return_visit', 'closed') IS NOT NULL AS reset;
SELECT 'trail of b' AS "case", seq, from_state, to_state, db_role FROM showroom.service_trail
 WHERE order_id = :b ORDER BY seq;
SELECT 'b verifies' AS "case", ok, rows_checked FROM showroom.verify_trail(:b);

-- Bad definitions are refused; reset puts the shipped move back.
SELECT 'unknown state' AS "case", pg_temp.try($$SELECT showroom.set_transition('accepted', 'lost', 'x', '{}')$$);
SELECT 'same state' AS "case", pg_temp.try($$SELECT showroom.set_transition('done', 'done', 'x', '{}')$$);
SELECT 'bad requirement' AS "case", pg_temp.try($$SELECT showroom.set_transition('done', 'closed', 'x', '{}', '{signature}')$$);
SELECT 'bad branch' AS "case", pg_temp.try($$SELECT showroom.set_transition('done', 'closed', 'x', '{}', '{}', 'nowhere')$$);
SELECT 'null roles' AS "case", pg_temp.try($$SELECT showroom.set_transition('done', 'closed', 'x', NULL)$$);
SELECT 'drop missing' AS "case", pg_temp.try($$SELECT showroom.drop_transition('done', 'accepted')$$);
SELECT 'reset' AS "case", showroom.reset_transition('accepted', 'on_the_way'),
       showroom.reset_transition('accepted', 'on_the_way') AS again;
SELECT 'drop own' AS "case", showroom.drop_transition('accepted', 'done');
SELECT 'back to shipped' AS "case", showroom.allowed_moves('accepted');
SELECT 'admin rows left' AS "case", count(*) FROM showroom.service_transition WHERE NOT builtin;

SELECT showroom.unmap_login('wf_mover') + showroom.unmap_login('wf_other') AS unmapped;
DROP ROLE wf_mover, wf_other, wf_nobody, wf_crew;

-- One statement moving many orders leaves one chained row per order.
SELECT array_agg(showroom.request_service('installation', 113.58, 37.86, '2026-12-05',
                                          category => 'air_conditioner')) AS many
  FROM generate_series(1, 5) \gset
UPDATE showroom.service_order SET outlet_id = 1, state = 'dispatched'
 WHERE id = ANY (:'many'::bigint[]);
SELECT set_config('showroom.move_result', 'cancel.customer', false) IS NOT NULL AS result_set;
UPDATE showroom.service_order SET state = 'cancelled'
 WHERE id = ANY (:'many'::bigint[]);
SELECT set_config('showroom.move_result', '', false) IS NOT NULL AS result_reset;
SELECT 'many' AS "case", count(*) AS orders, bool_and(v.ok) AS all_verify,
       sum(v.rows_checked) AS rows_checked,
       (SELECT count(*) FROM showroom.service_trail t
         WHERE t.order_id = ANY (:'many'::bigint[])) AS trail_rows
  FROM unnest(:'many'::bigint[]) o (id),
       LATERAL showroom.verify_trail(o.id) v;

-- The transition in force is read once per statement, never longer: within
-- one DO block (one statement for the client), a move made, the move
-- withdrawn, then the same move refused, then allowed again once reset.
SELECT array_agg(showroom.request_service('installation', 113.58, 37.86, '2026-12-05',
                                          category => 'air_conditioner')) AS pair
  FROM generate_series(1, 2) \gset
SELECT set_config('wf.pair', :'pair', false) IS NOT NULL AS pair_set;
DO $$
DECLARE
  pair bigint[] := current_setting('wf.pair')::bigint[];
BEGIN
  UPDATE showroom.service_order SET outlet_id = 1, state = 'dispatched' WHERE id = pair[1];
  PERFORM showroom.drop_transition('requested', 'dispatched');
  BEGIN
    UPDATE showroom.service_order SET outlet_id = 1, state = 'dispatched' WHERE id = pair[2];
    RAISE NOTICE 'withdrawn move made';
  EXCEPTION WHEN SQLSTATE 'SR402' THEN
    RAISE NOTICE 'withdrawn move refused: %', SQLERRM;
  END;
  PERFORM showroom.reset_transition('requested', 'dispatched');
  UPDATE showroom.service_order SET outlet_id = 1, state = 'dispatched' WHERE id = pair[2];
END
$$;
SELECT 'one statement' AS "case", o.id = (:'pair'::bigint[])[1] AS first, o.state,
       (SELECT count(*) FROM showroom.service_trail t WHERE t.order_id = o.id) AS trail_rows
  FROM showroom.service_order o WHERE o.id = ANY (:'pair'::bigint[]) ORDER BY o.id;
