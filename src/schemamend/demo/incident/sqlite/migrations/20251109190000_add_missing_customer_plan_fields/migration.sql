-- AlterTable
ALTER TABLE "customer_plans" ADD COLUMN "billing_cycle" TEXT NOT NULL DEFAULT 'MONTHLY';
ALTER TABLE "customer_plans" ADD COLUMN "max_projects" INTEGER NOT NULL DEFAULT 3;
