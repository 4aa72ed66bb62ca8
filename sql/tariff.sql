-- tariff: the text form (valid, canonical, invalid), binary round trip,
-- equality, and fees at band edges.
\i test/helpers.sql

-- Valid inputs and their canonical output; blanks and spelling of numbers
-- vary, the output does not.
SELECT v AS input, v::showroom.tariff AS canonical
  FROM (VALUES
    ('0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km'),
    ('0-5km:30;5-20km:45;20km+:45+1.5/km'),
    ('  0 - 5 km :  30.0 ;  5 - 20 km : 45 ; 20 km + : 45.00 + 1.50 / km  '),
    ('0km+: 0'),
    ('0-0.5km: 8.5; 0.5-2.25km: 12.05; 2.25-10.125km: 15; 10.125km+: 20 + 0.01/km'),
    ('0-100000km: 99999999.99; 100000km+: 0 + 999999.99/km')
  ) AS t(v);

-- Text -> tariff -> text -> tariff is stable, and = sees through spelling
-- (the operators live in schema showroom, hence OPERATOR(showroom.=)).
SELECT 'round trip' AS "case",
       (v::showroom.tariff)::text::showroom.tariff::text = (v::showroom.tariff)::text AS stable,
       v::showroom.tariff OPERATOR(showroom.=) '0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km'::showroom.tariff AS equal_to_first
  FROM (VALUES ('0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km'),
               ('0-5km:30;5-20km:45;20km+:45+1.5/km'),
               ('0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.51/km')) AS t(v);
SELECT 'not equal' AS "case",
       '0km+: 1'::showroom.tariff OPERATOR(showroom.<>) '0km+: 1.00'::showroom.tariff AS differ,
       '0km+: 1'::showroom.tariff OPERATOR(showroom.<>) '0-1km: 1; 1km+: 1'::showroom.tariff AS differ_by_bands;

-- Binary send and receive: a binary COPY out and back in gives equal
-- values.  The file lives in the server's /tmp (this test runs as
-- superuser on a throwaway cluster).
CREATE TEMP TABLE bin_out (t showroom.tariff);
INSERT INTO bin_out VALUES ('0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km'),
                           ('0-0.001km: 0.01; 0.001km+: 0');
COPY bin_out TO '/tmp/showroom_tariff_test.bin' WITH (FORMAT binary);
CREATE TEMP TABLE bin_in (t showroom.tariff);
COPY bin_in FROM '/tmp/showroom_tariff_test.bin' WITH (FORMAT binary);
SELECT 'binary round trip' AS "case", i.t::text,
       EXISTS (SELECT 1 FROM bin_out o WHERE o.t OPERATOR(showroom.=) i.t) AS equal
  FROM bin_in i ORDER BY 2;
SELECT 'send' AS "case",
       showroom.tariff_send('0-5km: 30.00; 5km+: 45.00 + 1.50/km');

-- Binary input is checked like text: hand-made COPY files with one tariff
-- each (overlapping bands; a band count of 0) are refused.
CREATE FUNCTION pg_temp.copy_file(payload bytea) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
  lo oid;
BEGIN
  lo := lo_from_bytea(0,
          '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
          || '\x0001'::bytea || int4send(length(payload)) || payload
          || '\xffff'::bytea);
  PERFORM lo_export(lo, '/tmp/showroom_tariff_bad.bin');
  PERFORM lo_unlink(lo);
  RETURN pg_temp.try($$COPY bin_in FROM '/tmp/showroom_tariff_bad.bin' WITH (FORMAT binary)$$);
END
$f$;
SELECT 'binary overlap' AS "case", pg_temp.copy_file(
  int4send(2)
  || int8send(0) || int8send(5000) || int8send(3000) || int8send(0)
  || int8send(4000) || int8send(-1) || int8send(4500) || int8send(150));
SELECT 'binary no bands' AS "case", pg_temp.copy_file(int4send(0));
SELECT 'binary negative fee' AS "case", pg_temp.copy_file(
  int4send(1) || int8send(0) || int8send(-1) || int8send(-1) || int8send(0));
SELECT 'binary valid' AS "case", pg_temp.copy_file(
  int4send(1) || int8send(0) || int8send(-1) || int8send(100) || int8send(0));
SELECT 'after binary' AS "case", count(*) AS rows FROM bin_in;

-- Fees at the band edges: a band includes its upper end; distances round
-- to the nearest metre first; the open band adds 1.50 per km beyond 20 km,
-- pro rata, rounded half up once.
SELECT m AS metres,
       showroom.tariff_fee('0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km', m) AS fee_fen
  FROM unnest(ARRAY[0, 0.4, 4999.6, 5000, 5000.4, 5000.5, 5001, 20000, 20001,
                    20333, 20334, 21000, 120000, 1000000000]::float8[]) AS m;

-- Bad distances.
SELECT 'negative distance' AS "case",
       pg_temp.try($$SELECT showroom.tariff_fee('0km+: 1', -1)$$);
SELECT 'NaN distance' AS "case",
       pg_temp.try($$SELECT showroom.tariff_fee('0km+: 1', 'NaN')$$);
SELECT 'huge distance' AS "case",
       pg_temp.try($$SELECT showroom.tariff_fee('0km+: 1', 'Infinity')$$);
SELECT 'null' AS "case", showroom.tariff_fee(NULL, 5) IS NULL AS is_null,
       showroom.tariff_fee('0km+: 1', NULL) IS NULL AS null_distance;
