-- A counter per org that moves whenever its controls or their criteria mappings change, by any
-- writer (the server, the CLI, a script on the database). Readers cache an org's control list
-- and reread it only when the counter has moved.

ALTER TABLE orgs ADD COLUMN controls_revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_controls_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = OLD.org_id;
    ELSE
        UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = NEW.org_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER controls_changed AFTER INSERT OR UPDATE OR DELETE ON controls
    FOR EACH ROW EXECUTE FUNCTION bump_controls_revision();
CREATE TRIGGER control_criteria_changed AFTER INSERT OR UPDATE OR DELETE ON control_criteria
    FOR EACH ROW EXECUTE FUNCTION bump_controls_revision();
