-- one trading day, each step under the login of the person who does it
--
-- Included once per day by tools/demo with :day set (and :seed).  Each
-- step sets the clock (demo.set_clock, a no-op on a real clock) and then
-- switches to the login of the person who does the step and names that
-- person in showroom.person (:person_clerk and the like, set by
-- tools/demo), so the ledger and the audit trail record a name.  Choices
-- that look random are hashes of ids and the seed, so the day is the same
-- on every run with the same seed.

-- 08:00, finance: on the 2nd of a month, settle the month before and
-- close its statements; on Mondays, outlets remit the cash they collected
-- (the city express crew holds back a fifth of it).
SELECT demo.set_clock(:'day', '08:00') \gset
SELECT extract(day FROM :'day'::date) = 2 AND :'day'::date > DATE '2026-01-15' AS month_end,
       extract(isodow FROM :'day'::date) = 1 AS monday \gset
\if :month_end
SET ROLE demo_finance;
SET showroom.person = :'person_finance';
SELECT count(*) AS settled FROM showroom.settle((:'day'::date - 2)) \gset
SELECT count(*) AS closed FROM showroom.close_period((:'day'::date - 2)) \gset
RESET ROLE;
RESET showroom.person;
\endif
\if :monday
SET ROLE demo_finance;
SET showroom.person = :'person_finance';
SELECT count(showroom.record_cod_remittance(r.outlet_id,
         round((r.due * CASE WHEN o.code = 'O-EXPRESS' THEN 0.8 ELSE 1 END)::numeric, 2),
         'BANK-' || :'day' || '-' || o.code))
  FROM (SELECT outlet_id, sum(amount_fen) / 100.0 AS due
          FROM (SELECT outlet_id, amount_fen FROM showroom.cod_collection
                UNION ALL
                SELECT outlet_id, -amount_fen FROM showroom.cod_remittance) c
         GROUP BY outlet_id) r
  JOIN showroom.outlet o ON o.id = r.outlet_id
 WHERE r.due > 0 \gset
RESET ROLE;
RESET showroom.person;
\endif

-- 08:00, DC: the supplier's trucks arrive.  Each SKU is topped up to ten
-- days of the demand the chain forecasts, plus a margin, when it falls
-- below half of that.
SET ROLE demo_dc;
SET showroom.person = :'person_dc';
SELECT count(showroom.receive_stock(f.dc_id, f.sku_id, f.qty, 'supplier delivery ' || :'day'))
  FROM (SELECT st.dc_id, st.sku_id,
               (ceil((t.target - st.available) / 10.0) * 10)::int AS qty
          FROM (SELECT dc_id, sku_id, sum(on_hand - allocated) AS available
                  FROM showroom.stock_balance GROUP BY dc_id, sku_id) st
          JOIN (SELECT s.id AS sku_id,
                       10 + coalesce((SELECT sum(q)
                                        FROM demo.plan p, unnest(p.skus, p.qtys) u(sku, q)
                                       WHERE u.sku = s.id AND p.day > :'day'::date
                                         AND p.day <= :'day'::date + 10), 0) AS target
                  FROM showroom.sku s) t USING (sku_id)
         WHERE st.available < t.target / 2) f
 WHERE f.qty > 0 \gset
-- Samples sold open-box are replaced from the DC's stock.
SELECT count(showroom.place_sample(st.id, s.id, 'SN-' || st.code || '-' || s.code || '-' || :'day'))
  FROM showroom.store st
  CROSS JOIN showroom.sku s
  JOIN showroom.category c ON c.code = s.category AND c.large
 WHERE NOT EXISTS (SELECT 1 FROM showroom.sample x
                    WHERE x.store_id = st.id AND x.sku_id = s.id AND x.state = 'on_display')
   AND EXISTS (SELECT 1 FROM showroom.stock_balance b WHERE b.sku_id = s.id AND b.on_hand > b.allocated) \gset
RESET ROLE;
RESET showroom.person;

