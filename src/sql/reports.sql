
--
-- reports: views only, for any client.
--
