
--
-- dispatch: choosing the outlet for a service order, booking its capacity.
--
