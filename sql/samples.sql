-- samples: display samples leave DC stock, are never sold as stock, and
-- leave the display only by an open-box sale; then the gap shows.
\i test/helpers.sql

INSERT INTO showroom.dc (code, name, location)
VALUES ('DC', 'Yangquan DC', 'SRID=4326;POINT(113.58 37.86)');
INSERT INTO showroom.store (code, name, location, home_dc_id, active) VALUES
  ('S1', 'Store one', 'SRID=4326;POINT(113.6 37.85)', 1, true),
  ('S9', 'closed store', 'SRID=4326;POINT(113.5 37.8)', 1, false);
INSERT INTO showroom.sku (code, name, category, list_price_fen) VALUES
  ('RF1', 'refrigerator', 'refrigerator', 459900),
  ('WM1', 'washing machine', 'washing_machine', 259900);
SELECT 'receipt' AS "case", showroom.receive_stock(1, 1, 1);

-- The only unit goes on display: DC stock falls to zero.
SELECT 'place' AS "case", showroom.place_sample(1, 1, 'RF1-0001');
SELECT 'sample' AS "case", store_id, sku_id, serial, condition, state, from_dc_id
  FROM showroom.sample;
SELECT 'stock' AS "case", on_hand, allocated, available FROM showroom.stock;

-- The sample is never a fallback: a sale finds no stock.
SELECT 'sell' AS "case", pg_temp.try($$SELECT showroom.sell(1, 113.6, 37.9, '{1}', '{1}')$$);

-- Placement errors, each writing nothing.
SELECT 'no stock' AS "case", pg_temp.try($$SELECT showroom.place_sample(1, 1, 'RF1-0002')$$);
SELECT 'unknown store' AS "case", pg_temp.try($$SELECT showroom.place_sample(7, 1)$$);
SELECT 'inactive store' AS "case", pg_temp.try($$SELECT showroom.place_sample(2, 1)$$);
SELECT 'unknown SKU' AS "case", pg_temp.try($$SELECT showroom.place_sample(1, 99)$$);
SELECT 'null SKU' AS "case", pg_temp.try($$SELECT showroom.place_sample(1, NULL)$$);
SELECT 'bad condition' AS "case", pg_temp.try($$SELECT showroom.place_sample(1, 1, 'X', 'shiny')$$);
SELECT 'same serial' AS "case", pg_temp.try($$SELECT showroom.place_sample(1, 1, 'RF1-0001')$$);
SELECT 'nothing written' AS "case", (SELECT count(*) FROM showroom.sample) AS samples,
       (SELECT count(*) FROM showroom.stock_movement) AS movements;

-- Open-box sale errors.
SELECT 'unknown sample' AS "case", pg_temp.try($$SELECT showroom.open_box_sale(9, 'A', 1, 'x')$$);
SELECT 'bad grade' AS "case", pg_temp.try($$SELECT showroom.open_box_sale(1, 'D', 1, 'x')$$);
SELECT 'null grade' AS "case", pg_temp.try($$SELECT showroom.open_box_sale(1, NULL, 1, 'x')$$);
SELECT 'negative price' AS "case", pg_temp.try($$SELECT showroom.open_box_sale(1, 'B', -1, 'x')$$);
SELECT 'null price' AS "case", pg_temp.try($$SELECT showroom.open_box_sale(1, 'B', NULL, 'x')$$);
SELECT 'no disclosure' AS "case", pg_temp.try($$SELECT showroom.open_box_sale(1, 'B', 1, '  ')$$);
SELECT 'no sale yet' AS "case", count(*) FROM showroom.open_box_sale;

-- The open-box sale: grade, price and what the buyer was told.
SELECT 'sell open box' AS "case",
       showroom.open_box_sale(1, 'B', 329900, 'scratch on the left door; display hours 900',
                              'Li') > 0 AS ok;
SELECT 'sale' AS "case", sample_id, grade, price_fen, disclosure, customer_name
  FROM showroom.open_box_sale;
SELECT 'sold twice' AS "case", pg_temp.try($$SELECT showroom.open_box_sale(1, 'B', 1, 'x')$$);

-- The gap shows; a request for a replacement is made once.
SELECT 'gap' AS "case", store_id, sku_id, gap_since IS NOT NULL AS dated, open_request_id
  FROM showroom.display_gap;
SELECT 'request' AS "case", showroom.request_sample(1, 1), showroom.request_sample(1, 1);
SELECT 'request unknown store' AS "case", pg_temp.try($$SELECT showroom.request_sample(7, 1)$$);
SELECT 'request unknown SKU' AS "case", pg_temp.try($$SELECT showroom.request_sample(1, 99)$$);
SELECT 'gap requested' AS "case", store_id, sku_id, open_request_id FROM showroom.display_gap;

-- Stock arrives; placing the replacement fulfils the request and closes
-- the gap.
SELECT 'receipt' AS "case", showroom.receive_stock(1, 1, 3);
SELECT 'replace' AS "case", showroom.place_sample(1, 1, 'RF1-0002', 'new');
SELECT 'request done' AS "case", id, sample_id FROM showroom.sample_request;
SELECT 'no gap' AS "case", count(*) FROM showroom.display_gap;
SELECT 'stock' AS "case", on_hand, allocated, available FROM showroom.stock;
SELECT 'ledger' AS "case", kind, store_id, sku_id, qty, d_on_hand, sample_id, note
  FROM showroom.stock_movement ORDER BY id;
SELECT 'verify samples' AS "case", * FROM showroom.verify_samples();
SELECT 'verify stock' AS "case", * FROM showroom.verify_stock();
