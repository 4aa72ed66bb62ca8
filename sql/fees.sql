-- fees: the fee catalogue (items, prices over days and bands, no
-- overlaps), quotes and receipts computed from it (pipe metres rounded up,
-- the highest travel fee once per visit, the household cap, the region
-- multiplier, minimum and maximum), the margin per line, no charge above
-- the catalogue, and the return visit's "overcharged?" answer.
\i test/helpers.sql

INSERT INTO showroom.outlet (code, name, base)
VALUES ('fe-o1', 'Outlet one', ST_SetSRID(ST_MakePoint(113.58, 37.86), 4326));
INSERT INTO showroom.sku (code, name, category, list_price_fen, capacity_hp, needs_install) VALUES
  ('AC-15', 'split AC 1.5P', 'air_conditioner', 300000, 1.5, true),
  ('AC-30', 'cabinet AC 3P', 'air_conditioner', 800000, 3.0, true),
  ('WM-8', 'washer 8 kg', 'washing_machine', 200000, NULL, true);

-- The example catalogue ships with the extension.
SELECT 'seeded' AS "case", count(DISTINCT item) AS items, count(*) AS prices,
       bool_and(p.builtin) AS builtin
  FROM showroom.fee_price p;
SELECT item, hp, price, to_outlet, free_qty FROM showroom.fee_catalogue
 WHERE item IN ('ac_install', 'copper_pipe') ORDER BY item, lower(hp);
SELECT item, floors, price, cap, cap_scope FROM showroom.fee_catalogue
 WHERE item = 'high_altitude' ORDER BY lower(floors);

-- inst(sku, phone): an installation order at the outlet, dispatched by hand.
CREATE FUNCTION pg_temp.inst(sku bigint, phone text, lon float8 DEFAULT 113.58)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  j bigint := showroom.request_service('installation', lon, 37.86, '2026-12-05',
                                       customer_phone => phone, sku_id => sku);
BEGIN
  UPDATE showroom.service_order SET outlet_id = 1 WHERE id = j;
  PERFORM showroom.move_order(j, 'dispatched');
  RETURN j;
END
$$;
CREATE FUNCTION pg_temp.finish(j bigint) RETURNS void LANGUAGE sql AS $$
  SELECT showroom.move_order(j, 'accepted'), showroom.move_order(j, 'on_the_way'),
         showroom.move_order(j, 'done', 'installation.result.installed');
$$;

-- Quote for a 1.5P unit: installation (retailer pays 200, outlet gets 160);
-- 5.2 m of pipe with 3 m free: 2.2 m counts as 3 m at 120 = 360; floor 12:
-- 200; a remote fee of 27 km (7 km beyond 20 at 1.50 = 10.50) and a remote
-- village flat fee of 30: only the flat fee counts, once.
SELECT pg_temp.inst(1, '138-0001') AS j1 \gset
SELECT 'quote' AS "case", showroom.quote(:j1, ARRAY[
  ('ac_install', 1, NULL), ('copper_pipe', 5.2, NULL), ('high_altitude', 1, 12),
  ('remote_km', 27, NULL), ('remote_flat', 1, NULL)]::showroom.fee_measure[]) AS quote_id;
SELECT line_no, item, payer, measured, charged_qty, amount_fen, outlet_fen, note
  FROM showroom.fee_doc_line WHERE doc_id = 1 ORDER BY line_no;
SELECT 'quote total' AS "case", customer_fen, multiplier, household FROM showroom.fee_doc WHERE id = 1;
-- The margin per line: the chain keeps 40 on the installation, 90 on the
-- pipe, 40 on the floor, nothing on the travel fee.
SELECT line_no, item, charged, to_outlet, margin FROM showroom.fee_margin
 WHERE doc_id = 1 ORDER BY line_no;

-- Pipe exactly at a whole metre beyond the free length is not rounded up
-- further; 3 m (all free) charges nothing.  A distance of NULL km is
-- measured from the outlet's base: the job 0.3 degrees east lies about
-- 26.4 km away, 7 km charged after rounding up.
SELECT pg_temp.inst(1, '138-0002', 113.88) AS j2 \gset
SELECT 'pipe and distance' AS "case", showroom.quote(:j2, ARRAY[
  ('copper_pipe', 5, NULL), ('copper_pipe', 3, NULL), ('remote_km', NULL, NULL)]::showroom.fee_measure[]);
