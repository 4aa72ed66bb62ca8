
--
-- workflow: service orders and the steps they go through.
--

-- Service orders: one job for an outlet (a delivery, an installation, a
-- repair, a maintenance visit).
CREATE TABLE showroom.service_order (
  id             bigserial PRIMARY KEY,
  kind           text NOT NULL REFERENCES showroom.service_kind (code),
  category       text NOT NULL REFERENCES showroom.category (code),
  sales_order_id bigint REFERENCES showroom.sales_order (id),
  sku_id         bigint REFERENCES showroom.sku (id),
  serial         text,
  customer_name  text,
  customer_phone text,
  address        text,
  point          geometry(Point, 4326) NOT NULL,
  service_date   date NOT NULL,
  state          text NOT NULL DEFAULT 'requested',
  outlet_id      bigint REFERENCES showroom.outlet (id),
  previous_id    bigint REFERENCES showroom.service_order (id)
                   DEFERRABLE INITIALLY DEFERRED,
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     name NOT NULL DEFAULT current_user
);

CREATE INDEX service_order_state_date_idx ON showroom.service_order (state, service_date);
CREATE INDEX service_order_outlet_idx ON showroom.service_order (outlet_id);
CREATE INDEX service_order_sales_order_idx ON showroom.service_order (sales_order_id);

COMMENT ON TABLE showroom.service_order IS 'service orders: one job (delivery, installation, repair, maintenance) for an outlet';
COMMENT ON COLUMN showroom.service_order.id IS 'service order id';
COMMENT ON COLUMN showroom.service_order.kind IS 'kind of service';
COMMENT ON COLUMN showroom.service_order.category IS 'product category served';
COMMENT ON COLUMN showroom.service_order.sales_order_id IS 'sales order it comes from, if any';
COMMENT ON COLUMN showroom.service_order.sku_id IS 'product served';
COMMENT ON COLUMN showroom.service_order.serial IS 'serial number of the unit served';
COMMENT ON COLUMN showroom.service_order.customer_name IS 'customer name';
COMMENT ON COLUMN showroom.service_order.customer_phone IS 'customer phone';
COMMENT ON COLUMN showroom.service_order.address IS 'address as written';
COMMENT ON COLUMN showroom.service_order.point IS 'where the job is (lon/lat)';
COMMENT ON COLUMN showroom.service_order.service_date IS 'date the job is wanted';
COMMENT ON COLUMN showroom.service_order.state IS 'workflow state';
COMMENT ON COLUMN showroom.service_order.outlet_id IS 'outlet the job is assigned to';
COMMENT ON COLUMN showroom.service_order.previous_id IS 'earlier order this one repeats (a second delivery or visit)';
COMMENT ON COLUMN showroom.service_order.created_at IS 'when it was created';
COMMENT ON COLUMN showroom.service_order.created_by IS 'role that created it';

SELECT pg_catalog.pg_extension_config_dump('showroom.service_order', '');
SELECT pg_catalog.pg_extension_config_dump('showroom.service_order_id_seq', '');

-- Satisfaction of each outlet per kind of service, recomputed from return
-- visits by the workflow room and read by dispatch.
CREATE TABLE showroom.outlet_satisfaction (
  outlet_id   bigint NOT NULL REFERENCES showroom.outlet (id),
  kind        text NOT NULL REFERENCES showroom.service_kind (code),
  score       numeric(3,2) NOT NULL CHECK (score BETWEEN 1 AND 5),
  visits      integer NOT NULL CHECK (visits >= 0),
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (outlet_id, kind)
);

COMMENT ON TABLE showroom.outlet_satisfaction IS
  'satisfaction of each outlet per kind of service, from the return visits of the last 90 days';
COMMENT ON COLUMN showroom.outlet_satisfaction.outlet_id IS 'outlet';
COMMENT ON COLUMN showroom.outlet_satisfaction.kind IS 'kind of service';
COMMENT ON COLUMN showroom.outlet_satisfaction.score IS 'mean return-visit score, 1 to 5';
COMMENT ON COLUMN showroom.outlet_satisfaction.visits IS 'return visits the score is computed from';
COMMENT ON COLUMN showroom.outlet_satisfaction.computed_at IS 'when it was last recomputed';

SELECT pg_catalog.pg_extension_config_dump('showroom.outlet_satisfaction', '');
