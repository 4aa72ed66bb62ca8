
--
-- parts: parts catalogue, prices over time, parts used on service orders.
--
