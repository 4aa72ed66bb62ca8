
--
-- roles: group roles, the map from logins to the places they act for,
-- privileges and row-level security.
--
-- This room comes after every room that creates objects, so it sees every
-- table, view and function of the script.  It works in four steps:
--
--   1. create the seven group roles when they are missing.  Roles belong to
--      the whole server, not to a database, so they cannot be members of
--      the extension: DROP EXTENSION leaves them, and doc/security.md gives
--      the commands that remove them;
--   2. staff_login, the administrator's map from a login to the stores,
--      DCs and outlets it acts for, and the functions that read it;
--   3. the baseline, applied to every object of the schema by a loop over
--      the catalog, so that no object is forgotten: nothing for PUBLIC,
--      row-level security on every table, showroom_admin reads every table
--      and writes the rows pg_dump keeps, showroom_reporting reads every
--      view and nothing else;
--   4. one block per room: what each other role may do there, as explicit
--      GRANTs (which commands) and policies (which rows).
--
-- A later room adds its grants and policies as a new block in step 4 (see
-- doc/development.md, "Privileges and row-level security").
--

--
-- 1. The group roles.
--

-- Create each missing role NOLOGIN.  A role that already exists (created
-- by the extension in another database of this server, or by a DBA in
-- advance) is used as it is, unless it would bypass row-level security:
-- then every policy below would be void for its members, so refuse.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT v.name, v.purpose, a.oid AS existing, a.rolsuper, a.rolbypassrls
      FROM (VALUES
        ('showroom_admin', 'showroom: administers a chain (master data, logins map, settings); reads every table'),
        ('showroom_clerk', 'showroom: store clerk; sells for the stores its login is mapped to'),
        ('showroom_dc', 'showroom: DC staff; works the orders of the DCs its login is mapped to'),
        ('showroom_dispatcher', 'showroom: dispatcher; sees outlets and assigns service orders'),
        ('showroom_outlet', 'showroom: service outlet; sees and moves its own service orders'),
        ('showroom_finance', 'showroom: finance; reads orders and outlets, settles'),
        ('showroom_reporting', 'showroom: read-only reporting for BI tools; reads the views, no table')
      ) AS v(name, purpose)
      LEFT JOIN pg_catalog.pg_roles a ON a.rolname = v.name
  LOOP
    IF r.existing IS NULL THEN
      EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r.name);
      EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.name, r.purpose);
    ELSIF r.rolsuper OR r.rolbypassrls THEN
      RAISE EXCEPTION 'role "%" bypasses row-level security', r.name
        USING ERRCODE = 'SR603',
              DETAIL = pg_catalog.format('"%s" exists with %s.', r.name,
                         CASE WHEN r.rolsuper THEN 'SUPERUSER' ELSE 'BYPASSRLS' END),
              HINT = pg_catalog.format('Run ALTER ROLE %I NOSUPERUSER NOBYPASSRLS, then create the extension again.', r.name);
    END IF;
  END LOOP;
END
$$;

--
-- 2. Which login acts for which store, DC or outlet.
--

-- One row per login and place.  A login may act for several places (a
-- manager of two stores, an outlet's dispatcher for two outlets).  The
-- roles a login belongs to say what it may do; these rows say where.
CREATE TABLE showroom.staff_login (
  id        bigserial PRIMARY KEY,
  login     name NOT NULL,
  store_id  bigint REFERENCES showroom.store (id),
  dc_id     bigint REFERENCES showroom.dc (id),
  outlet_id bigint REFERENCES showroom.outlet (id),
  mapped_by name NOT NULL DEFAULT current_user,
  mapped_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT staff_login_one_place CHECK (num_nonnulls(store_id, dc_id, outlet_id) = 1),
  UNIQUE (login, store_id),
  UNIQUE (login, dc_id),
  UNIQUE (login, outlet_id)
);

CREATE INDEX staff_login_store_idx ON showroom.staff_login (store_id);
CREATE INDEX staff_login_dc_idx ON showroom.staff_login (dc_id);
CREATE INDEX staff_login_outlet_idx ON showroom.staff_login (outlet_id);

COMMENT ON TABLE showroom.staff_login IS
  'which login acts for which store, DC or outlet; kept by the administrator with map_login() and unmap_login()';
COMMENT ON COLUMN showroom.staff_login.id IS 'mapping id';
COMMENT ON COLUMN showroom.staff_login.login IS 'login (role name) of a person or an application';
COMMENT ON COLUMN showroom.staff_login.store_id IS 'store the login acts for, on a store row';
COMMENT ON COLUMN showroom.staff_login.dc_id IS 'DC the login acts for, on a DC row';
COMMENT ON COLUMN showroom.staff_login.outlet_id IS 'outlet the login acts for, on an outlet row';
COMMENT ON COLUMN showroom.staff_login.mapped_by IS 'role that made the mapping';
COMMENT ON COLUMN showroom.staff_login.mapped_at IS 'when the mapping was made';

SELECT pg_catalog.pg_extension_config_dump('showroom.staff_login', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.staff_login_id_seq', '');

-- The places the current role acts for.  They read staff_login as the
-- caller, whose policy shows it its own rows only, so they need no
-- SECURITY DEFINER.  "Current role" is current_user: the login, or the
-- role an application switched to with SET ROLE.  Policies call them in
-- a scalar subquery,
--   store_id = ANY ((SELECT showroom.my_store_ids())::bigint[]),
-- which runs once per statement instead of once per row (the cast keeps
-- ANY from reading the subquery as a list of rows).  They are PL/pgSQL
-- because it keeps its query plan for the session: a SQL function with a
-- pinned search_path plans its query again on every statement, which
-- cost a clerk's single-row read 41% of its speed instead of 14%
-- (bench/rls.sh, doc/benchmarks.md).
CREATE FUNCTION showroom.my_store_ids()
RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(m.store_id ORDER BY m.store_id), '{}')
            FROM showroom.staff_login m
           WHERE m.login = current_user AND m.store_id IS NOT NULL);
END
$$;

COMMENT ON FUNCTION showroom.my_store_ids() IS
  'ids of the stores the current role is mapped to (empty when none)';

CREATE FUNCTION showroom.my_dc_ids()
RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(m.dc_id ORDER BY m.dc_id), '{}')
            FROM showroom.staff_login m
           WHERE m.login = current_user AND m.dc_id IS NOT NULL);
END
$$;

COMMENT ON FUNCTION showroom.my_dc_ids() IS
  'ids of the DCs the current role is mapped to (empty when none)';

CREATE FUNCTION showroom.my_outlet_ids()
RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(m.outlet_id ORDER BY m.outlet_id), '{}')
            FROM showroom.staff_login m
           WHERE m.login = current_user AND m.outlet_id IS NOT NULL);
END
$$;

COMMENT ON FUNCTION showroom.my_outlet_ids() IS
  'ids of the outlets the current role is mapped to (empty when none)';

-- require_place: raise SR601 unless the current role may act for the
-- place of this kind ('store', 'dc' or 'outlet'): it is mapped to it, or
-- it administers (a member of showroom_admin, or a superuser).  API
-- functions call the require_* wrappers below before they write, so that
-- a clerk gets a clear error instead of a bare policy violation.  Returns
-- the id, so it can be used inline.
CREATE FUNCTION showroom.require_place(kind text, place_id bigint)
RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  mine bigint[];
BEGIN
  mine := CASE kind WHEN 'store' THEN showroom.my_store_ids()
                    WHEN 'dc' THEN showroom.my_dc_ids()
                    WHEN 'outlet' THEN showroom.my_outlet_ids() END;
  IF mine IS NULL THEN
    RAISE EXCEPTION 'unknown kind of place "%"', kind
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The kinds are store, dc and outlet.';
  END IF;
  IF place_id IS NULL THEN
    RAISE EXCEPTION '% id must not be null', kind
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF place_id = ANY (mine)
     OR pg_has_role(current_user, 'showroom_admin', 'USAGE')
     OR (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user) THEN
    RETURN place_id;
  END IF;
  RAISE EXCEPTION 'role "%" does not act for % %', current_user, kind, place_id
    USING ERRCODE = 'SR601',
          DETAIL = format('"%s" acts for %s.', current_user,
                          CASE WHEN cardinality(mine) = 0 THEN 'no ' || kind
                               ELSE kind || ' ' || array_to_string(mine, ', ') || ' only' END),
          HINT = format('An administrator maps a login with showroom.map_login(%L, %s_id => %s).',
                        current_user, kind, place_id);
