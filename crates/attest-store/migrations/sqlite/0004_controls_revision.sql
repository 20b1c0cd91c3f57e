-- A counter per org that moves whenever its controls or their criteria mappings change, by any
-- writer (the server, the CLI, a script on the database). Readers cache an org's control list
-- and reread it only when the counter has moved.

ALTER TABLE orgs ADD COLUMN controls_revision BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER controls_inserted AFTER INSERT ON controls BEGIN
    UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = NEW.org_id;
END;
CREATE TRIGGER controls_updated AFTER UPDATE ON controls BEGIN
    UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = NEW.org_id;
END;
CREATE TRIGGER controls_deleted AFTER DELETE ON controls BEGIN
    UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = OLD.org_id;
END;
CREATE TRIGGER control_criteria_inserted AFTER INSERT ON control_criteria BEGIN
    UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = NEW.org_id;
END;
CREATE TRIGGER control_criteria_updated AFTER UPDATE ON control_criteria BEGIN
    UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = NEW.org_id;
END;
CREATE TRIGGER control_criteria_deleted AFTER DELETE ON control_criteria BEGIN
    UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = OLD.org_id;
END;
