-- hostile: every function of schema showroom, called with bad values in
-- each argument in turn: NULL, zero, negative and huge numbers, NaN and
-- infinities, empty and very long strings, unknown ids, empty, invalid,
-- wrong-SRID and lon/lat-swapped geometries, dates far in the past and
-- future, empty and NULL-holding arrays.  Each call must end in a clear
-- error (or do nothing harmful), never an internal error, a hang or a
-- crash, and whatever fails writes nothing.  The expected output lists
-- the calls that still fall short (a bare error, a bad value stored):
-- each is a check missing in the room that owns the function, so fixing
-- one removes its row, and a new one shows as a difference.
--
-- The table api below holds one row per function: a plausible value for
-- each argument.  The bad values come from the argument's type (table
-- bad); each call replaces one argument and keeps the others.  A function
-- of the schema without a row in api is listed first: add its row.
-- Trigger functions cannot be called and are left out; the tariff type's
-- I/O functions are skipped (the tariff_invalid test and the fuzzer in
-- test/fuzz/ cover the parser).
\i test/helpers.sql

-- Data for the calls to work on: every room's fixtures.
\set ECHO none
\o /dev/null
\! cat test/fixtures/fill_*.sql > results/hostile_fill.sql
\i results/hostile_fill.sql
\set ON_ERROR_STOP 0
\o
\set ECHO all
SET client_min_messages = error;

-- Plausible values, named, for the rows of api to use as :name.
CREATE TEMP TABLE ph (name text PRIMARY KEY, expr text NOT NULL);
INSERT INTO ph VALUES
  ('dc', (SELECT id::text FROM showroom.dc WHERE code = 'FX-DC')),
  ('store', (SELECT id::text FROM showroom.store WHERE code = 'FX-S1')),
  ('sku', (SELECT id::text FROM showroom.sku WHERE code = 'FX-AC')),
  ('outlet', (SELECT id::text FROM showroom.outlet WHERE code = 'FX-A')),
  ('sorder', (SELECT id::text FROM showroom.sales_order WHERE external_ref = 'FX-2')),
  ('line', (SELECT min(l.id)::text FROM showroom.sales_line l
              JOIN showroom.sales_order o ON o.id = l.order_id WHERE o.external_ref = 'FX-1')),
  ('svc', (SELECT min(id)::text FROM showroom.service_order WHERE state = 'requested')),
  ('done', (SELECT id::text FROM showroom.service_order WHERE serial = 'FX-1')),
  ('stmt', (SELECT max(id)::text FROM showroom.statement)),
  ('sline', (SELECT max(id)::text FROM showroom.statement_line)),
  ('part', (SELECT id::text FROM showroom.part WHERE code = 'FX-CAP')),
  ('vehicle', (SELECT min(id)::text FROM showroom.vehicle)),
  ('run', (SELECT min(id)::text FROM showroom.delivery_run)),
  ('complaint', (SELECT max(id)::text FROM showroom.complaint)),
  ('area', (SELECT min(id)::text FROM showroom.service_area)),
  ('rule', (SELECT min(id)::text FROM showroom.fee_rule)),
  ('sample', (SELECT id::text FROM showroom.sample WHERE serial = 'FX-AC-S9')),
  ('part_use', (SELECT min(id)::text FROM showroom.part_use)),
  ('movement', (SELECT max(id)::text FROM showroom.stock_movement)),
  ('pdc', (SELECT id::text FROM showroom.dc WHERE code = 'wf-fx-pdc')),
  ('poutlet', (SELECT id::text FROM showroom.outlet WHERE code = 'wf-fx-p1')),
  ('pt', $$'SRID=4326;POINT(113.6 37.9)'::geometry$$),
  ('poly', $$'SRID=4326;POLYGON((113.4 37.7,113.6 37.7,113.6 38.0,113.4 38.0,113.4 37.7))'::geometry$$),
  ('lon', '113.6::float8'), ('lat', '37.9::float8'),
  ('day', $$'2026-12-10'::date$$), ('month', $$'2026-11-01'::date$$),
  ('at', $$'2026-12-04 10:00Z'::timestamptz$$),
  ('tariff', $$'0-10km: 80.00; 10km+: 80.00 + 2.00/km'::showroom.tariff$$),
  ('so_row', '(SELECT so FROM showroom.service_order so ORDER BY id LIMIT 1)'),
  ('sales_row', '(SELECT o FROM showroom.sales_order o ORDER BY id LIMIT 1)'),
  ('line_row', '(SELECT l FROM showroom.sales_line l ORDER BY id LIMIT 1)'),
  ('trail_row', '(SELECT t FROM showroom.service_trail t ORDER BY id LIMIT 1)'),
  ('dispatched', (SELECT min(id)::text FROM showroom.service_order WHERE state = 'dispatched')),
  ('feeorder', (SELECT id::text FROM showroom.service_order WHERE customer_name = 'fixture fee customer')),
  -- A done order without a receipt: the first dispatched order, finished
  -- by the call itself.
  ('doneorder', format($$(SELECT %1$s FROM (SELECT showroom.move_order(%1$s, 'accepted'),
                                                   showroom.move_order(%1$s, 'on_the_way'),
                                                   showroom.move_order(%1$s, 'done', 'installation.result.installed')) x)$$,
                       (SELECT min(id) FROM showroom.service_order WHERE state = 'dispatched'))),
  ('offerorder', (SELECT id::text FROM showroom.service_order WHERE customer_name = 'fixture offer customer')),
  -- An open offer and a standing incident without an appeal: made by
  -- the call itself (each call is undone), as the fixture has neither.
  ('offer', format('(SELECT showroom.offer_order(%s))',
                   (SELECT min(id) FROM showroom.service_order WHERE state = 'dispatched'))),
  ('incident', format($$(SELECT showroom.record_incident(%s, 'late', 'outlet', 'hostile', now()))$$,
                      (SELECT id FROM showroom.service_order WHERE customer_name = 'fixture fee customer'))),
  ('appeal', (SELECT max(id)::text FROM showroom.appeal)),
  ('fprice', (SELECT max(id)::text FROM showroom.fee_price WHERE item = 'fx_hose')),
  ('collection', (SELECT min(id)::text FROM showroom.cod_collection)),
  ('handover', (SELECT min(id)::text FROM showroom.cod_handover)),
  ('alert', (SELECT min(id)::text FROM showroom.alert)),
  ('arule', (SELECT min(id)::text FROM showroom.alert_rule)),
  ('arule_row', '(SELECT r FROM showroom.alert_rule r ORDER BY id LIMIT 1)'),
  ('from_at', $$'2026-06-01 00:00Z'::timestamptz$$), ('to_at', $$'2026-07-01 00:00Z'::timestamptz$$),
  ('measures', $$ARRAY[('fx_hose', 4, NULL), ('high_altitude', 1, 7)]::showroom.fee_measure[]$$),
  ('sites', $$ARRAY['SRID=4326;POINT(113.6 37.9)'::geometry, 'SRID=4326;POINT(113.5 37.8)'::geometry]$$),
  ('lons', $$'{113.59,113.61,113.60}'$$), ('lats', $$'{37.90,37.90,37.89}'$$),
  ('weights', $$'{1,1,5}'$$);

