
--
-- settlement: fee rules, statements and their lines, cash on delivery.
--