END
$$;

COMMENT ON FUNCTION showroom.require_place(text, bigint) IS
  'raise SR601 unless the current role acts for the store, dc or outlet of this id or administers; returns the id';

CREATE FUNCTION showroom.require_store(store_id bigint)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN showroom.require_place('store', store_id);

COMMENT ON FUNCTION showroom.require_store(bigint) IS
  'raise SR601 unless the current role acts for this store; returns the id';

CREATE FUNCTION showroom.require_dc(dc_id bigint)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN showroom.require_place('dc', dc_id);

COMMENT ON FUNCTION showroom.require_dc(bigint) IS
  'raise SR601 unless the current role acts for this DC; returns the id';

CREATE FUNCTION showroom.require_outlet(outlet_id bigint)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN showroom.require_place('outlet', outlet_id);

COMMENT ON FUNCTION showroom.require_outlet(bigint) IS
  'raise SR601 unless the current role acts for this outlet; returns the id';

-- map_login: let a login act for one store, DC or outlet (name exactly
-- one).  Mapping the same place twice is not an error: the existing
-- mapping's id comes back.
CREATE FUNCTION showroom.map_login(login name, store_id bigint DEFAULT NULL,
                                   dc_id bigint DEFAULT NULL,
                                   outlet_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  result bigint;
BEGIN
  IF login IS NULL THEN
    RAISE EXCEPTION 'login must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF num_nonnulls(store_id, dc_id, outlet_id) <> 1 THEN
    RAISE EXCEPTION 'name exactly one place for login "%"', login
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = format('store_id = %s, dc_id = %s, outlet_id = %s.',
                            coalesce(store_id::text, 'NULL'), coalesce(dc_id::text, 'NULL'),
                            coalesce(outlet_id::text, 'NULL')),
            HINT = 'Call it once per place, for example map_login(''wang'', store_id => 3).';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = login) THEN
    RAISE EXCEPTION 'unknown login "%"', login
      USING ERRCODE = 'SR602',
            DETAIL = format('No role "%s" exists on this server.', login),
            HINT = format('A DBA creates it first: CREATE ROLE %I LOGIN IN ROLE showroom_clerk (or the group it belongs to).', login);
  END IF;
  IF login IN ('showroom_admin', 'showroom_clerk', 'showroom_dc', 'showroom_dispatcher',
               'showroom_outlet', 'showroom_finance', 'showroom_reporting') THEN
    RAISE EXCEPTION 'login "%" is a group role of showroom', login
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'Every member of a group role could act for the place with SET ROLE.',
            HINT = 'Map the login of a person or an application instead.';
  END IF;
  IF store_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM showroom.store s WHERE s.id = store_id) THEN
    RAISE EXCEPTION 'unknown store %', store_id
      USING ERRCODE = 'SR102', DETAIL = format('No store has id %s.', store_id);
  END IF;
  IF dc_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM showroom.dc d WHERE d.id = dc_id) THEN
    RAISE EXCEPTION 'unknown DC %', dc_id
      USING ERRCODE = 'SR105', DETAIL = format('No DC has id %s.', dc_id);
  END IF;
  IF outlet_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM showroom.outlet o WHERE o.id = outlet_id) THEN
    RAISE EXCEPTION 'unknown outlet %', outlet_id
      USING ERRCODE = 'SR201', DETAIL = format('No outlet has id %s.', outlet_id);
  END IF;

  INSERT INTO showroom.staff_login AS m (login, store_id, dc_id, outlet_id)
  VALUES (login, store_id, dc_id, outlet_id)
  ON CONFLICT DO NOTHING
  RETURNING m.id INTO result;
  IF result IS NULL THEN
    SELECT m.id INTO STRICT result
      FROM showroom.staff_login m
     WHERE m.login = map_login.login
       AND m.store_id IS NOT DISTINCT FROM map_login.store_id
       AND m.dc_id IS NOT DISTINCT FROM map_login.dc_id
       AND m.outlet_id IS NOT DISTINCT FROM map_login.outlet_id;
  END IF;
  RETURN result;
END
$$;

COMMENT ON FUNCTION showroom.map_login(name, bigint, bigint, bigint) IS
  'let a login act for one store, DC or outlet; returns the mapping id (the existing one on a repeat)';

