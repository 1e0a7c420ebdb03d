"""A standing cast for tests: one small city, two townships, a user per role,
and an outsider in the second township (healthchecks' owner/colleague/outsider).

Built from the factories, so the cast's units, people and stations are made
the way any other test data is.
"""

from dataclasses import dataclass

from accounts.models import OrgKind, OrgUnit, User
from accounts.roles import Role
from core.testing.factories import OrgUnitFactory, StationAssignmentFactory, UserFactory


@dataclass
class Cast:
    city: OrgUnit
    township: OrgUnit
    township_b: OrgUnit
    village: OrgUnit
    community: OrgUnit
    enterprise: OrgUnit
    village_b: OrgUnit
    office: OrgUnit
    office_b: OrgUnit
    department: OrgUnit
    department_2: OrgUnit
    officer: User
    officer_b: User
    township_staff: User
    township_staff_b: User
    office_handler: User
    dept_handler: User
    city_office: User
    leader: User
    township_leader: User
    admin: User

    def by_role(self) -> dict[str, User]:
        return {
            "officer": self.officer,
            "township_staff": self.township_staff,
            "unit_handler": self.office_handler,
            "dept_handler": self.dept_handler,
            "city_office": self.city_office,
            "leader": self.leader,
            "township_leader": self.township_leader,
            "admin": self.admin,
            "outsider": self.township_staff_b,
        }


def _unit(code: str, name: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
    return OrgUnitFactory(code=code, name=name, kind=kind, parent=parent)


def _user(username: str, role: str, unit: OrgUnit, name: str) -> User:
    return UserFactory(username=username, roles=[role], org_unit=unit, name=name)


def build_cast() -> Cast:
    city = _unit("C1", "清溪市", OrgKind.CITY, None)
    township = _unit("T1", "甘霖镇", OrgKind.TOWNSHIP, city)
    township_b = _unit("T2", "长乐镇", OrgKind.TOWNSHIP, city)
    department = _unit("D1", "交通运输局", OrgKind.DEPARTMENT, city)
    department_2 = _unit("D2", "水利局", OrgKind.DEPARTMENT, city)
    units = {
        "village": _unit("T1V1", "东溪村", OrgKind.VILLAGE, township),
        "community": _unit("T1M1", "新桥社区", OrgKind.COMMUNITY, township),
        "enterprise": _unit("T1E1", "清溪纺织有限公司", OrgKind.ENTERPRISE, township),
        "office": _unit("T1O1", "综合治理办公室", OrgKind.TOWNSHIP_OFFICE, township),
        "village_b": _unit("T2V1", "西山村", OrgKind.VILLAGE, township_b),
        "office_b": _unit("T2O1", "综合治理办公室", OrgKind.TOWNSHIP_OFFICE, township_b),
    }
    officer = _user("officer", Role.OFFICER, department, "周建国")
    officer_b = _user("officer_b", Role.OFFICER, department_2, "冯志刚")
    StationAssignmentFactory(officer=officer, station=units["village"], dispatching_unit=department)
    StationAssignmentFactory(officer=officer_b, station=units["village_b"], dispatching_unit=department_2)
    return Cast(
        city=city,
        township=township,
        township_b=township_b,
        department=department,
        department_2=department_2,
        officer=officer,
        officer_b=officer_b,
        township_staff=_user("township_staff", Role.TOWNSHIP_STAFF, township, "李春梅"),
        township_staff_b=_user("township_staff_b", Role.TOWNSHIP_STAFF, township_b, "郑丽娟"),
        office_handler=_user("office_handler", Role.UNIT_HANDLER, units["office"], "赵海燕"),
        dept_handler=_user("dept_handler", Role.UNIT_HANDLER, department, "孙立军"),
        city_office=_user("city_office", Role.CITY_OFFICE, city, "钱文斌"),
        leader=_user("leader", Role.LEADER, city, "吴国华"),
        township_leader=_user("township_leader", Role.LEADER, township, "何镇长"),
        admin=_user("admin", Role.ADMIN, city, "管理员"),
        **units,
    )
