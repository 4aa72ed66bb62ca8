
--
-- reports: views only, for any client.
--
-- Every view here reads the tables of the rooms above and calls no
-- function of ours: the reporting role reads views and may execute none,
-- and a function in a view runs as the reader.  The arithmetic a function
-- would do is written out instead.  Business dates are the chain's
-- calendar dates, in the time zone of the setting business_time_zone,
-- read by joining setting_default and setting (the same value
-- showroom.settings shows; every working role may read those two tables,
-- so the views below also work when copied as security_invoker views).
--
-- Types are stable: dates are date, money is numeric(14,2) yuan (whole
-- fen divided by 100, so exact), quantities and counts are integer, rates
-- are fractions from 0 to 1 in numeric.
--
-- Two kinds of view:
--   * the reports themselves (stock_position, sales_daily, ...).  They
--     run with their owner's rights, past row-level security, and are for
--     showroom_reporting (BI tools) and showroom_admin only;
--   * for each report a party needs for its own rows, a copy named
--     my_<report> with security_invoker = true, made at the end of this
--     file from the report's own definition.  It runs as the reader, so
--     the reader's grants and policies decide which rows it shows: a
--     clerk sees its store's sales, an outlet its own load and
--     statements.  roles.sql grants each copy to the parties it is for.
--
-- The reference, with an example per view, is doc/reports.md.
--

INSERT INTO showroom.setting_default (name, value, value_type, description) VALUES
  ('reports.whatif_lead_days', '7', 'integer',
   'central_whatif: days of demand a stock point must cover while its replenishment is on the way'),
  ('reports.whatif_service_factor', '1.65', 'numeric',
   'central_whatif: safety factor z on the standard deviation of daily demand (1.65 is about a 95% chance of no stock-out)');

--
-- Stock position per DC and SKU.
--

CREATE VIEW showroom.stock_position AS
WITH bal AS (
  SELECT b.dc_id, b.sku_id, sum(b.on_hand)::integer AS on_hand,
         sum(b.allocated)::integer AS allocated,
         sum(b.defective)::integer AS defective
    FROM showroom.stock_balance b
   GROUP BY b.dc_id, b.sku_id
), sold AS (
  SELECT o.dc_id, l.sku_id, sum(l.qty - l.cancelled_qty)::integer AS units
    FROM showroom.sales_order o
    JOIN showroom.sales_line l ON l.order_id = o.id
   WHERE o.created_at > now() - interval '30 days'
   GROUP BY o.dc_id, l.sku_id
), shown AS (
  SELECT s.from_dc_id AS dc_id, s.sku_id, count(*)::integer AS samples
    FROM showroom.sample s
   WHERE s.state = 'on_display'
   GROUP BY s.from_dc_id, s.sku_id
), waiting AS (
  SELECT w.dc_id, w.sku_id, sum(w.waiting_qty)::integer AS units
    FROM showroom.backorder w
   WHERE w.waiting_qty > 0
   GROUP BY w.dc_id, w.sku_id
), k AS (
  SELECT bal.dc_id, bal.sku_id FROM bal
  UNION
  SELECT sold.dc_id, sold.sku_id FROM sold
)
SELECT k.dc_id, d.code AS dc_code, k.sku_id, u.code AS sku_code, u.category,
       coalesce(bal.on_hand, 0) AS on_hand,
       coalesce(bal.allocated, 0) AS allocated,
       coalesce(bal.on_hand - bal.allocated, 0) AS available,
       coalesce(bal.defective, 0) AS defective,
       coalesce(waiting.units, 0) AS backordered,
       coalesce(shown.samples, 0) AS samples_on_display,
       coalesce(sold.units, 0) AS sold_30d,
       CASE WHEN sold.units > 0
            THEN round(coalesce(bal.on_hand - bal.allocated, 0) * 30.0 / sold.units, 1)
       END::numeric(10,1) AS days_of_cover
  FROM k
  JOIN showroom.dc d ON d.id = k.dc_id
  JOIN showroom.sku u ON u.id = k.sku_id
  LEFT JOIN bal ON bal.dc_id = k.dc_id AND bal.sku_id = k.sku_id
  LEFT JOIN sold ON sold.dc_id = k.dc_id AND sold.sku_id = k.sku_id
  LEFT JOIN shown ON shown.dc_id = k.dc_id AND shown.sku_id = k.sku_id
  LEFT JOIN waiting ON waiting.dc_id = k.dc_id AND waiting.sku_id = k.sku_id;

COMMENT ON VIEW showroom.stock_position IS
  'stock of each DC and SKU: on hand, allocated, available, defective, waiting orders, samples on display and days of cover at the last 30 days'' sales rate';
COMMENT ON COLUMN showroom.stock_position.dc_id IS 'DC';
COMMENT ON COLUMN showroom.stock_position.dc_code IS 'DC code';
COMMENT ON COLUMN showroom.stock_position.sku_id IS 'SKU';
COMMENT ON COLUMN showroom.stock_position.sku_code IS 'SKU code';
COMMENT ON COLUMN showroom.stock_position.category IS 'product category of the SKU';
COMMENT ON COLUMN showroom.stock_position.on_hand IS 'sellable units in the DC, allocated or not';
COMMENT ON COLUMN showroom.stock_position.allocated IS 'units of on_hand reserved for sales lines';
COMMENT ON COLUMN showroom.stock_position.available IS 'units that can still be sold: on_hand - allocated';
COMMENT ON COLUMN showroom.stock_position.defective IS 'defective units held in the DC (not in on_hand)';
COMMENT ON COLUMN showroom.stock_position.backordered IS 'units sales lines are waiting for (open backorders)';
COMMENT ON COLUMN showroom.stock_position.samples_on_display IS 'display samples of the SKU on show in stores, placed from this DC''s stock';
COMMENT ON COLUMN showroom.stock_position.sold_30d IS 'units sold from this DC in the last 30 days (orders recorded since now() - 30 days), cancelled units left out';
COMMENT ON COLUMN showroom.stock_position.days_of_cover IS 'days the available units last at the last 30 days'' rate: available * 30 / sold_30d; NULL when nothing was sold';

--
-- Display samples per store and SKU, with their age and the gaps.
--

