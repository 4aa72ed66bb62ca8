
--
-- samples: display samples in stores, open-box sales, display gaps.
--
