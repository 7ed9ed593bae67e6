-- Production rows: every repair must leave them exactly as they are.
INSERT INTO "users" ("id", "email", "name", "role", "updated_at") VALUES
  ('5e1f0c2a-0000-4000-8000-000000000001', 'ops@harbourview.example', 'Olive Ops', 'ADMIN', CURRENT_TIMESTAMP),
  ('5e1f0c2a-0000-4000-8000-000000000002', 'builder@harbourview.example', 'Bo Builder', 'DEVELOPER', CURRENT_TIMESTAMP),
  ('5e1f0c2a-0000-4000-8000-000000000003', 'fund@harbourview.example', NULL, 'INVESTOR', CURRENT_TIMESTAMP);
INSERT INTO "customer_plans" ("id", "user_id", "plan_name", "price_cents", "billing_cycle", "max_projects") VALUES
  ('c0ffee00-0000-4000-8000-000000000001', '5e1f0c2a-0000-4000-8000-000000000002', 'Builder', 4900, 'MONTHLY', 5),
  ('c0ffee00-0000-4000-8000-000000000002', '5e1f0c2a-0000-4000-8000-000000000003', 'Investor', 49000, 'YEARLY', 1);
INSERT INTO "onboarding_applications" ("id", "user_id", "company_name", "status") VALUES
  ('0b0a0d00-0000-4000-8000-000000000001', '5e1f0c2a-0000-4000-8000-000000000002', 'Bo Builder Homes Ltd', 'APPROVED'),
  ('0b0a0d00-0000-4000-8000-000000000002', '5e1f0c2a-0000-4000-8000-000000000003', 'Harbour Capital', 'PENDING');
