"""The append-only trigger lets one more change through: while the session setting
`portal.audit_pseudonymise` is on (set by portal.audit.services.pseudonymise for its own
transaction only, when an account is erased), the texts that may name a person (the labels,
the summary, before/after) may change. Every other column stays as written; DELETE stays refused."""

from django.db import migrations

from portal.fulltext import PostgresOnly

NULLABLE_REFERENCES = "ARRAY['actor_id', 'person_id', 'space_id', 'target_type_id']"
NAMING_TEXTS = "ARRAY['actor_label', 'person_label', 'target_label', 'summary', 'before', 'after']"


def _function(*, pseudonymising: bool) -> str:
    free = (
        f"""
    IF current_setting('portal.audit_pseudonymise', true) = 'on' THEN
        free := free || {NAMING_TEXTS};
    END IF;"""
        if pseudonymising
        else ""
    )
    return f"""
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := to_jsonb(OLD);
    new_row jsonb := to_jsonb(NEW);
    free text[] := {NULLABLE_REFERENCES};
    reference text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit entries cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;{free}
    IF (new_row - free) IS DISTINCT FROM (old_row - free) THEN
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
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [PostgresOnly(_function(pseudonymising=True), _function(pseudonymising=False))]
