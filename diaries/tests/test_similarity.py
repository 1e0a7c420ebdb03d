from diaries.similarity import jaccard, most_similar, normalise, shingles


def test_punctuation_and_spaces_do_not_count():
    assert normalise("今天 走访，农户。OK!") == "今天走访农户ok"
    assert shingles("走访农户") == {"走访", "访农", "农户"}


def test_a_copy_with_names_changed_is_found_and_an_honest_entry_is_not():
    copy = "今天走访东溪村李阿姨家，了解春耕准备情况，李阿姨反映村口道路坑洼，雨天积水，出行不便，已记录并上报。"
    candidates = [
        (1, "参加村两委会议，讨论垃圾分类推进方案和养老服务站建设，会上确定了下月的工作安排。"),
        (2, "今天走访东溪村张大伯家，了解春耕准备情况，张大伯反映村口道路坑洼，雨天积水，出行不便，已记录并上报。"),
        (3, "今天走访东溪村王大妈家，了解养老保险缴费情况，王大妈反映医保报销手续繁琐，希望简化。"),
    ]
    pk, score = most_similar(copy, candidates)
    assert pk == 2 and 0.7 <= score < 1
    assert most_similar(candidates[2][1], [candidates[0], candidates[1]]) is None


def test_the_best_match_wins_and_an_exact_repeat_scores_one():
    text = "走访东溪村5户农户，宣传防诈骗知识，了解农户生产生活情况，未发现问题。"
    candidates = [(1, "走访东溪村6户农户，宣传防溺水知识，了解农户生产生活情况，未发现问题。"), (2, text)]
    assert most_similar(text, candidates) == (2, 1.0)


def test_very_short_texts_only_match_exactly():
    assert most_similar("走访正常", [(1, "走访正常。")]) == (1, 1.0)
    assert most_similar("走访正常", [(1, "走访异常")]) is None
    assert jaccard(frozenset(), frozenset({"ab"})) == 0.0
