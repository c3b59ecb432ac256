-- Role names of the access model (issue 5): support-l1, support-l2, kyc-reviewer, fraud-analyst,
-- security-analyst, approver, admin, auditor. Rows written under the first names are renamed in
-- place; the CHECK keeps refusing any name the Java enum dev.custos.access.Role does not know.
ALTER TABLE staff DROP CONSTRAINT staff_roles_check;
UPDATE staff SET roles = array_replace(roles, 'agent', 'support-l1');
UPDATE staff SET roles = array_replace(roles, 'kyc', 'kyc-reviewer');
UPDATE staff SET roles = array_replace(roles, 'supervisor', 'approver');
UPDATE staff SET roles = array_replace(roles, 'security', 'security-analyst');
ALTER TABLE staff ADD CONSTRAINT staff_roles_check CHECK (cardinality(roles) >= 1
  AND roles <@ ARRAY['support-l1', 'support-l2', 'kyc-reviewer', 'fraud-analyst', 'security-analyst',
                     'approver', 'admin', 'auditor']);