-- unmap_login: remove a login's mapping to one place, or every mapping of
-- the login when no place is named.  Returns how many were removed.
CREATE FUNCTION showroom.unmap_login(login name, store_id bigint DEFAULT NULL,
                                     dc_id bigint DEFAULT NULL,
                                     outlet_id bigint DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  removed integer;
BEGIN
  IF login IS NULL THEN
    RAISE EXCEPTION 'login must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF num_nonnulls(store_id, dc_id, outlet_id) > 1 THEN
    RAISE EXCEPTION 'name at most one place for login "%"', login
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = format('store_id = %s, dc_id = %s, outlet_id = %s.',
                            coalesce(store_id::text, 'NULL'), coalesce(dc_id::text, 'NULL'),
                            coalesce(outlet_id::text, 'NULL'));
  END IF;
  DELETE FROM showroom.staff_login m
   WHERE m.login = unmap_login.login
     AND (unmap_login.store_id IS NULL OR m.store_id = unmap_login.store_id)
     AND (unmap_login.dc_id IS NULL OR m.dc_id = unmap_login.dc_id)
     AND (unmap_login.outlet_id IS NULL OR m.outlet_id = unmap_login.outlet_id);
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END
$$;

COMMENT ON FUNCTION showroom.unmap_login(name, bigint, bigint, bigint) IS
  'remove a login''s mapping to one place, or all its mappings when no place is named; returns the count removed';

--
-- 3. The baseline for every object of the schema.
--

REVOKE ALL ON SCHEMA showroom FROM PUBLIC;
GRANT USAGE ON SCHEMA showroom TO showroom_admin, showroom_clerk, showroom_dc,
  showroom_dispatcher, showroom_outlet, showroom_finance, showroom_reporting;

-- For every relation and function of the schema: take PUBLIC's rights
-- away; switch row-level security on for every table; give
-- showroom_admin SELECT on every table, and INSERT, UPDATE and DELETE on
-- the tables pg_dump keeps, limited by policy to the rows it keeps (so an
-- administrator's change is never lost by a restore; the tables and rows
-- the extension seeds stay read-only); give showroom_reporting and
-- showroom_admin SELECT on every view, but a security_invoker view to
-- showroom_admin only (it reads its tables as the reader, and reporting
-- reads no table).  TRUNCATE goes to no one: it would skip row-level
-- security.
DO $$
DECLARE
  rel record;
  fn regprocedure;
BEGIN
  FOR rel IN
    SELECT c.oid::regclass AS name, c.relkind,
           c.oid = ANY (e.extconfig) AS dumped,
           coalesce(c.reloptions @> '{security_invoker=true}', false) AS invoker,
           nullif(regexp_replace(e.extcondition[array_position(e.extconfig, c.oid)],
                                 '^\s*WHERE\s+', '', 'i'), '') AS kept_rows
      FROM pg_catalog.pg_class c,
           pg_catalog.pg_extension e
     WHERE c.relnamespace = 'showroom'::regnamespace
       AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND e.extname = 'showroom'
     ORDER BY c.relname
  LOOP
    EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', rel.name);
    IF rel.relkind IN ('r', 'p', 'f') THEN
      EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', rel.name);
      EXECUTE format('GRANT SELECT ON %s TO showroom_admin', rel.name);
      EXECUTE format('CREATE POLICY admin_read ON %s FOR SELECT TO showroom_admin USING (true)',
                     rel.name);
      IF rel.dumped THEN
        EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %s TO showroom_admin', rel.name);
        EXECUTE format('CREATE POLICY admin_write ON %s FOR ALL TO showroom_admin USING (%s) WITH CHECK (%s)',
                       rel.name, coalesce(rel.kept_rows, 'true'), coalesce(rel.kept_rows, 'true'));
      END IF;
    ELSIF rel.relkind IN ('v', 'm') AND rel.invoker THEN
      EXECUTE format('GRANT SELECT ON %s TO showroom_admin', rel.name);
    ELSIF rel.relkind IN ('v', 'm') THEN
      EXECUTE format('GRANT SELECT ON %s TO showroom_admin, showroom_reporting', rel.name);
    ELSIF rel.relkind = 'S' THEN
      EXECUTE format('GRANT USAGE, SELECT ON %s TO showroom_admin', rel.name);
    END IF;
  END LOOP;

  FOR fn IN
    SELECT p.oid FROM pg_catalog.pg_proc p
     WHERE p.pronamespace = 'showroom'::regnamespace
     ORDER BY p.oid::regprocedure::text
  LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO showroom_admin', fn);
  END LOOP;
END
$$;

--
-- 4. Per room: what the other roles may do.  GRANTs say which commands a
-- role may run on a table; policies say on which rows.  A policy names
-- the roles it is for, so each role sees the union of its own policies
-- and nothing through another's.  Views are for showroom_reporting and
-- showroom_admin only (step 3): a view reads its tables with its owner's
-- rights, past every policy, so granting one to a row-limited role would
-- show it every row.  The exception are security_invoker views (the
-- reports' my_ copies): they read as the reader, under its policies, and
-- a room grants them to the parties they are for.
--

-- schema: settings.  Everyone reads them (business_date() needs them);
-- only the administrator changes them, through set_setting().
GRANT SELECT ON showroom.setting_default, showroom.setting TO showroom_clerk,
  showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance;
CREATE POLICY staff_read ON showroom.setting_default FOR SELECT
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance
  USING (true);
CREATE POLICY staff_read ON showroom.setting FOR SELECT
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance
  USING (true);
GRANT EXECUTE ON FUNCTION showroom.library_version(), showroom.setting_value(text),
  showroom.business_date(timestamptz), showroom.check_lonlat(double precision, double precision),
  showroom.check_range(text, numeric, numeric, numeric), showroom.check_day(text, date),
  showroom.check_time(text, timestamptz)
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance;

-- stock: the catalogue and the DCs are read by every working role.
GRANT SELECT ON showroom.category, showroom.sku, showroom.dc TO showroom_clerk,
  showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance;
CREATE POLICY staff_read ON showroom.category FOR SELECT
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance
  USING (true);
CREATE POLICY staff_read ON showroom.sku FOR SELECT
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance
  USING (true);
CREATE POLICY staff_read ON showroom.dc FOR SELECT
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance
  USING (true);

-- stock: stores.  A clerk sees its own; DC staff, dispatchers and
-- finance see them all; outlets none.
GRANT SELECT ON showroom.store TO showroom_clerk, showroom_dc,
  showroom_dispatcher, showroom_finance;
CREATE POLICY clerk_own ON showroom.store FOR SELECT TO showroom_clerk
  USING (id = ANY ((SELECT showroom.my_store_ids())::bigint[]));
CREATE POLICY staff_read ON showroom.store FOR SELECT
  TO showroom_dc, showroom_dispatcher, showroom_finance
  USING (true);

-- stock: sales orders.  A clerk records its own store's orders and
-- changes only what the stock API changes as the caller (the state of an
-- order, the cancelled and returned units of a line: sell, cancel_order,
-- return_goods); it cannot rewrite a customer, a price or a quantity, nor
-- move an order to another store.  DC staff see and advance the orders of
-- their DC; finance reads all.  No one deletes: an order is cancelled.
GRANT SELECT, INSERT, UPDATE (state) ON showroom.sales_order TO showroom_clerk;
GRANT SELECT, INSERT, UPDATE (cancelled_qty, returned_qty) ON showroom.sales_line
  TO showroom_clerk;
GRANT USAGE ON SEQUENCE showroom.sales_order_id_seq, showroom.sales_line_id_seq
  TO showroom_clerk;
GRANT SELECT, UPDATE (state) ON showroom.sales_order TO showroom_dc;
GRANT SELECT ON showroom.sales_line TO showroom_dc;
GRANT SELECT ON showroom.sales_order, showroom.sales_line TO showroom_finance;
CREATE POLICY clerk_own ON showroom.sales_order FOR ALL TO showroom_clerk
  USING (store_id = ANY ((SELECT showroom.my_store_ids())::bigint[]))
  WITH CHECK (store_id = ANY ((SELECT showroom.my_store_ids())::bigint[]));
CREATE POLICY dc_own ON showroom.sales_order FOR ALL TO showroom_dc
  USING (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]))
  WITH CHECK (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));
CREATE POLICY staff_read ON showroom.sales_order FOR SELECT TO showroom_finance
  USING (true);
-- A line follows its order: visible and writable to whoever's policies on
-- sales_order show the order (the subquery is itself under those policies).
CREATE POLICY by_order ON showroom.sales_line FOR ALL
  TO showroom_clerk, showroom_dc, showroom_finance
  USING (EXISTS (SELECT 1 FROM showroom.sales_order o WHERE o.id = sales_line.order_id))
  WITH CHECK (EXISTS (SELECT 1 FROM showroom.sales_order o WHERE o.id = sales_line.order_id));

-- stock: balances, the ledger, allocations, backorders, deliveries and
-- defects.  The stock API runs as the caller, so the roles that call it
-- hold the table rights it needs, and UPDATE only on the columns it
-- changes (the quantities of a balance, the open units of an allocation,
-- the waiting units of a backorder, the shipping time of a delivery).  A
-- clerk's sale allocates stock of any DC that covers the customer, so
-- clerks work on every DC's balances, but only on what is allocated: the
-- units on hand and the defective ones are the DC's; DC staff work on
-- their own DC's balances.
-- Finance reads the ledger.  The ledger is append-only (its trigger
-- refuses UPDATE and DELETE).
GRANT SELECT, UPDATE (allocated) ON showroom.stock_balance TO showroom_clerk;
GRANT SELECT, INSERT, UPDATE (on_hand, allocated, defective) ON showroom.stock_balance
  TO showroom_dc;
GRANT SELECT, INSERT, UPDATE (open_qty) ON showroom.allocation TO showroom_clerk, showroom_dc;
GRANT SELECT, INSERT, UPDATE (waiting_qty) ON showroom.backorder TO showroom_clerk, showroom_dc;
GRANT SELECT, INSERT ON showroom.stock_movement TO showroom_clerk, showroom_dc;
GRANT SELECT ON showroom.stock_movement TO showroom_finance;
GRANT SELECT, INSERT, UPDATE (shipped_at) ON showroom.delivery TO showroom_dc;
GRANT SELECT, INSERT ON showroom.defect TO showroom_dc;
GRANT UPDATE (delivered_qty, returned_qty) ON showroom.sales_line TO showroom_dc;
GRANT USAGE ON SEQUENCE showroom.stock_movement_id_seq, showroom.allocation_id_seq,
  showroom.backorder_id_seq TO showroom_clerk, showroom_dc;
