"""A standing cast for tests: one small city, two townships, a user per role,
and an outsider in the second township (healthchecks' owner/colleague/outsider)."""

import datetime
from dataclasses import dataclass

from accounts import services
from accounts.models import OrgKind, OrgUnit, StationAssignment, User
from accounts.roles import Role

PASSWORD = "Test-pass-2026"


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


def make_unit(code: str, name: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
    return services.org_unit_save(OrgUnit(code=code, name=name, kind=kind, parent=parent))


def make_user(username: str, roles: list[str], unit: OrgUnit | None, name: str = "") -> User:
    user = User(username=username, name=name or username, org_unit=unit)
    user.set_password(PASSWORD)
    user.is_staff = user.is_superuser = Role.ADMIN in roles
    user.save()
    services.user_set_roles(user=user, roles=roles)
    return user


def station(
    officer: User, unit: OrgUnit, dispatching: OrgUnit, start: datetime.date | None = None
) -> StationAssignment:
    start = start or datetime.date(2026, 1, 1)
    return services.assignment_save(
        StationAssignment(officer=officer, station=unit, dispatching_unit=dispatching, start=start)
    )


def build_cast() -> Cast:
    city = make_unit("C1", "清溪市", OrgKind.CITY, None)
    township = make_unit("T1", "甘霖镇", OrgKind.TOWNSHIP, city)
    township_b = make_unit("T2", "长乐镇", OrgKind.TOWNSHIP, city)
    department = make_unit("D1", "交通运输局", OrgKind.DEPARTMENT, city)
    department_2 = make_unit("D2", "水利局", OrgKind.DEPARTMENT, city)
    units = {
        "village": make_unit("T1V1", "东溪村", OrgKind.VILLAGE, township),
        "community": make_unit("T1M1", "新桥社区", OrgKind.COMMUNITY, township),
        "enterprise": make_unit("T1E1", "清溪纺织有限公司", OrgKind.ENTERPRISE, township),
        "office": make_unit("T1O1", "综合治理办公室", OrgKind.TOWNSHIP_OFFICE, township),
        "village_b": make_unit("T2V1", "西山村", OrgKind.VILLAGE, township_b),
        "office_b": make_unit("T2O1", "综合治理办公室", OrgKind.TOWNSHIP_OFFICE, township_b),
    }
    officer = make_user("officer", [Role.OFFICER], department, "周建国")
    officer_b = make_user("officer_b", [Role.OFFICER], department_2, "冯志刚")
    station(officer, units["village"], department)
    station(officer_b, units["village_b"], department_2)
    return Cast(
        city=city,
        township=township,
        township_b=township_b,
        department=department,
        department_2=department_2,
        officer=officer,
        officer_b=officer_b,
        township_staff=make_user("township_staff", [Role.TOWNSHIP_STAFF], township, "李春梅"),
        township_staff_b=make_user("township_staff_b", [Role.TOWNSHIP_STAFF], township_b, "郑丽娟"),
        office_handler=make_user("office_handler", [Role.UNIT_HANDLER], units["office"], "赵海燕"),
        dept_handler=make_user("dept_handler", [Role.UNIT_HANDLER], department, "孙立军"),
        city_office=make_user("city_office", [Role.CITY_OFFICE], city, "钱文斌"),
        leader=make_user("leader", [Role.LEADER], city, "吴国华"),
        township_leader=make_user("township_leader", [Role.LEADER], township, "何镇长"),
        admin=make_user("admin", [Role.ADMIN], city, "管理员"),
        **units,
    )
