-- security_grants: rules every object of the schema must follow, checked
-- on the catalog, so that they hold for the tables, views and functions
-- that later rooms add too.  The view "problem" lists every breach; none
-- is expected.  A second run breaks each rule on purpose, in a
-- transaction that is rolled back, to prove that each check can fail.
\i test/helpers.sql

CREATE TEMP VIEW our_role (name) AS
  VALUES ('showroom_admin'::name), ('showroom_clerk'), ('showroom_dc'),
         ('showroom_dispatcher'), ('showroom_outlet'), ('showroom_finance'),
         ('showroom_reporting');
CREATE TEMP VIEW command (cmd, privilege) AS
  VALUES ('r'::"char", 'SELECT'), ('a', 'INSERT'), ('w', 'UPDATE'), ('d', 'DELETE');
-- may(role, table, privilege): on the table or, but for DELETE, on a column.
CREATE FUNCTION pg_temp.may(r name, t oid, priv text) RETURNS boolean LANGUAGE sql
  RETURN CASE WHEN priv = 'DELETE' THEN has_table_privilege(r, t, priv)
              ELSE has_any_column_privilege(r, t, priv) END;

-- Every privilege on the schema and its objects, one row per grantee
-- (0 is PUBLIC), leaving out the owner's own.
CREATE TEMP VIEW grant_fact AS
SELECT 'schema' AS kind, n.nspname::text AS object, a.grantee, a.privilege_type
  FROM pg_namespace n, aclexplode(n.nspacl) a
 WHERE n.nspname = 'showroom' AND a.grantee <> n.nspowner
UNION ALL
SELECT CASE WHEN c.relkind IN ('v', 'm') THEN 'view'
            WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END,
       c.oid::regclass::text, a.grantee, a.privilege_type
  FROM pg_class c, aclexplode(c.relacl) a
 WHERE c.relnamespace = 'showroom'::regnamespace AND a.grantee <> c.relowner
UNION ALL
SELECT 'column', format('%s.%s', c.oid::regclass, at.attname), a.grantee, a.privilege_type
  FROM pg_class c JOIN pg_attribute at ON at.attrelid = c.oid,
       aclexplode(at.attacl) a
 WHERE c.relnamespace = 'showroom'::regnamespace AND a.grantee <> c.relowner
UNION ALL
SELECT 'function', p.oid::regprocedure::text, a.grantee, a.privilege_type
  FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
 WHERE p.pronamespace = 'showroom'::regnamespace AND a.grantee <> p.proowner;

CREATE TEMP VIEW problem (problem, object, detail) AS
-- Nothing for PUBLIC: functions are created executable by PUBLIC, and
-- roles.sql revokes that from each.
SELECT 'granted to PUBLIC', object, privilege_type
  FROM grant_fact WHERE grantee = 0
UNION ALL
-- Nothing for a role but the seven: a grant to a person's login belongs
-- to the DBA, not to the install script.
SELECT 'granted to a foreign role', object, grantee::regrole || ' ' || privilege_type
  FROM grant_fact
 WHERE grantee <> 0 AND grantee::regrole::name NOT IN (SELECT name FROM our_role)
UNION ALL
-- No one creates in the schema; no one may TRUNCATE, which skips
-- row-level security, or hold REFERENCES or TRIGGER.
SELECT 'privilege no role needs', object, grantee::regrole || ' ' || privilege_type
  FROM grant_fact
 WHERE privilege_type IN ('CREATE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')
UNION ALL
-- Reporting reads views and nothing else: no table, sequence or function.
SELECT 'reporting beyond views', object, privilege_type
  FROM grant_fact
 WHERE grantee = (SELECT oid FROM pg_roles WHERE rolname = 'showroom_reporting')
   AND NOT (kind = 'view' AND privilege_type = 'SELECT')
   AND NOT (kind = 'schema' AND privilege_type = 'USAGE')