CREATE VIEW showroom.store_display AS
WITH zone AS (
  SELECT coalesce(s.value, d.value) AS tz
    FROM showroom.setting_default d
    LEFT JOIN showroom.setting s ON s.name = d.name
   WHERE d.name = 'business_time_zone'
), shown AS (
  SELECT s.store_id, s.sku_id,
         count(*) FILTER (WHERE s.state = 'on_display')::integer AS on_display,
         min(s.since) FILTER (WHERE s.state = 'on_display') AS oldest_since,
         count(*) FILTER (WHERE s.state = 'sold')::integer AS sold_open_box,
         max(s.ended_at) AS last_ended
    FROM showroom.sample s
   GROUP BY s.store_id, s.sku_id
), asked AS (
  SELECT r.store_id, r.sku_id, r.id, r.requested_at
    FROM showroom.sample_request r
   WHERE r.sample_id IS NULL
), k AS (
  SELECT coalesce(shown.store_id, asked.store_id) AS store_id,
         coalesce(shown.sku_id, asked.sku_id) AS sku_id,
         coalesce(shown.on_display, 0) AS on_display,
         shown.oldest_since,
         coalesce(shown.sold_open_box, 0) AS sold_open_box,
         CASE WHEN coalesce(shown.on_display, 0) = 0
              THEN coalesce(shown.last_ended, asked.requested_at) END AS gap_since,
         asked.id AS open_request_id
    FROM shown
    FULL JOIN asked ON asked.store_id = shown.store_id AND asked.sku_id = shown.sku_id
)
SELECT k.store_id, st.code AS store_code, k.sku_id, u.code AS sku_code, u.category,
       k.on_display,
       (k.oldest_since AT TIME ZONE zone.tz)::date AS oldest_placed,
       (now() AT TIME ZONE zone.tz)::date
         - (k.oldest_since AT TIME ZONE zone.tz)::date AS oldest_age_days,
       k.on_display = 0 AS in_gap,
       (k.gap_since AT TIME ZONE zone.tz)::date AS gap_since,
       (now() AT TIME ZONE zone.tz)::date
         - (k.gap_since AT TIME ZONE zone.tz)::date AS gap_days,
       k.sold_open_box,
       k.open_request_id
  FROM k
  CROSS JOIN zone
  JOIN showroom.store st ON st.id = k.store_id
  JOIN showroom.sku u ON u.id = k.sku_id;

COMMENT ON VIEW showroom.store_display IS
  'display samples per store and SKU: how many are on show, the age of the oldest, and the gaps (shown before or asked for, and not shown now)';
COMMENT ON COLUMN showroom.store_display.store_id IS 'store';
COMMENT ON COLUMN showroom.store_display.store_code IS 'store code';
COMMENT ON COLUMN showroom.store_display.sku_id IS 'SKU';
COMMENT ON COLUMN showroom.store_display.sku_code IS 'SKU code';
COMMENT ON COLUMN showroom.store_display.category IS 'product category of the SKU';
COMMENT ON COLUMN showroom.store_display.on_display IS 'samples of the SKU on show in the store now';
COMMENT ON COLUMN showroom.store_display.oldest_placed IS 'business date the oldest sample on show was placed (NULL when none is on show)';
COMMENT ON COLUMN showroom.store_display.oldest_age_days IS 'days since the oldest sample on show was placed, in business dates';
COMMENT ON COLUMN showroom.store_display.in_gap IS 'true when no sample is on show although the store showed one before or asked for one';
COMMENT ON COLUMN showroom.store_display.gap_since IS 'business date the gap began: the last sample left the display, or (never shown) the request was made';
COMMENT ON COLUMN showroom.store_display.gap_days IS 'days the gap has lasted, in business dates';
COMMENT ON COLUMN showroom.store_display.sold_open_box IS 'samples of the SKU the store sold open-box, ever';
COMMENT ON COLUMN showroom.store_display.open_request_id IS 'the store''s open request for a sample of the SKU, if any';

--
-- Inventory turnover per DC, category and month.
--

CREATE VIEW showroom.inventory_turnover AS
WITH zone AS (
  SELECT coalesce(s.value, d.value) AS tz
    FROM showroom.setting_default d
    LEFT JOIN showroom.setting s ON s.name = d.name
   WHERE d.name = 'business_time_zone'
), moves AS (
  SELECT m.dc_id, u.category,
         date_trunc('month', m.at AT TIME ZONE zone.tz)::date AS month,
         sum(m.d_on_hand)::integer AS d_on_hand,
         coalesce(sum(m.qty) FILTER (WHERE m.kind = 'delivery'), 0)::integer AS delivered
    FROM showroom.stock_movement m
    CROSS JOIN zone
    JOIN showroom.sku u ON u.id = m.sku_id
   GROUP BY m.dc_id, u.category, 3
), grid AS (
  SELECT f.dc_id, f.category, g.month::date AS month
    FROM (SELECT moves.dc_id, moves.category, min(moves.month) AS first_month
            FROM moves GROUP BY moves.dc_id, moves.category) f
    CROSS JOIN zone
    CROSS JOIN LATERAL generate_series(f.first_month,
                 date_trunc('month', now() AT TIME ZONE zone.tz), interval '1 month') AS g(month)
), months AS (
  SELECT grid.dc_id, grid.category, grid.month,
         least((grid.month + interval '1 month')::date,
               (now() AT TIME ZONE zone.tz)::date + 1) - grid.month AS days,
         (sum(coalesce(moves.d_on_hand, 0)) OVER w - coalesce(moves.d_on_hand, 0))::integer AS opening,
         (sum(coalesce(moves.d_on_hand, 0)) OVER w)::integer AS closing,
         coalesce(moves.delivered, 0) AS delivered
    FROM grid
    CROSS JOIN zone
    LEFT JOIN moves ON moves.dc_id = grid.dc_id AND moves.category = grid.category
                   AND moves.month = grid.month
  WINDOW w AS (PARTITION BY grid.dc_id, grid.category ORDER BY grid.month)
)
SELECT months.dc_id, d.code AS dc_code, months.category, months.month,
       months.days::integer AS days,
       months.opening AS opening_on_hand, months.closing AS closing_on_hand,
       ((months.opening + months.closing) / 2.0)::numeric(12,1) AS avg_on_hand,
       months.delivered AS units_delivered,
       CASE WHEN months.opening + months.closing > 0
            THEN round(months.delivered * 2.0 / (months.opening + months.closing), 2)
       END::numeric(10,2) AS turnover,
       CASE WHEN months.delivered > 0
            THEN round((months.opening + months.closing) / 2.0 * months.days / months.delivered, 1)
       END::numeric(10,1) AS days_of_inventory
  FROM months
  JOIN showroom.dc d ON d.id = months.dc_id;