-- One row per function: a plausible SQL expression for each argument, or
-- skip with the reason.  helper marks the internal steps that doc/ does
-- not offer to users (their callers check the arguments first): for them
-- only internal errors and hangs count, not bare errors or values stored.
CREATE TEMP TABLE api (fn text PRIMARY KEY, args text[] NOT NULL DEFAULT '{}', skip text,
                       helper boolean NOT NULL DEFAULT false);
INSERT INTO api (fn, args) VALUES
  ('accept_offer(bigint)', ARRAY[':offer']),
  ('acknowledge_alert(bigint,text)', ARRAY[':alert', $$'hostile'$$]),
  ('add_alert_rule(text,text,integer,integer,numeric,integer,text[])',
   ARRAY[$$'hostile rule'$$, $$'outlet'$$, '7', '90', '3', '1', $$'{complaint}'$$]),
  ('add_district(text,text,geometry,boolean)', ARRAY[$$'H-D'$$, $$'hostile district'$$, ':poly', 'false']),
  ('add_fee_item(text,text,text,text,text,boolean)',
   ARRAY[$$'h_item'$$, $$'hostile item'$$, $$'metre'$$, $$'customer'$$, 'NULL', 'false']),
  ('add_fee_region(text,text,geometry,numeric)', ARRAY[$$'h_region'$$, $$'hostile region'$$, ':poly', '1.2']),
  ('add_peak_outlet(bigint,date,date,integer,boolean)',
   ARRAY[':outlet', $$'2026-12-10'$$, $$'2026-12-20'$$, '8', 'false']),
  ('alert_check(showroom.alert_rule,bigint,text,bigint,timestamp with time zone)',
   ARRAY[':arule_row', ':outlet', $$'complaint'$$, ':complaint', ':at']),
  ('alert_row(bigint)', ARRAY[':alert']),
  ('apply_ladder(bigint,date)', ARRAY[':outlet', $$'2026-10-01'$$]),
  ('apply_peak_outlets(date)', ARRAY[':day']),
  ('best_sites(bigint,date,date,integer)', ARRAY[':dc', $$'2026-06-01'$$, $$'2026-06-30'$$, '8']),
  ('check_collector(text)', ARRAY[$$'hostile crew'$$]),
  ('check_period(bigint,date,date)', ARRAY[':dc', $$'2026-06-01'$$, $$'2026-06-30'$$]),
  ('check_sites(geometry[])', ARRAY[':sites']),
  ('check_window(timestamp with time zone,timestamp with time zone)', ARRAY[':from_at', ':to_at']),
  ('close_alert(bigint,text)', ARRAY[':alert', $$'hostile'$$]),
  ('collect_cod(bigint,bigint,numeric,text,text,timestamp with time zone)',
   ARRAY[':sorder', ':outlet', '10.00', $$'cash'$$, $$'hostile crew'$$, ':at']),
  ('compute_grades()', '{}'),
  ('decide_appeal(bigint,boolean,text)', ARRAY[':appeal', 'true', $$'hostile'$$]),
  ('declare_peak(text,date,date,numeric,geometry)',
   ARRAY[$$'hostile peak'$$, $$'2026-12-10'$$, $$'2026-12-20'$$, '1.5', ':poly']),
  ('decline_offer(bigint,text)', ARRAY[':offer', $$'refusal.capacity'$$]),
  ('end_fee_price(bigint,date)', ARRAY[':fprice', $$'2026-12-31'$$]),
  ('expire_offers(timestamp with time zone)', ARRAY[':at']),
  ('fee_compute(bigint,text,showroom.fee_measure[],bigint)', ARRAY[':feeorder', $$'quote'$$, ':measures', 'NULL']),
  ('fee_item_row(text)', ARRAY[$$'fx_hose'$$]),
  ('fee_price_for(text,text,numeric,text,integer,date)',
   ARRAY[$$'copper_pipe'$$, $$'air_conditioner'$$, '1.5', 'NULL', 'NULL', ':day']),
  ('fee_region_at(geometry)', ARRAY[':pt']),
  ('file_appeal(bigint,text)', ARRAY[':incident', $$'hostile'$$]),
  ('hand_in_cod(bigint,bigint)', ARRAY[':collection', '100']),
  ('issue_receipt(bigint,showroom.fee_measure[],bigint)', ARRAY[':doneorder', ':measures', 'NULL']),
  ('lift_served_suspensions(timestamp with time zone)', ARRAY[':at']),
  ('log_discipline(bigint,bigint,text,text)', ARRAY[':outlet', ':incident', $$'incident'$$, $$'hostile'$$]),
  ('make_offer(bigint,bigint)', ARRAY[':dispatched', ':outlet']),
  ('offer_order(bigint)', ARRAY[':dispatched']),
  ('open_offer_row(bigint)', ARRAY[':offer']),
  ('order_limits(bigint)', ARRAY[':dispatched']),
  ('orders_past_limit(timestamp with time zone)', ARRAY[':at']),
  ('outlet_account(bigint,date)', ARRAY[':outlet', ':month']),
  ('outlet_distance_m(bigint,geometry)', ARRAY[':outlet', ':pt']),
  ('pass_on(bigint,text)', ARRAY[':dispatched', $$'hostile'$$]),
  ('peak_stretch(geometry,date)', ARRAY[':pt', ':day']),
  ('person_work(timestamp with time zone,timestamp with time zone)', ARRAY[':from_at', ':to_at']),
  ('quote(bigint,showroom.fee_measure[])', ARRAY[':dispatched', ':measures']),
  ('record_contact(bigint,timestamp with time zone)', ARRAY[':dispatched', 'now()']),
  ('record_incident(bigint,text,text,text,timestamp with time zone)',
   ARRAY[':feeorder', $$'late'$$, $$'outlet'$$, $$'hostile'$$, ':at']),
  ('record_outlet_payment(bigint,text,date,bigint,text)',
   ARRAY[':outlet', $$'air_conditioner'$$, ':month', '1000', $$'H-PAY'$$]),
  ('refresh_order_amounts(bigint)', ARRAY[':feeorder']),
  ('release_deposits(date)', ARRAY[':day']),
  ('replay_alert_rules(timestamp with time zone,timestamp with time zone,bigint)',
   ARRAY[':from_at', ':to_at', ':arule']),
  ('review_handover(bigint)', ARRAY[':handover']),
  ('score_sites(bigint,date,date,geometry[],double precision[])',
   ARRAY[':dc', $$'2026-06-01'$$, $$'2026-06-30'$$, ':sites', $$'{5000,10000}'$$]),
  ('set_alert_rule_active(bigint,boolean)', ARRAY[':arule', 'false']),
  ('set_fee_price(text,bigint,bigint,date,date,text,numeric,numeric,text,integer,integer,numeric,bigint,bigint,bigint,text)',
   ARRAY[$$'fx_hose'$$, '300', '200', $$'2027-01-01'$$, 'NULL', $$'air_conditioner'$$, 'NULL', 'NULL', 'NULL',
         'NULL', 'NULL', '0', 'NULL', 'NULL', 'NULL', 'NULL']),
  ('set_outlet_amount(bigint,text,bigint,bigint,date,text)',
   ARRAY[':feeorder', $$'penalty'$$, ':outlet', '1000', ':day', $$'hostile'$$]),
  ('site_visits(bigint,date,date)', ARRAY[':dc', $$'2026-06-01'$$, $$'2026-06-30'$$]),
  ('start_relay()', '{}'),
  ('technician_work(timestamp with time zone,timestamp with time zone)', ARRAY[':from_at', ':to_at']),
  ('weighted_median(double precision[],double precision[],double precision[])',
   ARRAY[':lons', ':lats', ':weights']),
  ('weighted_median_pair(double precision[],double precision[],double precision[],integer)',
   ARRAY[':lons', ':lats', ':weights', '8']),
  ('acting_person()', '{}'),
  ('add_dc_area(bigint,text,geometry,boolean)', ARRAY[':dc', $$'hostile'$$, ':poly', 'false']),
  ('add_fee_rule(text,text,date,date,showroom.tariff)',
   ARRAY[$$'repair'$$, $$'television'$$, ':day', 'NULL', ':tariff']),
  ('add_outlet(text,text,double precision,double precision,integer,integer)',
   ARRAY[$$'H-1'$$, $$'hostile outlet'$$, ':lon', ':lat', '1', '5']),
  ('add_part(text,text,text,boolean)', ARRAY[$$'H-P'$$, $$'hostile part'$$, $$'pcs'$$, 'false']),
  ('add_problem_code(text,text,text)', ARRAY[$$'repair.symptom'$$, $$'hostile'$$, $$'hostile'$$]),
  ('add_service_area(bigint,text,geometry,boolean)', ARRAY[':outlet', $$'hostile'$$, ':poly', 'false']),
  ('add_vehicle(bigint,text,numeric,numeric,time without time zone,time without time zone,boolean)',
   ARRAY[':dc', $$'H-V'$$, '1000', '500', $$'08:00'$$, $$'18:00'$$, 'false']),
  ('adjust_line(bigint,numeric,text)', ARRAY[':sline', '1.00', $$'hostile'$$]),
  ('adjust_parts(bigint,bigint,bigint,integer,text)', ARRAY[':part', ':pdc', 'NULL', '1', $$'hostile'$$]),
  ('adjust_stock(bigint,bigint,integer,integer,text)', ARRAY[':dc', ':sku', '1', '0', $$'hostile'$$]),
  ('allowed_moves(text)', ARRAY[$$'requested'$$]),
  ('area_geometry(geometry,boolean)', ARRAY[':poly', 'false']),
  ('assign(bigint,bigint,text)', ARRAY[':svc', ':outlet', $$'hostile'$$]),
  ('broken_trails()', '{}'),
  ('business_date(timestamp with time zone)', ARRAY[':at']),
  ('cancel_order(bigint,text)', ARRAY[':sorder', $$'hostile'$$]),
  ('candidates(bigint)', ARRAY[':svc']),
  ('candidates(geometry,text,text,date)', ARRAY[':pt', $$'installation'$$, $$'air_conditioner'$$, ':day']),
  ('capacity_on(bigint,text,date)', ARRAY[':outlet', $$'installation'$$, ':day']),
  ('check_code(text,text,text)', ARRAY[$$'repair.symptom.smell'$$, $$'repair.symptom'$$, $$'symptom'$$]),
  ('check_complaint_rule(bigint)', ARRAY[':outlet']),
  ('check_dc_sku(bigint,bigint)', ARRAY[':dc', ':sku']),
  ('check_lonlat(double precision,double precision)', ARRAY[':lon', ':lat']),
  ('check_range(text,numeric,numeric,numeric)', ARRAY[$$'jobs'$$, '5', '0', '10']),
  ('check_day(text,date)', ARRAY[$$'day'$$, $$'2026-06-01'::date$$]),
  ('check_time(text,timestamp with time zone)', ARRAY[$$'at'$$, ':at']),
  ('check_parts_args(bigint,bigint,bigint,integer)', ARRAY[':part', ':pdc', 'NULL', '1']),
  ('check_qty(integer,text)', ARRAY['1', $$'qty'$$]),
  ('check_store(bigint)', ARRAY[':store']),
  ('close_period(date,bigint)', ARRAY[':month', ':outlet']),
  ('close_statement(bigint)', ARRAY[':stmt']),
  ('code_under(text,text)', ARRAY[$$'repair.symptom.smell'$$, $$'repair'$$]),
  ('consume(showroom.sales_line,integer,text,bigint,text)',
   ARRAY[':line_row', '1', $$'delivery'$$, 'NULL', $$'hostile'$$]),
  ('create_installation_orders(bigint,integer,bigint,timestamp with time zone)',
   ARRAY[':line', '1', ':movement', ':at']),
  ('create_second_delivery(bigint,integer,bigint,timestamp with time zone)',
   ARRAY[':line', '1', ':movement', ':at']),
  ('dcs_covering(geometry)', ARRAY[':pt']),
  ('deliver(bigint,integer)', ARRAY[':line', '1']),
  ('deliver_order(bigint)', ARRAY[':sorder']),
  ('dispatch(bigint)', ARRAY[':svc']),
  ('dispatch_date(date)', ARRAY[':day']),
  ('drop_problem_code(text)', ARRAY[$$'repair.symptom.smell'$$]),
  ('drop_transition(text,text)', ARRAY[$$'accepted'$$, $$'on_hold'$$]),
  ('end_fee_rule(bigint,date)', ARRAY[':rule', ':day']),
  ('ensure_slot0(bigint,bigint)', ARRAY[':dc', ':sku']),
  ('fee_rule_key(bigint,daterange)', ARRAY[':rule', $$'[2026-01-01,2026-12-31)'$$]),
  ('fee_tariff(text,text,date)', ARRAY[$$'installation'$$, $$'air_conditioner'$$, ':day']),
  ('fen_to_yuan(bigint)', ARRAY['100']),
  ('file_complaint(bigint,text,text)', ARRAY[':done', $$'feedback.late'$$, $$'hostile'$$]),
  ('issue_parts(bigint,bigint,bigint,integer,text)', ARRAY[':part', ':pdc', ':poutlet', '1', $$'hostile'$$]),
  ('library_version()', '{}'),
  ('lift_suspension(bigint,text)', ARRAY[':outlet', $$'hostile'$$]),
  ('line_amounts(integer,numeric,numeric,numeric)', ARRAY['1', '10.00', '0', '0']),
  ('line_open_qty(bigint)', ARRAY[':line']),
  ('load_run(bigint)', ARRAY[':run']),
  ('lock_line(bigint)', ARRAY[':line']),
  ('lock_order(bigint)', ARRAY[':sorder']),
  ('map_login(name,bigint,bigint,bigint)', ARRAY[$$'hostile_login'$$, ':store', 'NULL', 'NULL']),
  ('may_act_as(name[])', ARRAY[$$'{showroom_clerk}'$$]),
  ('money_line(integer,bigint,integer,integer)', ARRAY['1', '1000', '0', '0']),
  ('move_order(bigint,text,text,text)', ARRAY[':done', $$'return_visit'$$, 'NULL', $$'hostile'$$]),
  ('move_parts(bigint,bigint,bigint,text,integer,bigint,text)',
   ARRAY[':part', ':pdc', ':poutlet', $$'issue'$$, '1', 'NULL', $$'hostile'$$]),
  ('my_dc_ids()', '{}'),
  ('my_outlet_ids()', '{}'),
  ('my_store_ids()', '{}'),
  ('new_service_order(showroom.service_order)', ARRAY[':so_row']),
  ('open_box_sale(bigint,text,bigint,text,text)',
   ARRAY[':sample', $$'A'$$, '100000', $$'scratch on the side'$$, $$'hostile buyer'$$]),
  ('order_state_error(showroom.sales_order,text,text)', ARRAY[':sales_row', $$'ship'$$, $$'allocated'$$]),
  ('outlet_row(bigint)', ARRAY[':outlet']),
  ('part_row(bigint)', ARRAY[':part']),
  ('pick_order(bigint)', ARRAY[':sorder']),
  ('place_sample(bigint,bigint,text,text)', ARRAY[':store', ':sku', $$'H-S1'$$, $$'good'$$]),
  ('plan_runs(bigint,date)', ARRAY[':dc', ':day']),
  ('price_on(bigint,date)', ARRAY[':part', ':day']),
  ('reassign(bigint,bigint,text)', ARRAY[':svc', ':outlet', $$'hostile'$$]),
  ('receive_parts(bigint,bigint,integer,text)', ARRAY[':part', ':pdc', '1', $$'hostile'$$]),
  ('receive_stock(bigint,bigint,integer,text)', ARRAY[':dc', ':sku', '1', $$'hostile'$$]),
  ('recompute_all_satisfaction()', '{}'),
  ('recompute_satisfaction(bigint,text)', ARRAY[':outlet', $$'repair'$$]),
  ('record_cod_collection(bigint,bigint,numeric,text,text,timestamp with time zone)',
   ARRAY[':sorder', ':outlet', '10.00', $$'cash'$$, $$'hostile crew'$$, ':at']),
  ('record_cod_remittance(bigint,numeric,text,timestamp with time zone)',
   ARRAY[':outlet', '10.00', $$'H-REF'$$, ':at']),
  ('record_part_use(bigint,bigint,integer,boolean,date)', ARRAY[':done', ':part', '1', 'false', ':day']),
  ('record_return_visit(bigint,integer,text[],text,timestamp with time zone)',
   ARRAY[':done', '4', $$'{visit.on_time}'$$, $$'hostile'$$, ':at']),
  ('remove_service_area(bigint)', ARRAY[':area']),
  ('report_defect(bigint,integer,text,bigint,text)', ARRAY[':line', '1', $$'supplier'$$, 'NULL', $$'hostile'$$]),
  ('request_repair(text,text,text,double precision,double precision,bigint,text,text,date,bigint)',
   ARRAY[$$'hostile customer'$$, $$'13800000000'$$, $$'Kuangqu 7'$$, ':lon', ':lat', ':sku',
         $$'H-SER'$$, $$'repair.symptom.smell'$$, ':day', 'NULL']),
  ('request_sample(bigint,bigint)', ARRAY[':store', ':sku']),
  ('request_service(text,double precision,double precision,date,text,text,text,bigint,text,text,text,bigint)',
   ARRAY[$$'installation'$$, ':lon', ':lat', ':day', $$'hostile customer'$$, $$'13800000000'$$,
         $$'Kuangqu 7'$$, ':sku', $$'air_conditioner'$$, 'NULL', 'NULL', 'NULL']),
  ('require_dc(bigint)', ARRAY[':dc']),
  ('require_outlet(bigint)', ARRAY[':outlet']),
  ('require_place(text,bigint)', ARRAY[$$'store'$$, ':store']),
  ('require_store(bigint)', ARRAY[':store']),
  ('require_workflow_admin(text)', ARRAY[$$'change transitions'$$]),
  ('reset_transition(text,text)', ARRAY[$$'return_visit'$$, $$'dispatched'$$]),
  ('resolve_complaint(bigint,boolean,text)', ARRAY[':complaint', 'true', $$'hostile'$$]),
  ('return_goods(bigint,integer,boolean,text)', ARRAY[':line', '1', 'false', $$'hostile'$$]),
  ('return_parts(bigint,bigint,bigint,integer,text)', ARRAY[':part', ':poutlet', ':pdc', '1', $$'hostile'$$]),
  ('route_plan(double precision,double precision,double precision[],double precision[],double precision[],double precision[],integer[],integer[],integer[],integer[],double precision[],double precision[],integer[],integer[],boolean[],double precision)',
   ARRAY['113.58', '37.86', $$'{113.6,113.62}'$$, $$'{37.87,37.9}'$$, $$'{100,200}'$$,
         $$'{10,20}'$$, $$'{28800,28800}'$$, $$'{64800,64800}'$$, $$'{600,600}'$$,
         $$'{0,1800}'$$, $$'{12000}'$$, $$'{1500}'$$, $$'{28800}'$$, $$'{64800}'$$,
         $$'{true}'$$, '30']),
  ('sell(bigint,double precision,double precision,bigint[],integer[],bigint[],text,boolean,text,text,text,date,bigint,text)',
   ARRAY[':store', ':lon', ':lat', $$ARRAY[:sku]$$, $$'{1}'$$, 'NULL', $$'H-REF'$$, 'false',
         $$'hostile customer'$$, $$'13800000000'$$, $$'Kuangqu 7'$$, ':day', '0', $$'retail'$$]),
  ('serve_backorders(bigint,bigint)', ARRAY[':dc', ':sku']),
  ('service_order_row(bigint)', ARRAY[':svc']),
  ('set_capability(bigint,text,text,integer)', ARRAY[':outlet', $$'repair'$$, $$'television'$$, '3']),
  ('set_capacity(bigint,integer,date,text)', ARRAY[':outlet', '5', ':day', $$'installation'$$]),
  ('set_part_price(bigint,bigint,date,date)', ARRAY[':part', '1400', $$'2027-01-01'$$, 'NULL']),
  ('set_setting(text,text)', ARRAY[$$'settlement.late_penalty_fen'$$, $$'3000'$$]),
  ('set_stock_slots(bigint,bigint,integer)', ARRAY[':dc', ':sku', '2']),
  ('set_transition(text,text,text,name[],text[],text)',
   ARRAY[$$'on_hold'$$, $$'accepted'$$, $$'resume'$$, $$'{showroom_dispatcher}'$$, $$'{}'$$, 'NULL']),
  ('set_vehicle_active(bigint,boolean)', ARRAY[':vehicle', 'false']),
  ('setting_value(text)', ARRAY[$$'business_time_zone'$$]),
  ('settle(date,bigint)', ARRAY[':month', ':outlet']),
  ('ship_order(bigint)', ARRAY[':sorder']),
  ('suspend_outlet(bigint,text)', ARRAY[':outlet', $$'hostile'$$]),
  ('take_stock(bigint,bigint,integer,bigint,bigint)', ARRAY[':dc', ':sku', '1', ':sorder', ':line']),
  ('tariff_eq(showroom.tariff,showroom.tariff)', ARRAY[':tariff', ':tariff']),
  ('tariff_fee(showroom.tariff,double precision)', ARRAY[':tariff', '12000']),
  ('tariff_ne(showroom.tariff,showroom.tariff)', ARRAY[':tariff', ':tariff']),
  ('to_lonlat(geometry)', ARRAY[':pt']),
  ('trail_hash(showroom.service_trail)', ARRAY[':trail_row']),
  ('transitions_in_force()', '{}'),
  ('unmap_login(name,bigint,bigint,bigint)', ARRAY['current_user', ':store', 'NULL', 'NULL']),
  ('verify_parts_stock()', '{}'),
  ('verify_samples()', '{}'),
  ('verify_stock()', '{}'),
  ('verify_trail(bigint)', ARRAY[':done']),
  ('yuan_to_fen(numeric)', ARRAY['1.00']);