UNION ALL
-- A view reads its tables with its owner's rights, past every policy; so
-- a role that policies limit may have a view only if the view runs as
-- the reader (security_invoker).
SELECT 'view past the policies', c.oid::regclass::text, r.name
  FROM pg_class c, our_role r
 WHERE c.relnamespace = 'showroom'::regnamespace AND c.relkind IN ('v', 'm')
   AND r.name NOT IN ('showroom_admin', 'showroom_reporting')
   AND has_table_privilege(r.name, c.oid, 'SELECT')
   AND NOT coalesce(c.reloptions @> '{security_invoker=true}', false)
UNION ALL
-- A security_invoker view reads its tables as the reader: each role it
-- is granted to may read every table and view it reads (else the view
-- fails for that role: a grant that only looks useful).
SELECT DISTINCT 'invoker view reads what its role cannot', v.oid::regclass::text,
       r.name || ' ' || d.refobjid::regclass
  FROM pg_class v
  JOIN pg_rewrite rw ON rw.ev_class = v.oid
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> v.oid,
       our_role r
 WHERE v.relnamespace = 'showroom'::regnamespace AND v.relkind = 'v'
   AND v.reloptions @> '{security_invoker=true}'
   AND has_table_privilege(r.name, v.oid, 'SELECT')
   AND NOT has_any_column_privilege(r.name, d.refobjid, 'SELECT')
UNION ALL
-- Every table has row-level security switched on.
SELECT 'no row-level security', c.oid::regclass::text, ''
  FROM pg_class c
 WHERE c.relnamespace = 'showroom'::regnamespace AND c.relkind IN ('r', 'p', 'f')
   AND NOT c.relrowsecurity
UNION ALL
-- A role allowed a command on a table has a policy for it (else the
-- grant shows no row: a mistake) ...
SELECT 'grant without policy', c.oid::regclass::text, r.name || ' ' || k.privilege
  FROM pg_class c, our_role r, command k
 WHERE c.relnamespace = 'showroom'::regnamespace AND c.relkind IN ('r', 'p', 'f')
   AND pg_temp.may(r.name, c.oid, k.privilege)
   AND NOT EXISTS (SELECT 1 FROM pg_policy p
                    WHERE p.polrelid = c.oid AND p.polcmd IN (k.cmd, '*')
                      AND (r.name::regrole = ANY (p.polroles) OR 0 = ANY (p.polroles)))
UNION ALL
-- ... and a policy is for roles allowed its command (else it is dead, or
-- it is for PUBLIC).
SELECT 'policy without grant', p.polrelid::regclass::text,
       p.polname || ' ' || coalesce(nullif(rr, 0)::regrole::text, 'PUBLIC')
  FROM pg_policy p, unnest(p.polroles) rr
 WHERE p.polrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'showroom'::regnamespace)
   AND (rr = 0 OR NOT EXISTS (SELECT 1 FROM command k
                               WHERE p.polcmd IN (k.cmd, '*')
                                 AND pg_temp.may(rr::regrole::name, p.polrelid, k.privilege)))
UNION ALL
-- A policy runs its functions as the reader: each role of a policy may
-- execute every function the policy calls.
SELECT DISTINCT 'policy calls what its role cannot', p.polrelid::regclass::text,
       p.polname || ' ' || rr::regrole || ' ' || d.refobjid::regprocedure
  FROM pg_policy p
  JOIN pg_depend d ON d.classid = 'pg_policy'::regclass AND d.objid = p.oid
                  AND d.refclassid = 'pg_proc'::regclass,
       unnest(p.polroles) rr
 WHERE p.polrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'showroom'::regnamespace)
   AND rr <> 0 AND NOT has_function_privilege(rr, d.refobjid, 'EXECUTE')