GRANT USAGE ON SEQUENCE showroom.delivery_id_seq, showroom.defect_id_seq TO showroom_dc;
CREATE POLICY clerk_all ON showroom.stock_balance FOR ALL TO showroom_clerk
  USING (true) WITH CHECK (true);
CREATE POLICY dc_own ON showroom.stock_balance FOR ALL TO showroom_dc
  USING (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]))
  WITH CHECK (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));
CREATE POLICY clerk_all ON showroom.stock_movement FOR ALL TO showroom_clerk
  USING (true) WITH CHECK (true);
CREATE POLICY dc_own ON showroom.stock_movement FOR ALL TO showroom_dc
  USING (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]))
  WITH CHECK (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));
CREATE POLICY staff_read ON showroom.stock_movement FOR SELECT TO showroom_finance
  USING (true);
CREATE POLICY clerk_all ON showroom.allocation FOR ALL TO showroom_clerk
  USING (true) WITH CHECK (true);
CREATE POLICY dc_own ON showroom.allocation FOR ALL TO showroom_dc
  USING (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]))
  WITH CHECK (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));
CREATE POLICY clerk_all ON showroom.backorder FOR ALL TO showroom_clerk
  USING (true) WITH CHECK (true);
CREATE POLICY dc_own ON showroom.backorder FOR ALL TO showroom_dc
  USING (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]))
  WITH CHECK (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));
CREATE POLICY by_order ON showroom.delivery FOR ALL TO showroom_dc
  USING (EXISTS (SELECT 1 FROM showroom.sales_order o WHERE o.id = delivery.sales_order_id))
  WITH CHECK (EXISTS (SELECT 1 FROM showroom.sales_order o WHERE o.id = delivery.sales_order_id));
CREATE POLICY dc_own ON showroom.defect FOR ALL TO showroom_dc
  USING (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]))
  WITH CHECK (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));

-- stock: the API.  A clerk sells and cancels; DC staff receive, pick,
-- ship, deliver, take returns and report defects.  Each grant lists the
-- entry points first, then the helpers they call (EXECUTE is checked at
-- every call, so a helper is granted to whoever calls its caller).
GRANT EXECUTE ON FUNCTION showroom.sell(bigint, double precision, double precision,
    bigint[], integer[], bigint[], text, boolean, text, text, text, date, bigint, text),
  showroom.cancel_order(bigint, text)
  TO showroom_clerk;
GRANT EXECUTE ON FUNCTION showroom.return_goods(bigint, integer, boolean, text),
  showroom.check_qty(integer, text), showroom.lock_order(bigint),
  showroom.lock_line(bigint), showroom.order_state_error(showroom.sales_order, text, text),
  showroom.serve_backorders(bigint, bigint), showroom.take_stock(bigint, bigint, integer, bigint, bigint),
  showroom.check_dc_sku(bigint, bigint), showroom.ensure_slot0(bigint, bigint),
  showroom.dcs_covering(geometry), showroom.to_lonlat(geometry)
  TO showroom_clerk, showroom_dc;
GRANT EXECUTE ON FUNCTION showroom.receive_stock(bigint, bigint, integer, text),
  showroom.pick_order(bigint), showroom.ship_order(bigint),
  showroom.deliver(bigint, integer), showroom.deliver_order(bigint),
  showroom.report_defect(bigint, integer, text, bigint, text),
  showroom.consume(showroom.sales_line, integer, text, bigint, text),
  showroom.line_open_qty(bigint)
  TO showroom_dc;

-- samples: display samples, open-box sales and requests.  DC staff place
-- samples from their DC's stock in any store; a clerk requests samples
-- for its store and sells them open-box.
GRANT SELECT, UPDATE (state, ended_at) ON showroom.sample TO showroom_clerk;
GRANT SELECT, INSERT ON showroom.sample TO showroom_dc;
GRANT SELECT, INSERT ON showroom.open_box_sale TO showroom_clerk;
GRANT SELECT, INSERT ON showroom.sample_request TO showroom_clerk;
GRANT SELECT, INSERT, UPDATE (sample_id) ON showroom.sample_request TO showroom_dc;
GRANT USAGE ON SEQUENCE showroom.open_box_sale_id_seq, showroom.sample_request_id_seq
  TO showroom_clerk;
GRANT USAGE ON SEQUENCE showroom.sample_id_seq, showroom.sample_request_id_seq TO showroom_dc;
CREATE POLICY clerk_own ON showroom.sample FOR ALL TO showroom_clerk
  USING (store_id = ANY ((SELECT showroom.my_store_ids())::bigint[]))
  WITH CHECK (store_id = ANY ((SELECT showroom.my_store_ids())::bigint[]));
CREATE POLICY dc_all ON showroom.sample FOR ALL TO showroom_dc
  USING (true) WITH CHECK (true);
CREATE POLICY by_sample ON showroom.open_box_sale FOR ALL TO showroom_clerk
  USING (EXISTS (SELECT 1 FROM showroom.sample s WHERE s.id = open_box_sale.sample_id))
  WITH CHECK (EXISTS (SELECT 1 FROM showroom.sample s WHERE s.id = open_box_sale.sample_id));
CREATE POLICY clerk_own ON showroom.sample_request FOR ALL TO showroom_clerk
  USING (store_id = ANY ((SELECT showroom.my_store_ids())::bigint[]))
  WITH CHECK (store_id = ANY ((SELECT showroom.my_store_ids())::bigint[]));
CREATE POLICY dc_all ON showroom.sample_request FOR ALL TO showroom_dc
  USING (true) WITH CHECK (true);
GRANT EXECUTE ON FUNCTION showroom.open_box_sale(bigint, text, bigint, text, text),
  showroom.request_sample(bigint, bigint), showroom.check_store(bigint)
  TO showroom_clerk;
GRANT EXECUTE ON FUNCTION showroom.place_sample(bigint, bigint, text, text),
  showroom.request_sample(bigint, bigint), showroom.check_store(bigint)
  TO showroom_dc;

-- areas: service kinds are read by every working role; outlets and their
-- areas by dispatchers, DC staff and finance in full, by an outlet only
-- its own.
GRANT SELECT ON showroom.service_kind TO showroom_clerk, showroom_dc,
  showroom_dispatcher, showroom_outlet, showroom_finance;
CREATE POLICY staff_read ON showroom.service_kind FOR SELECT
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance
  USING (true);
GRANT SELECT ON showroom.outlet, showroom.service_area TO showroom_dc,
  showroom_dispatcher, showroom_outlet, showroom_finance;