SELECT line_no, item, measured, charged_qty, amount_fen FROM showroom.fee_doc_line
 WHERE doc_id = 2 ORDER BY line_no;

-- The household cap (200 per household for high-altitude work): two units
-- on floor 12 in one visit pay 200, not 400; a later receipt for the same
-- household (same phone) on floor 5 pays nothing more; another household
-- pays again.
SELECT pg_temp.finish(:j1);
SELECT 'receipt' AS "case", showroom.issue_receipt(:j1, ARRAY[
  ('ac_install', 1, NULL), ('copper_pipe', 5.2, NULL), ('high_altitude', 2, 12)]::showroom.fee_measure[],
  charged_fen => 56000) AS receipt_id;
SELECT line_no, item, charged_qty, amount_fen, outlet_fen, note FROM showroom.fee_doc_line
 WHERE doc_id = 3 ORDER BY line_no;
SELECT pg_temp.inst(2, '138-0001') AS j3 \gset
SELECT pg_temp.finish(:j3);
SELECT 'same household' AS "case", showroom.issue_receipt(:j3, ARRAY[
  ('ac_install', 1, NULL), ('high_altitude', 1, 5)]::showroom.fee_measure[]) AS receipt_id;
SELECT line_no, item, amount_fen, outlet_fen, note FROM showroom.fee_doc_line
 WHERE doc_id = 4 ORDER BY line_no;
SELECT pg_temp.inst(2, '139-0009') AS j4 \gset
SELECT 'other household' AS "case", showroom.quote(:j4, ARRAY[('high_altitude', 1, 5)]::showroom.fee_measure[]);
SELECT 'other household' AS "case", amount_fen FROM showroom.fee_doc_line WHERE doc_id = 5;
-- The receipts wrote the outlet's share for the settlement.
SELECT service_order_id, component, outlet_id, amount_fen, note FROM showroom.outlet_amount
 ORDER BY service_order_id;

-- An outlet cannot charge more than the catalogue: refused, nothing written.
SELECT pg_temp.inst(1, '138-0003') AS j5 \gset
SELECT pg_temp.finish(:j5);
SELECT 'above catalogue' AS "case", pg_temp.try(format($$SELECT showroom.issue_receipt(%s,
  ARRAY[('copper_pipe', 4, NULL)]::showroom.fee_measure[], charged_fen => 12001)$$, :j5));
SELECT 'at catalogue' AS "case", showroom.issue_receipt(:j5,
  ARRAY[('copper_pipe', 4, NULL)]::showroom.fee_measure[], charged_fen => 12000) IS NOT NULL AS ok;
SELECT 'second receipt' AS "case", pg_temp.try(format($$SELECT showroom.issue_receipt(%s,
  ARRAY[('copper_pipe', 4, NULL)]::showroom.fee_measure[])$$, :j5));
SELECT 'quote after done' AS "case", pg_temp.try(format($$SELECT showroom.quote(%s,
  ARRAY[('copper_pipe', 4, NULL)]::showroom.fee_measure[])$$, :j5));
SELECT 'receipt before done' AS "case", pg_temp.try(format($$SELECT showroom.issue_receipt(%s,
  ARRAY[('copper_pipe', 4, NULL)]::showroom.fee_measure[])$$, :j4));

-- Bad measures: each refused, nothing written.
SELECT 'unknown item' AS "case", pg_temp.try(format($$SELECT showroom.quote(%s, ARRAY[('gold_pipe', 1, NULL)]::showroom.fee_measure[])$$, :j4));
SELECT 'no price (washer pipe)' AS "case", pg_temp.try($$SELECT showroom.quote(
  showroom.request_service('installation', 113.58, 37.86, '2026-12-05', sku_id => 3),
  ARRAY[('copper_pipe', 5, NULL)]::showroom.fee_measure[])$$);
