"""On PostgreSQL the database itself keeps the audit log append-only: a trigger refuses every
DELETE, and every UPDATE except the one Django's SET_NULL makes when an account, a space or a
content type an entry points to is deleted (the entry keeps its labels). SQLite (`make run`)
relies on the portal and the admin, which offer no way to change an entry."""

from django.db import migrations

from portal.fulltext import PostgresOnly

NULLABLE_REFERENCES = "ARRAY['actor_id', 'person_id', 'space_id', 'target_type_id']"

FORWARDS = f"""
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := to_jsonb(OLD);
    new_row jsonb := to_jsonb(NEW);
    reference text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit entries cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (new_row - {NULLABLE_REFERENCES}) IS DISTINCT FROM (old_row - {NULLABLE_REFERENCES}) THEN
        RAISE EXCEPTION 'audit entries cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    FOREACH reference IN ARRAY {NULLABLE_REFERENCES} LOOP
        IF new_row -> reference <> 'null'::jsonb AND new_row -> reference IS DISTINCT FROM old_row -> reference THEN
            RAISE EXCEPTION 'audit entries cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END LOOP;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_entry")]

    operations = [PostgresOnly(FORWARDS, BACKWARDS)]