INSERT INTO api (fn, skip) VALUES
  ('tariff_in(cstring)', 'type input: tariff_invalid and test/fuzz'),
  ('tariff_out(showroom.tariff)', 'type output of a valid value'),
  ('tariff_recv(internal)', 'binary input: takes internal'),
  ('tariff_send(showroom.tariff)', 'binary output of a valid value');

UPDATE api SET helper = true
 WHERE substring(fn from '^[a-z_0-9]+') IN
       ('check_dc_sku', 'check_lonlat', 'check_range', 'check_day', 'check_time',
        'check_parts_args', 'check_qty', 'consume',
        'ensure_slot0', 'fee_rule_key', 'lock_line', 'lock_order', 'move_parts',
        'new_service_order', 'order_state_error', 'part_row', 'require_place',
        'serve_backorders', 'take_stock',
        'alert_check', 'check_period', 'check_sites', 'check_window', 'site_visits');

-- Coverage: functions of the schema that api lacks (add a row for each),
-- and rows of api that name no function.
SELECT p.oid::regprocedure AS function_without_a_row
  FROM pg_proc p
 WHERE p.pronamespace = 'showroom'::regnamespace AND p.prorettype <> 'trigger'::regtype
   AND NOT EXISTS (SELECT 1 FROM api a WHERE ('showroom.' || a.fn)::regprocedure = p.oid)
 ORDER BY 1::text;
