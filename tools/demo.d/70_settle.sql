-- settlement: each outlet's statement for the month, from typed tariffs
\set QUIET on
-- Fees by distance band from the outlet's base (the DC's, for deliveries).
SELECT count(showroom.add_fee_rule(k.kind, c.code, '2026-01-01', NULL, k.tariff::showroom.tariff))
  FROM (VALUES ('delivery', '0-5km: 30.00; 5-20km: 45.00; 20km+: 45.00 + 1.50/km'),
               ('installation', '0-10km: 80.00; 10km+: 80.00 + 2.00/km')) k(kind, tariff),
       showroom.category c
 WHERE c.code <> 'part' AND (c.large OR k.kind = 'delivery') \gset
-- Cash on delivery: every crew hands in what it collected at the door; the
-- express crew has remitted 500.00 of it so far.
SELECT count(showroom.record_cod_collection(s.sales_order_id, s.outlet_id,
                                            o.cod_fen / 100.0, 'cash', 'crew ' || s.outlet_id))
  FROM showroom.service_order s JOIN showroom.sales_order o ON o.id = s.sales_order_id
 WHERE s.kind = 'delivery' AND s.state = 'return_visit' AND o.cod_fen > 0 \gset
SELECT showroom.record_cod_remittance(o.id, 500.00, 'BANK-DEMO-1')
  FROM showroom.outlet o WHERE o.code = 'O-EXPRESS' \gset
\set QUIET off
SELECT o.code AS outlet, r.lines_added, r.total
  FROM showroom.settle(date_trunc('month', now())::date) r
  JOIN showroom.outlet o ON o.id = r.outlet_id
 ORDER BY o.code;
SELECT component, count(*) AS lines, sum(amount) AS amount
  FROM showroom.finance_export GROUP BY component ORDER BY component;
SELECT o.code AS outlet, sum(r.collected) AS cod_collected, sum(r.remitted) AS remitted,
       sum(r.collected) - sum(r.remitted) AS still_to_remit
  FROM showroom.cod_reconciliation r JOIN showroom.outlet o ON o.id = r.outlet_id
 GROUP BY o.code ORDER BY o.code;