CREATE POLICY outlet_own ON showroom.outlet FOR SELECT TO showroom_outlet
  USING (id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY staff_read ON showroom.outlet FOR SELECT
  TO showroom_dc, showroom_dispatcher, showroom_finance
  USING (true);
CREATE POLICY outlet_own ON showroom.service_area FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY staff_read ON showroom.service_area FOR SELECT
  TO showroom_dc, showroom_dispatcher, showroom_finance
  USING (true);

-- areas: capabilities, capacities and area pieces are read by the
-- dispatcher (the candidate screen) and, for its own outlet, by an
-- outlet.  The dispatcher may suspend an outlet and lift a suspension
-- (the complaint rule suspends too), which writes the two suspension
-- columns of outlet and a log row; outlet_row() locks the outlet row,
-- which needs the UPDATE policy.
GRANT SELECT ON showroom.capability, showroom.outlet_capacity,
  showroom.service_area_piece TO showroom_dispatcher, showroom_outlet;
CREATE POLICY staff_read ON showroom.capability FOR SELECT TO showroom_dispatcher
  USING (true);
CREATE POLICY outlet_own ON showroom.capability FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY staff_read ON showroom.outlet_capacity FOR SELECT TO showroom_dispatcher
  USING (true);
CREATE POLICY outlet_own ON showroom.outlet_capacity FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY staff_read ON showroom.service_area_piece FOR SELECT TO showroom_dispatcher
  USING (true);
CREATE POLICY outlet_own ON showroom.service_area_piece FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
-- An administrator draws areas; the trigger that cuts an area into its
-- pieces runs as the caller, so the administrator writes the pieces too
-- (they are rebuilt from the areas, so pg_dump does not keep them).
GRANT INSERT, DELETE ON showroom.service_area_piece TO showroom_admin;
CREATE POLICY admin_write ON showroom.service_area_piece FOR ALL TO showroom_admin
  USING (true) WITH CHECK (true);
GRANT UPDATE (suspended_reason, suspended_at) ON showroom.outlet TO showroom_dispatcher;
CREATE POLICY dispatcher_all ON showroom.outlet FOR UPDATE TO showroom_dispatcher
  USING (true) WITH CHECK (true);
GRANT SELECT, INSERT ON showroom.outlet_suspension_log TO showroom_dispatcher;
GRANT USAGE ON SEQUENCE showroom.outlet_suspension_log_id_seq TO showroom_dispatcher;
CREATE POLICY dispatcher_all ON showroom.outlet_suspension_log FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
GRANT EXECUTE ON FUNCTION showroom.suspend_outlet(bigint, text),
  showroom.lift_suspension(bigint, text), showroom.outlet_row(bigint),
  showroom.acting_person(), showroom.capacity_on(bigint, text, date),
  showroom.to_lonlat(geometry)
  TO showroom_dispatcher;

-- dispatch: bookings, loads, the dispatch log and the pending list are
-- the dispatcher's; dispatch queues notices for the relay (which runs as
-- the extension's owner) as the dispatcher.
GRANT SELECT, INSERT, UPDATE ON showroom.outlet_load, showroom.outlet_kind_load
  TO showroom_dispatcher;
GRANT SELECT, INSERT, UPDATE ON showroom.booking TO showroom_dispatcher;
GRANT SELECT, INSERT ON showroom.dispatch_log TO showroom_dispatcher;
GRANT SELECT, INSERT, UPDATE, DELETE ON showroom.dispatch_pending TO showroom_dispatcher;
GRANT USAGE ON SEQUENCE showroom.dispatch_log_id_seq, showroom.booking_id_seq
  TO showroom_dispatcher;
GRANT INSERT ON showroom.outlet_notice TO showroom_dispatcher;
GRANT USAGE ON SEQUENCE showroom.outlet_notice_id_seq TO showroom_dispatcher;
CREATE POLICY dispatcher_all ON showroom.outlet_notice FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.outlet_load FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.outlet_kind_load FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.booking FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.dispatch_log FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.dispatch_pending FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
GRANT EXECUTE ON FUNCTION showroom.candidates(bigint),
  showroom.candidates(geometry, text, text, date), showroom.dispatch(bigint),
  showroom.assign(bigint, bigint, text), showroom.reassign(bigint, bigint, text),
  showroom.dispatch_date(date)
  TO showroom_dispatcher;

-- runs: DC staff plan and load their DC's delivery runs; vehicles are
-- the administrator's (step 3), DC staff read their own.
GRANT SELECT ON showroom.vehicle TO showroom_dc;
GRANT SELECT, INSERT, UPDATE, DELETE ON showroom.delivery_run TO showroom_dc;
GRANT SELECT, INSERT ON showroom.run_stop TO showroom_dc;
GRANT SELECT, INSERT, DELETE ON showroom.run_pending TO showroom_dc;
GRANT USAGE ON SEQUENCE showroom.delivery_run_id_seq TO showroom_dc;
CREATE POLICY dc_own ON showroom.vehicle FOR SELECT TO showroom_dc
  USING (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));
CREATE POLICY dc_own ON showroom.delivery_run FOR ALL TO showroom_dc
  USING (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]))
  WITH CHECK (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));
-- A stop follows its sales order, not its run: plan_runs() inserts a run
-- and its stops in one statement, whose policy check could not see the
-- new run yet.
CREATE POLICY by_order ON showroom.run_stop FOR ALL TO showroom_dc
  USING (EXISTS (SELECT 1 FROM showroom.sales_order o WHERE o.id = run_stop.order_id))
  WITH CHECK (EXISTS (SELECT 1 FROM showroom.sales_order o WHERE o.id = run_stop.order_id));
CREATE POLICY dc_own ON showroom.run_pending FOR ALL TO showroom_dc
  USING (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]))
  WITH CHECK (dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));
GRANT EXECUTE ON FUNCTION showroom.plan_runs(bigint, date), showroom.load_run(bigint),
  showroom.route_plan(double precision, double precision, double precision[],
    double precision[], double precision[], double precision[], integer[], integer[],
    integer[], integer[], double precision[], double precision[], integer[], integer[],
    boolean[], double precision)
  TO showroom_dc;