COMMENT ON VIEW showroom.inventory_turnover IS
  'inventory turnover of each DC and product category per business month, in units: delivered / average on hand';
COMMENT ON COLUMN showroom.inventory_turnover.dc_id IS 'DC';
COMMENT ON COLUMN showroom.inventory_turnover.dc_code IS 'DC code';
COMMENT ON COLUMN showroom.inventory_turnover.category IS 'product category';
COMMENT ON COLUMN showroom.inventory_turnover.month IS 'first day of the business month; every month from the first movement to the current one';
COMMENT ON COLUMN showroom.inventory_turnover.days IS 'days of the month counted: all of them, or up to today for the current month';
COMMENT ON COLUMN showroom.inventory_turnover.opening_on_hand IS 'units on hand when the month began (sum of the ledger''s on-hand changes before it)';
COMMENT ON COLUMN showroom.inventory_turnover.closing_on_hand IS 'units on hand when the month ended (or now, for the current month)';
COMMENT ON COLUMN showroom.inventory_turnover.avg_on_hand IS 'mean of opening and closing on hand';
COMMENT ON COLUMN showroom.inventory_turnover.units_delivered IS 'units delivered to customers in the month (delivery movements)';
COMMENT ON COLUMN showroom.inventory_turnover.turnover IS 'units_delivered / avg_on_hand for the month; NULL when nothing was on hand';
COMMENT ON COLUMN showroom.inventory_turnover.days_of_inventory IS 'avg_on_hand * days / units_delivered: days the average stock lasted; NULL when nothing was delivered';

--
-- Sales per store, category and business day.
--

CREATE VIEW showroom.sales_daily AS
WITH zone AS (
  SELECT coalesce(s.value, d.value) AS tz
    FROM showroom.setting_default d
    LEFT JOIN showroom.setting s ON s.name = d.name
   WHERE d.name = 'business_time_zone'
)
SELECT o.store_id, st.code AS store_code, u.category,
       (o.created_at AT TIME ZONE zone.tz)::date AS day,
       count(DISTINCT o.id) FILTER (WHERE l.qty > l.cancelled_qty)::integer AS orders,
       sum(l.qty - l.cancelled_qty)::integer AS units,
       sum(l.cancelled_qty)::integer AS units_cancelled,
       sum(l.returned_qty)::integer AS units_returned,
       (sum((l.qty - l.cancelled_qty)::bigint * l.unit_price_fen) / 100.0)::numeric(14,2) AS amount
  FROM showroom.sales_order o
  CROSS JOIN zone
  JOIN showroom.sales_line l ON l.order_id = o.id
  JOIN showroom.store st ON st.id = o.store_id
  JOIN showroom.sku u ON u.id = l.sku_id
 GROUP BY o.store_id, st.code, u.category, 4;

COMMENT ON VIEW showroom.sales_daily IS
  'sales of each store per product category and business day (the day the order was recorded)';
COMMENT ON COLUMN showroom.sales_daily.store_id IS 'store that sold';
COMMENT ON COLUMN showroom.sales_daily.store_code IS 'store code';
COMMENT ON COLUMN showroom.sales_daily.category IS 'product category';
COMMENT ON COLUMN showroom.sales_daily.day IS 'business date the orders were recorded';
COMMENT ON COLUMN showroom.sales_daily.orders IS 'orders with at least one unit of the category not cancelled';
COMMENT ON COLUMN showroom.sales_daily.units IS 'units sold, cancelled units left out';
COMMENT ON COLUMN showroom.sales_daily.units_cancelled IS 'units of those orders cancelled since';
COMMENT ON COLUMN showroom.sales_daily.units_returned IS 'units of those orders the customers sent back since';
COMMENT ON COLUMN showroom.sales_daily.amount IS 'value of the units sold at their sale prices, yuan (returns not deducted)';

--
-- Deliveries per DC, business day and category.
--

CREATE VIEW showroom.deliveries_daily AS
WITH zone AS (
  SELECT coalesce(s.value, d.value) AS tz
    FROM showroom.setting_default d
    LEFT JOIN showroom.setting s ON s.name = d.name
   WHERE d.name = 'business_time_zone'
)
SELECT m.dc_id, dc.code AS dc_code, (m.at AT TIME ZONE zone.tz)::date AS day, u.category,
       count(DISTINCT m.delivery_id) FILTER (WHERE m.kind = 'delivery')::integer AS deliveries,
       coalesce(sum(m.qty) FILTER (WHERE m.kind = 'delivery'), 0)::integer AS units,
       count(DISTINCT m.delivery_id) FILTER (WHERE m.kind = 'delivery'
                                               AND dl.attempt > 1)::integer AS second_deliveries,
       coalesce(sum(m.qty) FILTER (WHERE m.kind = 'defective'), 0)::integer AS defective_units
  FROM showroom.stock_movement m
  CROSS JOIN zone
  JOIN showroom.dc dc ON dc.id = m.dc_id
  JOIN showroom.sku u ON u.id = m.sku_id
  LEFT JOIN showroom.delivery dl ON dl.id = m.delivery_id
 WHERE m.kind IN ('delivery', 'defective')
 GROUP BY m.dc_id, dc.code, 3, u.category;

COMMENT ON VIEW showroom.deliveries_daily IS
  'deliveries to customers of each DC per business day and product category, with second deliveries and defects found at the door';
COMMENT ON COLUMN showroom.deliveries_daily.dc_id IS 'DC that delivered';
COMMENT ON COLUMN showroom.deliveries_daily.dc_code IS 'DC code';
COMMENT ON COLUMN showroom.deliveries_daily.day IS 'business date of the handover';
COMMENT ON COLUMN showroom.deliveries_daily.category IS 'product category';
COMMENT ON COLUMN showroom.deliveries_daily.deliveries IS 'delivery trips that handed over units of the category';
COMMENT ON COLUMN showroom.deliveries_daily.units IS 'units handed over in good order';
COMMENT ON COLUMN showroom.deliveries_daily.second_deliveries IS 'of those trips, the ones that repeat an earlier delivery (attempt 2 or later)';
COMMENT ON COLUMN showroom.deliveries_daily.defective_units IS 'units found defective at the door that day';

--
-- Outlet load today and for the next 7 days.
--

