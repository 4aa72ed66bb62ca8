-- describe_extension: one sorted line per fact about the objects of the
-- extension showroom, for comparing two installations (test/upgrade.sh).
-- It covers definitions, columns, constraints, indexes, triggers,
-- policies, privileges, comments, config-dump registration and the rows
-- the extension seeds itself.
\pset tuples_only on
\pset format unaligned
WITH ext AS (
  SELECT oid FROM pg_extension WHERE extname = 'showroom'
), member AS (
  SELECT d.classid, d.objid
    FROM pg_depend d, ext
   WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid
     AND d.deptype = 'e'
), rel AS (
  SELECT c.* FROM pg_class c JOIN member m
    ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
)
SELECT line FROM (
  SELECT 'member ' || pg_describe_object(classid, objid, 0) AS line FROM member
  UNION ALL
  SELECT format('function %s: %s acl=%s comment=%s', p.oid::regprocedure,
                pg_get_functiondef(p.oid), p.proacl,
                obj_description(p.oid, 'pg_proc'))
    FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
   WHERE p.prokind IN ('f', 'p', 'w')
  UNION ALL
  SELECT format('aggregate %s', p.oid::regprocedure)
    FROM pg_proc p JOIN member m ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
   WHERE p.prokind = 'a'
  UNION ALL
  SELECT format('relation %s kind=%s acl=%s options=%s rls=%s comment=%s',
                r.oid::regclass, r.relkind, r.relacl, r.reloptions,
                r.relrowsecurity, obj_description(r.oid, 'pg_class'))
    FROM rel r
  UNION ALL
  SELECT format('column %s.%s %s notnull=%s default=%s identity=%s generated=%s acl=%s comment=%s',
                r.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
                a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity,
                a.attgenerated, a.attacl, col_description(r.oid, a.attnum))
    FROM rel r
    JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = r.oid AND ad.adnum = a.attnum
  UNION ALL
  SELECT format('view %s: %s', r.oid::regclass, pg_get_viewdef(r.oid))
    FROM rel r WHERE r.relkind IN ('v', 'm')
  UNION ALL
  SELECT format('constraint %s.%s: %s', r.oid::regclass, co.conname,
                pg_get_constraintdef(co.oid))
    FROM rel r JOIN pg_constraint co ON co.conrelid = r.oid
  UNION ALL
  SELECT format('index %s', pg_get_indexdef(i.indexrelid))
    FROM rel r JOIN pg_index i ON i.indrelid = r.oid
  UNION ALL
  SELECT format('trigger %s', pg_get_triggerdef(t.oid))
    FROM rel r JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
  UNION ALL
  SELECT format('policy %s.%s cmd=%s roles=%s using=%s check=%s', r.oid::regclass,
                p.polname, p.polcmd, p.polroles::regrole[],
                pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
    FROM rel r JOIN pg_policy p ON p.polrelid = r.oid
  UNION ALL
  SELECT format('type %s kind=%s comment=%s labels=%s', t.oid::regtype, t.typtype,
                obj_description(t.oid, 'pg_type'),
                (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder)
                   FROM pg_enum WHERE enumtypid = t.oid))
    FROM pg_type t JOIN member m ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
  UNION ALL
  SELECT format('config-dump %s %s', c::regclass, w)
    FROM pg_extension e, ext,
         unnest(e.extconfig, e.extcondition) AS u(c, w)
   WHERE e.oid = ext.oid
) facts
ORDER BY line;

-- The rows the extension seeds itself: every row of a member table that is
-- not dumped as user data, and the builtin rows of those that are.
SELECT format('SELECT %L || '': '' || t::text FROM %s t %s',
              'seeded ' || r.oid::regclass::text, r.oid::regclass,
              CASE WHEN w = 'WHERE NOT builtin' THEN 'WHERE builtin'
                   WHEN w IS NULL THEN '' ELSE 'WHERE false' END)
  FROM pg_class r
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = r.oid
                  AND d.deptype = 'e'
                  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'showroom')
  LEFT JOIN (SELECT c, w FROM pg_extension e,
                    unnest(e.extconfig, e.extcondition) AS u(c, w)
              WHERE e.extname = 'showroom') cfg ON cfg.c = r.oid
 WHERE r.relkind = 'r'
 ORDER BY r.relname
\gexec
