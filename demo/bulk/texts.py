"""Case titles, descriptions and diary texts composed from parts, so a year of them reads like real work.

A case is one issue of its category (complaints.ISSUES) in one of its
wordings, at a landmark — a generated place that is not an org unit, so the
hotspot detector does not strip it — with a house number, a duration and a
detail of its own, e.g. "石桥头12号路灯晚上黑灯瞎火，老人晚上出门摔过跤".
Such everyday trouble comes all year round in every township. A few
recurring complaints (RECURRING) are new: each is written in a few close
wordings wherever it occurs, and build.py plants them across townships in a
few weeks of the last 90 days — what the hotspot detector is meant to find.
"""

import random

from demo.bulk import complaints
from demo.names import GIVEN, PLACE_A, PLACE_B, SURNAMES

LANDMARK_TAIL = ["路口", "桥头", "老街", "菜场", "祠堂", "小学", "组", "弄", "塘边", "大樟树下", "公交站", "文化礼堂",
                 "后山", "溪边", "安置小区", "工业区"]  # fmt: skip
SIDES = ["", "", "东侧", "西头", "北面", "旁边", "对面", "附近", "一带", "往南"]
BY_HOUSE = ["门口", "屋后", "旁边", "对面", "边上"]
NUMBERED = ["{}号", "{}号旁", "{}幢", "{}号门口", "{}组", "第{}户"]


RECURRING = [  # (category code, (wordings of one complaint)): alike one another, unlike everyday trouble
    ("infra.road", ("县道改造施工后临时便道扬尘大车辆难行", "县道改造临时便道扬尘严重车辆难走", "县道改造施工以后便道扬尘大车难行")),
    ("environment.waste", ("垃圾中转站搬迁后清运车辆长期不来", "垃圾中转站搬走后清运车很久不来", "中转站搬迁以后垃圾清运车辆长期不来")),
    ("welfare.insurance", ("城乡居民医保缴费系统升级后无法缴费", "医保缴费系统升级后交不了城乡居民医保",
                           "城乡居民医保系统升级后一直无法缴费")),
    ("agri.irrigation", ("水库放水时间调整影响晚稻灌溉", "水库放水时间改了影响晚稻灌溉", "水库调整放水时间后晚稻灌溉跟不上")),
]  # fmt: skip

RESULTS = ["已现场核实并组织修复完毕", "已协调相关单位处理到位", "已按政策答复并协助办理", "已调解双方达成一致",
           "已列入年度计划并先行临时处置", "已督促责任主体整改完成"]  # fmt: skip
FEEDBACKS = ["已上门告知办理结果", "已电话告知处理情况", "已通过微信告知结果", "已当面向群众说明"]
RESPONSES = ["群众表示认可", "群众表示感谢", "群众希望后续继续关注", ""]
RETURN_REASONS = ["不属于本单位职责，请重新派单", "事项涉及多个部门，建议由上级统筹", "地址信息不全，无法核实"]
EXTENSION_REASONS = ["需协调施工队进场，工期较长", "涉及资金审批，需走程序", "需等待天气条件允许施工"]
REJECT_REASONS = ["办复内容过于简单，请补充处理过程", "群众诉求未完全回应，请补充"]
ESCALATE_REASONS = ["涉及跨部门协调，镇街无法解决", "需市级部门统筹处理"]
DIARY_OPENINGS = ["走访", "入户走访", "到", "随村干部走访", "实地察看"]
DIARY_BODIES = ["了解生产生活情况，宣传惠民政策", "听取群众意见建议，记录困难诉求", "了解企业生产经营和用工情况",
                "察看村道、水利设施运行情况", "宣传防诈骗和安全生产知识", "了解独居老人生活状况"]  # fmt: skip
DIARY_ENDINGS = ["群众总体反映良好。", "收集到的问题已逐条登记。", "对提出的问题当场作了解释。", "约定下周再来回访。"]
ADDRESS_TAILS = ["号", "弄", "幢", "组"]


class Texts:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def landmark(self) -> str:
        r = self.rng
        where = r.choice(PLACE_A) + r.choice(PLACE_B) + r.choice(LANDMARK_TAIL)
        # Residents pin most complaints to a house or a group; the rest to a side of the landmark.
        if r.random() < 0.7:
            return where + r.choice(NUMBERED).format(r.randrange(1, 60))
        return where + r.choice(SIDES)

    def case(self, code: str) -> tuple[str, str]:
        """(title, description) of a case of category ``code``: one issue, in one of its wordings, with a detail."""
        r = self.rng
        issues, wish = complaints.ISSUES.get(code) or complaints.ISSUES["other.general"]
        things, problems, details = r.choice(issues)
        thing, problem, detail = r.choice(things), r.choice(problems), r.choice(details)
        where, since, who = self.landmark(), r.choice(complaints.DURATIONS), r.choice(complaints.REPORTERS)
        if r.random() < 0.3:
            where = f"{self.person()}家{r.choice(BY_HOUSE)}"
        shape = r.randrange(4)  # how the desk happened to write it down
        if shape == 0:
            title = f"{where}{thing}{since}{problem}"
        elif shape == 1:
            title = f"{who}反映{where}{thing}{problem}" if who else f"{where}{thing}{problem}"
        elif shape == 2:
            title = f"{thing}{problem}，{detail}（{where}）"
        else:
            title = f"{where}{thing}{problem}，{detail}"
        description = f"{who or '群众'}反映{where}{thing}{since}{problem}，{detail}。{wish}。"
        return title[:200], description

    def recurring(self, complaint: tuple[str, ...], village: str) -> tuple[str, str]:
        """One of the close wordings of a recurring complaint, raised from ``village``."""
        r = self.rng
        text = r.choice(complaint)
        if r.random() < 0.5:
            return f"{village}{text}", f"{village}多名群众反映{text}，希望尽快解决。"
        return (
            f"{r.choice(complaints.REPORTERS) or '群众'}反映{village}{text}",
            f"{village}村民来电称{text}，已影响多户。",
        )

    def person(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return r.choice(SURNAMES) + r.choice(("大伯", "阿姨", "师傅", "先生", "女士", "老人"))
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2))))

    def mobile(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}"

    def address(self, station: str) -> str:
        return f"{station}{self.rng.randrange(1, 200)}{self.rng.choice(ADDRESS_TAILS)}"

    def diary(self, station: str) -> str:
        r = self.rng
        return f"{r.choice(DIARY_OPENINGS)}{station}，{r.choice(DIARY_BODIES)}，{r.choice(DIARY_BODIES)}。{r.choice(DIARY_ENDINGS)}"

    def pick(self, choices: list[str]) -> str:
        return self.rng.choice(choices)