-- workflow: service orders.  Dispatchers see, create and assign them all;
-- an outlet sees its own and moves their state, and cannot hand one to
-- another outlet; clerks and DC staff see those of the sales orders they
-- see; finance reads all.
GRANT SELECT, INSERT, UPDATE ON showroom.service_order TO showroom_dispatcher;
GRANT USAGE ON SEQUENCE showroom.service_order_id_seq TO showroom_dispatcher;
GRANT SELECT, UPDATE (state) ON showroom.service_order TO showroom_outlet;
GRANT SELECT ON showroom.service_order TO showroom_clerk, showroom_dc, showroom_finance;
CREATE POLICY dispatcher_all ON showroom.service_order FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY outlet_own ON showroom.service_order FOR ALL TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]))
  WITH CHECK (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY by_sales_order ON showroom.service_order FOR SELECT
  TO showroom_clerk, showroom_dc
  USING (EXISTS (SELECT 1 FROM showroom.sales_order o
                  WHERE o.id = service_order.sales_order_id));
CREATE POLICY staff_read ON showroom.service_order FOR SELECT TO showroom_finance
  USING (true);

-- workflow: satisfaction per outlet and kind; an outlet reads its own.
GRANT SELECT ON showroom.outlet_satisfaction TO showroom_dispatcher,
  showroom_outlet, showroom_finance;
CREATE POLICY outlet_own ON showroom.outlet_satisfaction FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY staff_read ON showroom.outlet_satisfaction FOR SELECT
  TO showroom_dispatcher, showroom_finance
  USING (true);

-- workflow: states, transitions and problem codes are read by every
-- working role (the state-change trigger and check_code() read them as
-- the caller); the administrator changes them (step 3).  Every state
-- change writes a trail row as the role that made it, so the roles that
-- move orders insert there.  DC staff create installation and second
-- delivery orders when they deliver (the ledger's trigger), on the
-- orders of their DC.  The dispatcher records requests, complaints and
-- return visits and recomputes the scores those change.
GRANT SELECT ON showroom.service_state, showroom.service_transition,
  showroom.problem_code TO showroom_clerk, showroom_dc, showroom_dispatcher,
  showroom_outlet, showroom_finance;
CREATE POLICY staff_read ON showroom.service_state FOR SELECT
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance
  USING (true);
CREATE POLICY staff_read ON showroom.service_transition FOR SELECT
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance
  USING (true);
CREATE POLICY staff_read ON showroom.problem_code FOR SELECT
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance
  USING (true);
GRANT SELECT, INSERT ON showroom.service_trail TO showroom_dispatcher, showroom_outlet;
GRANT SELECT ON showroom.service_trail TO showroom_finance;
GRANT USAGE ON SEQUENCE showroom.service_trail_id_seq TO showroom_dispatcher, showroom_outlet;
CREATE POLICY by_order ON showroom.service_trail FOR ALL
  TO showroom_dispatcher, showroom_outlet, showroom_finance
  USING (EXISTS (SELECT 1 FROM showroom.service_order o WHERE o.id = service_trail.order_id))
  WITH CHECK (EXISTS (SELECT 1 FROM showroom.service_order o WHERE o.id = service_trail.order_id));
GRANT INSERT ON showroom.service_order TO showroom_dc;
GRANT USAGE ON SEQUENCE showroom.service_order_id_seq TO showroom_dc;
CREATE POLICY dc_own ON showroom.service_order FOR INSERT TO showroom_dc
  WITH CHECK (EXISTS (SELECT 1 FROM showroom.sales_order o
                       WHERE o.id = service_order.sales_order_id));
GRANT SELECT, INSERT, UPDATE ON showroom.complaint TO showroom_dispatcher;
GRANT SELECT, INSERT ON showroom.complaint_rule_hit, showroom.return_visit,
  showroom.return_visit_answer TO showroom_dispatcher;
GRANT SELECT ON showroom.complaint TO showroom_finance;
GRANT INSERT, UPDATE, DELETE ON showroom.outlet_satisfaction TO showroom_dispatcher;
GRANT USAGE ON SEQUENCE showroom.complaint_id_seq, showroom.complaint_rule_hit_id_seq,
  showroom.return_visit_id_seq TO showroom_dispatcher;
CREATE POLICY dispatcher_all ON showroom.complaint FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY staff_read ON showroom.complaint FOR SELECT TO showroom_finance
  USING (true);
CREATE POLICY dispatcher_all ON showroom.complaint_rule_hit FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.return_visit FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.return_visit_answer FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.outlet_satisfaction FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
GRANT EXECUTE ON FUNCTION showroom.move_order(bigint, text, text, text),
  showroom.service_order_row(bigint), showroom.allowed_moves(text),
  showroom.transitions_in_force(), showroom.may_act_as(name[]),
  showroom.check_code(text, text, text), showroom.code_under(text, text),
  showroom.trail_hash(showroom.service_trail)
  TO showroom_dispatcher, showroom_outlet;
GRANT EXECUTE ON FUNCTION showroom.request_service(text, double precision,
    double precision, date, text, text, text, bigint, text, text, text, bigint),
  showroom.request_repair(text, text, text, double precision, double precision, bigint,
    text, text, date, bigint),
  showroom.file_complaint(bigint, text, text), showroom.check_complaint_rule(bigint),
  showroom.resolve_complaint(bigint, boolean, text),
  showroom.record_return_visit(bigint, integer, text[], text, timestamp with time zone),
  showroom.recompute_satisfaction(bigint, text),
  showroom.new_service_order(showroom.service_order)
  TO showroom_dispatcher;
GRANT EXECUTE ON FUNCTION showroom.create_installation_orders(bigint, integer, bigint,
    timestamp with time zone),
  showroom.create_second_delivery(bigint, integer, bigint, timestamp with time zone),
  showroom.new_service_order(showroom.service_order),
  showroom.check_code(text, text, text), showroom.code_under(text, text)
  TO showroom_dc;

-- parts: the catalogue and prices are read by the roles that use or pay
-- for parts; an outlet records the parts it used on its own orders,
-- which moves its own parts stock; finance reads what was used.
GRANT SELECT ON showroom.part, showroom.part_price TO showroom_outlet, showroom_finance;
GRANT SELECT ON showroom.part TO showroom_dc;
CREATE POLICY staff_read ON showroom.part FOR SELECT
  TO showroom_outlet, showroom_finance, showroom_dc
  USING (true);
CREATE POLICY staff_read ON showroom.part_price FOR SELECT TO showroom_outlet, showroom_finance
  USING (true);
GRANT SELECT, INSERT ON showroom.part_use, showroom.part_movement TO showroom_outlet;
GRANT SELECT, INSERT, UPDATE ON showroom.part_stock TO showroom_outlet;
GRANT USAGE ON SEQUENCE showroom.part_use_id_seq, showroom.part_movement_id_seq
  TO showroom_outlet;
GRANT SELECT ON showroom.part_use TO showroom_finance;
CREATE POLICY outlet_own ON showroom.part_use FOR ALL TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]))
  WITH CHECK (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY staff_read ON showroom.part_use FOR SELECT TO showroom_finance
  USING (true);
CREATE POLICY outlet_own ON showroom.part_stock FOR ALL TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]))
  WITH CHECK (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY outlet_own ON showroom.part_movement FOR ALL TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]))
  WITH CHECK (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
GRANT EXECUTE ON FUNCTION showroom.record_part_use(bigint, bigint, integer, boolean, date),
  showroom.check_parts_args(bigint, bigint, bigint, integer),
  showroom.move_parts(bigint, bigint, bigint, text, integer, bigint, text),
  showroom.part_row(bigint), showroom.price_on(bigint, date)
  TO showroom_outlet;

-- parts: DC staff receive parts at their DCs, issue them to outlets and
-- take them back (receive_parts, issue_parts, return_parts).  An issue or
-- a return moves the outlet's parts stock too, so DC staff write the
-- parts stock and ledger rows of their own DCs and of outlets, never of
-- another DC.  Counting corrections (adjust_parts) stay with the
-- administrator.
GRANT SELECT, INSERT, UPDATE (on_hand) ON showroom.part_stock TO showroom_dc;
GRANT SELECT, INSERT ON showroom.part_movement TO showroom_dc;
GRANT USAGE ON SEQUENCE showroom.part_movement_id_seq TO showroom_dc;
CREATE POLICY dc_own ON showroom.part_stock FOR ALL TO showroom_dc
  USING (dc_id IS NULL OR dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]))
  WITH CHECK (dc_id IS NULL OR dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));
CREATE POLICY dc_own ON showroom.part_movement FOR ALL TO showroom_dc
  USING (dc_id IS NULL OR dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]))
  WITH CHECK (dc_id IS NULL OR dc_id = ANY ((SELECT showroom.my_dc_ids())::bigint[]));
GRANT EXECUTE ON FUNCTION showroom.receive_parts(bigint, bigint, integer, text),
  showroom.issue_parts(bigint, bigint, bigint, integer, text),
  showroom.return_parts(bigint, bigint, bigint, integer, text),
  showroom.check_parts_args(bigint, bigint, bigint, integer),
  showroom.move_parts(bigint, bigint, bigint, text, integer, bigint, text),
  showroom.part_row(bigint)
  TO showroom_dc;

-- settlement: finance settles, closes, adjusts, records COD and reads
-- fee rules, statements and what they are made of; an outlet reads its
-- own statements and their lines.
GRANT SELECT ON showroom.fee_schedule, showroom.fee_rule TO showroom_finance;
CREATE POLICY staff_read ON showroom.fee_schedule FOR SELECT TO showroom_finance
  USING (true);
CREATE POLICY staff_read ON showroom.fee_rule FOR SELECT TO showroom_finance
  USING (true);
GRANT SELECT, INSERT, UPDATE ON showroom.statement, showroom.settlement_run
  TO showroom_finance;
GRANT SELECT, INSERT ON showroom.statement_line, showroom.cod_collection,
  showroom.cod_remittance TO showroom_finance;
GRANT USAGE ON SEQUENCE showroom.statement_id_seq, showroom.settlement_run_id_seq,
  showroom.statement_line_id_seq, showroom.cod_collection_id_seq,
  showroom.cod_remittance_id_seq TO showroom_finance;
GRANT SELECT ON showroom.statement, showroom.statement_line TO showroom_outlet;
CREATE POLICY finance_all ON showroom.statement FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY outlet_own ON showroom.statement FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY finance_all ON showroom.settlement_run FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY finance_all ON showroom.statement_line FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY by_statement ON showroom.statement_line FOR SELECT TO showroom_outlet
  USING (EXISTS (SELECT 1 FROM showroom.statement s WHERE s.id = statement_line.statement_id));
