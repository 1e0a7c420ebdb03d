"""Believable Chinese names for demo and benchmark data, from a seeded RNG."""

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏吕丁沈任姚卢钟姜崔谭陆汪范金石廖贾夏韦方邱"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰春梅海燕文斌慧晓东亮波宁婷雪琴云飞鹏辉俊峰"
PLACE_A = "东西南北上下大小新前后石金黄白青竹桃梅柳茶溪云龙凤"
PLACE_B = "溪山塘岭坑湖桥岙田林源家坞畈浦港湾坪"
TRADES = ["纺织", "机电", "领带", "茶业", "电器", "新材料", "厨具", "五金", "食品", "竹木", "汽配", "服饰"]
TOWNSHIPS = [
    "清溪街道", "剡湖街道", "鹿山街道", "三界镇", "甘霖镇", "长乐镇", "崇仁镇", "黄泽镇", "石璜镇", "谷来镇",
    "仙岩镇", "金庭镇", "下王镇", "贵门乡", "里南乡", "竹溪乡", "雅璜乡", "通源乡", "北漳镇", "王院乡",
    "浦口镇", "富润镇", "东王镇", "西白镇", "崇德乡",
]  # fmt: skip
DEPARTMENTS = [
    "交通运输局", "水利局", "住房和城乡建设局", "司法局", "信访局", "自然资源和规划局", "农业农村局",
    "生态环境分局", "人力资源和社会保障局", "经济和信息化局", "卫生健康局", "应急管理局", "市场监督管理局",
    "民政局", "教育局", "供电公司",
]  # fmt: skip
TOWNSHIP_OFFICES = ["综合治理办公室", "农业农村办公室", "社会事务办公室", "村镇建设办公室", "司法所"]
PARTNERS = ["农商银行", "城投集团", "供销社", "邮政公司", "移动公司"]


class NameMaker:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self._used: set[str] = set()

    def _unique(self, make) -> str:
        for _attempt in range(50):
            name = make()
            if name not in self._used:
                self._used.add(name)
                return name
        name = f"{make()}{len(self._used)}"
        self._used.add(name)
        return name

    def person(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return self.rng.choice(SURNAMES) + given

    def place(self, suffix: str) -> str:
        return self._unique(lambda: self.rng.choice(PLACE_A) + self.rng.choice(PLACE_B) + suffix)

    def enterprise(self, city_short: str) -> str:
        return self._unique(
            lambda: f"{city_short}{self.rng.choice(PLACE_A)}{self.rng.choice(PLACE_B)}{self.rng.choice(TRADES)}有限公司"
        )

    def mobile(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}"