CREATE VIEW showroom.outlet_load_week AS
WITH zone AS (
  SELECT coalesce(s.value, d.value) AS tz
    FROM showroom.setting_default d
    LEFT JOIN showroom.setting s ON s.name = d.name
   WHERE d.name = 'business_time_zone'
), days AS (
  SELECT ((now() AT TIME ZONE zone.tz)::date + g.n) AS day, g.n AS days_ahead
    FROM zone, generate_series(0, 7) AS g(n)
), cap AS (
  SELECT o.id AS outlet_id, o.code AS outlet_code, days.day, days.days_ahead,
         coalesce((SELECT c.jobs FROM showroom.outlet_capacity c
                    WHERE c.outlet_id = o.id AND c.kind IS NULL AND c.day = days.day),
                  o.daily_capacity) AS capacity,
         coalesce((SELECT ol.booked FROM showroom.outlet_load ol
                    WHERE ol.outlet_id = o.id AND ol.day = days.day), 0) AS booked,
         o.suspended_at IS NULL AS dispatchable
    FROM showroom.outlet o
    CROSS JOIN days
   WHERE o.active
)
SELECT cap.outlet_id, cap.outlet_code, cap.day, cap.days_ahead,
       cap.capacity, cap.booked,
       greatest(cap.capacity - cap.booked, 0) AS free,
       CASE WHEN cap.capacity > 0
            THEN round(cap.booked::numeric / cap.capacity, 3) END::numeric(6,3) AS load_rate,
       cap.dispatchable
  FROM cap;

COMMENT ON VIEW showroom.outlet_load_week IS
  'capacity, booked jobs and free capacity of each active outlet for today (business date) and the next 7 days';
COMMENT ON COLUMN showroom.outlet_load_week.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_load_week.outlet_code IS 'outlet code';
COMMENT ON COLUMN showroom.outlet_load_week.day IS 'service date';
COMMENT ON COLUMN showroom.outlet_load_week.days_ahead IS '0 for today, 1 for tomorrow, ... 7';
COMMENT ON COLUMN showroom.outlet_load_week.capacity IS 'jobs of all kinds the outlet takes that day: the override for the date, else its daily capacity';
COMMENT ON COLUMN showroom.outlet_load_week.booked IS 'jobs booked for that day';
COMMENT ON COLUMN showroom.outlet_load_week.free IS 'capacity - booked, never below 0';
COMMENT ON COLUMN showroom.outlet_load_week.load_rate IS 'booked / capacity (above 1 when overbooked); NULL when capacity is 0';
COMMENT ON COLUMN showroom.outlet_load_week.dispatchable IS 'false while the outlet is suspended from dispatch';

--
-- Dispatch backlog and the orders waiting for an outlet.
--

CREATE VIEW showroom.unserved_orders AS
WITH zone AS (
  SELECT coalesce(s.value, d.value) AS tz
    FROM showroom.setting_default d
    LEFT JOIN showroom.setting s ON s.name = d.name
   WHERE d.name = 'business_time_zone'
)
SELECT o.id AS service_order_id, o.kind, o.category, o.origin, o.sales_order_id,
       o.service_date,
       (o.created_at AT TIME ZONE zone.tz)::date AS requested_on,
       (now() AT TIME ZONE zone.tz)::date - (o.created_at AT TIME ZONE zone.tz)::date AS waiting_days,
       o.created_at + make_interval(hours => k.due_hours) AS due_at,
       o.created_at + make_interval(hours => k.due_hours) < now() AS overdue,
       coalesce(p.reason, 'not tried') AS reason,
       p.checked_at
  FROM showroom.service_order o
  CROSS JOIN zone
  JOIN showroom.service_kind k ON k.code = o.kind
  LEFT JOIN showroom.dispatch_pending p ON p.service_order_id = o.id
 WHERE o.state = 'requested' AND o.outlet_id IS NULL;

COMMENT ON VIEW showroom.unserved_orders IS
  'service orders waiting for an outlet, how long they have waited and why dispatch left them';
COMMENT ON COLUMN showroom.unserved_orders.service_order_id IS 'service order';
COMMENT ON COLUMN showroom.unserved_orders.kind IS 'kind of service';
COMMENT ON COLUMN showroom.unserved_orders.category IS 'product category';
COMMENT ON COLUMN showroom.unserved_orders.origin IS 'call, delivered_sale or defect_redelivery';
COMMENT ON COLUMN showroom.unserved_orders.sales_order_id IS 'sales order it comes from, if any';
COMMENT ON COLUMN showroom.unserved_orders.service_date IS 'date the job is wanted';
COMMENT ON COLUMN showroom.unserved_orders.requested_on IS 'business date it was requested';
COMMENT ON COLUMN showroom.unserved_orders.waiting_days IS 'business days since it was requested';
COMMENT ON COLUMN showroom.unserved_orders.due_at IS 'when it is due: requested plus the kind''s due_hours';
COMMENT ON COLUMN showroom.unserved_orders.overdue IS 'past its due time already';
COMMENT ON COLUMN showroom.unserved_orders.reason IS 'why dispatch left it: outside area, no capability, inactive, suspended, full, or not tried';
COMMENT ON COLUMN showroom.unserved_orders.checked_at IS 'when dispatch last tried (NULL if never)';

CREATE VIEW showroom.dispatch_backlog AS
SELECT u.service_date, u.kind,
       count(*)::integer AS waiting,
       count(*) FILTER (WHERE u.overdue)::integer AS overdue,
       min(u.requested_on) AS oldest_request,
       count(*) FILTER (WHERE u.reason = 'not tried')::integer AS not_tried,
       count(*) FILTER (WHERE u.reason = 'outside area')::integer AS outside_area,
       count(*) FILTER (WHERE u.reason = 'no capability')::integer AS no_capability,
       count(*) FILTER (WHERE u.reason = 'inactive')::integer AS inactive,
       count(*) FILTER (WHERE u.reason = 'suspended')::integer AS suspended,
       count(*) FILTER (WHERE u.reason = 'full')::integer AS fully_booked
  FROM showroom.unserved_orders u
 GROUP BY u.service_date, u.kind;

COMMENT ON VIEW showroom.dispatch_backlog IS
  'service orders waiting for an outlet per service date and kind, counted by the reason dispatch gave';
