"""core.textsim: the one similarity of texts behind diaries' copies, similar cases and hotspots."""

import importlib.util
import re

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from core import textsim

# --- bigrams: a diary written again ----------------------------------------------


def test_punctuation_and_spaces_do_not_count():
    assert textsim.normalize("今天 走访，农户。OK!") == "今天走访农户ok"
    assert textsim.bigrams("走访农户") == {"走访", "访农", "农户"}


def test_a_copy_with_names_changed_is_found_and_an_honest_entry_is_not():
    copy = "今天走访东溪村李阿姨家，了解春耕准备情况，李阿姨反映村口道路坑洼，雨天积水，出行不便，已记录并上报。"
    candidates = [
        (1, "参加村两委会议，讨论垃圾分类推进方案和养老服务站建设，会上确定了下月的工作安排。"),
        (2, "今天走访东溪村张大伯家，了解春耕准备情况，张大伯反映村口道路坑洼，雨天积水，出行不便，已记录并上报。"),
        (3, "今天走访东溪村王大妈家，了解养老保险缴费情况，王大妈反映医保报销手续繁琐，希望简化。"),
    ]
    pk, score = textsim.most_similar(copy, candidates)
    assert pk == 2 and 0.7 <= score < 1
    assert textsim.most_similar(candidates[2][1], [candidates[0], candidates[1]]) is None


def test_the_best_match_wins_and_an_exact_repeat_scores_one():
    text = "走访东溪村5户农户，宣传防诈骗知识，了解农户生产生活情况，未发现问题。"
    candidates = [(1, "走访东溪村6户农户，宣传防溺水知识，了解农户生产生活情况，未发现问题。"), (2, text)]
    assert textsim.most_similar(text, candidates) == (2, 1.0)


def test_very_short_texts_only_match_exactly():
    assert textsim.most_similar("走访正常", [(1, "走访正常。")]) == (1, 1.0)
    assert textsim.most_similar("走访正常", [(1, "走访异常")]) is None
    assert textsim.jaccard(frozenset(), frozenset({"ab"})) == 0.0


# --- pg_trgm on bigram words: similar cases and hotspots -------------------------


def test_similarity_matches_pg_trgm_on_bigram_words():
    assert textsim.grams("东溪村公路坑洼！") == "东溪 村公 路坑 洼 溪村 公路 坑洼 "
    assert textsim.similarity(
        "东溪村公路坑洼不平，雨天积水严重", "东溪村到镇上的公路坑洼不平雨天积水"
    ) == pytest.approx(0.5932, abs=1e-4)
    assert textsim.similarity("", "公路") == 0.0


def _padded_words(gram_text: str) -> frozenset[str]:
    # pg_trgm's own rule, written the slow way: every word padded "  word " and cut in threes.
    return frozenset(f"  {w} "[i : i + 3] for w in gram_text.split() for i in range(len(w) + 1))


@given(st.text(alphabet="东溪村公路坑洼不平abc Z1２，！_", max_size=24))
def test_signature_is_pg_trgm_on_the_bigram_words(text):
    sig, keys = textsim.signature_and_keys(text)
    trigrams = _padded_words(textsim.grams(text))
    assert sig.trigrams() == trigrams and sig.size == len(trigrams)
    # The keys are the trigrams naming a bigram, " ab" kept as "ab" and " c " as "c ".
    assert {" " + k for k in keys} == {t for t in trigrams if t[0] == " " and t[1] != " "}


@given(st.text(alphabet="东溪村公路坑洼abc 1，", max_size=16), st.text(alphabet="东溪村公路坑洼abc 1，", max_size=16))
def test_the_score_is_jaccard_of_the_trigrams(a, b):
    expected = textsim.jaccard(_padded_words(textsim.grams(a)), _padded_words(textsim.grams(b)))
    assert textsim.similarity(a, b) == pytest.approx(expected)


def test_place_names_are_taken_out_before_comparing():
    clean = textsim.place_stripper(["东溪村", "新桥社区", "甘霖镇"])
    assert clean("甘霖镇东溪村公路坑洼，东溪路口积水") == "公路坑洼，路口积水"
    assert clean("新桥路灯") == "路灯"


@given(st.sets(st.text(alphabet="东溪村桥社区镇", min_size=1, max_size=5), max_size=12),
       st.text(alphabet="东溪村桥社区镇路灯", max_size=30))  # fmt: skip
def test_the_prefix_tree_pattern_matches_as_one_alternative_per_word(words, text):
    """Longest word first at each place, as the plain alternation of the words sorted longest first."""
    plain = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    assert re.sub(textsim.words_pattern(words) or "(?!)", "", text) == re.sub(plain or "(?!)", "", text)


PAIRS = [
    ("东溪村公路坑洼不平，雨天积水严重", "东溪村到镇上的公路坑洼不平雨天积水"),
    ("新桥社区路灯不亮，晚上出行不便", "西山村公交站台缺少遮雨棚"),
    ("Road 12 坑洼!", "road12坑洼"),
    ("公", "公路"),
]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_python_and_postgresql_give_one_score(a, b):
    """The index lookup (minqing_grams + pg_trgm) and the Python side (SQLite fallback, hotspots) agree."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT minqing_grams(%s), similarity(minqing_grams(%s), minqing_grams(%s))", [a, a, b])
        grams, score = cursor.fetchone()
    assert grams == textsim.grams(a)
    assert textsim.similarity(a, b) == pytest.approx(score, abs=1e-6)


# --- one module ------------------------------------------------------------------


def test_diaries_similar_cases_and_hotspots_share_this_module():
    from cases.projects import similar
    from dashboards.services import hotspots
    from diaries import services

    assert services.textsim is similar.textsim is hotspots.textsim is textsim
    assert importlib.util.find_spec("diaries.similarity") is None
    assert importlib.util.find_spec("dashboards.textsim") is None
