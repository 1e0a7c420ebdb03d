"""The answer to a diary POST, built from the rows just written instead of through DRF's serializers.

It is exactly what ``DiaryDetailSerializer`` (the schema of the answer) gives for a fresh read of the
entry (diaries/tests/test_create_queries.py compares them), without instantiating a tree of
serializers and their fields on every write.
"""

from django.urls import reverse
from rest_framework.fields import DateTimeField

from diaries import residents
from diaries.models import DiaryEntry

_moment = DateTimeField()


def _brief(obj) -> dict:
    return {"id": obj.pk, "name": str(obj.name)}


def written_answer(entry: DiaryEntry, request) -> dict:
    """``DiaryDetailSerializer(entry).data`` for an entry returned by ``selectors.as_written``."""
    view = residents.in_list(request.user, entry)
    photos = list(entry.photos.all())
    cases = entry.case_rows
    location = None
    if entry.latitude is not None and entry.longitude is not None:
        location = {"lat": float(entry.latitude), "lng": float(entry.longitude)}
    return {
        "id": entry.pk,
        "officer": {"id": entry.officer.pk, "name": str(entry.officer)},
        "station": _brief(entry.station),
        "township": _brief(entry.township),
        "visit_date": entry.visit_date.isoformat(),
        "visit_type": str(entry.visit_type),
        "content": entry.content,
        "location": location,
        "household_visits": entry.household_visits,
        "enterprise_visits": entry.enterprise_visits,
        "visits": [
            {
                "id": v.id,
                "kind": str(v.kind),
                "name": v.name,
                "phone": v.phone,
                "address": v.address,
                "household": v.household,
            }
            for v in view.visits(entry)
        ],
        "cases": [case.pk for case in cases],
        "photo_count": len(photos),
        "review_count": 0,
        "possible_copy": ({"entry": entry.copy_of_id, "score": float(entry.copy_score)} if entry.copy_of_id else None),
        "created_at": _moment.to_representation(entry.created_at),
        "photos": [
            {
                "id": p.pk,
                "url": request.build_absolute_uri(reverse("api-diary-photo", args=[p.pk])),
                "content_type": p.content_type,
                "size": p.size,
            }
            for p in photos
        ],
        "raised_cases": [
            {"id": c.pk, "code": c.code, "title": c.title, "status": str(c.status), "level": str(c.level)}
            for c in cases
        ],
        "reviews": [],
    }