COMMENT ON COLUMN showroom.dispatch_backlog.service_date IS 'date the jobs are wanted';
COMMENT ON COLUMN showroom.dispatch_backlog.kind IS 'kind of service';
COMMENT ON COLUMN showroom.dispatch_backlog.waiting IS 'orders waiting';
COMMENT ON COLUMN showroom.dispatch_backlog.overdue IS 'of those, past their due time';
COMMENT ON COLUMN showroom.dispatch_backlog.oldest_request IS 'business date the oldest of them was requested';
COMMENT ON COLUMN showroom.dispatch_backlog.not_tried IS 'waiting, dispatch not tried yet';
COMMENT ON COLUMN showroom.dispatch_backlog.outside_area IS 'waiting, no outlet''s area covers the point';
COMMENT ON COLUMN showroom.dispatch_backlog.no_capability IS 'waiting, no outlet there can do the kind and category';
COMMENT ON COLUMN showroom.dispatch_backlog.inactive IS 'waiting, the outlets that could are inactive';
COMMENT ON COLUMN showroom.dispatch_backlog.suspended IS 'waiting, the outlets that could are suspended';
COMMENT ON COLUMN showroom.dispatch_backlog.fully_booked IS 'waiting, the outlets that could are fully booked';

--
-- Service performance per outlet, kind and business month.
--

CREATE VIEW showroom.outlet_performance AS
WITH zone AS (
  SELECT coalesce(s.value, d.value) AS tz
    FROM showroom.setting_default d
    LEFT JOIN showroom.setting s ON s.name = d.name
   WHERE d.name = 'business_time_zone'
), jobs AS (
  SELECT o.outlet_id, o.kind,
         date_trunc('month', o.done_at AT TIME ZONE zone.tz)::date AS month,
         count(*)::integer AS done,
         count(*) FILTER (WHERE o.done_at <= o.created_at + make_interval(hours => k.due_hours))::integer AS on_time,
         count(*) FILTER (WHERE NOT EXISTS (
           SELECT 1 FROM showroom.service_order r
            WHERE r.previous_id = o.id AND r.state <> 'cancelled'))::integer AS first_time
    FROM showroom.service_order o
    CROSS JOIN zone
    JOIN showroom.service_kind k ON k.code = o.kind
   WHERE o.done_at IS NOT NULL AND o.outlet_id IS NOT NULL AND o.state <> 'cancelled'
   GROUP BY o.outlet_id, o.kind, 3
), visits AS (
  SELECT v.outlet_id, v.kind,
         date_trunc('month', v.visited_at AT TIME ZONE zone.tz)::date AS month,
         count(*)::integer AS visits, avg(v.score) AS score
    FROM showroom.return_visit v
    CROSS JOIN zone
   GROUP BY v.outlet_id, v.kind, 3
), complaints AS (
  SELECT c.outlet_id, o.kind,
         date_trunc('month', c.opened_at AT TIME ZONE zone.tz)::date AS month,
         count(*)::integer AS complaints
    FROM showroom.complaint c
    CROSS JOIN zone
    JOIN showroom.service_order o ON o.id = c.order_id
   WHERE c.outlet_id IS NOT NULL AND c.state <> 'rejected'
   GROUP BY c.outlet_id, o.kind, 3
), redeliveries AS (
  SELECT f.outlet_id, 'delivery'::text AS kind,
         date_trunc('month', f.found_at AT TIME ZONE zone.tz)::date AS month,
         count(DISTINCT f.redelivery_id)::integer AS caused
    FROM showroom.defect f
    CROSS JOIN zone
   WHERE f.responsible = 'outlet'
   GROUP BY f.outlet_id, 3
), k AS (
  SELECT jobs.outlet_id, jobs.kind, jobs.month FROM jobs
  UNION SELECT visits.outlet_id, visits.kind, visits.month FROM visits
  UNION SELECT complaints.outlet_id, complaints.kind, complaints.month FROM complaints
  UNION SELECT redeliveries.outlet_id, redeliveries.kind, redeliveries.month FROM redeliveries
)
SELECT k.outlet_id, ot.code AS outlet_code, k.kind, k.month,
       coalesce(jobs.done, 0) AS jobs_done,
       coalesce(jobs.on_time, 0) AS on_time,
       round(jobs.on_time::numeric / nullif(jobs.done, 0), 3)::numeric(5,3) AS on_time_rate,
       coalesce(jobs.first_time, 0) AS first_time_fix,
       round(jobs.first_time::numeric / nullif(jobs.done, 0), 3)::numeric(5,3) AS first_time_fix_rate,
       coalesce(visits.visits, 0) AS visits,
       round(visits.score, 2)::numeric(3,2) AS satisfaction,
       coalesce(complaints.complaints, 0) AS complaints,
       round(coalesce(complaints.complaints, 0)::numeric / nullif(jobs.done, 0), 3)::numeric(8,3) AS complaint_rate,
       coalesce(redeliveries.caused, 0) AS second_deliveries_caused
  FROM k
  JOIN showroom.outlet ot ON ot.id = k.outlet_id
  LEFT JOIN jobs ON jobs.outlet_id = k.outlet_id AND jobs.kind = k.kind AND jobs.month = k.month
  LEFT JOIN visits ON visits.outlet_id = k.outlet_id AND visits.kind = k.kind AND visits.month = k.month
  LEFT JOIN complaints ON complaints.outlet_id = k.outlet_id AND complaints.kind = k.kind
                      AND complaints.month = k.month
  LEFT JOIN redeliveries ON redeliveries.outlet_id = k.outlet_id AND redeliveries.kind = k.kind
                        AND redeliveries.month = k.month;

COMMENT ON VIEW showroom.outlet_performance IS
  'service performance of each outlet per kind of service and business month: jobs done, on time, first-time fix, satisfaction, complaints and second deliveries it caused';
