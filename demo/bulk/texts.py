"""Case titles, descriptions and diary texts composed from parts, so a year of them reads like real work.

A title is a landmark (a generated place that is not an org unit, so the
hotspot detector does not strip it) + an object + a problem, e.g.
"石桥头东侧路灯不亮" — alike only when the object and the problem agree.
A few recurring complaints (RECURRING) are written almost the same way
everywhere they occur; build.py plants them across townships in a few
weeks, which is what the hotspot detector is meant to find.
"""

import random

from demo.names import GIVEN, PLACE_A, PLACE_B, SURNAMES

LANDMARK_TAIL = ["路口", "桥头", "老街", "菜场", "祠堂", "小学", "组", "弄", "塘边", "大樟树下", "公交站", "文化礼堂",
                 "后山", "溪边", "安置小区", "工业区"]  # fmt: skip
SIDES = ["", "", "东侧", "西头", "北面", "旁边", "对面", "附近", "一带", "往南"]

# category code → (objects, problems, what the resident wants)
PARTS = {
    "infra.road": (["村道", "机耕路", "便民桥", "路灯", "道路护栏", "减速带", "排水沟盖板", "公交站台"],
                   ["破损", "坑洼积水", "塌陷", "不亮", "缺失", "被占用", "年久失修", "存在安全隐患"],
                   "希望尽快修复，方便群众出行"),
    "infra.water": (["自来水管", "供电线路", "变压器", "水表", "电线杆", "饮用水源"],
                    ["水压不足", "经常停电", "老化漏水", "倾斜", "电压不稳", "水质浑浊"], "希望相关部门上门检修"),
    "infra.housing": (["危旧房", "老旧小区外墙", "公房屋顶", "农房", "楼道"],
                      ["开裂", "漏雨", "墙皮脱落", "改造进度慢", "鉴定未出结果"], "希望尽快安排鉴定和维修"),
    "agri.irrigation": (["灌溉渠", "山塘", "机埠", "水闸", "排涝沟"],
                        ["淤塞", "渗漏", "设备损坏", "放水困难", "堤坝松动"], "希望在农忙前修好"),
    "agri.tech": (["茶园", "水稻", "果树", "蔬菜大棚", "竹林"],
                  ["病虫害严重", "缺少技术指导", "品种退化", "减产", "销路不畅"], "希望农技人员现场指导"),
    "agri.land": (["承包地", "宅基地审批", "设施农用地", "流转土地"],
                  ["审批慢", "面积有出入", "手续不清", "规划调整未告知"], "希望给个明确答复"),
    "dispute.neighbour": (["两户邻居", "上下楼住户", "相邻店铺", "兄弟两家"],
                          ["因院墙起争执", "因排水起纠纷", "因噪音发生矛盾", "因通行问题争吵", "因树木遮光闹矛盾"],
                          "希望村里出面调解"),
    "dispute.land": (["山林", "承包田", "宅基地", "祖坟山"],
                     ["边界争议", "权属纠纷", "被人占用", "补偿款分配争议"], "希望依法处理"),
    "dispute.labour": (["建筑工地工人", "厂里员工", "装修师傅", "临时工"],
                       ["工资被拖欠", "工伤赔偿未落实", "未签劳动合同", "社保未缴"], "希望帮助讨回公道"),
    "enterprise.finance": (["企业", "个体工商户", "合作社", "家庭农场"],
                           ["贷款难", "转贷资金紧张", "担保难落实", "利率偏高"], "希望对接银行给予支持"),
    "enterprise.staffing": (["企业", "车间", "外贸公司", "新开工厂"],
                            ["招工难", "熟练工短缺", "技术人员留不住", "季节性缺工"], "希望对接招聘会"),
    "enterprise.approval": (["厂房扩建", "环评", "消防验收", "排污许可", "项目备案"],
                            ["审批时间长", "材料反复退回", "流程不清楚", "卡在某个环节"], "希望帮助协调加快办理"),
    "welfare.insurance": (["医保报销", "养老保险", "低保", "残疾人补贴", "参保缴费"],
                          ["手续不清楚", "迟迟未到账", "被取消资格", "办理跑多次"], "希望给予政策解释和帮助"),
    "welfare.elderly": (["独居老人", "高龄老人", "困难家庭", "留守儿童"],
                        ["生活困难", "无人照料", "看病不便", "房屋漏雨无力修缮"], "希望给予帮扶"),
    "environment.waste": (["垃圾收集点", "垃圾桶", "建筑垃圾", "河道漂浮物", "公厕"],
                          ["清运不及时", "满溢发臭", "乱堆乱放", "长期无人清理", "破损"], "希望及时清理"),
    "environment.sewage": (["生活污水管", "养殖场", "小作坊", "化粪池"],
                           ["污水直排", "异味扰民", "管网堵塞", "渗漏污染农田"], "希望加强整治"),
    "safety.hazard": (["老旧电线", "山体边坡", "危险路段", "废弃厂房", "河埠头"],
                      ["存在安全隐患", "有滑坡迹象", "缺少警示标志", "无人看管", "护栏缺失"], "希望尽快排除隐患"),
    "safety.fire": (["消防通道", "电瓶车", "消防栓", "出租房"],
                    ["被堵塞", "楼道充电", "损坏无水", "消防设施不全"], "希望加强检查"),
    "policy.general": (["医保缴费标准", "惠农补贴", "人才政策", "生育补贴", "农房建设政策"],
                       ["咨询", "怎么申请", "标准有变化", "什么时候发放"], "希望讲清政策"),
    "other.general": (["广场舞音响", "流浪犬", "快递收发", "信号覆盖"],
                      ["扰民", "伤人隐患", "不方便", "信号差"], "希望协调解决"),
}  # fmt: skip

RECURRING = [
    ("infra.road", "县道沿线路灯大面积不亮夜间出行危险"),
    ("environment.waste", "垃圾中转站搬迁后清运车辆长期不来"),
    ("welfare.insurance", "城乡居民医保缴费系统升级后无法缴费"),
    ("agri.irrigation", "水库放水时间调整影响晚稻灌溉"),
]

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
        return r.choice(PLACE_A) + r.choice(PLACE_B) + r.choice(LANDMARK_TAIL) + r.choice(SIDES)

    def case(self, code: str) -> tuple[str, str]:
        """(title, description) of a case of category ``code``."""
        r = self.rng
        objects, problems, wish = PARTS.get(code) or PARTS["other.general"]
        where = self.landmark()
        thing, problem = r.choice(objects), r.choice(problems)
        title = f"{where}{thing}{problem}"
        since = r.choice(["近来", "一个多月来", "入冬以来", "今年以来", "最近一周"])
        description = f"群众反映{where}{thing}{since}{problem}，{wish}。"
        return title[:200], description

    def recurring(self, text: str, village: str) -> tuple[str, str]:
        return f"{village}{text}", f"{village}多名群众反映{text}，希望尽快解决。"

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
