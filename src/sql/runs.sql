
--
-- runs: vehicles, delivery runs and their stops.
--
