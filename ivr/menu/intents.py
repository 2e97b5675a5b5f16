"""Spoken requests: which node of the whole menu tree an utterance asks for.

Pure and built once at load from the checked model (each node's example `phrases`, the
labels and keywords of the options that lead to it). An utterance is normalised (NFKC,
lower case, markup and punctuation dropped), stripped of the part a negation rules out
("不是X，是Y", "not X but Y" keep Y), its words folded (`lexicon`: "didn't" -> "not",
"log in" -> "login", "paid" -> "pay", 户头 -> 账户), stripped of fillers and question
words, then turned into weighted features: Chinese characters and their 2- and 3-grams,
toneless pinyin syllables and syllable pairs (so a recogniser's near-homophone such as
知府 for 支付 still matches), English words (Snowball stems; "not" only with the word it
negates), word pairs and character 3-grams of the text without spaces (so "with draw"
meets "withdraw"). Each feature weighs its inverse document frequency over the phrases.

Before that, what a recogniser misheard is read as what the phrases say: a pair of
characters no phrase has becomes the commonest homophone pair some phrase has (被到 ->
被盗), and an English word no phrase has becomes the phrase word with the same Metaphone
key, if spelt much alike ("lacked" -> "locked", "rage ister" -> "register").

A phrase scores mostly the weight of its features the utterance contains over its own
weight plus a constant (short phrases cannot win on one common word); the rest of the
score (GAMMA) is the share of the utterance that the node's phrases together explain, so
a rambling request whose words are spread over several phrases of one node still fits,
and words that no phrase has (another topic: "my bike") count against every node. A node
scores its best phrase, which is the phrase reported as the match; a node under the best
menu that is nearly as close wins over the menu (the most specific intent).

The menu's off-topic examples (the weather, another company's products, small talk) are
scored as one more node: a request they win, or nearly win, is re-prompted, and a word only
they have counts against every node as an unknown word does.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
import unicodedata
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from ivr.menu import lexicon

# Accept the best node at this score when the runner-up is at least MARGIN behind;
# ask between the two when it is closer. Tuned on the development sets (tests/speech/dev.yaml
# and validation.yaml), never on heldout.yaml.
THRESHOLD = 0.40
MARGIN = 0.12
SMOOTHING = 4.0  # added to a phrase's weight: one common word alone scores low
# A share of the score is the part of the utterance that the node's phrases together
# explain, so words spread over several phrases of one node add up, and words no phrase
# has (another topic's) weigh UNKNOWN times the rarest known feature against it.
GAMMA = 0.3
UNKNOWN = 3.0
FRAGMENT = 2  # a phrase this many times as long as all that was said is not what was said
NAMED = 0.85  # a menu this close is named as such (over a node under it, see _match)
MAX_UTTERANCE = 300  # longer utterances are cut before matching
_BOTH = 6  # a pair heard with both characters wrong: so many homophones of each are tried
# The pseudo-node of the menu's off-topic examples (never a node id: the schema's ids are
# not empty). A request it wins, or nearly wins (within MARGIN), is re-prompted.
OFF_TOPIC = ""

_MARKUP = re.compile(r"<[^>]*>|&[a-z]+;|&#\d+;")
_ZH_FILLERS = re.compile(
    # (额 of 余额 and 这个 of 这个月 are words, not hesitations)
    "嗯|呃|(?<![余金限])额(?!度)|唉|哎|喂|啊|呀|吧|呢|哦|噢|嘛|那个|这个(?!月)|就是说|就是|然后|"
    "请问一下|请问|一下子|一下|你好|您好|麻烦|帮我|我想问|想问|我想|我要|我的|我|俺|你们|您|的|了|吗|"
    # question words and fillers of any topic: they cannot tell two nodes apart
    "不知道为什么|不知道为啥|不知道怎么回事|不知道咋回事|怎么办|怎么回事|怎么样|怎么弄|怎么搞|怎么整|怎么|如何|怎样|咋整|咋办|咋回事|咋|啷个|什么|多少|啥|哪里|哪儿|在哪|为什么|为啥|"
    "能不能|可不可以|可以|是不是|会不会|有没有|一直|还是|已经|现在|好的|问题|"
    # when it happened, suddenly or for ages, says nothing of what happened
    "今天|明天|昨天|刚才|刚刚|突然|半天|"
    # nor how upset or hurried the caller is
    "烦死|急死|气死|真是的|搞什么|到底|快点|赶紧|急用"
)
_EN_FILLER_WORDS = (
    "um uh er erm hmm hi hello hey yes yeah ok okay so well like just please i think "
    "actually basically you the a an my me i im i'm it its it's is am are was to "
    "of and or for in on at with this that there some any do does did can could would "
    "want need have has had be been get got what whats how where why when who which "
    "will shall should may might must wanna gonna gotta today tonight tomorrow yesterday now "
    "he she him her they them his their our "
    # how upset or hurried the caller is says nothing of the request
    "but damn dammit bloody freaking frigging effing ridiculous seriously honestly ugh argh jeez "
    "gosh hurry quick quickly asap urgent urgently again"
)
_EN_FILLERS = frozenset(_EN_FILLER_WORDS.replace("'", "").split())
_ZH_NEGATION = (
    re.compile(r"不是[^是]{1,24}?[，,。 ]*(?:而)?是"),  # 不是X，是Y -> Y
    re.compile(r"(?:不要|不用|不需要|不想)[^，,。]{1,16}[，,。]"),  # 我不要人工，… -> …
    # ...or before what the caller does want, as a recogniser writes it without a comma:
    # "我不要在线客服我要人工" -> 我要人工
    re.compile(r"(?:不要|不用|不需要|不想要?)[^，,。我]{1,12}(?=我(?:要|想|需要|就要))"),
    # ...or a person declined before the point, said without a comma: "不用转人工就是验证码
    # 一直显示失效" asks about the code
    re.compile(
        r"(?:不要|不用|不需要|不想)(?:转|找|接)?(?:人工|真人|客服)(?:客服|服务)?(?=就是|就|只是|主要是)"
    ),
    # a person declined and nothing else said: "我不要人工" asks for no agent (review 9)
    re.compile(
        r"^我?(?:不要|不用|不需要|不想)(?:转|找)?(?:人工|真人|客服)(?:客服|服务)?[。.!！]*$"
    ),
    # nothing else: "没有别的问题了" asks for no other service (别的, 其他 are `more`'s words)
    re.compile(r"(?:没有|没|木有)(?:别的|其他|其它|其余)的?(?:问题|事情|事|要问的)?"),
)
_EN_NEGATION = (
    # "not X but Y" anywhere; "not X, Y" only where the "not" opens the clause ("not the
    # login, the payment one", "it's not that..., ..."): "it's still not showing, this is
    # ridiculous" says the money has not arrived
    re.compile(r"\bnot (?:that )?[^,.]{1,60}? but "),
    re.compile(
        r"(?:^|(?<=[,.!?] )|\b(?:no|it'?s|it is|this is|that'?s|that is) )"
        r"not (?!able\b)(?:that )?[^,.]{1,60}?,"  # ("not able to pay, ..." is "I'm not able")
    ),
    re.compile(r"\b(?:i )?(?:don'?t|do not) (?:want|need) [^,.]{1,40}[,.]"),
    # a person declined, at the start: "I don't need an agent" asks for no agent (review 9;
    # "can't I just talk to a person" asks for one)
    re.compile(
        r"^(?:(?:no|nah)[,.!]? )?(?:i )?(?:(?:really |just )?(?:don'?t|do not) (?:want|need)"
        r"(?: to (?:talk|speak|be (?:transferred|put through|connected)) (?:to|with))?"
        r"|(?:don'?t|do not) (?:transfer|connect|put) me(?: through)?(?: to| with)?"
        r"|no need (?:for|of|to (?:talk|speak) (?:to|with))|no|not)"
        r" (?:an? |the |any |to |with )?(?:real |live |human )?"
        r"(?:agents?|operators?|representatives?|reps?|persons?|people|humans?|someone|somebody"
        r"|anyone|anybody|staff|customer (?:service|care|support)(?: agents?)?)"
        # ...or before the point, with a comma or as a recogniser writes it without one
        r"(?: (?:please|thanks|thank you))?(?:[.!]*$|(?=[,.!]? (?:i|i'd|i'm|just|but|my)\b))"
    ),
    # ...and, as a recogniser writes it without a comma, "not the X one" before the one
    # meant ("not the login one the one I use to pay")
    re.compile(r"\bnot (?:the|my|that) [a-z' ]{1,30}? one\b(?= (?:the|it'?s|its|i mean)\b)"),
    # a problem told as settled before another question ("my withdrawal arrived fine, I was
    # just wondering...", "it was locked but it's fine now, is...", "it failed and then
    # worked, now...", "so I paid cash anyway, what..."): the story goes, the question after
    # it is the request ("...went through fine but the shop never got it" goes on with the
    # story, and stays)
    re.compile(
        r"^.*?\b(?:(?:(?:it|that|everything|all)(?:'?s| is| was)|its) (?:all )?(?:fine|ok|okay"
        r"|sorted|fixed|resolved|good) now|(?:it |that )?(?:arrived|went through|came through"
        r"|worked) (?:fine|ok|okay|all right|in the end)|then (?:it )?(?:worked|went through"
        r"|came through)|(?:it|that|(?:the|my) [a-z]+) got (?:fixed|sorted|resolved)"
        r"|anyway)\b(?=[ ,.!]+(?:(?:i'?m|i am|i was|i|and|so|just|really) )*(?:wonder\w*|ask\w*"
        r"|curious|want\w*|what|where|when|who|which|how|is|are|can|could|do|does|will|would"
        r"|now)\b)"
    ),
    # ...as "no other questions", "nothing else" ("another question" is `more`'s)
    re.compile(
        r"\b(?:(?:i have |i've got |there are )?no (?:other|more|further) (?:questions?|things?)"
        r"|nothing (?:else|more))\b"
    ),
)
_LATIN_WORD = re.compile(r"[a-z]")
_RUNS = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9']+(?: [a-z0-9']+)*")
_WEIGHTS = {"c1": 0.5, "c2": 1.0, "c3": 1.0, "p1": 0.4, "p2": 1.5, "w1": 1.0, "w2": 0.8, "t3": 0.5}
# A concept (lexicon.CONCEPTS) stands for a name of several characters or words: it weighs
# as much as their features would together ("花呗": two characters, their pair and sounds).
_WEIGHTS["k1"] = 3.0
# Initials and finals that regional accents and recognisers blur.
_FUZZY = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ing", "in"), ("eng", "en"), ("ang", "an"))


@dataclass(frozen=True)
class Match:
    """The best node for an utterance, the phrase that matched, its score and the runner-up."""

    node: str | None
    phrase: str
    score: float
    runner_up: str | None
    runner_up_score: float

    @property
    def choices(self) -> tuple[str, ...]:
        """The node to go to, the two to ask between, or none (re-prompt)."""
        if self.node is None or self.score < THRESHOLD:
            return ()
        if self.runner_up is not None and self.score - self.runner_up_score < MARGIN:
            return (self.node, self.runner_up)
        return (self.node,)


@dataclass(frozen=True)
class Intents:
    """An index of example phrases over every node a caller can ask for by speaking."""

    nodes: tuple[str, ...]  # node index -> node id
    texts: tuple[str, ...]  # phrase index -> its text
    owner: array[int]  # phrase index -> its node index
    inverse: array[float]  # phrase index -> 1 / (its weight + SMOOTHING)
    units: array[int]  # phrase index -> how many characters and words it has
    # feature -> its number in what follows, which holds every feature's posting in turn:
    # an array or a tuple per feature would cost several times the memory. The indices are
    # tuples of shared ints, as a loop over an array makes a new int object for each item.
    postings: Mapping[str, int]
    weights: array[float]  # feature number -> its weight (IDF included)
    phrases_from: array[int]  # feature number -> where its phrases start in `having`
    having: tuple[int, ...]  # the phrase indices of each feature, ascending
    nodes_from: array[int]  # feature number -> where its nodes start in `having_nodes`
    having_nodes: tuple[int, ...]  # the distinct nodes of each feature's phrases (node indices)
    ancestors: Mapping[str, frozenset[str]]  # node -> the menus on its way from the main menu
    related: Mapping[str, frozenset[str]]  # node -> its menu ancestors and descendants
    unknown: float  # the idf of a feature no phrase has (as rare as can be)
    sounds: lexicon.SoundAlikes  # the phrases' English words by their sound
    homophones: Mapping[
        str, tuple[str, ...]
    ]  # a syllable -> the phrases' characters, commonest first

    def match(self, utterance: str, cleaned: str | None = None) -> Match:
        """Score every node for `utterance`; node None when nothing fits at all.

        A complaint that names a problem ("我要投诉提现不到账") is the problem's when the
        problem alone is understood, and a complaint only when it is not. `cleaned`:
        `clean(utterance)`, when the caller has it already.
        """
        topic = lexicon.complaint_topic(utterance)
        if topic is not None and (found := self._match(clean(topic, self))).choices:
            return found
        if lexicon.complains_of_others(utterance):  # a neighbour, a landlord, a shop
            return Match(None, "", 0.0, None, 0.0)
        return self._match(clean(utterance, self) if cleaned is None else cleaned)

    def _match(self, cleaned: str) -> Match:
        if not lexicon.ELSEWHERE.isdisjoint(cleaned.split()):
            return Match(None, "", 0.0, None, 0.0)  # another service's (lexicon.ELSEWHERE)
        scores, phrase = self._scores(cleaned)
        nodes, ancestors = self.nodes, self.ancestors
        off_topic = scores.pop(len(nodes) - 1, None)  # the pseudo-node, last of all
        if not scores:
            return Match(None, "", 0.0, None, 0.0)
        node, score = max(scores.items(), key=itemgetter(1))
        # (only where the best node would be taken: else it is re-prompted anyway, and the
        # logs say how far from every node the request was)
        if off_topic is not None and score >= THRESHOLD and off_topic > score - MARGIN:
            # No node (score 0, a miss for `ivr speech --misses`); the off-topic example
            # and the best node, as the runner-up, for the logs.
            text = self.texts[phrase[len(nodes) - 1]]
            return Match(None, text, 0.0, nodes[node], round(score, 4))
        # The most specific intent: a node under the best menu that is nearly as close wins
        # (被盗 over 账户, "a payment I don't recognise" over Payments). Only the nodes
        # within MARGIN of the best are ranked (a large menu scores hundreds).
        close = sorted(
            ((n, v) for n, v in scores.items() if score - v < MARGIN and n != node),
            key=itemgetter(1),
            reverse=True,
        )
        menu = nodes[node]
        area = _AREA.search(cleaned) is not None
        for under, near in close:
            # (only one that would itself be accepted: a near miss must not undo a match)
            if near >= THRESHOLD and menu in ancestors.get(nodes[under], ()):
                # a menu named as such by two of its topics ("login codes and passwords"),
                # with another node under it that would be accepted too, is the menu; so
                # is one said as an area ("被盗被锁那一块", "the login and codes section")
                if not area and (
                    score < NAMED
                    or not any(
                        v >= THRESHOLD and n != under and menu in ancestors.get(nodes[n], ())
                        for n, v in scores.items()
                    )
                ):
                    node, score = under, near
                break
        # The runner-up is a different topic: not a menu on the way to the best, nor a
        # node under it (被盗 is more specific than 账户, and does not compete with it).
        related = self.related.get(nodes[node], frozenset())
        ranked = heapq.nlargest(len(related) + 2, scores.items(), key=itemgetter(1))
        others = [(n, v) for n, v in ranked if n != node and nodes[n] not in related]
        second, second_score = (nodes[others[0][0]], others[0][1]) if others else (None, 0.0)
        text = self.texts[phrase[node]]
        return Match(nodes[node], text, round(score, 4), second, round(second_score, 4))

    def nearest(self, utterance: str) -> dict[str, tuple[float, str]]:
        """Node -> (score, phrase) of its best phrase for `utterance`, for nodes that share any."""
        scores, phrase = self._scores(clean(utterance, self))
        nodes, texts = self.nodes, self.texts
        return {
            nodes[n]: (score, texts[phrase[n]]) for n, score in scores.items() if n < len(nodes) - 1
        }

    def _scores(self, cleaned: str) -> tuple[dict[int, float], list[int]]:
        """Node index -> score for the nodes that share a feature with a `clean`ed utterance,
        and each one's best phrase."""
        gained = [0.0] * len(self.owner)
        covered = [0.0] * len(self.nodes)
        touched: set[int] = set()
        nodes: set[int] = set()
        said = 0.0
        # characters and words said, and the phrases of each one that some phrase has
        spoken = 0
        units_said: list[tuple[int, ...]] = []
        off_topic = len(self.nodes) - 1
        postings, weights, phrases_from, nodes_from = (
            self.postings,
            self.weights,
            self.phrases_from,
            self.nodes_from,
        )
        # These loops run once per posting of each feature said: few lookups inside.
        for feature, family in _features(_RUNS.findall(cleaned), self).items():
            number = postings.get(feature)
            unit = feature[1] == "1" and feature[0] in "cwk"
            spoken += unit
            if number is None:
                said += family * UNKNOWN * self.unknown
                continue
            weight = weights[number]
            phrases = self.having[phrases_from[number] : phrases_from[number + 1]]
            having = self.having_nodes[nodes_from[number] : nodes_from[number + 1]]
            # a word only the off-topic examples have is another topic's, as an unknown one
            off = len(having) == 1 and having[0] == off_topic
            said += family * UNKNOWN * self.unknown if off else weight
            for index in phrases:
                gained[index] += weight
            if unit:
                units_said.append(phrases)
            touched.update(phrases)
            nodes.update(having)
            for node in having:
                covered[node] += weight
        # A node's share of the utterance is the same for all its phrases: its best phrase
        # is the one whose own features the utterance covers most.
        inverse, owner, units = self.inverse, self.owner, self.units
        # A few words said, all inside a phrase FRAGMENT times as long, are not that phrase
        # ("我不知道" is not "有我不知道的扣款"): it counts by the share said. The phrases
        # with every character and word said (each said is in a posting at most once, and
        # none has a word no phrase has), found by intersecting postings rather than by
        # counting each phrase's hits in a loop.
        if not spoken:
            having_all: set[int] = touched
        elif len(units_said) < spoken:
            having_all = set()
        else:
            having_all = set(units_said[0]).intersection(*units_said[1:])
        shares = {i: spoken / units[i] for i in having_all if units[i] >= FRAGMENT * spoken}
        top = [0.0] * len(self.nodes)
        phrase = [-1] * len(self.nodes)
        for index in touched:
            ratio = gained[index] * inverse[index]
            if index in shares:
                ratio *= shares[index]
            node = owner[index]
            if ratio > top[node]:
                top[node] = ratio
                phrase[node] = index
        spread = GAMMA / (said + SMOOTHING)
        scores = {node: (1 - GAMMA) * top[node] + covered[node] * spread for node in nodes}
        return scores, phrase

    def _rehear(self, run: str) -> str:
        """`run` with the pairs of characters no phrase has read as homophones that some
        phrase has, the commonest (被到 -> 被盗, 账担 -> 账单, 油箱 -> 邮箱)."""
        chars = list(run)
        postings = self.postings

        def known(i: int) -> bool:  # whether chars i and i + 1 are a pair of some phrase
            return 0 <= i < len(chars) - 1 and f"c2:{chars[i]}{chars[i + 1]}" in postings

        for _ in range(2):  # a second pass for two slips side by side (任公 -> 人工)
            for i in range(len(chars) - 1):
                if known(i):
                    continue
                best: tuple[int, int, str] | None = None
                # either character may be the slip, unless it makes a pair on its other side
                for at, other_side in ((i, i - 1), (i + 1, i + 1)):
                    if known(other_side):
                        continue
                    for char in _heard_as(self.homophones, chars[at]):
                        pair = char + chars[i + 1] if at == i else chars[i] + char
                        number = postings.get(f"c2:{pair}")
                        if number is None:
                            continue
                        count = self.phrases_from[number + 1] - self.phrases_from[number]
                        if best is None or count > best[0]:
                            best = (count, at, char)
                if best:
                    chars[best[1]] = best[2]
                elif not known(i - 1) and not known(i + 1):
                    # both characters misheard (东街 for 冻结): the pair some phrase has
                    # that sounds as both do, of the commonest characters for each sound
                    pairs = (
                        (self.phrases_from[n + 1] - self.phrases_from[n], first + second)
                        for first in _heard_as(self.homophones, chars[i], _BOTH)
                        for second in _heard_as(self.homophones, chars[i + 1], _BOTH)
                        if (n := postings.get(f"c2:{first}{second}")) is not None
                    )
                    if found := max(pairs, default=None):
                        chars[i : i + 2] = found[1]
        return "".join(chars)

    def _rejoin(self, text: str) -> str:
        """`text` with a word no phrase has joined to a filler beside it when the two sound
        as one phrase word ("a gent" -> "agent", "the clined" -> "declined", "age and" ->
        "agent"): the filler would go, and the half left would be no word at all."""
        words = text.split(" ")
        heard = list(words)
        for i, word in enumerate(words):
            if not heard[i] or not self._unknown(word):
                continue
            # (a word split between two of its halves is `_respell`'s: "regis tration")
            if any(
                0 <= j < len(words)
                and words[j] not in _EN_FILLERS
                and self.sounds.nearest(words[j] + word if j < i else word + words[j], False)
                for j in (i - 1, i + 1)
            ):
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(words) and heard[j] and words[j] in _EN_FILLERS:
                    joined = words[j] + word if j < i else word + words[j]
                    # (not a word a filler of a syllable is spelt in: "the regis" is no
                    # "theres"; "a gent" is "agent", "lug in" "login")
                    found = self.sounds.nearest(joined)
                    filler = words[j] if len(words[j]) > 2 else "\0"
                    if found and filler not in (found[: len(filler)], found[-len(filler) :]):
                        heard[min(i, j)], heard[max(i, j)] = found, ""
                        break
        return " ".join(heard)

    def _pinyin(self, text: str) -> str:
        """`text` with Mandarin said to the English recogniser ("ren gong", "zhu ce", "mee ma
        wang le") written in the characters of the phrases that sound so: two or more
        syllables in a row, none a word of the phrases, not all fillers ("may" is mei), and
        making a pair of characters some phrase has."""
        words = text.split(" ")
        spelt = [_syllable(word) for word in words]
        out: list[str] = []
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and spelt[j]:
                j += 1
            run = range(i, j)
            if (
                j - i >= 2
                and all(not self._english(words[k]) for k in run)
                and any(words[k] not in _EN_FILLERS for k in run)
            ):
                sounds = [_blurred(spelt[k]) for k in run]  # type: ignore[arg-type]
                chinese = "".join(
                    (self.homophones.get(sound) or _spelt_as().get(sound, "?"))[0]
                    for sound in sounds
                )
                # (only where some phrase has a pair of it: else it stays as heard)
                if any(f"c2:{pair}" in self.postings for pair in _pairs(self._rehear(chinese))):
                    out.append(chinese)
                    i = j
                    continue
            out.append(words[i])
            i += 1
        return " ".join(out)

    def _english(self, word: str) -> bool:
        """Whether `word` is a word of the phrases (or a filler, but for a syllable's own)."""
        return word in lexicon.CONCEPTS or (
            f"w1:{_stem(lexicon.fold(word))}" in self.postings
            or (word in _EN_FILLERS and word not in _SYLLABLE_FILLERS)
        )

    def _unknown(self, word: str) -> bool:
        """Whether `word` is an English word that no phrase has (nor a filler, nor a concept)."""
        return (
            word.isascii()
            and word.isalpha()
            and word not in _EN_FILLERS
            and word not in lexicon.CONCEPTS
            and word != "not"  # (no w1 feature: it goes with the word it negates)
            and f"w1:{_stem(lexicon.fold(word))}" not in self.postings
        )

    def _respell(self, said: list[str]) -> list[str]:
        """`said` with the words no phrase has read as the phrase words they sound like."""
        heard = list(said)
        for i, word in enumerate(said):
            if (
                not heard[i]
                or word in lexicon.CONCEPTS
                or f"w1:{_stem(lexicon.fold(word))}" in self.postings
            ):
                continue
            # a word split in two first ("rage ister"), then the word alone
            if (
                i + 1 < len(said)
                and said[i + 1] not in lexicon.CONCEPTS
                and (found := self.sounds.nearest(word + said[i + 1], fuzzy=False))
            ):
                heard[i : i + 2] = [found, ""]
            elif (
                i
                and heard[i - 1]
                and said[i - 1] not in lexicon.CONCEPTS
                and (found := self.sounds.nearest(said[i - 1] + word, fuzzy=False))
            ):
                heard[i - 1 : i + 1] = [found, ""]
            elif found := self.sounds.nearest(word):
                heard[i] = found
        return [word for word in heard if word]


