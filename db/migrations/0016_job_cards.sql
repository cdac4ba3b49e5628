-- A finished job's card shows on /users to the admin who started it until they dismiss it
-- (issue 19); everyone finds it on /jobs.
ALTER TABLE "jobs" ADD COLUMN IF NOT EXISTS "dismissed_at" timestamp with time zone;
