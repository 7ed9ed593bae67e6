-- Written a second time: the first attempt did not seem to reach production.
-- AlterTable
ALTER TABLE "customer_plans" ADD COLUMN "trial_ends_at" DATETIME;
ALTER TABLE "customer_plans" ADD COLUMN "features" JSONB NOT NULL DEFAULT '{}';