def build(
    examples: Mapping[str, Iterable[str]],
    ancestors: Mapping[str, frozenset[str]],
    off_topic: Iterable[str] = (),
    cleaned: Mapping[str, str] | None = None,
) -> Intents:
    """Index node -> example phrases (any language) once; `ancestors` are the menus above each.

    `off_topic`: what callers say that no node answers; a request closest to these is
    re-prompted. `cleaned`: phrases already `clean`ed (the load's duplicate check did).
    """
    cleaned = cleaned or {}
    examples = {**examples, OFF_TOPIC: tuple(off_topic)}  # last: see Intents.match
    nodes = tuple(examples)
    number = {node: n for n, node in enumerate(nodes)}
    # each phrase cleaned once: its features and the sound-alike index both read its runs
    runs = {
        text: _RUNS.findall(cleaned.get(text) or clean(text))
        for texts in examples.values()
        for text in texts
    }
    raw = [
        (node, text, _features(runs[text]))
        for node, texts in examples.items()
        for text in dict.fromkeys(texts)
    ]
    raw = [(node, text, f) for node, text, f in raw if f]
    having: dict[str, list[int]] = {}  # feature -> the phrases that have it, in order
    for index, (_, _, found) in enumerate(raw):
        for feature in found:
            having.setdefault(feature, []).append(index)
    count = {feature: len(indices) for feature, indices in having.items()}
    total = len(raw) or 1
    # A feature weighs its family's weight times its inverse document frequency.
    weight = {f: _WEIGHTS[f[:2]] * math.log(1 + total / n) for f, n in count.items()}
    related = {n: set(a) for n, a in ancestors.items()}
    for node, above in ancestors.items():
        for menu in above:
            related.setdefault(menu, set()).add(node)
    owner = array("I", (number[node] for node, _, _ in raw))
    phrases_from, nodes_from = array("I", [0]), array("I", [0])
    phrases: list[int] = []
    nodes_having: list[int] = []
    numbers = list(range(max(len(raw), len(nodes))))  # one int object per index, shared
    shared, owned = numbers.__getitem__, owner.__getitem__
    for indices in having.values():
        phrases.extend(map(shared, indices))
        nodes_having.extend(map(shared, dict.fromkeys(map(owned, indices))))
        phrases_from.append(len(phrases))
        nodes_from.append(len(nodes_having))
    return Intents(
        nodes,
        tuple(text for _, text, _ in raw),
        owner,
        array("d", (1 / (sum(map(weight.__getitem__, found)) + SMOOTHING) for _, _, found in raw)),
        array("I", (sum(f[1] == "1" and f[0] in "cwk" for f in found) for _, _, found in raw)),
        MappingProxyType({f: n for n, f in enumerate(having)}),
        array("d", (weight[f] for f in having)),
        phrases_from,
        tuple(phrases),
        nodes_from,
        tuple(nodes_having),
        MappingProxyType(dict(ancestors)),
        MappingProxyType({n: frozenset(r) for n, r in related.items()}),
        math.log(1 + total),
        lexicon.SoundAlikes.of(
            word
            for node, text, _ in raw
            if node != OFF_TOPIC  # (a slip is read as a word of the menu's topics only)
            for run in runs[text]
            if run[0] < "\u4e00"
            for word in run.replace("'", "").split()
        ),
        MappingProxyType(_homophones(count)),
    )