COMMENT ON COLUMN showroom.outlet_performance.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_performance.outlet_code IS 'outlet code';
COMMENT ON COLUMN showroom.outlet_performance.kind IS 'kind of service';
COMMENT ON COLUMN showroom.outlet_performance.month IS 'first day of the business month';
COMMENT ON COLUMN showroom.outlet_performance.jobs_done IS 'jobs the outlet completed in the month (by done_at; cancelled orders left out)';
COMMENT ON COLUMN showroom.outlet_performance.on_time IS 'of those, done within the kind''s due_hours of the request';
COMMENT ON COLUMN showroom.outlet_performance.on_time_rate IS 'on_time / jobs_done; NULL without jobs';
COMMENT ON COLUMN showroom.outlet_performance.first_time_fix IS 'of those jobs, the ones no later service order repeats (previous_id), cancelled repeats not counted';
COMMENT ON COLUMN showroom.outlet_performance.first_time_fix_rate IS 'first_time_fix / jobs_done; NULL without jobs';
COMMENT ON COLUMN showroom.outlet_performance.visits IS 'return visits made in the month about the outlet''s jobs of the kind';
COMMENT ON COLUMN showroom.outlet_performance.satisfaction IS 'mean score of those visits, 1 to 5; NULL without visits';
COMMENT ON COLUMN showroom.outlet_performance.complaints IS 'complaints opened in the month against the outlet about orders of the kind, rejected ones left out';
COMMENT ON COLUMN showroom.outlet_performance.complaint_rate IS 'complaints / jobs_done; NULL without jobs';
COMMENT ON COLUMN showroom.outlet_performance.second_deliveries_caused IS 'second deliveries made necessary by defects the outlet was found responsible for in the month (on the delivery row)';

--
-- Settlement: statements with their totals per component.  The lines are
-- finance_export and the COD picture cod_reconciliation (settlement room).
--

CREATE VIEW showroom.statement_report AS
SELECT st.id AS statement_id, st.outlet_id, o.code AS outlet_code, st.period, st.state,
       count(l.id)::integer AS lines,
       (coalesce(sum(l.amount_fen) FILTER (WHERE l.component = 'service_fee'), 0) / 100.0)::numeric(14,2) AS service_fees,
       (coalesce(sum(l.amount_fen) FILTER (WHERE l.component = 'parts'), 0) / 100.0)::numeric(14,2) AS parts,
       (coalesce(sum(l.amount_fen) FILTER (WHERE l.component IN
          ('complaint_penalty', 'late_penalty', 'second_delivery_penalty')), 0) / 100.0)::numeric(14,2) AS penalties,
       (coalesce(sum(l.amount_fen) FILTER (WHERE l.component = 'cod_collected'), 0) / 100.0)::numeric(14,2) AS cod_collected,
       (coalesce(sum(l.amount_fen) FILTER (WHERE l.component = 'cod_remitted'), 0) / 100.0)::numeric(14,2) AS cod_remitted,
       (coalesce(sum(l.amount_fen) FILTER (WHERE l.component = 'adjustment'), 0) / 100.0)::numeric(14,2) AS adjustments,
       (coalesce(sum(l.amount_fen), 0) / 100.0)::numeric(14,2) AS total,
       st.closed_at
  FROM showroom.statement st
  JOIN showroom.outlet o ON o.id = st.outlet_id
  LEFT JOIN showroom.statement_line l ON l.statement_id = st.id
 GROUP BY st.id, o.code;

COMMENT ON VIEW showroom.statement_report IS
  'each settlement statement with its total per component, yuan; positive is owed to the outlet, negative deducted';
COMMENT ON COLUMN showroom.statement_report.statement_id IS 'statement id';
COMMENT ON COLUMN showroom.statement_report.outlet_id IS 'outlet settled';
COMMENT ON COLUMN showroom.statement_report.outlet_code IS 'outlet code';
COMMENT ON COLUMN showroom.statement_report.period IS 'first day of the month settled';
COMMENT ON COLUMN showroom.statement_report.state IS 'open or closed';
COMMENT ON COLUMN showroom.statement_report.lines IS 'number of lines';
COMMENT ON COLUMN showroom.statement_report.service_fees IS 'fees for completed orders, yuan';
COMMENT ON COLUMN showroom.statement_report.parts IS 'parts passed through at list price, yuan';
COMMENT ON COLUMN showroom.statement_report.penalties IS 'complaint, late-job and second-delivery penalties, yuan (negative)';
COMMENT ON COLUMN showroom.statement_report.cod_collected IS 'COD cash the outlet collected and owes, yuan (negative)';
COMMENT ON COLUMN showroom.statement_report.cod_remitted IS 'COD cash the outlet paid over, yuan (positive)';
COMMENT ON COLUMN showroom.statement_report.adjustments IS 'corrections of lines of earlier statements, yuan';
COMMENT ON COLUMN showroom.statement_report.total IS 'sum of every line, yuan: the amount of the statement';
COMMENT ON COLUMN showroom.statement_report.closed_at IS 'when it was closed (NULL while open)';

--
-- The what-if of central distribution.
--
-- For each DC, SKU and business month, the same sales are priced twice:
-- as they were (all stock in the DC, every unit delivered from there to
-- the customer) and as they would have been with the stock kept in each
-- store that sold.  The model, stated in doc/reports.md:
--
--   demand   x(p, t): units sold on business day t at stock point p (a
--            store, or the DC as the sum of its stores), cancelled units
--            left out; N days in the month (up to today for the current
--            one), days without a sale counting as 0;
--   mean     m(p) = sum x / N; deviation s(p) = sqrt(sum x^2 / N - m^2);
--   stock    a point with lead time L (reports.whatif_lead_days) and
--            safety factor z (reports.whatif_service_factor) holds
--            ceil(L * m + z * sqrt(L) * s): L days of mean demand plus
--            safety stock.  The store model needs the sum of that over
--            the stores that sold; the DC needs it once for the pooled
--            demand, whose deviation is at most the sum of the stores'.
--   trips    the customer is delivered at home in both models, so both
--            need one delivery per order; the store model also needs
--            a restocking trip from the DC to each store on each day it
--            sold (one per store and day for the DC summary, however
--            many SKUs it carries).
--
-- The views are plain: they read the sales in one pass (no grid of days:
-- the zero days enter through N), so a month of a large chain costs one
-- scan of its orders.  Query them with a month in the WHERE clause.
--