-- 09:00, dispatcher: yesterday's customers are called back (the crews
-- of the city express are late from May on, and some customers
-- complain, until the complaint rule suspends the outlet); answered
-- visits are closed.  Then today's deliveries become service orders and
-- the whole day is dispatched in one batch; orders left from earlier
-- days are tried once more one by one.
SELECT demo.set_clock(:'day', '09:00') \gset
SET ROLE demo_dispatcher;
SET showroom.person = :'person_dispatcher';
SELECT count(showroom.record_return_visit(s.id, v.score, v.answers)) AS visits,
       count(showroom.file_complaint(s.id, 'feedback.late', 'customer waited all afternoon'))
         FILTER (WHERE v.complain) AS complaints
  FROM showroom.service_order s
  JOIN showroom.outlet o ON o.id = s.outlet_id,
       LATERAL (SELECT abs(hashint8(s.id * 7919 + :seed)) AS h) hh,
       LATERAL (SELECT hh.h % 100 AS r,
                       o.code = 'O-EXPRESS' AND s.done_at >= '2026-05-01' AS bad) x,
       LATERAL (SELECT CASE WHEN x.bad THEN 2 + (x.r % 2) ELSE 3 + (x.r % 3) END AS score,
                       CASE WHEN x.bad THEN ARRAY['visit.late'] ELSE ARRAY['visit.on_time', 'visit.tidy'] END AS answers,
                       (x.bad AND x.r < 12) OR (NOT x.bad AND hh.h % 1000 = 0) AS complain) v
 WHERE s.state = 'done' \gset
SELECT count(showroom.move_order(id, 'closed')) AS closed_visits
  FROM (SELECT id FROM showroom.service_order WHERE state = 'return_visit' ORDER BY id) r \gset
