-- When a member of staff works (docs/operations.md, "Shifts"): the text form of dev.custos.access.Shift,
-- e.g. 'mon,tue,wed,thu,fri 09:00-17:00 Europe/Berlin', or NULL when no shift is set. Detection uses it
-- to tell off-shift activity; access does not depend on it. The application parses and checks it.
ALTER TABLE staff ADD COLUMN shift text CHECK (shift IS NULL OR length(shift) BETWEEN 1 AND 200);
