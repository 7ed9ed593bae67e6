-- Operator classes that are not their type's default: only these are named
-- on index columns (a default one is what the database picks unasked).
SELECT oc.oid, oc.opcname
FROM pg_opclass oc
WHERE NOT oc.opcdefault
