"""The category tree of DOMAIN.md and default routing rules."""

from accounts.models import OrgKind, OrgUnit
from cases.choices import Difficulty, Level
from cases.models import Category, RoutingRule

# (code, name, default difficulty, [(code, name, difficulty, city department or None)])
TREE = [
    ("infra", "基础设施", "normal", [
        ("infra.road", "道路交通", "normal", "交通运输局"),
        ("infra.water", "供水供电", "normal", "供电公司"),
        ("infra.housing", "房屋建设", "hard", "住房和城乡建设局"),
    ]),
    ("agri", "农业农村", "normal", [
        ("agri.irrigation", "农田水利", "normal", "水利局"),
        ("agri.tech", "农技服务", "easy", "农业农村局"),
        ("agri.land", "土地规划", "hard", "自然资源和规划局"),
    ]),
    ("dispute", "矛盾纠纷", "normal", [
        ("dispute.neighbour", "邻里纠纷", "easy", None),
        ("dispute.land", "土地纠纷", "hard", "司法局"),
        ("dispute.labour", "劳资纠纷", "normal", "人力资源和社会保障局"),
    ]),
    ("enterprise", "企业服务", "normal", [
        ("enterprise.finance", "融资", "hard", "经济和信息化局"),
        ("enterprise.staffing", "用工", "normal", "人力资源和社会保障局"),
        ("enterprise.approval", "审批", "normal", "市场监督管理局"),
    ]),
    ("welfare", "社会保障", "normal", [
        ("welfare.insurance", "医保社保", "normal", "人力资源和社会保障局"),
        ("welfare.elderly", "养老救助", "normal", "民政局"),
    ]),
    ("environment", "环境卫生", "easy", [
        ("environment.waste", "垃圾处理", "easy", None),
        ("environment.sewage", "污水治理", "hard", "生态环境分局"),
    ]),
    ("safety", "公共安全", "normal", [
        ("safety.hazard", "安全隐患", "normal", "应急管理局"),
        ("safety.fire", "消防", "normal", "应急管理局"),
    ]),
    ("policy", "政策咨询", "easy", [("policy.general", "政策咨询", "easy", None)]),
    ("other", "其他", "normal", [("other.general", "其他", "normal", None)]),
]  # fmt: skip


def seed_categories() -> dict[str, Category]:
    existing = {c.code: c for c in Category.objects.all()}
    for order, (code, name, difficulty, children) in enumerate(TREE):
        parent = existing.get(code) or Category.objects.create(
            code=code, name=name, default_difficulty=difficulty, sort_order=order
        )
        existing[code] = parent
        for child_order, (child_code, child_name, child_difficulty, _dept) in enumerate(children):
            if child_code not in existing:
                existing[child_code] = Category.objects.create(
                    code=child_code,
                    name=child_name,
                    parent=parent,
                    default_difficulty=child_difficulty,
                    sort_order=order * 100 + child_order,
                )
    return existing


def seed_routing(city: OrgUnit, categories: dict[str, Category]) -> None:
    """Hard cases go to the matching city department; everything else stays in the
    township with its comprehensive-governance office."""
    if RoutingRule.objects.filter(unit__city=city).exists():
        return
    departments = {u.name: u for u in OrgUnit.objects.filter(city=city, kind=OrgKind.DEPARTMENT)}
    rules = []
    for _code, _name, _difficulty, children in TREE:
        for child_code, _child_name, _child_difficulty, dept in children:
            if dept and dept in departments:
                rules.append(
                    RoutingRule(
                        category=categories[child_code],
                        difficulty=Difficulty.HARD,
                        level=Level.CITY,
                        unit=departments[dept],
                    )
                )
    offices = OrgUnit.objects.filter(city=city, kind=OrgKind.TOWNSHIP_OFFICE, name="综合治理办公室")
    for office in offices:
        for child_code in ("dispute.neighbour", "environment.waste", "other.general"):
            rules.append(
                RoutingRule(
                    category=categories[child_code],
                    difficulty="",
                    township_id=office.township_id,
                    level=Level.TOWNSHIP,
                    unit=office,
                    auto_dispatch=child_code == "environment.waste",
                )
            )
    RoutingRule.objects.bulk_create(rules)
