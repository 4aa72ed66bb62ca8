
--
-- roles: group roles, grants and row-level security.
--