-- The dispatcher sees of a sale only its id and channel: the ERP (the
-- demo's superuser) hands today's orders over in demo.handoff, and the
-- dispatcher records the delivery requests from it.
RESET ROLE;
RESET showroom.person;
TRUNCATE demo.handoff;
INSERT INTO demo.handoff (order_id, lon, lat, delivery_date, customer_name, category)
SELECT o.id, ST_X(o.delivery_point), ST_Y(o.delivery_point), o.delivery_date, o.customer_name,
       (SELECT s.category FROM showroom.sales_line l JOIN showroom.sku s ON s.id = l.sku_id
         WHERE l.order_id = o.id ORDER BY s.category = 'small_appliance', l.line_no LIMIT 1)
  FROM showroom.sales_order o
 WHERE o.delivery_date = :'day'::date AND o.state = 'allocated'
   AND NOT EXISTS (SELECT 1 FROM showroom.service_order s WHERE s.sales_order_id = o.id)
 ORDER BY o.id;
SET ROLE demo_dispatcher;
SET showroom.person = :'person_dispatcher';
SELECT count(showroom.request_service('delivery', h.lon, h.lat, h.delivery_date,
                                      customer_name => h.customer_name,
                                      category => h.category,
                                      sales_order_id => h.order_id)) AS requested
  FROM demo.handoff h \gset
SELECT assigned, unassigned FROM showroom.dispatch_date(:'day'::date) \gset
SELECT count(showroom.dispatch(id)) AS late_dispatch
  FROM (SELECT id FROM showroom.service_order
         WHERE state = 'requested' AND service_date < :'day'::date
           AND service_date >= :'day'::date - 3
         ORDER BY id) x \gset
RESET ROLE;
RESET showroom.person;

-- 09:30, DC: today's runs are planned and loaded, and every order due
-- today or earlier is picked and shipped (orders that no run could take,
-- and replacements of defective units, go on an extra trip).
SELECT demo.set_clock(:'day', '09:30') \gset
SET ROLE demo_dc;
SET showroom.person = :'person_dc';
SELECT count(*) FILTER (WHERE outcome = 'planned') AS on_runs
  FROM showroom.plan_runs((SELECT id FROM showroom.dc WHERE code = 'YQ-DC'), :'day'::date) \gset
SELECT count(showroom.load_run(r.id)) AS runs
  FROM showroom.delivery_run r WHERE r.run_date = :'day'::date AND r.state = 'planned' \gset
SELECT count(showroom.pick_order(id)) AS picked
  FROM (SELECT id FROM showroom.sales_order
         WHERE state = 'allocated' AND delivery_date <= :'day'::date ORDER BY id) x \gset
SELECT count(showroom.ship_order(id)) AS shipped
  FROM (SELECT id FROM showroom.sales_order
         WHERE state = 'picked' AND delivery_date <= :'day'::date ORDER BY id) x \gset
RESET ROLE;
RESET showroom.person;

-- 10:00, store clerks: the day's sales.  An order the DC cannot fill
-- fails whole (SR101) and the customer is lost; the clerk moves on.  A
-- few times a month a store sells a display sample open-box.
SELECT demo.set_clock(:'day', '10:00') \gset
SET ROLE demo_clerk;
SET showroom.person = :'person_clerk';
DO $$
DECLARE
  p record;
  d date := current_setting('demo.day')::date;
BEGIN
  FOR p IN SELECT * FROM demo.plan WHERE day = d ORDER BY n LOOP
    BEGIN
      PERFORM showroom.sell(p.store_id, p.lon, p.lat, p.skus, p.qtys,
                            external_ref => 'POS-' || p.n,
                            customer_name => 'customer ' || p.n,
                            delivery_date => d + CASE WHEN p.channel = 'key_account' THEN 2 ELSE 1 END,
                            cod_fen => p.cod_fen, channel => p.channel);
    EXCEPTION WHEN SQLSTATE 'SR101' THEN
      INSERT INTO demo.lost_sale (n, day, reason) VALUES (p.n, d, SQLERRM);
    END;
  END LOOP;
END
$$;
SELECT count(showroom.open_box_sale(x.id, 'B', (s.list_price_fen * 0.7)::bigint,
                                    'display unit, light marks on the front panel',
                                    'walk-in customer'))
  FROM demo.day_draw dd,
       LATERAL (SELECT x.* FROM showroom.sample x
                 WHERE x.state = 'on_display' AND x.since < :'day'::date - 60
                 ORDER BY x.id OFFSET floor(dd.open_box * 20) LIMIT 1) x
  JOIN showroom.sku s ON s.id = x.sku_id
 WHERE dd.day = :'day'::date AND dd.open_box < 0.12 \gset
RESET ROLE;
RESET showroom.person;

-- 14:00, DC at the customers' doors: about one large unit in 70 is found
-- defective and goes back (the supplier's fault, or the crew's when a
-- hash says so); then everything else on the trucks is delivered, which
-- starts the installations.
SELECT demo.set_clock(:'day', '14:00') \gset
SET ROLE demo_dc;
SET showroom.person = :'person_dc';
SELECT count(showroom.report_defect(l.id, 1,
         CASE WHEN h % 3 = 0 AND so.outlet_id IS NOT NULL THEN 'outlet' ELSE 'supplier' END,
         CASE WHEN h % 3 = 0 THEN so.outlet_id END,
         'found at the door: ' || CASE h % 2 WHEN 0 THEN 'dented side panel' ELSE 'does not power on' END)) AS defects
  FROM (SELECT DISTINCT ON (l.order_id) l.id, l.order_id,
               abs(hashint8(l.id * 104729 + :seed)) AS h
          FROM showroom.sales_line l
          JOIN showroom.sales_order o ON o.id = l.order_id
          JOIN showroom.sku s ON s.id = l.sku_id
          JOIN showroom.category c ON c.code = s.category AND c.large
         WHERE o.state = 'shipped' AND o.delivery_date = :'day'::date
         ORDER BY l.order_id, l.id) l
  LEFT JOIN LATERAL (SELECT s.outlet_id FROM showroom.service_order s
                      WHERE s.sales_order_id = l.order_id AND s.kind = 'delivery'
                      ORDER BY s.id LIMIT 1) so ON true
 WHERE l.h % 70 = 0 \gset
SELECT count(showroom.deliver_order(id)) AS delivered
  FROM (SELECT id FROM showroom.sales_order
         WHERE state IN ('shipped', 'partly_delivered') ORDER BY id) x \gset
RESET ROLE;
RESET showroom.person;

-- 15:00, dispatcher: the installations that today's deliveries started,
-- and second deliveries, are dispatched.
SELECT demo.set_clock(:'day', '15:00') \gset
SET ROLE demo_dispatcher;
SET showroom.person = :'person_dispatcher';
SELECT assigned AS installs_assigned FROM showroom.dispatch_date(:'day'::date) \gset
RESET ROLE;
RESET showroom.person;

-- 16:00 to 17:00, the outlets: crews accept today's jobs at 16:00, are
-- on the way at 16:30 and report them done at 17:00, each step one row of
-- the hash-chained audit trail (so decision support's step times are
-- those of a working day, not zero).  A delivery whose unit was found
-- defective ends with that result; its second delivery is done the next
-- day, when the DC sends the replacement.  Every job accepted here is
-- done at 17:00, so no job waits in accepted or on_the_way overnight.
-- (The clock is moved by the demo's own session: writing it needs a
-- superuser.)
SELECT demo.set_clock(:'day', '16:00') \gset
SET ROLE demo_outlet;
SET showroom.person = :'person_outlet';
SELECT count(showroom.move_order(s.id, 'accepted')) AS accepted
  FROM (SELECT s.id FROM showroom.service_order s
         WHERE s.state = 'dispatched' AND s.service_date <= :'day'::date
           AND (s.origin IS DISTINCT FROM 'defect_redelivery' OR s.service_date < :'day'::date)
         ORDER BY s.id) s \gset
RESET ROLE;
SELECT demo.set_clock(:'day', '16:30') \gset
SET ROLE demo_outlet;
SELECT count(showroom.move_order(s.id, 'on_the_way')) AS on_the_way
  FROM (SELECT s.id FROM showroom.service_order s WHERE s.state = 'accepted' ORDER BY s.id) s \gset
RESET ROLE;
SELECT demo.set_clock(:'day', '17:00') \gset
SET ROLE demo_outlet;
SELECT count(showroom.move_order(id, 'done',
         CASE WHEN kind = 'installation' THEN 'installation.result.installed'
              WHEN EXISTS (SELECT 1 FROM showroom.service_order n WHERE n.previous_id = j.id)
              THEN 'delivery.result.defect_found'
              ELSE 'delivery.result.delivered' END)) AS done
  FROM (SELECT s.id, s.kind FROM showroom.service_order s
         WHERE s.state = 'on_the_way' ORDER BY s.id) j \gset
RESET ROLE;
RESET showroom.person;

-- 18:00, finance: the cash the crews collected at the door today.
SELECT demo.set_clock(:'day', '18:00') \gset
SET ROLE demo_finance;
SET showroom.person = :'person_finance';
SELECT count(showroom.record_cod_collection(o.id, s.outlet_id, o.cod_fen / 100.0, 'cash',
                                            'crew of ' || s.outlet_id)) AS cod
  FROM showroom.sales_order o
  JOIN LATERAL (SELECT s.outlet_id FROM showroom.service_order s
                 WHERE s.sales_order_id = o.id AND s.kind = 'delivery' AND s.outlet_id IS NOT NULL
                 ORDER BY s.id LIMIT 1) s ON true
 WHERE o.state = 'delivered' AND o.cod_fen > 0
   AND NOT EXISTS (SELECT 1 FROM showroom.cod_collection c WHERE c.sales_order_id = o.id) \gset
-- The crews hand that cash in the same evening, each collection in full
-- (cash still out after cash.overdue_days would block its collector).
SELECT count(showroom.hand_in_cod(c.id, (c.amount_fen - coalesce(h.handed, 0))::bigint)) AS handed_in
  FROM showroom.cod_collection c
  LEFT JOIN (SELECT collection_id, sum(amount_fen) AS handed
               FROM showroom.cod_handover GROUP BY collection_id) h ON h.collection_id = c.id
 WHERE c.method = 'cash' AND c.amount_fen > coalesce(h.handed, 0) \gset
-- A handover above cash.review_fen counts only once a second person has
-- reviewed it: the finance supervisor does, the same evening.
SET showroom.person = 'Sun Hui (finance supervisor)';
SELECT count(showroom.review_handover(h.id)) AS reviewed
  FROM showroom.cod_handover h WHERE h.needs_review AND h.reviewed_by IS NULL \gset
SET showroom.person = :'person_finance';
RESET ROLE;
RESET showroom.person;

-- The progress line.
SELECT format('progress: %s  %s orders, %s delivered, %s service jobs', :'day',
              (SELECT count(*) FROM showroom.sales_order),
              (SELECT count(*) FROM showroom.sales_order WHERE state = 'delivered'),
              (SELECT count(*) FROM showroom.service_order)) AS progress \gset
\echo :progress