SELECT a.fn AS row_without_a_function FROM api a
 WHERE to_regprocedure('showroom.' || a.fn) IS NULL;
SELECT a.fn AS row_with_wrong_argument_count FROM api a
  JOIN pg_proc p ON p.oid = to_regprocedure('showroom.' || a.fn)
 WHERE a.skip IS NULL AND coalesce(array_length(a.args, 1), 0) <> p.pronargs;

-- The bad values, by argument type.  NULL is tried for every type.
CREATE TEMP TABLE bad (type regtype, label text, expr text);
INSERT INTO bad VALUES
  ('bigint', 'zero', '0'), ('bigint', 'negative', '-1'),
  ('bigint', 'huge', '9223372036854775807'), ('bigint', 'unknown id', '987654321'),
  ('integer', 'zero', '0'), ('integer', 'negative', '-1'),
  ('integer', 'huge', '2147483647'), ('integer', 'most negative', '(-2147483648)'),
  ('numeric', 'zero', '0'), ('numeric', 'negative', '-1'),
  ('numeric', 'huge', '1e30'), ('numeric', 'NaN', $$'NaN'::numeric$$),
  ('double precision', 'NaN', $$'NaN'::float8$$), ('double precision', 'infinity', $$'Infinity'::float8$$),
  ('double precision', 'negative huge', '-1e300::float8'), ('double precision', 'huge', '1e300::float8'),
  ('text', 'empty', $$''$$), ('text', 'very long', $$repeat('x', 100000)$$),
  ('name', 'empty', $$''::name$$),
  ('date', 'far past', $$'0001-01-01 BC'::date$$), ('date', 'far future', $$'294276-12-31'::date$$),
  ('date', 'infinity', $$'infinity'::date$$), ('date', 'minus infinity', $$'-infinity'::date$$),
  ('timestamp with time zone', 'far past', $$'4713-01-01 00:00Z BC'::timestamptz$$),
  ('timestamp with time zone', 'far future', $$'294276-12-30 00:00Z'::timestamptz$$),
  ('timestamp with time zone', 'infinity', $$'infinity'::timestamptz$$),
  ('time without time zone', 'midnight end', $$'24:00'::time$$),
  ('daterange', 'empty', $$'empty'::daterange$$), ('daterange', 'unbounded', $$'(,)'::daterange$$),
  ('geometry', 'empty', $$'SRID=4326;GEOMETRYCOLLECTION EMPTY'::geometry$$),
  ('geometry', 'empty polygon', $$'SRID=4326;POLYGON EMPTY'::geometry$$),
  ('geometry', 'invalid (bow tie)',
   $$'SRID=4326;POLYGON((113.4 37.7,113.6 38.0,113.6 37.7,113.4 38.0,113.4 37.7))'::geometry$$),
  ('geometry', 'wrong SRID', $$'SRID=3857;POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))'::geometry$$),
  ('geometry', 'no SRID', $$'POINT(113.6 37.9)'::geometry$$),
  ('geometry', 'swapped lon/lat', $$'SRID=4326;POINT(37.9 113.6)'::geometry$$),
  ('geometry', 'line', $$'SRID=4326;LINESTRING(113.4 37.7,113.6 37.9)'::geometry$$),
  ('bigint[]', 'empty', $$'{}'::bigint[]$$), ('bigint[]', 'holding NULL', $$'{NULL}'::bigint[]$$),
  ('bigint[]', 'unknown id', $$'{987654321}'::bigint[]$$),
  ('bigint[]', 'two dimensions', $$'{{1},{2}}'::bigint[]$$),
  ('integer[]', 'empty', $$'{}'::integer[]$$), ('integer[]', 'holding NULL', $$'{NULL}'::integer[]$$),
  ('integer[]', 'zero', $$'{0}'::integer[]$$), ('integer[]', 'negative', $$'{-1}'::integer[]$$),
  ('integer[]', 'longer', $$'{1,1,1}'::integer[]$$),
  ('double precision[]', 'empty', $$'{}'::float8[]$$),
  ('double precision[]', 'NaN', $$'{NaN,NaN}'::float8[]$$),
  ('boolean[]', 'empty', $$'{}'::boolean[]$$),
  ('text[]', 'empty', $$'{}'::text[]$$), ('text[]', 'holding NULL', $$'{NULL}'::text[]$$),
  ('text[]', 'empty string', $$'{""}'::text[]$$),
  ('name[]', 'empty', $$'{}'::name[]$$), ('name[]', 'holding NULL', $$'{NULL}'::name[]$$),
  ('geometry[]', 'empty', $$'{}'::geometry[]$$),
  ('geometry[]', 'holding NULL', $$ARRAY[NULL]::geometry[]$$),
  ('geometry[]', 'empty polygon', $$ARRAY['SRID=4326;POLYGON EMPTY'::geometry]$$),
  ('geometry[]', 'wrong SRID', $$ARRAY['SRID=3857;POINT(12640000 4560000)'::geometry]$$),
  ('geometry[]', 'swapped lon/lat', $$ARRAY['SRID=4326;POINT(37.9 113.6)'::geometry]$$),
  ('geometry[]', 'line', $$ARRAY['SRID=4326;LINESTRING(113.4 37.7,113.6 37.9)'::geometry]$$),
  ('showroom.fee_measure[]', 'empty', $$'{}'::showroom.fee_measure[]$$),
  ('showroom.fee_measure[]', 'holding NULL', $$ARRAY[NULL]::showroom.fee_measure[]$$),
  ('showroom.fee_measure[]', 'unknown item', $$ARRAY[('no_such_item', 1, NULL)]::showroom.fee_measure[]$$),
  ('showroom.fee_measure[]', 'negative', $$ARRAY[('fx_hose', -1, NULL)]::showroom.fee_measure[]$$),
  ('showroom.fee_measure[]', 'NaN', $$ARRAY[('fx_hose', 'NaN', NULL)]::showroom.fee_measure[]$$),
  ('showroom.fee_measure[]', 'huge', $$ARRAY[('fx_hose', 1e30, NULL)]::showroom.fee_measure[]$$),
  ('showroom.fee_measure[]', 'item twice',
   $$ARRAY[('fx_hose', 1, NULL), ('fx_hose', 1, NULL)]::showroom.fee_measure[]$$),
  ('showroom.fee_measure[]', 'floor zero', $$ARRAY[('high_altitude', 1, 0)]::showroom.fee_measure[]$$);

