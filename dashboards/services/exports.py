"""Asking for a spreadsheet: built at once when small, in the worker when large; audited either way."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_log
from dashboards import exports
from dashboards.models import Export

log = logging.getLogger(__name__)


def export_now(*, user, kind: str, params: dict, request=None) -> tuple[bytes, int]:
    """Build the spreadsheet in this request and write the audit row."""
    data, rows = exports.build(user, kind, params)
    audit_log(action="export", user=user, request=request, detail=exports.audit_detail(kind, params, rows, user))
    return data, rows


def export_request(*, user, kind: str, params: dict) -> Export:
    """Queue a large export for the worker; the caller finds it under "My exports" when ready."""
    with transaction.atomic():
        export = Export.objects.create(owner=user, kind=kind, params=params)
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from dashboards.tasks import build_export

    build_export.delay(export_id)


def export_run(export_id: int) -> None:
    """Build a queued export once: the row is claimed first, so a redelivered task does nothing."""
    claimed = Export.objects.filter(pk=export_id, status=Export.Status.PENDING).update(status=Export.Status.RUNNING)
    if claimed != 1:
        return
    export = Export.objects.select_related("owner").get(pk=export_id)
    try:
        data, rows = exports.build(export.owner, export.kind, export.params)
    except exports.ExportInvalid as exc:
        _fail(export, str(dict(exc.errors)))
        return
    except Exception as exc:
        _fail(export, exc.__class__.__name__)
        raise
    export.file.save(f"{export.kind}-{export.pk}.xlsx", ContentFile(data), save=False)
    export.rows, export.status, export.finished_at = rows, Export.Status.DONE, timezone.now()
    export.save(update_fields=["file", "rows", "status", "finished_at"])
    audit_log(action="export", user=export.owner, obj=export,
              detail=exports.audit_detail(export.kind, export.params, rows, export.owner))  # fmt: skip


def _fail(export: Export, message: str) -> None:
    log.warning("export %s failed: %s", export.pk, message)
    export.status, export.error, export.finished_at = Export.Status.FAILED, message[:500], timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])
