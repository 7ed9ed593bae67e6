-- Written a second time: the first attempt did not seem to reach production.
-- AlterTable
ALTER TABLE `customer_plans` ADD COLUMN IF NOT EXISTS `trial_ends_at` DATETIME(3) NULL,
    ADD COLUMN IF NOT EXISTS `features` JSON NOT NULL DEFAULT '{}';