-- The calls: for each function and argument, NULL and each bad value of
-- the argument's type in place of the plausible one; plus lon and lat
-- swapped where a function takes both.
CREATE TEMP TABLE call (id serial, fn text, arg text, label text, sql text, helper boolean,
                        name text GENERATED ALWAYS AS (substring(fn from '^[a-z_0-9]+')) STORED);
-- fill(x): x with each :name of ph replaced by its expression.
CREATE FUNCTION pg_temp.fill(x text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  p record;
BEGIN
  FOR p IN SELECT * FROM ph LOOP
    x := regexp_replace(x, '(?<!:):' || p.name || '(?![a-z_])', p.expr, 'g');
  END LOOP;
  RETURN x;
END
$$;
CREATE TEMP TABLE plausible AS
SELECT a.fn, n, pg_temp.fill(x) AS expr, t.typ
  FROM api a
  JOIN pg_proc p ON p.oid = to_regprocedure('showroom.' || a.fn)
  CROSS JOIN LATERAL unnest(a.args) WITH ORDINALITY u(x, n)
  CROSS JOIN LATERAL (SELECT p.proargtypes[n - 1]::regtype AS typ) t
 WHERE a.skip IS NULL;

-- call_sql(fn, n, expr): the call of fn with argument n replaced by expr
-- (all plausible when n is 0).
CREATE FUNCTION pg_temp.call_sql(f text, k integer, e text) RETURNS text
LANGUAGE sql AS $$
  SELECT format('SELECT * FROM showroom.%s(%s)', substring(f from '^[a-z_0-9]+'),
                coalesce(string_agg(CASE WHEN pl.n = k THEN e ELSE pl.expr END
                                    || '::' || pl.typ, ', ' ORDER BY pl.n), ''))
    FROM plausible pl WHERE pl.fn = f
$$;

INSERT INTO call (fn, arg, label, sql, helper)
SELECT pl.fn, pl.n || ' ' || coalesce(p.proargnames[pl.n], ''), v.label,
       pg_temp.call_sql(pl.fn, pl.n::integer, v.expr), a.helper
  FROM plausible pl
  JOIN api a ON a.fn = pl.fn
  JOIN pg_proc p ON p.oid = to_regprocedure('showroom.' || pl.fn)
  CROSS JOIN LATERAL (SELECT 'NULL' AS label, 'NULL' AS expr
                      UNION ALL
                      SELECT b.label, b.expr FROM bad b WHERE b.type = pl.typ) v
 ORDER BY pl.fn, pl.n, v.label;
-- lon and lat swapped, where a function takes both.
INSERT INTO call (fn, arg, label, sql, helper)
SELECT a.fn, 'lon, lat', 'swapped',
       replace(replace(replace(pg_temp.call_sql(a.fn, 0, NULL), '113.6::float8', '@lat@'),
                       '37.9::float8', '113.6::float8'), '@lat@', '37.9::float8'), a.helper
  FROM api a WHERE a.skip IS NULL AND a.args @> ARRAY[':lon', ':lat'];

-- outcome: what each call did.  run(id) makes call id in a subtransaction
-- and records its SQLSTATE, message and detail, or, when it succeeds, how
-- many rows of the extension's tables it inserted, updated or deleted
-- (the growth of the backend's pending table statistics, which count the
-- work of a subtransaction still in progress), then undoes it so that
-- every call starts from the same data.
CREATE TEMP TABLE outcome (id integer, state text, message text, detail text, written bigint);
CREATE FUNCTION pg_temp.written() RETURNS bigint
LANGUAGE sql AS $$
  SELECT coalesce(sum(pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)
                      + pg_stat_get_xact_tuples_deleted(c.oid)), 0)
    FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'showroom'
   WHERE c.relkind = 'r'
