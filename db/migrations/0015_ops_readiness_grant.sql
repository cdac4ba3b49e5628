-- GET /readyz (lib/ops/health.ts) compares the newest applied migration with the newest this
-- build ships: the app role may read drizzle's record of applied migrations (nothing else there).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roster_app')
     AND EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'drizzle') THEN
    GRANT USAGE ON SCHEMA drizzle TO roster_app;
    GRANT SELECT ON drizzle.__drizzle_migrations TO roster_app;
  END IF;
END $$;
