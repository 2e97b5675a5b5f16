"""Every fact traceable: each answer names a seed article and a quote found in it verbatim;
operator facts no article gives are settings, never words in a prompt.

The seed articles live beside the project (../shared/seeds). Their absence is a failure,
not a skip: without them nothing here can be checked.
"""

from __future__ import annotations

import re

import pytest
import yaml

from ivr.menu.loading import load_menus
from ivr.menu.schema import AnswerNode, Source
from tests.conftest import ENV, HOTLINE, PROJECT_ROOT

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
MENUS = load_menus(HOTLINE, env=ENV)
ANSWERS = {node_id: node for node_id, node in MENUS.nodes.items() if isinstance(node, AnswerNode)}


def sources(node: AnswerNode) -> list[Source]:
    if node.source is None:
        return []
    return node.source if isinstance(node.source, list) else [node.source]


def words(data, path=()) -> list[tuple[str, str]]:
    """(where, words) for every text a caller could hear in a menus file's raw YAML."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("source", "description", "keywords"):
                continue  # never spoken
            if key in MENUS.languages and isinstance(value, str):
                found.append(("/".join(map(str, path)), value))
            else:
                found += words(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += words(value, (*path, index))
    return found


SPOKEN = words(yaml.safe_load(HOTLINE.read_text(encoding="utf-8")))


def test_the_seed_articles_are_there():
    assert SEEDS.is_dir(), f"the seed articles are missing: {SEEDS}"
    assert len(list(SEEDS.glob("*.txt"))) == 5


def test_the_shipped_menu_has_answers_and_words():
    assert len(ANSWERS) >= 9 and len(SPOKEN) > 100


@pytest.mark.parametrize("node_id", sorted(ANSWERS))
def test_every_answer_names_an_article_and_a_quote_found_in_it(node_id):
    found = sources(ANSWERS[node_id])
    assert found, f"answer '{node_id}' has no source"
    for source in found:
        article = SEEDS / source.file
        assert article.is_file(), f"{node_id}: no seed article {source.file}"
        text = article.read_text(encoding="utf-8")
        assert source.quote in text, f"{node_id}: quote not in {source.file}: {source.quote}"


# Hours, holiday hours, callback windows and a 24-hour line are operator settings: the hours
# node says them from the schedule, so no prompt may say an hour itself.
HOURS = re.compile(
    r"\d+\s*点|\d{1,2}:\d{2}|\d+\s*(AM|PM|a\.m\.|p\.m\.)|24\s*小时|24-hour|"
    r"around the clock|全天",
    re.IGNORECASE,
)
# The articles name real companies and a real number; none may reach a caller.
REAL = re.compile(r"哈啰|壹钱包|400-|\d{3}-\d{3}-\d{4}|https?://|www\.|\.com\b")
# The articles' advice, not promises about this hotline's own staff or policies.
PROMISES = re.compile(r"我们绝不会|we will never|绝不会向您索要")
# A dead end in words: "contact us" without saying how.
DEAD_END = re.compile(r"请联系客服|请联系我们|please contact us|contact us\b", re.IGNORECASE)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [("an hour", HOURS), ("a real name", REAL), ("a promise", PROMISES), ("contact us", DEAD_END)],
)
def test_no_prompt_says(name, pattern):
    bad = [(where, text) for where, text in SPOKEN if pattern.search(text)]
    assert bad == [], f"prompts that say {name}: {bad}"


@pytest.mark.parametrize(
    "text",
    [
        "我们的服务时间是每天8点至20点",
        "open 9 AM to 6 PM",
        "24小时安全专线",
        "拨打400-618-0081",
        "我们绝不会向您索要密码",
        "如有问题请联系客服",
    ],
)
def test_the_checks_catch_what_they_look_for(text):
    assert any(p.search(text) for p in (HOURS, REAL, PROMISES, DEAD_END))


def test_the_articles_advice_is_given():
    """The seeds' own advice: never share a password or code; the number only from the app."""
    heard = " ".join(text for _, text in SPOKEN)
    assert "请勿向任何人透露密码和验证码" in heard
    assert "客服电话请只从官方应用或官网查找" in heard


def test_where_the_articles_disagree_the_answer_says_the_safe_thing():
    """One article says hours, another 1-3 working days: the answer gives no single figure."""
    said = ANSWERS["funds_not_arrived"].say["zh-CN"]
    assert "一般几小时到几个工作日到账" in said
    # Review 8, F12: no article says the app shows the arrival time.
    assert "具体以应用显示为准" not in said
    assert "一到三个工作日" not in said and "1-3" not in said