CREATE POLICY finance_all ON showroom.cod_collection FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY finance_all ON showroom.cod_remittance FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
GRANT EXECUTE ON FUNCTION showroom.settle(date, bigint), showroom.close_statement(bigint),
  showroom.close_period(date, bigint), showroom.adjust_line(bigint, numeric, text),
  showroom.record_cod_collection(bigint, bigint, numeric, text, text, timestamp with time zone),
  showroom.record_cod_remittance(bigint, numeric, text, timestamp with time zone),
  showroom.fen_to_yuan(bigint), showroom.yuan_to_fen(numeric),
  showroom.money_line(integer, bigint, integer, integer),
  showroom.line_amounts(integer, numeric, numeric, numeric),
  showroom.tariff_fee(showroom.tariff, double precision),
  showroom.fee_tariff(text, text, date)
  TO showroom_finance;

-- reports: the parties' copies of the reports (security_invoker views,
-- which read as the reader): a clerk its store's sales and samples; DC
-- staff their DC's stock, turnover, deliveries, sales and the samples
-- they place; an outlet its own load and statements; the dispatcher
-- loads, the orders waiting and performance; finance sales, performance
-- and statements.  A copy needs the reader to read every table it
-- reads, so the tables below are opened, each to the rows the party
-- should see: an outlet its own booked load, the dispatcher and finance
-- the defects that caused second deliveries, finance the return visits.
GRANT SELECT ON showroom.my_stock_position, showroom.my_inventory_turnover,
  showroom.my_deliveries_daily TO showroom_dc;
GRANT SELECT ON showroom.my_store_display TO showroom_clerk, showroom_dc;
GRANT SELECT ON showroom.my_sales_daily TO showroom_clerk, showroom_dc, showroom_finance;
GRANT SELECT ON showroom.my_outlet_load_week TO showroom_outlet, showroom_dispatcher;
GRANT SELECT ON showroom.my_unserved_orders TO showroom_dispatcher;
GRANT SELECT ON showroom.my_outlet_performance TO showroom_dispatcher, showroom_finance;
GRANT SELECT ON showroom.my_statement_report TO showroom_outlet, showroom_finance;
GRANT SELECT ON showroom.outlet_load TO showroom_outlet;
CREATE POLICY outlet_own ON showroom.outlet_load FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
GRANT SELECT ON showroom.defect TO showroom_dispatcher, showroom_finance;
CREATE POLICY staff_read ON showroom.defect FOR SELECT
  TO showroom_dispatcher, showroom_finance
  USING (true);
GRANT SELECT ON showroom.return_visit TO showroom_finance;
CREATE POLICY staff_read ON showroom.return_visit FOR SELECT TO showroom_finance
  USING (true);
-- fees, discipline, offers, cash: the fee catalogue and the rules are read
-- by every working role.  The dispatcher quotes, records the receipts the
-- crews report (which write the per-order outlet amounts and quality
-- deposits), records incidents (which may suspend an outlet through the
-- ladder), grades outlets, offers orders and runs the offer sweep; it
-- reads the channel of a sale for the time limits and the prices.  An
-- outlet reads its own documents, amounts, incidents and offers, answers
-- its offers, records its contact with the customer and appeals its
-- incidents.  Finance decides appeals (an upheld one may lift a ladder
-- suspension, so finance writes the two suspension columns of outlet and
-- the suspension log), releases deposits, records payments, reads the
-- accounts and takes in COD cash.
GRANT SELECT ON showroom.fee_item, showroom.fee_price, showroom.fee_region,
  showroom.responsibility, showroom.penalty_rule, showroom.points_step, showroom.grade_rule,
  showroom.offer_limit, showroom.peak_period
  TO showroom_clerk, showroom_dispatcher, showroom_outlet, showroom_finance;
CREATE POLICY staff_read ON showroom.fee_item FOR SELECT
  TO showroom_clerk, showroom_dispatcher, showroom_outlet, showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.fee_price FOR SELECT
  TO showroom_clerk, showroom_dispatcher, showroom_outlet, showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.fee_region FOR SELECT
  TO showroom_clerk, showroom_dispatcher, showroom_outlet, showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.responsibility FOR SELECT
  TO showroom_clerk, showroom_dispatcher, showroom_outlet, showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.penalty_rule FOR SELECT
  TO showroom_clerk, showroom_dispatcher, showroom_outlet, showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.points_step FOR SELECT
  TO showroom_clerk, showroom_dispatcher, showroom_outlet, showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.grade_rule FOR SELECT
  TO showroom_clerk, showroom_dispatcher, showroom_outlet, showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.offer_limit FOR SELECT
  TO showroom_clerk, showroom_dispatcher, showroom_outlet, showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.peak_period FOR SELECT
  TO showroom_clerk, showroom_dispatcher, showroom_outlet, showroom_finance USING (true);
GRANT SELECT (id, channel) ON showroom.sales_order TO showroom_dispatcher;
CREATE POLICY dispatcher_all ON showroom.sales_order FOR SELECT TO showroom_dispatcher
  USING (true);
GRANT SELECT, INSERT, UPDATE ON showroom.fee_doc, showroom.fee_doc_line, showroom.offer,
  showroom.ladder_suspension TO showroom_dispatcher;
GRANT SELECT, INSERT, UPDATE, DELETE ON showroom.outlet_amount, showroom.quality_deposit
  TO showroom_dispatcher, showroom_finance;
GRANT SELECT, INSERT ON showroom.incident, showroom.discipline_log TO showroom_dispatcher;
GRANT SELECT, INSERT, UPDATE ON showroom.outlet_grade TO showroom_dispatcher;
GRANT SELECT ON showroom.customer_contact, showroom.appeal, showroom.peak_outlet
  TO showroom_dispatcher;
GRANT USAGE ON SEQUENCE showroom.fee_doc_id_seq, showroom.offer_id_seq,
  showroom.ladder_suspension_id_seq, showroom.incident_id_seq,
  showroom.discipline_log_id_seq TO showroom_dispatcher;
CREATE POLICY dispatcher_all ON showroom.fee_doc FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.fee_doc_line FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.offer FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.ladder_suspension FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.outlet_amount FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.quality_deposit FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.incident FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.discipline_log FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY dispatcher_all ON showroom.outlet_grade FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);
CREATE POLICY staff_read ON showroom.customer_contact FOR SELECT
  TO showroom_dispatcher, showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.appeal FOR SELECT TO showroom_dispatcher
  USING (true);
CREATE POLICY staff_read ON showroom.peak_outlet FOR SELECT TO showroom_dispatcher
  USING (true);
GRANT EXECUTE ON FUNCTION showroom.quote(bigint, showroom.fee_measure[]),
  showroom.issue_receipt(bigint, showroom.fee_measure[], bigint),
  showroom.fee_compute(bigint, text, showroom.fee_measure[], bigint),
  showroom.fee_item_row(text), showroom.fee_price_for(text, text, numeric, text, integer, date),
  showroom.fee_region_at(geometry), showroom.outlet_distance_m(bigint, geometry),
  showroom.peak_stretch(geometry, date),
  showroom.set_outlet_amount(bigint, text, bigint, bigint, date, text),
  showroom.refresh_order_amounts(bigint),
  showroom.record_incident(bigint, text, text, text, timestamp with time zone),
  showroom.apply_ladder(bigint, date), showroom.log_discipline(bigint, bigint, text, text),
  showroom.lift_served_suspensions(timestamp with time zone), showroom.compute_grades(),
  showroom.offer_order(bigint), showroom.make_offer(bigint, bigint),
  showroom.order_limits(bigint), showroom.pass_on(bigint, text),
  showroom.expire_offers(timestamp with time zone),
  showroom.orders_past_limit(timestamp with time zone)
  TO showroom_dispatcher;
GRANT SELECT ON showroom.fee_doc, showroom.fee_doc_line, showroom.outlet_amount,
  showroom.incident, showroom.appeal, showroom.discipline_log, showroom.outlet_grade,
  showroom.quality_deposit, showroom.offer, showroom.customer_contact TO showroom_outlet;