$$;
CREATE FUNCTION pg_temp.run(call_id integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  q text := (SELECT c.sql FROM call c WHERE c.id = call_id);
  st text; msg text; det text;
  w bigint;
BEGIN
  BEGIN
    w := pg_temp.written();
    EXECUTE q;
    w := pg_temp.written() - w;
    RAISE EXCEPTION USING ERRCODE = 'HU000', MESSAGE = w::text;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL;
  END;
  IF st = 'HU000' THEN
    INSERT INTO outcome VALUES (call_id, 'ok', NULL, NULL, msg::bigint);
  ELSE
    INSERT INTO outcome VALUES (call_id, st, msg, det, NULL);
  END IF;
END
$$;

-- The rows of every table of the extension, before.
CREATE TEMP TABLE rows_before AS
SELECT c.oid::regclass AS tab,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass),
                                            false, true, '')))[1]::text::bigint AS n
  FROM pg_class c
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'showroom'
 WHERE c.relkind = 'r';

-- Every call, each its own statement, so that a hang meets the timeout
-- and a crash shows here.
\set ECHO none
\o /dev/null
SET statement_timeout = '60s';
SELECT format('SELECT pg_temp.run(%s)', id) FROM call ORDER BY id \gexec
RESET statement_timeout;
\o
\set ECHO all

