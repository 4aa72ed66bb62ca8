-- Helpers every regression test includes with \i test/helpers.sql.
-- They live in pg_temp, so they vanish with the session and never touch
-- the extension's schema.
\set ON_ERROR_STOP 0
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS showroom CASCADE;
CREATE EXTENSION showroom CASCADE;
RESET client_min_messages;

-- try(sql): run one statement; 'ok' if it succeeds, else its SQLSTATE,
-- message, detail and hint on one line.  The statement runs in its own
-- subtransaction, so a failure leaves nothing behind.
CREATE FUNCTION pg_temp.try(q text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  st text; msg text; det text; hnt text;
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                          det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
  RETURN st || ': ' || msg
         || CASE WHEN det <> '' THEN ' | detail: ' || det ELSE '' END
         || CASE WHEN hnt <> '' THEN ' | hint: ' || hnt ELSE '' END;
END
$$;