CREATE VIEW showroom.central_whatif AS
WITH zone AS (
  SELECT coalesce(s.value, d.value) AS tz
    FROM showroom.setting_default d
    LEFT JOIN showroom.setting s ON s.name = d.name
   WHERE d.name = 'business_time_zone'
), param AS (
  SELECT (SELECT coalesce(s.value, d.value) FROM showroom.setting_default d
            LEFT JOIN showroom.setting s ON s.name = d.name
           WHERE d.name = 'reports.whatif_lead_days')::integer AS lead_days,
         (SELECT coalesce(s.value, d.value) FROM showroom.setting_default d
            LEFT JOIN showroom.setting s ON s.name = d.name
           WHERE d.name = 'reports.whatif_service_factor')::numeric AS z
), daily AS (
  -- Units and orders per DC, SKU, store and business day, and (store
  -- NULL) per DC, SKU and day for the stores together: one pass.
  SELECT o.dc_id, l.sku_id, o.store_id, (o.created_at AT TIME ZONE zone.tz)::date AS day,
         sum(l.qty - l.cancelled_qty) AS units, count(DISTINCT o.id) AS orders
    FROM showroom.sales_order o
    CROSS JOIN zone
    JOIN showroom.sales_line l ON l.order_id = o.id
   WHERE l.qty > l.cancelled_qty
   GROUP BY GROUPING SETS ((o.dc_id, l.sku_id, o.store_id, 4), (o.dc_id, l.sku_id, 4))
), monthly AS (
  -- Per stock point (a store, or NULL for the DC) and month: the sums
  -- the mean and deviation need, the days it sold and its orders.
  SELECT daily.dc_id, daily.sku_id, daily.store_id,
         date_trunc('month', daily.day)::date AS month,
         sum(daily.units) AS units, sum(daily.units * daily.units) AS units_sq,
         count(*) AS days_selling, sum(daily.orders) AS orders
    FROM daily
   GROUP BY daily.dc_id, daily.sku_id, daily.store_id, 4
), need AS (
  SELECT m.dc_id, m.sku_id, m.store_id, m.month, m.units, m.days_selling, m.orders, n.days,
         ceil(param.z * sqrt(param.lead_days::numeric)
              * sqrt(greatest(m.units_sq::numeric / n.days
                              - (m.units::numeric / n.days) ^ 2, 0))) AS safety,
         ceil(param.lead_days * m.units::numeric / n.days
              + param.z * sqrt(param.lead_days::numeric)
                * sqrt(greatest(m.units_sq::numeric / n.days
                                - (m.units::numeric / n.days) ^ 2, 0))) AS stock
    FROM monthly m
    CROSS JOIN param
    CROSS JOIN zone
    CROSS JOIN LATERAL (SELECT least((m.month + interval '1 month')::date,
                                     (now() AT TIME ZONE zone.tz)::date + 1) - m.month AS days) n
), point AS (
  SELECT need.dc_id, need.sku_id, need.month, max(need.days) AS days,
         sum(need.units) FILTER (WHERE need.store_id IS NULL) AS units,
         count(*) FILTER (WHERE need.store_id IS NOT NULL) AS stores,
         sum(need.orders) FILTER (WHERE need.store_id IS NULL) AS orders,
         sum(need.days_selling) FILTER (WHERE need.store_id IS NOT NULL) AS restocks,
         sum(need.safety) FILTER (WHERE need.store_id IS NOT NULL) AS safety_stores,
         sum(need.safety) FILTER (WHERE need.store_id IS NULL) AS safety_central,
         sum(need.stock) FILTER (WHERE need.store_id IS NOT NULL) AS stock_stores,
         sum(need.stock) FILTER (WHERE need.store_id IS NULL) AS stock_central
    FROM need
   GROUP BY need.dc_id, need.sku_id, need.month
)
SELECT p.dc_id, dc.code AS dc_code, p.sku_id, u.code AS sku_code, u.category, p.month,
       p.days::integer AS days, param.lead_days, param.z::numeric(4,2) AS service_factor,
       p.units::integer AS units_sold,
       p.stores::integer AS stores_selling,
       p.orders::integer AS customer_deliveries,
       p.restocks::integer AS store_restocks,
       (p.orders + p.restocks)::integer AS deliveries_store_model,
       p.orders::integer AS deliveries_central,
       p.safety_stores::integer AS safety_stock_stores,
       p.safety_central::integer AS safety_stock_central,
       p.stock_stores::integer AS stock_store_model,
       p.stock_central::integer AS stock_central
  FROM point p
  CROSS JOIN param
  JOIN showroom.dc dc ON dc.id = p.dc_id
  JOIN showroom.sku u ON u.id = p.sku_id;

COMMENT ON VIEW showroom.central_whatif IS
  'what-if of central distribution per DC, SKU and business month: the deliveries and stock the same sales needed from the DC, next to what they would have needed with stock kept in each store (model in doc/reports.md)';
COMMENT ON COLUMN showroom.central_whatif.dc_id IS 'DC';
COMMENT ON COLUMN showroom.central_whatif.dc_code IS 'DC code';
COMMENT ON COLUMN showroom.central_whatif.sku_id IS 'SKU';
COMMENT ON COLUMN showroom.central_whatif.sku_code IS 'SKU code';
COMMENT ON COLUMN showroom.central_whatif.category IS 'product category';
COMMENT ON COLUMN showroom.central_whatif.month IS 'first day of the business month';
COMMENT ON COLUMN showroom.central_whatif.days IS 'days of demand N: the whole month, or up to today for the current month';
COMMENT ON COLUMN showroom.central_whatif.lead_days IS 'lead time L in days (setting reports.whatif_lead_days)';
COMMENT ON COLUMN showroom.central_whatif.service_factor IS 'safety factor z (setting reports.whatif_service_factor)';
COMMENT ON COLUMN showroom.central_whatif.units_sold IS 'units sold in the month, cancelled units left out';
COMMENT ON COLUMN showroom.central_whatif.stores_selling IS 'stores that sold the SKU in the month';
COMMENT ON COLUMN showroom.central_whatif.customer_deliveries IS 'orders with the SKU: deliveries to customers, needed in both models';
COMMENT ON COLUMN showroom.central_whatif.store_restocks IS 'days a store sold the SKU, summed over stores: DC-to-store trips the store model needs for it';
COMMENT ON COLUMN showroom.central_whatif.deliveries_store_model IS 'customer_deliveries + store_restocks';
COMMENT ON COLUMN showroom.central_whatif.deliveries_central IS 'customer_deliveries: the DC delivers to the customer directly';
COMMENT ON COLUMN showroom.central_whatif.safety_stock_stores IS 'sum over the stores of ceil(z * sqrt(L) * s(store))';
COMMENT ON COLUMN showroom.central_whatif.safety_stock_central IS 'ceil(z * sqrt(L) * s(DC)), s of the pooled daily demand';
COMMENT ON COLUMN showroom.central_whatif.stock_store_model IS 'sum over the stores of ceil(L * m(store) + z * sqrt(L) * s(store)): stock the stores would have held';
COMMENT ON COLUMN showroom.central_whatif.stock_central IS 'ceil(L * m(DC) + z * sqrt(L) * s(DC)): stock the DC needs for the same sales';