UNION ALL
-- A role that may INSERT into a table may use its serial key's sequence.
SELECT 'insert without its sequence', c.oid::regclass::text, r.name || ' ' || s.oid::regclass
  FROM pg_class c
  JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid
                  AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S',
       our_role r
 WHERE c.relnamespace = 'showroom'::regnamespace
   AND has_any_column_privilege(r.name, c.oid, 'INSERT')
   AND NOT has_sequence_privilege(r.name, s.oid, 'USAGE')
UNION ALL
-- A SECURITY DEFINER function pins search_path and is not PUBLIC's.
SELECT 'unsafe SECURITY DEFINER', p.oid::regprocedure::text, ''
  FROM pg_proc p
 WHERE p.pronamespace = 'showroom'::regnamespace AND p.prosecdef
   AND (NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
        OR has_function_privilege('public', p.oid, 'EXECUTE'))
UNION ALL
-- The administrator reads every table and view and runs every function;
-- every role may use the schema.
SELECT 'administrator cannot read', c.oid::regclass::text, ''
  FROM pg_class c
 WHERE c.relnamespace = 'showroom'::regnamespace AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
   AND NOT has_table_privilege('showroom_admin', c.oid, 'SELECT')
UNION ALL
SELECT 'administrator cannot run', p.oid::regprocedure::text, ''
  FROM pg_proc p
 WHERE p.pronamespace = 'showroom'::regnamespace
   AND NOT has_function_privilege('showroom_admin', p.oid, 'EXECUTE')
UNION ALL
SELECT 'role without the schema', r.name, ''
  FROM our_role r WHERE NOT has_schema_privilege(r.name, 'showroom', 'USAGE');

-- As installed: no problem.
SELECT * FROM problem ORDER BY 1, 2, 3;

-- Proof that the checks above are live (the policy check reads
-- pg_depend, which must record what policies call).
SELECT 'policies calling functions' AS "case", count(DISTINCT d.objid) > 0 AS recorded
  FROM pg_depend d
 WHERE d.classid = 'pg_policy'::regclass AND d.refclassid = 'pg_proc'::regclass;

-- Each rule broken once, then rolled back: every breach is listed.
BEGIN;
GRANT SELECT ON showroom.sku TO PUBLIC;
GRANT EXECUTE ON FUNCTION showroom.set_setting(text, text) TO PUBLIC;
CREATE ROLE sr_grants_someone;
GRANT SELECT ON showroom.dc TO sr_grants_someone;
GRANT TRUNCATE ON showroom.sales_line TO showroom_admin;
GRANT CREATE ON SCHEMA showroom TO showroom_dispatcher;
GRANT EXECUTE ON FUNCTION showroom.business_date(timestamptz) TO showroom_reporting;
GRANT SELECT ON showroom.settings TO showroom_clerk;
ALTER TABLE showroom.staff_login DISABLE ROW LEVEL SECURITY;
GRANT DELETE ON showroom.store TO showroom_finance;
CREATE POLICY dead ON showroom.outlet FOR UPDATE TO showroom_clerk USING (true);
CREATE POLICY for_all ON showroom.dc FOR SELECT USING (true);
REVOKE EXECUTE ON FUNCTION showroom.my_outlet_ids() FROM showroom_outlet;
GRANT INSERT ON showroom.sku TO showroom_finance;
CREATE POLICY fin_insert ON showroom.sku FOR INSERT TO showroom_finance WITH CHECK (true);
CREATE FUNCTION showroom.sr_grants_definer() RETURNS int LANGUAGE sql SECURITY DEFINER RETURN 1;
REVOKE SELECT ON showroom.settings FROM showroom_admin;
REVOKE USAGE ON SCHEMA showroom FROM showroom_finance;
GRANT SELECT ON showroom.my_stock_position TO showroom_outlet;
GRANT SELECT ON showroom.my_sales_daily TO showroom_reporting;
SELECT * FROM problem ORDER BY 1, 2, 3;
ROLLBACK;

SELECT 'after rollback' AS "case", count(*) AS problems FROM problem;