GRANT INSERT ON showroom.appeal, showroom.discipline_log, showroom.customer_contact
  TO showroom_outlet;
GRANT UPDATE (state, answered_at, answered_by, reason) ON showroom.offer TO showroom_outlet;
GRANT USAGE ON SEQUENCE showroom.appeal_id_seq, showroom.discipline_log_id_seq
  TO showroom_outlet;
CREATE POLICY outlet_own ON showroom.fee_doc FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY by_doc ON showroom.fee_doc_line FOR SELECT TO showroom_outlet
  USING (EXISTS (SELECT 1 FROM showroom.fee_doc d WHERE d.id = fee_doc_line.doc_id));
CREATE POLICY outlet_own ON showroom.outlet_amount FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY outlet_own ON showroom.incident FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY by_incident ON showroom.appeal FOR ALL TO showroom_outlet
  USING (EXISTS (SELECT 1 FROM showroom.incident i WHERE i.id = appeal.incident_id))
  WITH CHECK (EXISTS (SELECT 1 FROM showroom.incident i WHERE i.id = appeal.incident_id));
CREATE POLICY outlet_own ON showroom.discipline_log FOR ALL TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]))
  WITH CHECK (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY outlet_own ON showroom.outlet_grade FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY outlet_own ON showroom.quality_deposit FOR SELECT TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY outlet_own ON showroom.offer FOR ALL TO showroom_outlet
  USING (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]))
  WITH CHECK (outlet_id = ANY ((SELECT showroom.my_outlet_ids())::bigint[]));
CREATE POLICY by_order ON showroom.customer_contact FOR ALL TO showroom_outlet
  USING (EXISTS (SELECT 1 FROM showroom.service_order o
                  WHERE o.id = customer_contact.service_order_id))
  WITH CHECK (EXISTS (SELECT 1 FROM showroom.service_order o
                       WHERE o.id = customer_contact.service_order_id));
GRANT EXECUTE ON FUNCTION showroom.accept_offer(bigint), showroom.decline_offer(bigint, text),
  showroom.open_offer_row(bigint), showroom.record_contact(bigint, timestamp with time zone),
  showroom.file_appeal(bigint, text), showroom.log_discipline(bigint, bigint, text, text),
  showroom.acting_person()
  TO showroom_outlet;
GRANT SELECT ON showroom.fee_doc, showroom.fee_doc_line, showroom.discipline_log,
  showroom.ladder_suspension, showroom.outlet_grade, showroom.offer, showroom.customer_contact
  TO showroom_finance;
GRANT SELECT, INSERT ON showroom.outlet_payment, showroom.cod_handover TO showroom_finance;
GRANT SELECT, UPDATE ON showroom.incident, showroom.appeal TO showroom_finance;
GRANT INSERT ON showroom.discipline_log TO showroom_finance;
GRANT UPDATE (state, ended_at) ON showroom.ladder_suspension TO showroom_finance;
GRANT UPDATE (reviewed_by, reviewed_at) ON showroom.cod_handover TO showroom_finance;
GRANT UPDATE (suspended_reason, suspended_at) ON showroom.outlet TO showroom_finance;
GRANT SELECT, INSERT ON showroom.outlet_suspension_log TO showroom_finance;
GRANT USAGE ON SEQUENCE showroom.outlet_payment_id_seq, showroom.cod_handover_id_seq,
  showroom.discipline_log_id_seq, showroom.outlet_suspension_log_id_seq TO showroom_finance;
CREATE POLICY finance_all ON showroom.outlet_amount FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY finance_all ON showroom.quality_deposit FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY staff_read ON showroom.fee_doc FOR SELECT TO showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.fee_doc_line FOR SELECT TO showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.outlet_grade FOR SELECT TO showroom_finance USING (true);
CREATE POLICY staff_read ON showroom.offer FOR SELECT TO showroom_finance USING (true);
CREATE POLICY finance_all ON showroom.discipline_log FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY finance_all ON showroom.ladder_suspension FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY finance_all ON showroom.incident FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY finance_all ON showroom.appeal FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY finance_all ON showroom.outlet_payment FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY finance_all ON showroom.cod_handover FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY finance_all ON showroom.outlet FOR UPDATE TO showroom_finance
  USING (true) WITH CHECK (true);
CREATE POLICY finance_all ON showroom.outlet_suspension_log FOR ALL TO showroom_finance
  USING (true) WITH CHECK (true);
GRANT EXECUTE ON FUNCTION showroom.decide_appeal(bigint, boolean, text),
  showroom.refresh_order_amounts(bigint),
  showroom.set_outlet_amount(bigint, text, bigint, bigint, date, text),
  showroom.apply_ladder(bigint, date), showroom.log_discipline(bigint, bigint, text, text),
  showroom.suspend_outlet(bigint, text), showroom.lift_suspension(bigint, text),
  showroom.outlet_row(bigint), showroom.acting_person(),
  showroom.release_deposits(date),
  showroom.record_outlet_payment(bigint, text, date, bigint, text),
  showroom.outlet_account(bigint, date),
  showroom.hand_in_cod(bigint, bigint), showroom.review_handover(bigint),
  showroom.check_collector(text),
  showroom.collect_cod(bigint, bigint, numeric, text, text, timestamp with time zone)
  TO showroom_finance;
-- decide: dispatchers run the site analysis, the person figures and the
-- replay of alert rules (these read across every outlet and DC, so they
-- are SECURITY DEFINER and need no grant on what they read); they read
-- the rules and districts, and read, acknowledge and close alerts.  The
-- administrator has all of it from step 3, reporting the views.  Alerts
-- are written only by the trigger alert_on_event() (SECURITY DEFINER).
GRANT EXECUTE ON FUNCTION
  showroom.score_sites(bigint, date, date, geometry[], double precision[]),
  showroom.best_sites(bigint, date, date, integer),
  showroom.weighted_median(double precision[], double precision[], double precision[]),
  showroom.weighted_median_pair(double precision[], double precision[], double precision[], integer),
  showroom.person_work(timestamp with time zone, timestamp with time zone),
  showroom.technician_work(timestamp with time zone, timestamp with time zone),
  showroom.replay_alert_rules(timestamp with time zone, timestamp with time zone, bigint),
  showroom.acknowledge_alert(bigint, text), showroom.close_alert(bigint, text),
  showroom.alert_row(bigint), showroom.acting_person()
  TO showroom_dispatcher;
GRANT SELECT ON showroom.alert_rule, showroom.district TO showroom_dispatcher;
CREATE POLICY staff_read ON showroom.alert_rule FOR SELECT TO showroom_dispatcher
  USING (true);
CREATE POLICY staff_read ON showroom.district FOR SELECT TO showroom_dispatcher
  USING (true);
GRANT SELECT, UPDATE (state, acknowledged_at, acknowledged_by, ack_note, closed_at,
                      closed_by, close_note)
  ON showroom.alert TO showroom_dispatcher;
CREATE POLICY dispatcher_all ON showroom.alert FOR ALL TO showroom_dispatcher
  USING (true) WITH CHECK (true);

-- roles: each login reads its own mappings (my_*_ids() need that); the
-- administrator keeps them (step 3).
GRANT SELECT ON showroom.staff_login TO showroom_clerk, showroom_dc,
  showroom_dispatcher, showroom_outlet, showroom_finance;
CREATE POLICY own_rows ON showroom.staff_login FOR SELECT
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance
  USING (login = current_user);
GRANT EXECUTE ON FUNCTION showroom.my_store_ids(), showroom.my_dc_ids(),
  showroom.my_outlet_ids(), showroom.require_place(text, bigint),
  showroom.require_store(bigint), showroom.require_dc(bigint),
  showroom.require_outlet(bigint)
  TO showroom_clerk, showroom_dc, showroom_dispatcher, showroom_outlet, showroom_finance;
