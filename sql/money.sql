-- money: fen arithmetic, half-up rounding, and the worked case.
\i test/helpers.sql

-- The worked case: 16 parts at 348.35, 4% discount, 22% tax on the line.
-- 16 x 348.35 = 5573.60; less 4% = 5350.656 -> 5350.66 net;
-- 22% of 5350.66 = 1177.1452 -> 1177.15 tax; gross 6527.81.
SELECT 'worked case' AS "case", * FROM showroom.line_amounts(16, 348.35, 4, 22);
SELECT 'worked case in fen' AS "case", * FROM showroom.money_line(16, 34835, 400, 2200);

-- Half up (away from zero) at exactly half a fen, both signs: 1 x 0.25
-- less 50% = 0.125 -> 0.13; tax of 10% on 0.05 = 0.005 -> 0.01.
SELECT 'half up' AS "case", * FROM showroom.money_line(1, 25, 5000, 0);
SELECT 'half up tax' AS "case", * FROM showroom.money_line(1, 5, 0, 1000);
SELECT 'half away from zero' AS "case", * FROM showroom.money_line(1, -25, 5000, 0);
SELECT 'just below half' AS "case", * FROM showroom.money_line(1, 2499, 9999, 0);
SELECT 'zero' AS "case", * FROM showroom.money_line(0, 34835, 400, 2200);
SELECT 'no discount no tax' AS "case", * FROM showroom.money_line(3, 100, 0, 0);

-- Conversions.
SELECT 'fen to yuan' AS "case", showroom.fen_to_yuan(652781), showroom.fen_to_yuan(-5),
       showroom.fen_to_yuan(99999999999999);
SELECT 'yuan to fen' AS "case", showroom.yuan_to_fen(6527.81), showroom.yuan_to_fen(-0.05),
       showroom.yuan_to_fen(7);

-- Refusals.
SELECT 'three decimals' AS "case", pg_temp.try($$SELECT showroom.yuan_to_fen(1.005)$$);
SELECT 'too large' AS "case", pg_temp.try($$SELECT showroom.yuan_to_fen(1000000000000)$$);
SELECT 'line too large' AS "case", pg_temp.try($$SELECT showroom.money_line(1000000, 100000000000, 0, 0)$$);
SELECT 'line overflows int64' AS "case", pg_temp.try($$SELECT showroom.money_line(2147483647, 9223372036854775807, 0, 0)$$);
SELECT 'negative discount' AS "case", pg_temp.try($$SELECT showroom.money_line(1, 100, -1, 0)$$);
SELECT 'tax over 100%' AS "case", pg_temp.try($$SELECT showroom.money_line(1, 100, 0, 10001)$$);
SELECT 'rate with 3 decimals' AS "case", pg_temp.try($$SELECT showroom.line_amounts(1, 1, 4.001, 0)$$);
SELECT 'discount over 100' AS "case", pg_temp.try($$SELECT showroom.line_amounts(1, 1, 101, 0)$$);
SELECT 'price with 3 decimals' AS "case", pg_temp.try($$SELECT showroom.line_amounts(1, 1.001, 0, 0)$$);
SELECT 'nulls' AS "case", showroom.money_line(NULL, 1, 0, 0) IS NULL AS is_null,
       showroom.fen_to_yuan(NULL) IS NULL AS yuan_null;