SELECT 'floor 2' AS "case", pg_temp.try(format($$SELECT showroom.quote(%s, ARRAY[('high_altitude', 1, 2)]::showroom.fee_measure[])$$, :j4));
SELECT 'floor missing' AS "case", pg_temp.try(format($$SELECT showroom.quote(%s, ARRAY[('high_altitude', 1, NULL)]::showroom.fee_measure[])$$, :j4));
SELECT 'floor on pipe' AS "case", pg_temp.try(format($$SELECT showroom.quote(%s, ARRAY[('copper_pipe', 1, 3)]::showroom.fee_measure[])$$, :j4));
SELECT 'negative' AS "case", pg_temp.try(format($$SELECT showroom.quote(%s, ARRAY[('copper_pipe', -1, NULL)]::showroom.fee_measure[])$$, :j4));
SELECT 'half a bracket' AS "case", pg_temp.try(format($$SELECT showroom.quote(%s, ARRAY[('ac_bracket', 0.5, NULL)]::showroom.fee_measure[])$$, :j4));
SELECT 'null qty' AS "case", pg_temp.try(format($$SELECT showroom.quote(%s, ARRAY[('ac_bracket', NULL, NULL)]::showroom.fee_measure[])$$, :j4));
SELECT 'huge' AS "case", pg_temp.try(format($$SELECT showroom.quote(%s, ARRAY[('copper_pipe', 1e9, NULL)]::showroom.fee_measure[])$$, :j4));
SELECT 'empty' AS "case", pg_temp.try(format($$SELECT showroom.quote(%s, '{}')$$, :j4));
SELECT 'unknown order' AS "case", pg_temp.try($$SELECT showroom.quote(99999, ARRAY[('ac_bracket', 1, NULL)]::showroom.fee_measure[])$$);
SELECT 'km without outlet' AS "case", pg_temp.try($$SELECT showroom.quote(
  showroom.request_service('installation', 113.58, 37.86, '2026-12-05', sku_id => 1),
  ARRAY[('remote_km', NULL, NULL)]::showroom.fee_measure[])$$);
SELECT 'after bad measures' AS "case", count(*) AS docs, (SELECT count(*) FROM showroom.fee_doc_line) AS lines
  FROM showroom.fee_doc;

-- The region multiplier: a city region at 1.20 raises regional items
-- (pipe, brackets) and leaves the others.
SELECT 'region' AS "case", showroom.add_fee_region('big_city', 'big city',
  'SRID=4326;POLYGON((113.5 37.8, 113.7 37.8, 113.7 37.9, 113.5 37.9, 113.5 37.8))', 1.2);
SELECT pg_temp.inst(1, '138-0004') AS j6 \gset
SELECT 'city quote' AS "case", showroom.quote(:j6, ARRAY[('copper_pipe', 4, NULL), ('ac_bracket', 1, NULL),
  ('ac_install', 1, NULL)]::showroom.fee_measure[]) AS doc \gset
SELECT line_no, item, amount_fen, outlet_fen FROM showroom.fee_doc_line WHERE doc_id = :doc ORDER BY 1;
SELECT 'bad region' AS "case", pg_temp.try($$SELECT showroom.add_fee_region('x', 'x', 'SRID=4326;POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))', 0)$$);
SELECT 'bad srid' AS "case", pg_temp.try($$SELECT showroom.add_fee_region('x', 'x', 'POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))', 1.1)$$);

-- A chain's own item with a minimum and a maximum per line: 3 yuan per
-- metre of drain hose, at least 10 and at most 20.
SELECT 'own item' AS "case", showroom.add_fee_item('drain_hose', 'drain hose', 'metre', 'customer'),
       showroom.set_fee_price('drain_hose', 300, 200, '2026-01-01', min_fen => 1000, max_fen => 2000);
SELECT 'min and max' AS "case", showroom.quote(:j4, ARRAY[('drain_hose', 0, NULL), ('drain_hose', 1, NULL),
  ('drain_hose', 5, NULL), ('drain_hose', 9, NULL)]::showroom.fee_measure[]) AS doc \gset
SELECT line_no, charged_qty, amount_fen, outlet_fen, note FROM showroom.fee_doc_line WHERE doc_id = :doc ORDER BY 1;