CREATE VIEW showroom.central_whatif_dc AS
WITH zone AS (
  SELECT coalesce(s.value, d.value) AS tz
    FROM showroom.setting_default d
    LEFT JOIN showroom.setting s ON s.name = d.name
   WHERE d.name = 'business_time_zone'
), sales AS (
  SELECT o.dc_id,
         date_trunc('month', o.created_at AT TIME ZONE zone.tz)::date AS month,
         count(DISTINCT o.id) AS orders,
         count(DISTINCT (o.store_id, (o.created_at AT TIME ZONE zone.tz)::date)) AS restocks
    FROM showroom.sales_order o
    CROSS JOIN zone
   WHERE EXISTS (SELECT 1 FROM showroom.sales_line l
                  WHERE l.order_id = o.id AND l.qty > l.cancelled_qty)
   GROUP BY o.dc_id, 2
), trips AS (
  SELECT o.dc_id,
         date_trunc('month', dl.shipped_at AT TIME ZONE zone.tz)::date AS month,
         count(*) AS trips, count(*) FILTER (WHERE dl.attempt > 1) AS second
    FROM showroom.delivery dl
    CROSS JOIN zone
    JOIN showroom.sales_order o ON o.id = dl.sales_order_id
   WHERE dl.shipped_at IS NOT NULL
   GROUP BY o.dc_id, 2
), skus AS (
  SELECT w.dc_id, w.month, sum(w.units_sold) AS units,
         sum(w.stock_store_model) AS stock_store_model, sum(w.stock_central) AS stock_central
    FROM showroom.central_whatif w
   GROUP BY w.dc_id, w.month
)
SELECT s.dc_id, dc.code AS dc_code, s.month,
       skus.units::integer AS units_sold,
       s.orders::integer AS customer_deliveries,
       s.restocks::integer AS store_restocks,
       (s.orders + s.restocks)::integer AS deliveries_store_model,
       s.orders::integer AS deliveries_central,
       coalesce(t.trips, 0)::integer AS dc_trips_shipped,
       coalesce(t.second, 0)::integer AS second_deliveries_shipped,
       skus.stock_store_model::integer AS stock_store_model,
       skus.stock_central::integer AS stock_central,
       round(1 - skus.stock_central::numeric / nullif(skus.stock_store_model, 0), 3)::numeric(5,3) AS stock_saved_rate
  FROM sales s
  JOIN skus ON skus.dc_id = s.dc_id AND skus.month = s.month
  JOIN showroom.dc dc ON dc.id = s.dc_id
  LEFT JOIN trips t ON t.dc_id = s.dc_id AND t.month = s.month;

COMMENT ON VIEW showroom.central_whatif_dc IS
  'what-if of central distribution per DC and business month: central_whatif summed over SKUs, with restocking trips counted once per store and day and the trips the DC really shipped';
COMMENT ON COLUMN showroom.central_whatif_dc.dc_id IS 'DC';
COMMENT ON COLUMN showroom.central_whatif_dc.dc_code IS 'DC code';
COMMENT ON COLUMN showroom.central_whatif_dc.month IS 'first day of the business month';
COMMENT ON COLUMN showroom.central_whatif_dc.units_sold IS 'units sold in the month, cancelled units left out';
COMMENT ON COLUMN showroom.central_whatif_dc.customer_deliveries IS 'orders with a unit not cancelled: deliveries to customers, needed in both models';
COMMENT ON COLUMN showroom.central_whatif_dc.store_restocks IS 'days a store sold anything, summed over stores: DC-to-store trips the store model needs';
COMMENT ON COLUMN showroom.central_whatif_dc.deliveries_store_model IS 'customer_deliveries + store_restocks';
COMMENT ON COLUMN showroom.central_whatif_dc.deliveries_central IS 'customer_deliveries: the DC delivers to the customer directly';
COMMENT ON COLUMN showroom.central_whatif_dc.dc_trips_shipped IS 'delivery trips the DC really shipped in the month (second deliveries included)';
COMMENT ON COLUMN showroom.central_whatif_dc.second_deliveries_shipped IS 'of those, second or later deliveries after a defect';
COMMENT ON COLUMN showroom.central_whatif_dc.stock_store_model IS 'stock the stores would have held, summed over SKUs (central_whatif.stock_store_model)';
COMMENT ON COLUMN showroom.central_whatif_dc.stock_central IS 'stock the DC needs for the same sales, summed over SKUs (central_whatif.stock_central)';
COMMENT ON COLUMN showroom.central_whatif_dc.stock_saved_rate IS '1 - stock_central / stock_store_model: the share of stock pooling saves';

--
-- The parties' copies.  Each my_<report> is the report's own query as a
-- security_invoker view, so that it shows the reader only the rows its
-- policies let it read (and fails for a reader that may not read one of
-- the tables).  roles.sql grants each copy to the parties it is for; the
-- comment of the copy is the report's, with the rule added.
--
DO $$
DECLARE
  v text;
  c record;
BEGIN
  FOREACH v IN ARRAY ARRAY['stock_position', 'store_display', 'inventory_turnover',
                           'sales_daily', 'deliveries_daily', 'outlet_load_week',
                           'unserved_orders', 'outlet_performance', 'statement_report']
  LOOP
    EXECUTE pg_catalog.format('CREATE VIEW showroom.%I WITH (security_invoker = true) AS %s',
                              'my_' || v,
                              pg_catalog.pg_get_viewdef(pg_catalog.format('showroom.%I', v)::regclass));
    EXECUTE pg_catalog.format('COMMENT ON VIEW showroom.%I IS %L', 'my_' || v,
                              pg_catalog.obj_description(pg_catalog.format('showroom.%I', v)::regclass, 'pg_class')
                              || '; runs as the reader, so it shows only the rows the reader''s policies let it see');
    FOR c IN
      SELECT a.attname, pg_catalog.col_description(a.attrelid, a.attnum) AS comment
        FROM pg_catalog.pg_attribute a
       WHERE a.attrelid = pg_catalog.format('showroom.%I', v)::regclass
         AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
      EXECUTE pg_catalog.format('COMMENT ON COLUMN showroom.%I.%I IS %L', 'my_' || v,
                                c.attname, c.comment);
    END LOOP;
  END LOOP;
END
$$;
