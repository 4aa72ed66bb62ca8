-- proof: the ledger reconciles, every audit chain verifies
\set QUIET on
DO $$
DECLARE
  stock_problems bigint := (SELECT count(*) FROM showroom.verify_stock());
  sample_problems bigint := (SELECT count(*) FROM showroom.verify_samples());
  parts_problems bigint := (SELECT count(*) FROM showroom.verify_parts_stock());
  broken bigint := (SELECT count(*) FROM showroom.broken_trails());
BEGIN
  RAISE NOTICE 'stock ledger: % violations; samples: %; parts ledger: %; broken audit chains: %',
    stock_problems, sample_problems, parts_problems, broken;
  IF stock_problems + sample_problems + parts_problems + broken > 0 THEN
    RAISE EXCEPTION 'verification failed';
  END IF;
END
$$;
