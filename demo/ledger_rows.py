"""Believable ledger records (民情档案) for demo and benchmark data, as pure functions of (station, index).

Every field of a record comes from a hash of its station's id and its index in
the station's ledger, never from a shared RNG: the bulk seeder's diary workers
and its record workers (different processes) then agree on a record's name,
address and key-ness without talking to each other, and a run is repeatable.
"""

import datetime
from dataclasses import dataclass

from demo.names import GIVEN, PLACE_A, PLACE_B, SURNAMES, TRADES
from households.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

MASK = (1 << 64) - 1
KEY_PER_MILLE = 150  # ~15 % key records (HOUSEHOLDS.md: tags with an interval)
TAGGED_PER_MILLE = 60  # another ~6 % carry a tag without a schedule (留守儿童, 退役军人, 新居民)
MOVED_PER_MILLE, CLOSED_PER_MILLE = 15, 10
REGION = "330683"  # 嵊州市's administrative division code: the credit codes' positions 3–8
SIZES = ("micro",) * 6 + ("small",) * 3 + ("medium",)
# Which key tag a key record carries, weighted: lone elders and low-income households are the most common.
KEY_WEIGHTS = {"独居老人": 4, "低保户": 3, "低边户": 2, "残疾人": 2, "重病患者": 2, "信访重点户": 1}


def mix(n: int) -> int:
    """A 64-bit scramble (splitmix64's finaliser): neighbouring inputs give unrelated outputs."""
    n = (n + 0x9E3779B97F4A7C15) & MASK
    n = ((n ^ (n >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    n = ((n ^ (n >> 27)) * 0x94D049BB133111EB) & MASK
    return n ^ (n >> 31)


def record_hash(station_id: int, index: int) -> int:
    return mix(station_id * 1_000_003 + index)


@dataclass(frozen=True)
class TagSet:
    """The tags as (id, name, interval) — key tags repeated by weight, so one draw picks by weight."""

    key: tuple
    plain: tuple

    @classmethod
    def from_rows(cls, rows) -> "TagSet":
        key, plain = [], []
        for tag_id, name, interval in rows:
            if interval:
                key.extend([(tag_id, name, interval)] * KEY_WEIGHTS.get(name, 1))
            else:
                plain.append((tag_id, name, interval))
        return cls(tuple(key), tuple(plain))


def is_key(station_id: int, index: int, n_households: int) -> bool:
    """Cheap enough for the diary workers' picks: households only, active ones."""
    if index >= n_households:
        return False
    h = record_hash(station_id, index)
    return (h >> 20) % 1000 < KEY_PER_MILLE and h % 1000 >= MOVED_PER_MILLE + CLOSED_PER_MILLE


def status_of(station_id: int, index: int) -> str:
    h = record_hash(station_id, index) % 1000
    return "moved" if h < MOVED_PER_MILLE else "closed" if h < MOVED_PER_MILLE + CLOSED_PER_MILLE else "active"


def tags_of(station_id: int, index: int, n_households: int, tags: TagSet) -> list[tuple]:
    if index >= n_households:
        return []
    h = record_hash(station_id, index)
    chosen = []
    if (h >> 20) % 1000 < KEY_PER_MILLE and tags.key:
        chosen.append(tags.key[(h >> 32) % len(tags.key)])
        if (h >> 40) % 5 == 0:  # one in five key records has a second tag
            second = tags.key[(h >> 44) % len(tags.key)]
            if second[0] != chosen[0][0]:
                chosen.append(second)
    elif (h >> 20) % 1000 < KEY_PER_MILLE + TAGGED_PER_MILLE and tags.plain:
        chosen.append(tags.plain[(h >> 32) % len(tags.plain)])
    return chosen


def person(h: int) -> str:
    given = GIVEN[(h >> 8) % len(GIVEN)] + (GIVEN[(h >> 16) % len(GIVEN)] if (h >> 24) % 3 else "")
    return SURNAMES[h % len(SURNAMES)] + given


def mobile(h: int) -> str:
    """A valid-looking mainland mobile (1[3-9] and nine digits), different for every record."""
    return f"1{'35789'[(h >> 3) % 5]}{(h >> 11) % 10**9:09d}"


def credit_code(h: int) -> str:
    """A unified social credit code whose check character is right (households.validators)."""
    body = "".join(CREDIT_CODE_ALPHABET[(h >> (5 * k)) % 31] for k in range(9))
    first17 = "91" + REGION + body
    return first17 + credit_code_check_character(first17)


def household_name(station_id: int, index: int) -> str:
    return person(record_hash(station_id, index))


def household_address(station_name: str, community: bool, index: int) -> str:
    """组/门牌 in a village, 幢/单元/室 in a community: unique in the station by construction."""
    if community:
        building, rest = divmod(index, 24)
        unit, room = divmod(rest, 8)
        return f"{station_name}{building + 1}幢{unit + 1}单元{(room // 2 + 1) * 100 + room % 2 + 1}室"
    group, door = divmod(index, 35)
    return f"{station_name}{group + 1}组{door + 1}号"


def enterprise_name(station_id: int, index: int, station_name: str, *, station_itself: bool) -> str:
    if station_itself:
        return station_name
    h = record_hash(station_id, index)
    return f"{PLACE_A[h % len(PLACE_A)]}{PLACE_B[(h >> 6) % len(PLACE_B)]}{TRADES[(h >> 12) % len(TRADES)]}有限公司"


def enterprise_address(station_name: str, index: int) -> str:
    return f"{station_name}工业功能区{index + 1}号"


def record(station, index: int, n_households: int, tags: TagSet, created: datetime.date) -> dict:
    """One record's fields (no schedule); ``station`` has id, name, kind ("village"/"community"/"enterprise")."""
    sid, h = station.id, record_hash(station.id, index)
    status = status_of(sid, index)
    chosen = tags_of(sid, index, n_households, tags)
    row = {"index": index, "station_id": sid, "status": status, "tags": chosen, "created": created,
           "interval_days": min((t[2] for t in chosen if t[2]), default=None),
           "inactive_since": created + datetime.timedelta(days=30 + (h >> 50) % 300) if status != "active" else None,
           "phone": mobile(h) if (h >> 45) % 10 < 8 else "", "credit_code": "", "contact": "", "industry": "",
           "size": "", "members": None, "notes": ""}  # fmt: skip
    if index < n_households:
        row.update(kind="household", name=household_name(sid, index),
                   address=household_address(station.name, station.kind == "community", index),
                   members=1 + (h >> 52) % 6)  # fmt: skip
        if any(t[1] == "独居老人" for t in chosen):
            row["members"] = 1
    else:
        own = station.kind == "enterprise" and index == n_households
        row.update(kind="enterprise", name=enterprise_name(sid, index, station.name, station_itself=own),
                   address=enterprise_address(station.name, index - n_households), credit_code=credit_code(h),
                   contact=person(h >> 7), industry=TRADES[(h >> 12) % len(TRADES)],
                   size=SIZES[(h >> 33) % len(SIZES)], members=None)  # fmt: skip
    return row


def sizes_of(station_id: int, kind: str, households: tuple[int, int], enterprises: tuple[int, int]) -> tuple[int, int]:
    """(households, enterprises) of a station: villages and communities keep both, an enterprise station itself."""
    h = mix(station_id ^ 0x5EED)
    if kind == "enterprise":
        return 0, 1 + h % 3
    lo, hi = households
    elo, ehi = enterprises
    return lo + h % (hi - lo + 1), elo + (h >> 20) % (ehi - elo + 1)
