"""Factories of diary entries and what they carry.

``WrittenDiaryFactory`` writes an entry through diaries.services.diary_create, as an
officer does (visits, issues raised as cases, photos, the copy check); ``DiaryEntryFactory``
writes the row alone, for tests that only count or show entries. The service's
inputs, ``IssueData`` and ``VisitData``, have factories too.
"""

import datetime

import factory
from django.utils import timezone

from accounts.roles import Role
from core.testing.factories.accounts import StationAssignmentFactory, UserFactory, VillageFactory
from core.testing.factories.base import ModelFactory, from_cast, seeded
from core.testing.payloads import JPEG
from diaries.models import DiaryEntry, Photo, Review, Visit
from diaries.services import DiaryData, IssueData, VisitData, diary_create


class VisitDataFactory(factory.Factory):
    class Meta:
        model = VisitData

    kind = "household"
    name = "王五"
    phone = "13812345678"


class IssueDataFactory(factory.Factory):
    class Meta:
        model = IssueData

    title = "路灯不亮"
    category = seeded("infra.road")
    urgency = "normal"


class DiaryEntryFactory(ModelFactory):
    """An entry row as stored (township and city copied from the station), without visits or the copy check."""

    class Meta:
        model = DiaryEntry

    officer = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    station = factory.SubFactory(VillageFactory)
    township = factory.LazyAttribute(lambda o: o.station.township)
    city = factory.LazyAttribute(lambda o: o.station.city)
    visit_date = factory.LazyFunction(timezone.localdate)
    visit_type = "household"
    content = "走访"


class WrittenDiaryFactory(ModelFactory):
    """An entry written through ``diary_create``: ``days_ago`` days back, one visit unless told.

    With ``cast=`` the cast's officer writes it at the village; without, an officer
    stationed for the purpose does. ``photos`` are checked ones (diaries.photos.check_photos).
    """

    class Meta:
        model = DiaryEntry

    class Params:
        cast = None
        days_ago = 0
        assignment = factory.Maybe("cast", None, factory.SubFactory(StationAssignmentFactory))

    officer = from_cast("officer", factory.SelfAttribute("assignment.officer"))
    station = from_cast("village", factory.SelfAttribute("assignment.station"))
    visit_date = factory.LazyAttribute(lambda o: timezone.localdate() - datetime.timedelta(days=o.days_ago))
    visit_type = "household"
    content = "今天走访了三户农户，了解了他们的生产生活情况。"
    visits = factory.LazyFunction(lambda: [VisitDataFactory()])
    issues = ()
    photos = ()

    @classmethod
    def _create(cls, model_class, *, officer, photos, visits, issues, **data):
        return diary_create(officer=officer, data=DiaryData(visits=tuple(visits), issues=tuple(issues), **data),
                            photos=photos)  # fmt: skip


class VisitFactory(ModelFactory):
    class Meta:
        model = Visit

    entry = factory.SubFactory(DiaryEntryFactory)
    kind = "household"
    name = "王五"
    phone = "13812345678"


class PhotoFactory(ModelFactory):
    """A stored JPEG photo of an entry (under MEDIA_ROOT: tests that keep files point it at a tmp_path)."""

    class Meta:
        model = Photo

    entry = factory.SubFactory(DiaryEntryFactory)
    file = factory.django.FileField(filename="p.jpg", data=JPEG)
    content_type = "image/jpeg"
    size = len(JPEG)


class ReviewFactory(ModelFactory):
    class Meta:
        model = Review

    entry = factory.SubFactory(DiaryEntryFactory)
    reviewer = factory.SubFactory(UserFactory, roles=[Role.TOWNSHIP_STAFF])
    comment = "走访细致，继续跟进"