-- Prices never overlap: refused, nothing written; ending the old price
-- lets a new one start the next day; a band beside another is fine.
SELECT 'overlap' AS "case", pg_temp.try($$SELECT showroom.set_fee_price('drain_hose', 400, 300, '2027-01-01')$$);
SELECT 'overlap hp' AS "case", pg_temp.try($$SELECT showroom.set_fee_price('copper_pipe', 1, 1, '2026-06-01', category => 'air_conditioner', hp_from => 2.5, hp_to => 4)$$);
SELECT 'raw insert' AS "case", pg_temp.try($$INSERT INTO showroom.fee_price (item, valid, price_fen, outlet_fen) VALUES ('drain_hose', '[2026-05-01,2026-05-02]', 1, 1)$$);
SELECT 'end before use' AS "case", pg_temp.try($$SELECT showroom.end_fee_price((SELECT id FROM showroom.fee_price WHERE item = 'drain_hose'), '2026-11-30')$$);
SELECT 'end' AS "case", showroom.end_fee_price((SELECT id FROM showroom.fee_price WHERE item = 'drain_hose'), '2026-12-31');
SELECT 'next price' AS "case", showroom.set_fee_price('drain_hose', 400, 300, '2027-01-01') IS NOT NULL AS ok;
SELECT 'key account only' AS "case", showroom.set_fee_price('drain_hose', 250, 200, '2026-01-01', channel => 'key_account') IS NOT NULL AS ok;
SELECT 'drain hose prices' AS "case", valid, channel, price FROM showroom.fee_catalogue
 WHERE item = 'drain_hose' ORDER BY channel NULLS FIRST, lower(valid);
SELECT 'negative price' AS "case", pg_temp.try($$SELECT showroom.set_fee_price('drain_hose', -1, 0, '2030-01-01')$$);
SELECT 'reversed days' AS "case", pg_temp.try($$SELECT showroom.set_fee_price('drain_hose', 1, 0, '2030-01-02', '2030-01-01')$$);
SELECT 'min above max' AS "case", pg_temp.try($$SELECT showroom.set_fee_price('drain_hose', 1, 0, '2030-01-01', min_fen => 5, max_fen => 4)$$);
SELECT 'cap without scope' AS "case", pg_temp.try($$SELECT showroom.set_fee_price('drain_hose', 1, 0, '2030-01-01', cap_fen => 5)$$);
SELECT 'floors on metres' AS "case", pg_temp.try($$SELECT showroom.set_fee_price('drain_hose', 1, 0, '2030-01-01', floor_from => 3)$$);
SELECT 'bad channel' AS "case", pg_temp.try($$SELECT showroom.set_fee_price('drain_hose', 1, 0, '2030-01-01', channel => 'web')$$);
SELECT 'unknown item' AS "case", pg_temp.try($$SELECT showroom.set_fee_price('nothing', 1, 0, '2030-01-01')$$);
SELECT 'bad unit' AS "case", pg_temp.try($$SELECT showroom.add_fee_item('x', 'x', 'litre', 'customer')$$);
SELECT 'bad payer' AS "case", pg_temp.try($$SELECT showroom.add_fee_item('x', 'x', 'each', 'neighbour')$$);
SELECT 'bad visit group' AS "case", pg_temp.try($$SELECT showroom.add_fee_item('x', 'x', 'each', 'customer', 'Travel Fees')$$);
SELECT 'hp upper end only' AS "case", pg_temp.try($$SELECT showroom.set_fee_price('drain_hose', 1, 0, '2030-01-01', hp_to => 2)$$);
SELECT 'duplicate item' AS "case", pg_temp.try($$SELECT showroom.add_fee_item('drain_hose', 'x', 'each', 'customer')$$);
SELECT 'after bad prices' AS "case", count(*) FILTER (WHERE NOT builtin) AS own_prices,
       (SELECT count(*) FROM showroom.fee_item WHERE NOT builtin) AS own_items
  FROM showroom.fee_price;

-- The return visit asks whether the customer was overcharged.
SELECT 'visit' AS "case", showroom.record_return_visit(:j1, 2, '{visit.overcharged}') AS visit_id;
SELECT 'overcharge report' AS "case", order_id, answer, receipt_total, outlet_says_charged
  FROM showroom.overcharge_reports;
