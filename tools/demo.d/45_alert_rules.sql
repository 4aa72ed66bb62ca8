-- early warning: the districts and the rules that watch complaints and defects
\set QUIET on
-- The real districts of Yangquan become the early warning's districts.
SELECT count(showroom.add_district(code, name, geom)) FROM demo.district \gset
-- An outlet's complaints in a week against its last 90 days; a product's
-- defects; a district's complaints and defects together.
SELECT showroom.add_alert_rule('outlet complaints', 'outlet', 7, 90, 3, 3, '{complaint}') \gset
SELECT showroom.add_alert_rule('product defects', 'sku', 7, 90, 3, 2, '{defect}') \gset
SELECT showroom.add_alert_rule('district trouble', 'district', 7, 90, 3, 5) \gset
