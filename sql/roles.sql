-- roles: the group roles exist as promised, the administrator's map from
-- logins to places, and the functions that read it.
\i test/helpers.sql

-- The seven group roles: no login, no bypass of row-level security, and a
-- comment each.  CREATE EXTENSION made them or found them.
SELECT rolname, rolcanlogin, rolsuper, rolbypassrls, rolcreaterole,
       shobj_description(oid, 'pg_authid') IS NOT NULL AS has_comment
  FROM pg_roles WHERE rolname LIKE 'showroom\_%' ORDER BY rolname;

-- Installing again (here: again in the same database, as in a second
-- database of the server) finds them and creates nothing.
SET client_min_messages = warning;
DROP EXTENSION showroom;
SELECT 'roles after drop' AS "case", count(*) FROM pg_roles WHERE rolname LIKE 'showroom\_%';
CREATE EXTENSION showroom;
RESET client_min_messages;
SELECT 'roles after reinstall' AS "case", count(*) FROM pg_roles WHERE rolname LIKE 'showroom\_%';

-- A group role that bypasses row-level security is refused, and the
-- extension is not installed.
ALTER ROLE showroom_finance BYPASSRLS;
DROP EXTENSION showroom;
SELECT 'bypassrls role' AS "case", pg_temp.try($$CREATE EXTENSION showroom$$);
SELECT 'installed' AS "case", count(*) FROM pg_extension WHERE extname = 'showroom';
ALTER ROLE showroom_finance NOBYPASSRLS;
CREATE EXTENSION showroom;

-- Places and logins to map.
INSERT INTO showroom.dc (code, name, location)
VALUES ('DC1', 'first DC', 'SRID=4326;POINT(113.58 37.86)'),
       ('DC2', 'second DC', 'SRID=4326;POINT(112.55 37.87)');
INSERT INTO showroom.store (code, name, location, home_dc_id)
VALUES ('S1', 'store one', 'SRID=4326;POINT(113.60 37.85)', 1),
       ('S2', 'store two', 'SRID=4326;POINT(113.55 37.87)', 1);
INSERT INTO showroom.outlet (code, name, base)
VALUES ('O1', 'outlet one', 'SRID=4326;POINT(113.59 37.87)');
DROP ROLE IF EXISTS sr_roles_wang;
CREATE ROLE sr_roles_wang LOGIN IN ROLE showroom_clerk;

-- map_login: a store, a second store, a repeat (same id back), a DC and
-- an outlet for the same login.
SELECT 'store 1' AS "case", showroom.map_login('sr_roles_wang', store_id => 1);
SELECT 'store 2' AS "case", showroom.map_login('sr_roles_wang', store_id => 2);
SELECT 'repeat store 1' AS "case", showroom.map_login('sr_roles_wang', store_id => 1);
SELECT 'dc 2' AS "case", showroom.map_login('sr_roles_wang', dc_id => 2);
SELECT 'outlet 1' AS "case", showroom.map_login('sr_roles_wang', outlet_id => 1);
SELECT id, login, store_id, dc_id, outlet_id, mapped_by = current_user AS by_me
  FROM showroom.staff_login ORDER BY id;

-- Bad input: each refused with its code; nothing is written.
SELECT 'null login' AS "case", pg_temp.try($$SELECT showroom.map_login(NULL, store_id => 1)$$);
SELECT 'no place' AS "case", pg_temp.try($$SELECT showroom.map_login('sr_roles_wang')$$);
SELECT 'two places' AS "case", pg_temp.try($$SELECT showroom.map_login('sr_roles_wang', 1, 1)$$);
SELECT 'unknown login' AS "case", pg_temp.try($$SELECT showroom.map_login('sr_no_such_login', store_id => 1)$$);
SELECT 'group role' AS "case", pg_temp.try($$SELECT showroom.map_login('showroom_clerk', store_id => 1)$$);
SELECT 'unknown store' AS "case", pg_temp.try($$SELECT showroom.map_login('sr_roles_wang', store_id => 99)$$);
SELECT 'unknown dc' AS "case", pg_temp.try($$SELECT showroom.map_login('sr_roles_wang', dc_id => -1)$$);
SELECT 'unknown outlet' AS "case", pg_temp.try($$SELECT showroom.map_login('sr_roles_wang', outlet_id => 0)$$);
-- (Written directly, the table's own check refuses; the detail, which
-- shows the row with its timestamp, is cut off.)
SELECT 'direct, two places' AS "case", split_part(pg_temp.try(
         $$INSERT INTO showroom.staff_login (login, store_id, dc_id) VALUES ('x', 1, 1)$$), ' | ', 1);
SELECT 'direct, no place' AS "case", split_part(pg_temp.try(
         $$INSERT INTO showroom.staff_login (login) VALUES ('x')$$), ' | ', 1);
SELECT 'rows after errors' AS "case", count(*) FROM showroom.staff_login;

-- The helpers read the map of current_user: the superuser is mapped to
-- nothing; as the login, its places.
SELECT 'superuser' AS "case", showroom.my_store_ids(), showroom.my_dc_ids(), showroom.my_outlet_ids();
SET ROLE sr_roles_wang;
SELECT 'wang' AS "case", showroom.my_store_ids(), showroom.my_dc_ids(), showroom.my_outlet_ids();

-- require_*: passes for a mapped place, SR601 naming the mapped places
-- otherwise, 22004 for a NULL id.
SELECT 'require store 2' AS "case", showroom.require_store(2);
SELECT 'require dc 1' AS "case", pg_temp.try($$SELECT showroom.require_dc(1)$$);
SELECT 'require null store' AS "case", pg_temp.try($$SELECT showroom.require_store(NULL)$$);
SELECT 'require bad kind' AS "case", pg_temp.try($$SELECT showroom.require_place('shop', 1)$$);
RESET ROLE;
SELECT 'require as superuser' AS "case", showroom.require_store(99);

-- unmap_login: one place, a place not mapped (0), then all the rest.
SELECT 'unmap store 2' AS "case", showroom.unmap_login('sr_roles_wang', store_id => 2);
SELECT 'unmap store 2 again' AS "case", showroom.unmap_login('sr_roles_wang', store_id => 2);
SELECT 'unmap two places' AS "case", pg_temp.try($$SELECT showroom.unmap_login('sr_roles_wang', 1, 1)$$);
SELECT 'unmap null' AS "case", pg_temp.try($$SELECT showroom.unmap_login(NULL)$$);
SELECT 'unmap all' AS "case", showroom.unmap_login('sr_roles_wang');
SELECT 'rows left' AS "case", count(*) FROM showroom.staff_login;
SET ROLE sr_roles_wang;
SELECT 'require, unmapped' AS "case", pg_temp.try($$SELECT showroom.require_store(1)$$);
RESET ROLE;

DROP ROLE sr_roles_wang;