-- The run was real: calls of every function, and every call recorded.
SELECT count(DISTINCT fn) >= 100 AS many_functions, count(*) >= 1200 AS many_calls,
       count(*) = (SELECT count(*) FROM outcome) AS every_call_recorded
  FROM call;

-- Internal errors (class XX), and calls that broke off (a timeout).
SELECT c.name, c.arg, c.label, o.state, o.message
  FROM call c JOIN outcome o USING (id)
 WHERE o.state LIKE 'XX%' OR o.state IN ('57014', '54000', '54001')
 ORDER BY c.id;

-- Errors that are not clear: a bare error of PostgreSQL where our
-- function should have checked the value first (an integrity constraint,
-- an overflow in arithmetic, an undefined object, an error without an
-- SQLSTATE of its own).  Clear: class SR; a NULL or invalid argument
-- (22004, 22023), which only our checks raise; another data exception or
-- a refused privilege when it comes with a detail naming the value.
SELECT c.name, c.arg, c.label, o.state, left(o.message, 60) AS message
  FROM call c JOIN outcome o USING (id)
 WHERE NOT c.helper AND o.state <> 'ok' AND o.state NOT LIKE 'SR%'
   AND o.state NOT IN ('22004', '22023')
   AND NOT (o.state LIKE '22%' AND o.detail <> '')
   AND NOT (o.state = '42501' AND o.detail <> '')
   AND NOT (o.state LIKE 'XX%' OR o.state IN ('57014', '54000', '54001'))
 ORDER BY c.id;

