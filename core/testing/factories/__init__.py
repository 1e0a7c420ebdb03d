"""Test data in one style: a factory-boy factory for every model of the project's apps.

Import them from here. Each factory makes a whole valid row on its own; most take
``cast=`` (core.testing.cast) to stand on the standing cast instead. Models whose
rules live in a service (units, station assignments, roles) are created through it;
so are ``RaisedCaseFactory`` (walked to a stage by core.testing.lifecycle) and
``WrittenDiaryFactory``. core/tests/test_factories.py checks that none is missing.
"""

from core.testing.factories.accounts import (
    PASSWORD,
    AddressLockFactory,
    CityFactory,
    CitySettingsFactory,
    CoBuildingLinkFactory,
    DepartmentFactory,
    LoginLockFactory,
    OfficeFactory,
    OrgUnitFactory,
    PasswordHistoryFactory,
    StationAssignmentFactory,
    TokenFactory,
    TownshipFactory,
    UserFactory,
    UserRoleFactory,
    VillageFactory,
)
from core.testing.factories.cases import (
    CallbackFactory,
    CaseEventFactory,
    CaseFactory,
    CategoryFactory,
    DeadlinePolicyFactory,
    DispatchFactory,
    ExtensionFactory,
    FeedbackFactory,
    ProjectFactory,
    RaisedCaseFactory,
    RoutingRuleFactory,
    VillageCaseFactory,
)
from core.testing.factories.dashboards import (
    CaseStatDayFactory,
    DiaryStatDayFactory,
    ExportFactory,
    HotspotCaseFactory,
    HotspotFactory,
    OfficerMonthFactory,
    RolledDayFactory,
    RollupRunFactory,
)
from core.testing.factories.diaries import (
    DiaryEntryFactory,
    IssueDataFactory,
    PhotoFactory,
    ReviewFactory,
    VisitDataFactory,
    VisitFactory,
    WrittenDiaryFactory,
)
from core.testing.factories.notifications import (
    DeliveryFactory,
    NotificationFactory,
    SweepClaimFactory,
    WebhookEndpointFactory,
)
from core.testing.factories.oversight import OrderCounterFactory, SupervisionOrderFactory
from core.testing.factories.records import AuditEventFactory, IdempotencyKeyFactory, WorkdayOverrideFactory

__all__ = [
    "PASSWORD",
    "AuditEventFactory",
    "CallbackFactory",
    "CaseEventFactory",
    "CaseFactory",
    "CaseStatDayFactory",
    "CategoryFactory",
    "CityFactory",
    "CitySettingsFactory",
    "CoBuildingLinkFactory",
    "DeadlinePolicyFactory",
    "DeliveryFactory",
    "DepartmentFactory",
    "DiaryEntryFactory",
    "DiaryStatDayFactory",
    "DispatchFactory",
    "ExportFactory",
    "ExtensionFactory",
    "FeedbackFactory",
    "HotspotCaseFactory",
    "HotspotFactory",
    "IdempotencyKeyFactory",
    "IssueDataFactory",
    "LoginLockFactory",
    "AddressLockFactory",
    "PasswordHistoryFactory",
    "NotificationFactory",
    "OfficeFactory",
    "OfficerMonthFactory",
    "OrderCounterFactory",
    "OrgUnitFactory",
    "PhotoFactory",
    "ProjectFactory",
    "RaisedCaseFactory",
    "ReviewFactory",
    "RolledDayFactory",
    "RollupRunFactory",
    "RoutingRuleFactory",
    "StationAssignmentFactory",
    "SupervisionOrderFactory",
    "SweepClaimFactory",
    "TokenFactory",
    "TownshipFactory",
    "UserFactory",
    "UserRoleFactory",
    "VillageCaseFactory",
    "VillageFactory",
    "VisitDataFactory",
    "VisitFactory",
    "WebhookEndpointFactory",
    "WorkdayOverrideFactory",
    "WrittenDiaryFactory",
]
