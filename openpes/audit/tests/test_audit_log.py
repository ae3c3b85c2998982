import pytest
from django.db import DatabaseError, connection, transaction

from openpes.audit.actions import record
from openpes.audit.enums import AuditAction
from openpes.audit.models import AuditEvent


@pytest.mark.django_db
def test_a_record_names_actor_role_centre_and_request(cast, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.7")
    event = record(actor=cast.counsellor_pursat, action=AuditAction.VIEW, obj=cast.pursat, request=request)
    assert (event.actor_id, event.actor_role, event.actor_centre) == (cast.counsellor_pursat.pk, "counsellor", "jc-15")
    assert event.ip == "10.0.0.7"
    assert event.object_type == "centres.jobcentre"


@pytest.mark.django_db
def test_the_app_cannot_edit_or_delete_audit_rows(cast):
    event = record(actor=cast.national, action=AuditAction.EXPORT, object_type="report", count=10)
    event.count = 0
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(count=0)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_the_database_refuses_to_update_audit_rows_too(cast):
    event = record(actor=cast.national, action=AuditAction.EXPORT, object_type="report")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET count = 0 WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.count == 1
