-- AlterTable
ALTER TABLE `customer_plans` ADD COLUMN `billing_cycle` ENUM('MONTHLY', 'YEARLY') NOT NULL DEFAULT 'MONTHLY',
    ADD COLUMN `max_projects` INTEGER NOT NULL DEFAULT 3;
