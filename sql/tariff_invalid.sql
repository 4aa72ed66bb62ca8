-- tariff_invalid: nasty inputs to the tariff text form.  Each is refused
-- with SR501 and the character where it went wrong; none crashes.
\i test/helpers.sql

CREATE TEMP TABLE keep (t showroom.tariff);

SELECT label, pg_temp.try(format('INSERT INTO keep VALUES (%L)', v)) AS result
  FROM (VALUES
    ('empty', ''),
    ('blanks only', '   '),
    ('garbage', 'hello'),
    ('unicode garbage', '0-5km: 30.00; 5km+: 四十'),
    ('gap at start', '1-5km: 30; 5km+: 40'),
    ('gap between', '0-5km: 30; 6km+: 40'),
    ('overlap', '0-5km: 30; 4km+: 40'),
    ('unsorted', '0-5km: 30; 5-10km: 35; 2km+: 40'),
    ('empty band', '0-0km: 30; 0km+: 40'),
    ('reversed band', '0-5km: 30; 5-3km: 35; 3km+: 40'),
    ('last band closed', '0-5km: 30; 5-20km: 45'),
    ('open band not last', '0km+: 30; 5-20km: 45'),
    ('negative fee', '0-5km: -30; 5km+: 40'),
    ('negative distance', '-1-5km: 30; 5km+: 40'),
    ('negative rate', '0km+: 30 + -1.50/km'),
    ('three decimals fee', '0-5km: 30.001; 5km+: 40'),
    ('three decimals rate', '0km+: 30 + 1.505/km'),
    ('four decimals km', '0-5.0001km: 30; 5.0001km+: 40'),
    ('dangling point', '0-5km: 30.; 5km+: 40'),
    ('missing unit', '0-5: 30; 5km+: 40'),
    ('wrong unit', '0-5mi: 30; 5mi+: 40'),
    ('missing colon', '0-5km 30; 5km+: 40'),
    ('missing fee', '0-5km: ; 5km+: 40'),
    ('rate without per km', '0km+: 30 + 1.50'),
    ('trailing semicolon', '0-5km: 30; 5km+: 40;'),
    ('double semicolon', '0-5km: 30;; 5km+: 40'),
    ('trailing garbage', '0km+: 30 x'),
    ('huge fee', '0km+: 100000000.00'),
    ('huge rate', '0km+: 1 + 1000000/km'),
    ('huge distance', '0-100001km: 1; 100001km+: 1'),
    ('long digits', '0km+: 99999999999999999999999999999999'),
    ('sign plus', '0km+: +30'),
    ('exponent', '0km+: 3e1'),
    ('comma decimal', '0km+: 30,50'),
    ('tabs then a control byte', E'0-5km:\t30;\t5km+: \x0140')
  ) AS t(label, v);

-- More than 32 bands.
SELECT 'too many bands' AS label,
       pg_temp.try(format('INSERT INTO keep VALUES (%L)',
         (SELECT string_agg(format('%s-%skm: 1', i, i + 1), '; ')
            FROM generate_series(0, 32) i) || '; 33km+: 1'));
-- Exactly 32 bands is fine.
SELECT 'thirty-two bands' AS label,
       pg_temp.try(format('INSERT INTO keep VALUES (%L)',
         (SELECT string_agg(format('%s-%skm: 1', i, i + 1), '; ')
            FROM generate_series(0, 30) i) || '; 31km+: 1'));

-- Only the last, valid insert was written.
SELECT 'rows kept' AS label, count(*) FROM keep;