def _homophones(count: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """Syllable -> the characters of the phrases that sound so, the commonest first."""
    chars = sorted((f[3:] for f in count if f.startswith("c1:")), key=lambda c: -count["c1:" + c])
    by_sound: dict[str, list[str]] = {}
    for char in chars:
        for sound in _readings(char):
            by_sound.setdefault(sound, []).append(char)
    return {sound: tuple(chars) for sound, chars in by_sound.items()}


def _heard_as(
    homophones: Mapping[str, tuple[str, ...]], ch: str, most: int | None = None
) -> tuple[str, ...]:
    """The phrases' characters that sound as `ch` does, by any of its readings (the
    commonest first, at most `most` per reading)."""
    readings = _readings(ch)
    if len(readings) == 1:
        return homophones.get(readings[0], ())[:most]
    return tuple(
        dict.fromkeys(char for sound in readings for char in homophones.get(sound, ())[:most])
    )


def plain(text: str) -> str:
    """`text` in one form: NFKC, lower case, straight apostrophes, simplified characters
    (帳戶 is 账户: the phrases are in simplified characters)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    simplified = _simplified()
    return simplified.pattern.sub(simplified.replace, text)


def normalize(text: str) -> str:
    """Fold an utterance: `plain`, no markup, punctuation as spaces."""
    text = _MARKUP.sub(" ", plain(text[:MAX_UTTERANCE]))
    kept = (ch if ch.isalnum() or ch in "' " else " " for ch in text)
    return " ".join("".join(kept).split())


def affirmed(text: str) -> str:
    """The utterance without what a negation rules out ("不用回电了，我留言吧" -> "我留言吧")."""
    text = plain(text[:MAX_UTTERANCE])
    for pattern in _ZH_NEGATION + _EN_NEGATION:
        text = pattern.sub(" ", text)
    return text


# What declines the option named right after it ("不要给我打电话", "别再回电了", "don't call
# me back", "no need for a callback", "我不会说英文"), within a few characters or words (a
# sentence-final particle or a clause break ends it: "我不想等了给我打电话" asks for the call).
_ZH_DECLINE = re.compile(
    r"(?:不用|(?<!要)不要|不需要|不想|不必|无需|没必要|用不着|甭|(?<!特)别(?!人)|没有?|(?<!是)不是"
    r"|不会|不懂|不太会|不大会)"
    r"[^了吧啊]{0,4}$"
)
_EN_DECLINE = re.compile(
    r"(?:\b(?:don'?t|do not|never|no need(?: for| to)?|no more|can'?t|cannot|rather than"
    r"|instead of)(?: [a-z']+){0,4}|\b(?:no|not)(?: [a-z']+)?) ?$"  # not "no, I want a…"
)
# ...or right after it ("回电不用了", "留言就算了", "英语不好", "英文听不懂").
_ZH_DECLINE_AFTER = re.compile(
    r"^\s?(?:就|也|还是)?(?:不用|不要|不需要|算|免|甭)了?"
    r"|^\s?(?:说得|讲得|水平)?(?:很|太|不太|不大)?(?:不好|不行|差(?!不多))"
    r"|^\s?(?:我|俺)?(?:也|都)?(?:(?:听|看)?不懂|不会(?:说|讲)?\s?$)"
)
# A Mandarin verb has no tense: "打给我" is a request from the caller, but not after someone
# else as its subject ("骗子打给我要验证码", "有个自称客服的人打给我"): a report, for the matcher.
_ZH_SOMEONE_ELSE = re.compile(
    r"有人(?!能|可以|帮|给我回)|有个|骗子|陌生|自称|冒充|假冒|假装|对方|诈骗|他|她"
)
# ...nor a calling word after the caller as its subject, with when or again ("我等一下再打
# 过来", "我明天再打回来", "I'll call back tomorrow", "can I call back later"): the caller
# will ring again, and asks for no call. ("我要回电", "I'd like a call back", "I will leave
# a message" ask for one.)
_CALLING = re.compile(r"打|回电|回拨|回个电话|call|ring|phone")
_CALLER_WILL_CALL = re.compile(
    r"(?:我|俺)(?:过|等|晚|迟|明|后|改|回|稍|待|一|再|还|会|就|自己|天|点|些|下|儿|头|会儿)+\s?$"
    r"|\b(?:i'?ll|i will|i shall|i'?m going to|i am going to|i'?m gonna"
    r"|(?:can|could|should|may|shall) i)"
    r"(?: (?:just|try|to|and|probably|maybe|have|need|then|later))* ?$"
)
# A Mandarin verb marked as done to the caller or already done reports it ("账户被冻结了",
# "已经冻结"): not a request for the option it names ("冻结", said alone after the stolen
# answer, asks to freeze).
_ZH_REPORTED_BEFORE = re.compile(r"(?:被|已经|已)\s?$")
_ZH_REPORTED_AFTER = re.compile(r"^\s?住?了(?!吧)")
_CLAUSES = re.compile(r"[，,。.!?！？;；:：]")
_CJK = "\u4e00-\u9fff"


def keyword_form(text: str) -> str:
    """A keyword or a clause as keywords are found in it: `normalize`d, without the spaces
    a recogniser may put between Chinese characters ("回 电" is "回电")."""
    return re.sub(f"(?<=[{_CJK}]) (?=[{_CJK}])", "", normalize(text))


def keywords_said(text: str, words: Iterable[tuple[str, str]]) -> list[tuple[str, bool]]:
    """(key, declined) for each of `words` ((keyword in `keyword_form`, key), longest first)
    that `text` says, in the order said: whole words only ("call me" is not in "recall me",
    联系我 not in 联系我们), a keyword declined when a negation comes just before it in its
    clause ("不要给我打电话", "please don't call me back", with nothing asked for between) or
    right after it ("回电不用了"); none after someone else as its subject ("骗子打给我"), nor
    after the caller as the one who will call ("我等一下再打过来", "I'll call back"), nor
    reported as done ("被冻结了", "已经留言了")."""
    words = list(words)
    found: list[tuple[int, str, bool]] = []
    # Not `affirmed`: it drops what a negation rules out, and so the negation with it.
    for offset, clause in enumerate(_CLAUSES.split(plain(text[:MAX_UTTERANCE]))):
        said = keyword_form(clause)
        taken: list[tuple[int, int, str]] = []
        for word, key in words:
            for hit in _keyword(word).finditer(said):
                if not any(s < hit.end() and hit.start() < e for s, e, _ in taken):
                    taken.append((hit.start(), hit.end(), key))
        taken.sort()
        start = 0
        for index, (s, e, key) in enumerate(taken):
            before = said[start:s]
            if _ZH_SOMEONE_ELSE.search(said[:s]) or (
                _CALLING.match(said[s:e]) and _CALLER_WILL_CALL.search(before)
            ):
                start = e
                continue
            after = said[e : taken[index + 1][0] if index + 1 < len(taken) else len(said)]
            declined = bool(
                _ZH_DECLINE.search(before)
                or _EN_DECLINE.search(before)
                or _ZH_DECLINE_AFTER.match(after)
            )
            if not declined and (
                _ZH_REPORTED_BEFORE.search(said[:s]) or _ZH_REPORTED_AFTER.match(after)
            ):
                start = e
                continue
            found.append((offset * 10_000 + s, key, declined))
            start = e
    return [(key, declined) for _, key, declined in sorted(found)]


@cache
def _keyword(word: str) -> re.Pattern[str]:
    head = r"(?<![a-z0-9'])" if word[:1].isascii() else ""
    tail = r"(?![a-z0-9'])" if word[-1:].isascii() else "(?!们)"  # 我们 is not 我
    return re.compile(head + re.escape(word) + tail)


# An area of the menu said as such ("那一块", "这一类", "方面", "the ... section", "the part
# for", "that kind of problem"): a menu named by two of its topics this way is the menu,
# however close it is (`NAMED`), as the label it repeats is.
_AREA = re.compile(
    "之类|方面|这一?块|那一?块|这一?项|那一?项"
    # ...or what a request opens as being about, at the length of two topics (three words
    # or more: "it's about payments and money arriving"; "about the login page" is one)
    r"|^(?:all )?about (?=[a-z']+ [a-z']+ [a-z']+)"
    r"|(?<![a-z])(?:section|part|area|category|department|side|option|stuff|(?:kind|sort) (?:of )?"
    r"(?:problems?|things?|issues?|questions?|stuff))(?![a-z])"
)


# A negation or an answer said alone ("不是", "不对", "不是这个", "no", "nope", "not that"),
# or every option declined in a word ("都不是", "这些都不对", "neither", "neither of them"):
# no request, whatever node its words would be near ("不是我干的" is stolen's; "不是" alone
# is nothing; "没有我要的选项" and "none of those" name the list: the other services).
_BARE_ANSWER = re.compile(
    r"(?:(?:(?:这些|那些|这两个|那两个|两个)?(?:都|全都|全)?(?:不是|不对)|不要|不用|没有|没|不|错了|错"
    r"|是|对|嗯|好)(?:这个|那个|这样|的)?"
    r"[啊呀吧了哦嘛呢]?\s?)+"
    r"|(?:(?:no|nope|nah|not|wrong|that'?s|thats|it'?s|its|that|this|it|yes|yeah|okay|ok"
    r"|neither|neither one|neither of (?:those|them|these|the two)|none of them)\s?)+"
)

_BARE_LONGEST = 24  # (a longer utterance is never one: not normalised twice)

# A caller who lost the thread, with nothing forgotten named ("那个啥来着，我一下子想不起来
# 了", "um what was it, I forget"): no request either, though 想不起来 and "forgot" are a
# forgotten password's words where the password is named ("密码想不起来了").
_LOST_THREAD = re.compile(
    r"(?:(?:就是|那个|这个|叫啥|叫什么|是啥|是什么|啥|什么|来着|我|一下子|一下|一时|突然|现在|又|要说的?"
    r"|想说的?|说啥|说什么|想不起来|记不起来|想不起|记不得|忘了|忘记了|忘记|忘|了|呃|嗯|啊)\s?)+"
    r"|(?:(?:um|uh|er|erm|hmm|oh|so|what|was|is|it|its|it's|called|i|forget|forgot|can'?t"
    r"|cannot|remember|what i|wanted|want|to|say|sorry|the|word)\s?)+"
)
_LOST = re.compile("想不起|记不起|记不得|忘|forg|remember")


def clean(text: str, heard: Intents | None = None) -> str:
    """Drop what a negation rules out (before punctuation goes), normalise, drop fillers;
    nothing for a negation or an answer said alone (`_BARE_ANSWER`), nor for the thread
    lost (`_LOST_THREAD`).

    With `heard`, an index, a word split at a filler is joined first (`Intents._rejoin`).
    """
    if len(text) <= _BARE_LONGEST and _BARE_ANSWER.fullmatch(normalize(text)):
        return ""
    if len(text) <= 2 * _BARE_LONGEST and _LOST.search(text.lower()):
        said = normalize(text)
        if _LOST_THREAD.fullmatch(said) and _LOST.search(said):
            return ""
    text = lexicon.rewrite(normalize(affirmed(text)))
    if heard is not None and _LATIN_WORD.search(text):
        text = heard._rejoin(heard._pinyin(text))
    text = _ZH_FILLERS.sub(" ", text)
    words = [w for w in text.split() if w.replace("'", "") not in _EN_FILLERS]
    return " ".join(words)


def features(text: str, heard: Intents | None = None) -> dict[str, float]:
    """The weighted features of a text, before IDF: see the module docstring.

    With `heard`, an index, what a recogniser may have misheard is read as that index's
    words and characters that sound the same.
    """
    return _features(_RUNS.findall(clean(text)), heard)


def _features(runs: list[str], heard: Intents | None = None) -> dict[str, float]:
    found: dict[str, float] = {}
    for run in runs:
        if run[0] >= "\u4e00":
            _chinese(heard._rehear(run) if heard else run, found)
        else:
            said = [w.replace("'", "") for w in run.split()]
            _english(heard._respell(said) if heard else said, found)
    return found


def _chinese(run: str, found: dict[str, float]) -> None:
    sounds = [_sound(ch) for ch in run]
    for n in (1, 2, 3):
        if f"c{n}" not in _WEIGHTS:
            continue
        for i in range(len(run) - n + 1):
            found[f"c{n}:{run[i : i + n]}"] = _WEIGHTS[f"c{n}"]
    for i, sound in enumerate(sounds):
        if "p1" in _WEIGHTS:
            found[f"p1:{sound}"] = _WEIGHTS["p1"]
        if i + 1 < len(sounds):
            found[f"p2:{sound}{sounds[i + 1]}"] = _WEIGHTS["p2"]


def _english(said: list[str], found: dict[str, float]) -> None:
    words = [w if w in lexicon.CONCEPTS else _stem(lexicon.fold(w)) for w in said]
    words = [w for w in words if w]
    for i, word in enumerate(words):
        # "not" only says something with the word it negates ("not spend", "not arrive")
        if word in lexicon.CONCEPTS:
            found[f"k1:{word}"] = _WEIGHTS["k1"]
        elif word != "not":
            found[f"w1:{word}"] = _WEIGHTS["w1"]
        if i + 1 < len(words):
            found[f"w2:{word} {words[i + 1]}"] = _WEIGHTS["w2"]
    # (a concept's made-up word is one feature: its letters are no word's)
    joined = "".join(w for w in words if w != "not" and w not in lexicon.CONCEPTS)
    for i in range(len(joined) - 2):
        found[f"t3:{joined[i : i + 3]}"] = _WEIGHTS["t3"]


_local = threading.local()


@lru_cache(maxsize=4096)  # bounded: callers say any word; each thread stems with its own
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)  # type: ignore[no-any-return]


def _stemmer() -> Any:
    """This thread's Snowball (Porter 2) English stemmer, made on its first spoken request.

    PyStemmer, the Snowball project's C build: the pure-Python `snowballstemmer` loads
    the stemmers of all its languages into every worker. One per thread: a stemmer keeps
    the word it works on in itself, so threads sharing one (gthread workers) would get
    each other's stems.
    """
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import Stemmer

        # No cache of its own (0): _stem caches, once for all threads.
        stemmer = _local.stemmer = Stemmer.Stemmer("english", 0)
    return stemmer


# Pinyin as an English recogniser spells it: "mee" is mi, "foo" fu, "kuh" ke, "may" mei,
# "jang" zhang. Fillers that are a syllable said ("may", "he", "a") do not end a run.
_SPELT_PINYIN = (
    (re.compile(r"ee$"), "i"),
    (re.compile(r"oo$"), "u"),
    (re.compile(r"uh$"), "e"),
    (re.compile(r"ay$"), "ei"),
    (re.compile(r"^j(?=[aoe])"), "zh"),
)
_SYLLABLE_FILLERS = frozenset({"may", "a", "an", "he", "me"})


def _syllable(word: str) -> str | None:
    """The pinyin syllable `word` spells, plainly or as an English speller would, or None."""
    known = _raw_syllables()
    if word in known:
        return word
    for pattern, spelled in _SPELT_PINYIN:
        changed = pattern.sub(spelled, word)
        if changed != word and changed in known:
            return changed
    return None


def _pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


@cache
def _raw_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable of the table shipped beside this module."""
    text = resources.files("ivr.menu").joinpath("pinyin.txt").read_text(encoding="utf-8")
    return frozenset(
        line.split("\t")[0] for line in text.splitlines() if line and not line.startswith("#")
    )


@cache
def _spelt_as() -> dict[str, str]:
    """A blurred syllable -> a character of that sound (for a syllable no phrase has)."""
    text = resources.files("ivr.menu").joinpath("pinyin.txt").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            syllable, chars = line.split("\t")
            found.setdefault(_blurred(syllable), chars[0])
    return found


# A few common characters read two ways, whose second reading the table (one per character)
# leaves out: 重 of 重新 (chong), 行 of 银行 (hang), 长 of 长度 (chang), 还 of 还款 (huan),
# 调 of 调整 (tiao), 降 of 投降 (xiang). A slip is heard by either: 虫 (chong) for 重 of 双重,
# 重 for 充 (重值: 充值).
_OTHER_READINGS = {
    "重": "chong",
    "行": "hang",
    "长": "chang",
    "还": "huan",
    "调": "tiao",
    "降": "xiang",
}


def _readings(ch: str) -> tuple[str, ...]:
    """`ch`'s sounds (`_sound`), its other common reading after the table's."""
    other = _OTHER_READINGS.get(ch)
    first = _sound(ch)
    return (first,) if other is None or _blurred(other) == first else (first, _blurred(other))


def _sound(ch: str) -> str:
    """A character's toneless pinyin with zh/z, ch/c, sh/s, -ng/-n blurred (the character
    itself when the table has none)."""
    sounds = _sounds()
    at = ord(ch) - sounds.first
    number = sounds.numbers[at] if 0 <= at < len(sounds.numbers) else 0
    return sounds.names[number] if number else ch


def _blurred(syllable: str) -> str:
    for sharp, blunt in _FUZZY:
        if syllable.startswith(sharp) and sharp[0] in "zcs":
            syllable = blunt + syllable[len(sharp) :]
        elif syllable.endswith(sharp) and sharp[0] not in "zcs":
            syllable = syllable[: -len(sharp)] + blunt
    return syllable


@dataclass(frozen=True)
class _Sounds:
    """Each character's sound as a small number per code point from `first` on: a dict of
    one-character strings for the whole CJK block would outweigh the rest of the index in
    every worker."""

    first: int
    numbers: array[int]  # code point - first -> the number of its sound in names (0: none)
    names: tuple[str, ...]  # blurred syllables; names[0] is unused


@cache
def _sounds() -> _Sounds:
    """The sounds of the pinyin table shipped beside this module."""
    text = resources.files("ivr.menu").joinpath("pinyin.txt").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    names = ("", *(_blurred(syllable) for syllable, _ in rows))
    points = [ord(ch) for _, chars in rows for ch in chars]
    first = min(points)
    numbers = array("H", bytes(2 * (max(points) - first + 1)))
    for number, (_, chars) in enumerate(rows, start=1):
        for ch in chars:  # a character listed twice takes its last sound, as before
            numbers[ord(ch) - first] = number
    return _Sounds(first, numbers, names)


@dataclass(frozen=True)
class _Simplified:
    """Traditional characters (`pattern`) and each one's simplified form by code point from
    `first` on: a dict (`str.maketrans`) of 2,800 characters would weigh several times as
    much in every worker, and most requests have none to replace."""

    pattern: re.Pattern[str]
    first: int
    forms: array[int]  # code point - first -> its simplified form's code point

    def replace(self, hit: re.Match[str]) -> str:
        """The simplified form of the character `hit`."""
        return chr(self.forms[ord(hit.group()) - self.first])


@cache
def _simplified() -> _Simplified:
    """Traditional characters to simplified ones, from the table shipped beside this module
    (OpenCC's single characters: scripts/simplified_table.py)."""
    text = resources.files("ivr.menu").joinpath("simplified.txt").read_text(encoding="utf-8")
    pairs = [line for line in text.splitlines() if line and not line.startswith("#")]
    first = min(ord(pair[0]) for pair in pairs)
    forms = array("H", bytes(2 * (max(ord(pair[0]) for pair in pairs) - first + 1)))
    for pair in pairs:
        forms[ord(pair[0]) - first] = ord(pair[1])
    return _Simplified(re.compile(f"[{''.join(pair[0] for pair in pairs)}]"), first, forms)