-- Implausible values stored: a call that succeeded and wrote rows with a
-- value no business record should hold (a date at infinity or before the
-- year 1, a number at its type's limit, NaN, an empty, invalid or
-- swapped geometry).  NULL, empty and long strings, zero and negative
-- numbers are left out here: for many arguments they are legitimate
-- (no note, a negative adjustment); a row here is a check still missing.
-- An unknown id stored is a reference to nothing.
SELECT c.name, c.arg, string_agg(c.label, ', ' ORDER BY c.label) AS values_stored
  FROM call c JOIN outcome o USING (id)
 WHERE NOT c.helper AND o.state = 'ok' AND o.written > 0
   AND (c.label IN ('far past', 'far future', 'infinity', 'minus infinity', 'huge',
                    'negative huge', 'NaN', 'empty polygon', 'invalid (bow tie)',
                    'swapped', 'swapped lon/lat', 'no SRID', 'line')
        OR (c.label = 'unknown id' AND c.arg LIKE '%id'))
 GROUP BY c.name, c.arg
 ORDER BY c.name, c.arg;

-- Nothing was written: every table holds the rows it held before.
SELECT b.tab, b.n AS before,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', b.tab),
                                            false, true, '')))[1]::text::bigint AS after
  FROM rows_before b
 WHERE b.n <> (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', b.tab),
                                                   false, true, '')))[1]::text::bigint;
