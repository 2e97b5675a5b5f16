"""The call flow: given where a call is and what the caller did, what happens next.

Pure: no Flask, no Twilio, no clock. Each entry point takes the current time
and returns an `Answer` (verbs to play plus where the call now waits). Nodes
that need nothing from the caller (message, hours) are followed within the
same answer, so a caller hears them without an extra webhook round-trip.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from ivr.call.state import ANY_WINDOW, MAX_BACK, CallState
from ivr.call.verbs import Dial, Gather, Hangup, Link, Record, Redirect, Say, Verb
from ivr.menu import hours, numbers, phrases
from ivr.menu.intents import THRESHOLD, Match, keywords_said
from ivr.menu.loading import MenuPlan, Menus, squeezed
from ivr.menu.schema import (
    AnswerNode,
    AnyNode,
    CallbackNode,
    DialNode,
    HangupNode,
    HoursNode,
    MenuNode,
    MessageNode,
    Option,
    RecordNode,
)

MAX_DIGITS = 32  # longer key presses are cut before use
MAX_SPEECH = 256  # longer speech is cut before use (the README states this value)
_OFFERED = ("1", "2")  # the keys of a "did you mean A or B?" question
_T = TypeVar("_T")
_DIAL_OUTCOMES = {"busy": "busy", "no-answer": "no_answer", "failed": "failed"}
_CLOSED = {
    "zh": "现在是非人工服务时间。我们的服务时间是{hours}。{next_open}",
    "en": "We are closed right now. Our hours are {hours}. {next_open}",
}
# The sentence of a closed message that says the hours: left out when it is said again to a
# caller who asks for an agent in the menu the closed line led to (said a moment ago; when
# the agents are back is what is new to them)
_HOURS_SENTENCE = re.compile(r"[^。！？.!?\s][^。！？.!?]*\{hours\}[^。！？.!?]*[。！？.!?]\s*")
_WHICH = {  # a spoken request that could mean two things: asked once, keys 1 and 2
    "zh": "您是想咨询{first}，还是{second}？",
    "en": "Sorry, which one did you mean?",
}
# Words that answer nothing, where no more tries follow or the question says the keys.
_NOT_UNDERSTOOD = {"zh": "抱歉，我没有听明白。", "en": "Sorry, I didn't understand that."}
_CALLBACK = {
    "zh": {
        "confirm": "我们将回拨您的来电号码，尾号{last4}。确认请按1，使用其他号码请按2。",
        "enter": "请输入您的回电号码。",
        "enter_hint": "请输入您的回电号码：{hint}。",
        "readback": "您输入的号码是{digits}。确认请按1，重新输入请按2。",
        "bad_number": "抱歉，这个号码无法回拨，请重新输入。",
        "bad_number_hint": "抱歉，这个号码无法回拨。请输入{hint}。",
        "windows": "请选择{day}方便回电的时间。",
        "window": "{label}",  # one choice of time: "上午请按1"
        "left_out": "当天{labels}没有客服值班。",  # windows agents do not work that day
        "and": "和",
        "no_input": "抱歉，我们没有收到您的选择。",
        "no_number": "抱歉，我们没有收到您输入的号码。",
        "not_understood": _NOT_UNDERSTOOD["zh"],
        "invalid": "抱歉，您的输入有误。",
        "thanks": "预约成功，我们会在{when}给您回电，请留意来电。",
        "anytime": "我们没有收到您选择的时间，会在服务时间内尽快给您回电，请留意来电。",
        "kept": "您的回电请求已登记，我们会在服务时间内尽快给您回电。",
        "not_booked": "抱歉，未能为您预约回电。",
        "backed_out": "您还没有预约回电。",
        "leave_message": "请您留言。",
    },
    "en": {
        "confirm": "We will call you back on the number you are calling from, ending in "
        "{last4}. To confirm, press 1. To use another number, press 2.",
        "enter": "Please enter the number to call you back on.",
        "enter_hint": "Please enter the number to call you back on: {hint}.",
        "readback": "You entered {digits}. To confirm, press 1. To enter it again, press 2.",
        "bad_number": "Sorry, we cannot call that number. Please enter it again.",
        "bad_number_hint": "Sorry, we cannot call that number. Please enter {hint}.",
        "windows": "When should we call you back {day}?",
        "window": "for a call {label}",  # "For a call in the morning, press 1"
        "left_out": "No agents work {labels} that day.",
        "and": " or ",
        "no_input": "Sorry, we did not get your choice.",
        "no_number": "Sorry, we did not get a number.",
        "not_understood": _NOT_UNDERSTOOD["en"],
        "invalid": "Sorry, that is not one of the choices.",
        "thanks": "You're booked: we'll call you {when}.",
        "anytime": "We did not get a time, so we will call you back as soon as we can "
        "during our opening hours.",
        # One sentence: a caller who presses 0 at the time question hears it before the <Dial>.
        "kept": "Your callback request is booked, and we will call you back as soon as we can "
        "during our opening hours.",
        "not_booked": "Sorry, we could not book your callback.",
        "backed_out": "No callback has been booked.",
        "leave_message": "Please leave a message instead.",
    },
}
_HERE = {"zh": "您好，我在听。", "en": "Hello, I'm listening."}  # to a caller checking the line
# A message left at a recording node a reload removed meanwhile: kept all the same, and
# thanked in words of our own (the node's went with it).
_MESSAGE_KEPT = {
    "zh": "感谢您的留言，我们会在工作时间尽快回复您。",
    "en": "Thank you for your message. We will get back to you as soon as possible during "
    "working hours.",
}
_DONE = {  # to a caller saying goodbye ("没有别的问题了，再见"): no menu is what they asked for
    "zh": "好的。如果没有其他问题，您可以直接挂机。",
    "en": "All right. If there is nothing else, you can simply hang up.",
}
_RECORD = {  # an empty recording: one more try, said so
    "zh": {"again": "请在提示音后再试一次。"},
    "en": {"again": "Please try again after the beep."},
}
_DIGIT_WORDS = {
    **dict.fromkeys("0零", "0"),
    **dict.fromkeys(["1", "一", "幺", "one", "first", "1st"], "1"),
    **dict.fromkeys(["2", "二", "两", "two", "second", "2nd"], "2"),
    **dict.fromkeys(["3", "三", "three", "third", "3rd"], "3"),
    **dict.fromkeys(["4", "四", "four", "fourth", "4th"], "4"),
    **dict.fromkeys(["5", "五", "five", "fifth", "5th"], "5"),
    **dict.fromkeys(["6", "六", "six", "sixth", "6th"], "6"),
    **dict.fromkeys(["7", "七", "seven", "seventh", "7th"], "7"),
    **dict.fromkeys(["8", "八", "eight", "eighth", "8th"], "8"),
    **dict.fromkeys(["9", "九", "nine", "ninth", "9th"], "9"),
    **dict.fromkeys(["zero"], "0"),
    **dict.fromkeys(["星号", "米字", "star", "asterisk"], "*"),
    **dict.fromkeys(["井号", "井字", "pound", "hash", "hashtag"], "#"),
}


def _any(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first (so "第一" is not read as "一")."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


# A key said aloud, the way callers say it: "按1", "我选二号", "第一个", "press one",
# "option 2 please", "the first one". Matched on `normalize`d speech (lower case, no spaces
# or punctuation), whole, so "someone" or "一直付不了" is never a key.
_KEY_SAID = re.compile(
    rf"(?:嗯|呃|额|那个|就|我|要|想|请|帮我|好的?|um|uh|er|so|ok(?:ay)?|yes|yeah|please|"
    rf"oh|i|id|ill|iwill|iwould|like|want|to)*"
    rf"(?:按|摁|选择?|输入|拨|点|press(?:ing)?|push|hit|dial|option|number|choice|select|"
    rf"pick|choose|key|go(?:with)?|the)*(?:数字|第|number)?"
    rf"(?P<key>{_any(_DIGIT_WORDS)})"
    rf"(?:号键|号|键|个|项|one|option|choice|key)?(?:吧|了|啊|呀|谢谢|please|thanks|thankyou)*"
)


# "Hello? Is anyone there?": a caller checking the line asks for nothing, and must not be
# matched to whichever phrase shares a word with it (a feedback recording, once).
_LINE_CHECK = re.compile(
    r"(?:喂|哈喽|哈啰|你好|您好|请问|有人吗|有没有人|在吗|在不在|听得到吗|听得见吗|听到吗|"
    r"hello|hey|hi|um|uh|is|are|anyone|anybody|someone|somebody|there|you|still|can|hear|me|"
    r"yes|yeah|ok|okay)+"
)


def checks_the_line(heard: str) -> bool:
    """True for `normalize`d speech that only checks someone is there ("喂，有人吗")."""
    return _LINE_CHECK.fullmatch(heard) is not None


# "No other questions, bye", "没有别的问题了，谢谢": a caller ending the call asks for no
# node (别的, "another" would reach the other-services menu): thanks, goodbyes and "nothing
# else", with at least one word that ends a call.
_FAREWELL = re.compile(
    r"(?:嗯|哦|噢|好的?|行|那|就|我|也|ok(?:ay)?|alright|allright|right|well|so|then|and|yes|yeah|"
    r"um|uh|谢谢(?:你们?|您)?|谢了|多谢|感谢|thanks?|thankyou|cheers|verymuch|somuch|alot|"
    r"再见|拜拜|拜|byebye|bye|goodbye|没事了|不用了?|不需要了?|不要了|"
    r"没有?(?:别的|其他|其它|什么)?的?(?:问题|事情?|要问的)?了?|"
    r"就这样吧?|就这些|thats?(?:all|it)|nothing(?:else|more)?|no(?:more|other|further)?"
    r"(?:questions?|things?)?|ihave|imdone|iamdone|"
    r"(?:我)?(?:知道|明白|懂)了|挂了|算了|(?:我)?(?:明天|晚点|等会儿?|改天)?再打吧?|"
    r"吧|gotit|cool|great|illjust|ill|callback|(?:again)?(?:tomorrow|later))+"
)
_ENDS = re.compile(
    r"再见|拜|bye|谢|thank|cheers|没事了|不用了|不需要了|不要了|没有?(?:别的|其他|其它)|就这样"
    r"|就这些|thats?(?:all|it)"
    r"|nothing|no(?:more|other|further|questions?)|done|(?:知道|明白|懂)了|挂了|算了|再打|gotit"
    r"|cool|illcallback|illjustcallback"
)


def ends_the_call(heard: str) -> bool:
    """True for `normalize`d speech that only ends the call ("没有别的问题了，再见")."""
    return _FAREWELL.fullmatch(heard) is not None and _ENDS.search(heard) is not None


# "是的", "好，转吧", "yes please", "sure, go ahead": a yes to an answer's one offer ("转接安全
# 专线请按1"). Matched whole on `normalize`d speech, with at least one word that says yes
# ("嗯" or "please" alone is none); "不要" is no yes, as 不 is none of these words.
_YES = re.compile(
    r"(?:嗯|呃|额|那|就|好|好的|好吧|好啊|对|对的|是|是的|是啊|要|需要|可以|行|麻烦|请|帮我|"
    r"转|转吧|转过去|马上|赶紧|快|yes|yeah|yep|yup|sure|ok(?:ay)?|please|right|alright|allright|"
    r"correct|goahead|doit|pleasedo|thatsright|absolutely|definitely|ofcourse|certainly|whynot)+"
    r"(?:吧|了|啊|呀|谢谢|please|thanks|thankyou)*"
)
_YES_WORD = re.compile(
    r"好|对|是|要|可以|行|转|yes|yeah|yep|yup|sure|ok|right|correct|goahead|doit|pleasedo|"
    r"absolutely|definitely|ofcourse|certainly|whynot"
)


def says_yes(heard: str) -> bool:
    """True for `normalize`d speech that only says yes ("是的", "yes please", "好，转吧")."""
    return _YES.fullmatch(heard) is not None and _YES_WORD.search(heard) is not None


# "It still doesn't work" after an answer, whose words end "if it still fails, an agent
# can help" (the agent key is named after every answer): matched whole on `squeezed`
# speech, so "还是登录不了" is the agent there while "登录不了" is a request.
_NOT_HELPED = re.compile(
    r"(?:嗯|呃|唉|哎|可是|但是|但|我|都|也|已经|早就|试过了?|试了|弄了|做了|照做了|"
    r"按(?:你|您)说的(?:做|弄|试)了|这些|那些|这个|那个|方法|办法|了|啊|还是)*"
    r"(?:还是|也|都|根本)?(?:不行|没用|不管用|没有用|没效果|没解决|解决不了|不好使|行不通|没反应|"
    r"没有反应|(?<=还是)[\u4e00-\u9fff]{1,3}不了)(?:啊|呀|吧|了|呢|怎么办|怎么弄|咋办)*|"
    r"(?:um|uh|well|but|and|so|yeah|yes|no|ok(?:ay)?|i|ive|ihave|already|tried|did|done|followed|"
    r"that|this|it|its|the|steps|all|everything|youtold|yousaid|me|still)*"
    r"(?:(?:doesnt|didnt|isnt|wasnt|wont|does?not|didnot|not|nothing)(?:work(?:ing|ed|s)?|help(?:ed|s|ing)?|"
    r"fix(?:ed)?(?:it|anything)?|solve(?:d)?(?:it|anything)?|changed?(?:anything)?|happen(?:ed|s)?)|"
    r"tried(?:that|this|it|everything|allthat)|done(?:that|this|it|everything|allthat))"
    r"(?:atall|forme|either|still|already|anyway|andit(?:still)?(?:doesnt|didnt)(?:work|help))*"
)

# Yes to "we will call you back on the number ending in 8000" or a number read back, in
# the words people use for it ("就打这个号码", "that's my number"), and asking for another
# ("换个号码", "no, a different number"): matched whole on `squeezed` speech.
_THIS_NUMBER = re.compile(
    r"(?:嗯|对|是的?|好的?|可以|没错)*(?:就是|就用|就打|就|用|打)?(?:这个|本机|来电|现在这个|我现在的)"
    r"(?:号码?|手机号?|电话(?:号码)?)?(?:就行|就可以|可以|没问题|对的?|是对的)?(?:吧|了|啊|呀)*|"
    r"(?:yes|yeah|yep|sure|ok(?:ay)?)*(?:(?:thats|thatis|its|itis)(?:my(?:number)?|the(?:right)?"
    r"number|right|correct|fine|it)|(?:use|call(?:me)?(?:on)?)?(?:this|that|my|thesame|myown)"
    r"(?:number|one))(?:please|thanks|thankyou|isfine|isright|works)*"
)
_OTHER_NUMBER = re.compile(
    r"(?:嗯|呃|不|我|要|想)*(?:不对|不是(?:这个)?(?:号码?)?|错了|输错了|换一?个(?:号码?|手机号?|电话)?|"
    r"换号码?|用?(?:别的|其[他它]|另[一外]一?个)号码?|重新输入?|重输)+(?:吧|了|啊|呀)*|"
    r"(?:no|nope|nah)+(?:thanks|thankyou)?|(?:no|nope)*(?:(?:thats|itsnot|thatsnot|its|thatis)?"
    r"(?:wrong|notright|notcorrect|notmynumber|thewrongnumber|wrongnumber)|(?:use|callmeon|"
    r"iwanttouse|letmeenter|illenter|enter|give)?(?:a|an)?(?:different|another|other|new)(?:number|one)|"
    r"(?:enter|type)itagain|reenter(?:it)?|letmetypeitagain)(?:please|thanks)?"
)


def _label_words(label: str) -> list[str]:
    """What names a callback window when said: its Chinese label whole ("下午"), or the
    longer words of another ("afternoon" of "in the afternoon")."""
    words = re.findall(r"[a-z]{4,}", label.lower())
    return words or ([squeezed(label)] if label.strip() else [])


# The global keys asked for by what they do, in the words their labels use ("返回", "重听",
# "回主菜单", "go back", "repeat", "main menu") and the usual ways to say them: matched
# whole on `normalize`d speech, like a key said aloud, so "钱返回了吗" is no key.
_ACTION_SAID = {
    "repeat": r"重听|再听一遍|再听一次|再说一遍|再说一次|重复一遍|重复一下|重复|再来一遍|"
    r"没听清楚?(?:能|可以|麻烦|请)?(?:再|重新)?(?:讲|说|念|播)?一?(?:次|遍|下)?吗?|"
    r"repeat(?:that|it)?|sayagain|saythatagain|(?:say|read)(?:that|it)again|onemoretime|"
    r"again|comeagain|pardon|ididntcatchthat|(?:sorry)?imissedthat|what|huh|sorry",
    "back": r"返回上一级|返回上一步|返回上级菜单|回到上一级|上一级菜单|上一级|上一步|"
    r"返回|回去|后退|退回|goback|back|takemeback|previous(?:menu)?|thepreviousmenu|lastmenu|thelastmenu",
    "main": r"回主菜单|返回主菜单|回到主菜单|去主菜单|主菜单|回到开始|从头开始|重新开始|"
    r"(?:(?:go|goback|back|takeme|takemeback)?to(?:the)?)?mainmenu|startover|"
    r"(?:go|goback|back|takeme|takemeback)to(?:the)?(?:start|beginning)|fromthe(?:start|top)",
}
_ACTION = re.compile(
    r"(?:嗯|呃|额|那个|就|我|要|想|请|帮我|麻烦|好的?|先|um|uh|er|so|ok(?:ay)?|yes|yeah|please|"
    r"oh|can|could|you|i|id|want|would|like|to|lets?|the|sorry|imissedthat|ididntcatchthat)*"
    r"(?:"
    + "|".join(f"(?P<{action}>{words})" for action, words in _ACTION_SAID.items())
    + r")(?:吧|了|啊|呀|一下|谢谢|please|thanks|thankyou)*"
)


def action_said(heard: str) -> str | None:
    """The global action ("repeat", "back", "main") a caller asked for in words, from
    `normalize`d speech, or None."""
    found = _ACTION.fullmatch(heard)
    return found.lastgroup if found else None


def key_said(heard: str) -> str | None:
    """The key a caller said instead of pressing it, from `normalize`d speech, or None."""
    found = _KEY_SAID.fullmatch(heard)
    return _DIGIT_WORDS[found["key"]] if found else None


@dataclass(frozen=True)
class Answer:
    """What to play, where the call now is, and a word for the logs."""

    verbs: tuple[Verb, ...]
    node: str
    outcome: str
    lang: str
    path: tuple[str, ...] = ()  # every node passed through on the way, for coverage
    callback: CallbackRequest | None = None  # a request to store before answering
    message: Origin | None = None  # a message left: where it comes from (stored before too)
    score: float | None = None  # how well speech matched the node it led to (None: no speech)
    # Why it went where it went, for the simulator (never logged: `heard` is caller words):
    hours: tuple[tuple[str, bool], ...] = ()  # the hours nodes passed, open or not
    match: Match | None = None  # the speech matcher's answer, when it was asked
    heard: str | None = None  # the words it was asked about

    @property
    def route(self) -> tuple[str, ...]:
        """The nodes passed, an hours node with its verdict: "agent [hours: closed]"."""
        verdicts = dict(self.hours)
        return tuple(
            f"{n} [hours: {'open' if verdicts[n] else 'closed'}]" if n in verdicts else n
            for n in self.path
        )

    def why(self) -> str:
        """Explain the step: "keys 0 -> agent => agent [hours: closed] -> after_hours"."""
        reason = self.outcome
        if self.match is not None and self.heard is not None:
            m = self.match
            runner_up = f"{m.runner_up} {m.runner_up_score:.2f}" if m.runner_up else "none"
            nearest = f"phrase {m.phrase!r} of node {m.node}"
            if not m.node and m.phrase:
                phrase = f"off topic ({m.phrase!r}; nearest node {runner_up})"
            elif not m.node:
                phrase = "no phrase shares a word"
            elif not m.choices:  # too far to act on: the caller is asked again
                phrase = (
                    f"nothing close enough (nearest {nearest}, score {m.score:.2f} "
                    f"< {THRESHOLD:.2f})"
                )
            else:
                phrase = f"{nearest} (score {m.score:.2f}, runner-up {runner_up})"
            reason = f"heard {self.heard!r} -> {phrase}; {reason}"
        return f"{reason} => {' -> '.join(self.route)}" if self.route else reason

    def decision(self) -> dict[str, object]:
        """The step explained, JSON-ready: why, the route, the match, and the node whose
        words each <Say> of the document is (in document order)."""
        m = self.match
        return {
            "why": self.why(),
            "outcome": self.outcome,
            "node": self.node,
            "route": list(self.route),
            "heard": self.heard,
            "match": None
            if m is None
            else {
                "node": m.node,
                "phrase": m.phrase,
                "score": m.score,
                "runner_up": m.runner_up,
                "runner_up_score": m.runner_up_score,
            },
            "speakers": [say.node for say in _says(self.verbs)],
        }


@dataclass(frozen=True)
class Origin:
    """Where a message or callback request comes from: the caller's language and topic."""

    lang: str
    topic: str = ""  # the last topic node before it ("stolen"); "" from the main menu
    urgent: bool = False  # that topic is marked urgent in the menus


@dataclass(frozen=True)
class CallbackRequest:
    """A caller's confirmed request to be called back."""

    node: str
    number: str
    window: str  # e.g. "09:00-12:00", or ANY_WINDOW until the caller chooses a time
    origin: Origin
    day: datetime.date | None = None  # the local day of the window (None: any time)


@dataclass(frozen=True)
class _Slots:
    """When a callback can happen: the day, and the windows offered that day."""

    day: datetime.date  # local, in `zone`
    kept: Mapping[str, hours.TimeRange]  # key -> the hours agents work in the window that day
    left_out: tuple[str, ...]  # keys of windows agents do not work in at all that day
    zone: zoneinfo.ZoneInfo


@dataclass(frozen=True)
class Recording:
    """A message the caller left, as Twilio reports it."""

    url: str
    sid: str
    duration: int


class Flow:
    """Answers the steps of calls through one loaded menu tree."""

    def __init__(self, menus: Menus) -> None:
        self.menus = menus
        # What the agents' line offers when it is closed (a message, a callback): their
        # words, said in a menu that offers neither, go straight to what they ask for.
        agent = menus.nodes.get(menus.agent_node) if menus.agent_node else None
        self._agent_closed = menus.plans.get(agent.closed) if isinstance(agent, HoursNode) else None
        nodes = menus.nodes
        # A topic is what a caller chose to hear about: a menu or an answer, but not the
        # main menu (where a caller starts over) nor a menu offering a message or a
        # callback (reached because nobody could answer: the topic is the one before it).
        self.topics = frozenset(
            node_id
            for node_id, node in nodes.items()
            if isinstance(node, MenuNode | AnswerNode)
            and node_id != menus.main_menu
            and not any(
                isinstance(nodes.get(o.to), CallbackNode | RecordNode)
                for o in node.options.values()
            )
        )

    def origin(self, state: CallState) -> Origin:
        """Where a message or callback request left in this state comes from."""
        topic = state.topic if state.topic in self.topics else ""
        node = self.menus.nodes.get(topic)
        urgent = isinstance(node, MenuNode | AnswerNode) and node.urgent
        return Origin(state.lang, topic, urgent)

    # -- entry points ------------------------------------------------------------------------

    def start(self, now: datetime.datetime, lang: str | None = None) -> Answer:
        """Answer a new call at the start node."""
        lang = lang if lang in self.menus.languages else self.menus.languages[0]
        state = CallState(node=self.menus.start, lang=lang, step=1)
        return self._go(state, self.menus.start, now, (), "start")

    def enter(self, state: CallState, now: datetime.datetime) -> Answer:
        """Answer a redirect into a node (used after a webhook changed the menu)."""
        state = self._checked(state)
        return self._go(state, state.node, now, (), "enter")

    def gather(
        self,
        state: CallState,
        now: datetime.datetime,
        digits: str | None = None,
        speech: str | None = None,
        confidence: float | None = None,
    ) -> Answer:
        """Answer keys, speech or silence in a menu or after an answer."""
        if state.node not in self.menus.nodes:
            # The node went away in a reload: its keys meant something else. The caller
            # hears the main menu; the key pressed there is not applied to it.
            state = self._checked(state)
            return self._go(self._reset(state), self.menus.main_menu, now, (), "node gone")
        state = self._checked(state)
        node = self.menus.nodes[state.node]
        if isinstance(node, RecordNode):
            return self._record_keys(state, node, now, (digits or "").strip()[:MAX_DIGITS])
        plan = self.menus.plans.get(state.node)
        if plan is None:
            return self._go(self._reset(state), self.menus.main_menu, now, (), "not-a-menu")
        asked, state = state.ask, replace(state, ask=())  # a question is asked once
        digits = (digits or "").strip()[:MAX_DIGITS]
        if digits and digits in _OFFERED[: len(asked)]:
            target = asked[_OFFERED.index(digits)]
            return self._spoken(state, plan, target, now, f"keys {digits} -> {target}", None)
        if asked and digits and plan.keys.get(digits) == "repeat":
            # "Again" after "which did you mean?" is the question again, not the menu
            return self._which(state, plan, asked, f"keys {digits} -> repeat", 0.0)
        if asked and digits and digits == self.menus.steps.back:
            # "Neither": back from the question is the menu it was asked in
            return self._menu(state, plan, now, (), full=True, outcome=f"keys {digits} -> back")
        if digits:
            return self._choose(state, plan, digits, now, f"keys {digits}")
        if speech and speech.strip():
            return self._hear(state, plan, speech, confidence, now, asked)
        if plan.back:  # heard to the end: the answer's menu comes back
            return self._go(
                replace(state, fails=0, silences=0), plan.back, now, (), "silence -> back"
            )
        return self._retry(state, plan, now, silence=True)

    def dial_result(self, state: CallState, now: datetime.datetime, status: str | None) -> Answer:
        """Answer the end of a transfer, by Twilio's DialCallStatus."""
        state = self._checked(state)
        node = self.menus.nodes[state.node]
        if not isinstance(node, DialNode):
            return self._go(self._reset(state), self.menus.main_menu, now, (), "not-a-dial")
        if status == "completed":
            if node.completed is None:
                return Answer((Hangup(),), state.node, "dial completed", state.lang)
            return self._go(state, node.completed, now, (), "dial completed")
        if status == "canceled":  # the caller hung up while it rang
            return Answer((Hangup(),), state.node, "dial canceled", state.lang)
        target = getattr(node, _DIAL_OUTCOMES.get(status or "", "failed"))
        return self._go(state, target, now, (), f"dial {status or 'unknown'}")

    def record_result(
        self, state: CallState, now: datetime.datetime, recording: Recording | None
    ) -> Answer:
        """Answer the end of a recording (None when nothing was recorded)."""
        gone = state.node not in self.menus.nodes  # a reload removed it during the recording
        state = self._checked(state)
        node = self.menus.nodes[state.node]
        if gone and recording is not None:
            said = self._words(state, _MESSAGE_KEPT[phrases.family(state.lang)])
            main = self._reset(state)
            answer = self._go(main, self.menus.main_menu, now, (), "recorded", carried=said)
            return replace(answer, message=self.origin(state))
        if not isinstance(node, RecordNode):
            return self._go(self._reset(state), self.menus.main_menu, now, (), "not-a-record")
        words = node.thanks if recording else node.no_message
        said = self.menus.say(state.node, words, state.lang)
        if recording is None and not state.fails:  # one more try, said so
            again = replace(state, fails=1)
            return self._go(again, state.node, now, (), "no message -> again", carried=said)
        outcome = "recorded" if recording else "no message"
        message = self.origin(state) if recording else None
        if node.next is None:
            answer = Answer((*said, Hangup()), state.node, outcome, state.lang)
        else:
            answer = self._go(state, node.next, now, (), outcome, carried=said)
        return replace(answer, message=message)

    def callback(
        self,
        state: CallState,
        now: datetime.datetime,
        caller: str | None,
        digits: str | None = None,
        speech: str | None = None,
    ) -> Answer:
        """Answer a step of a callback request: confirm the number, then pick a window.

        At every question `*` asks it again and `#` goes back to the menu the caller came
        from; the main-menu key works where no answer uses it. Each question takes an
        answer in words too (`_callback_said`): a caller who asked for the call aloud
        answers aloud.
        """
        gone = state.node not in self.menus.nodes  # a reload removed it during the request
        confirmed = state.stage == "window" and state.number  # (a number the caller confirmed)
        request = (
            CallbackRequest(state.node, state.number, ANY_WINDOW, self.origin(state))
            if confirmed
            else None
        )
        state = self._checked(state)
        node = self.menus.nodes[state.node]
        if gone and request is not None:
            # Its times went with it: the request stands for any time, as said.
            said = self._words(state, _callback_words(state)["kept"])
            main = self._reset(replace(state, booked=True))
            answer = self._go(main, self.menus.main_menu, now, (), "callback kept", carried=said)
            return replace(answer, callback=request)
        if not isinstance(node, CallbackNode):
            return self._go(self._reset(state), self.menus.main_menu, now, (), "not-a-callback")
        keys = self.menus.steps
        own = numbers.callable_number(caller, node.country) or ""
        digits = (digits or "").strip()[:MAX_DIGITS]
        if not state.stage:  # just arrived
            said = self.menus.say(state.node, node.intro, state.lang)
            stage = "confirm" if own else "enter"
            return self._ask(replace(state, stage=stage), node, now, said, "callback start", own)
        how = "keys"
        if not digits and speech and speech.strip():
            said_key = self._callback_said(state, node, speech[:MAX_SPEECH])
            if said_key is None:
                said = self._words(state, _callback_words(state)["not_understood"])
                outcome = f"speech ({len(speech)} chars) -> not understood"
                return self._callback_retry(state, node, now, said, outcome, own)
            digits, how = said_key, "speech"
            if len(digits) > 1 and state.stage in ("confirm", "readback"):
                state = replace(state, stage="enter")  # a number said where a yes was asked
        if not digits:
            # Asked for a number, not a choice: silence there hears so.
            words = (
                _callback_words(state)["no_number"]
                if state.stage == "enter"
                else self._step_words(state, "no_input")
            )
            said = self._words(state, words)
            return self._callback_retry(state, node, now, said, "silence", own)
        # Leaving while the time is asked: the request is already kept, and the caller hears
        # so. Leaving before a number is confirmed books nothing, and the caller hears that
        # too: a "#" meant as "done" must not leave them believing they are booked (unless a
        # request of this call stands already).
        asked = state.stage == "window" and state.number
        left = "kept" if asked else None if state.booked else "backed_out"
        kept = self._words(state, _callback_words(state)[left]) if left else ()
        if digits == keys.back:  # alone: a number never starts with the back key
            return self._back_out(state, now, f"{how} {digits} -> back", kept)
        if keys.repeat and keys.repeat in digits:
            return self._ask(state, node, now, (), f"{how} {digits} -> repeat", own)
        if state.stage == "enter":
            typed = digits.rstrip("#")
            number = numbers.callable_number(typed, node.country) if typed.isdigit() else None
            if number is not None:
                return self._ask(
                    replace(state, stage="readback", number=number, fails=0),
                    node,
                    now,
                    (),
                    "number typed",
                    own,
                )
            state = replace(state, stage="enter-again")
            return self._callback_retry(state, node, now, (), "bad number", own)
        if state.stage == "confirm" and digits == "1" and own:
            return self._number_confirmed(state, node, now, own, f"{how} {digits}", own)
        if state.stage == "readback" and digits == "1" and state.number:
            return self._number_confirmed(state, node, now, state.number, f"{how} {digits}", own)
        if state.stage in ("confirm", "readback") and digits in ("1", "2"):
            return self._ask(
                replace(state, stage="enter", number="", fails=0),
                node,
                now,
                (),
                f"{how} {digits}",
                own,
            )
        slots = self._slots(node, now) if state.stage == "window" else None
        if slots is not None and digits in slots.kept and state.number:
            window = node.windows[digits]
            label = window.label.get(state.lang, window.hours)
            when = self._when(slots, digits, now, state.lang)
            template = (node.thanks or {}).get(state.lang) or _callback_words(state)["thanks"]
            zone = hours.describe_zone(slots.zone, state.lang)
            filled = template.replace("{when}", when).replace("{window}", label)
            said = self._words(state, filled.replace("{zone}", zone))
            hours_said = str(slots.kept[digits])  # the agents' hours that day applied
            return self._callback_saved(state, node, now, said, hours_said, slots.day)
        if digits == keys.main:
            done = replace(state, back=(), stage="", number="", fails=0)
            return self._go(done, self.menus.main_menu, now, (), f"{how} {digits} -> main", kept)
        agent = self._agent_key(state)
        if agent is not None and digits == agent and self.menus.agent_node:
            done = replace(state, stage="", number="", fails=0)
            return self._go(done, self.menus.agent_node, now, (), f"{how} {digits} -> agent", kept)
        said = self._words(state, self._step_words(state, "invalid"))
        return self._callback_retry(state, node, now, said, f"{how} {digits} -> invalid", own)

    def _recording(
        self, here: CallState, node: RecordNode, prompt: str, carried: tuple[Say, ...] = ()
    ) -> tuple[Verb, ...]:
        """The prompt inside a Gather (`*` again, `#` back), then the <Record>.

        `prompt` is "full", "again" (a second try: short) or "none" (a key asked to start).
        A caller who waits through the prompt reaches the beep; an empty recording falls
        through to the verbs after <Record>: the first time, one more try; then `next`.
        """
        lang = here.lang
        verbs: list[Verb] = [] if prompt != "none" else list(carried)
        if prompt != "none":
            sep = "" if phrases.family(lang) == "zh" else " "
            text = (
                (node.prompt or {}).get(lang, "")
                if prompt == "full"
                else _RECORD[phrases.family(lang)]["again"]
            )
            steps = self.menus.steps
            # A recording that ends on the back key ("说完按井号键结束"): that key starts the
            # recording during its prompt rather than leave it, so the main menu's key is
            # named as the way out instead.
            ends_on_back = steps.back is not None and steps.back in node.finish_on_key
            onward = (steps.not_back if ends_on_back else steps.onward).get(lang)
            if onward:
                text = f"{text}{sep}{onward}" if text else onward
            verbs.append(
                Gather(
                    prompts=(*carried, *self.menus.say(here.node, {lang: text}, lang)),
                    action=Link("gather", here),
                    timeout=1,  # no key: on to the beep
                    num_digits=1,
                    finish_on_key="",
                )
            )
        verbs.append(
            Record(
                Link("record", here),
                node.max_length,
                node.timeout,
                node.finish_on_key,
                Link("transcription", here) if node.transcribe else None,
            )
        )
        # An empty recording falls through to here instead of calling the action.
        verbs += self.menus.say(here.node, node.no_message, lang)
        if not here.fails:
            verbs.append(Redirect(Link("enter", replace(here, fails=1))))
        elif node.next is None:
            verbs.append(Hangup())
        else:
            verbs.append(Redirect(Link("enter", replace(here, node=node.next, fails=0))))
        return tuple(verbs)

    def _record_keys(
        self, state: CallState, node: RecordNode, now: datetime.datetime, digits: str
    ) -> Answer:
        """Answer a key pressed during a recording's prompt."""
        keys = self.menus.steps
        if digits and digits == keys.back and digits not in node.finish_on_key:
            return self._back_out(state, now, f"keys {digits} -> back")
        if digits and digits == keys.main:
            done = replace(state, back=(), fails=0)
            return self._go(done, self.menus.main_menu, now, (), f"keys {digits} -> main")
        if digits and digits == keys.repeat:
            # ...with the closed line that led here, as the first time (while still closed)
            verbs = self._recording(state, node, "full", self._closed_again(state, now))
            return Answer(verbs, state.node, f"keys {digits} -> repeat", state.lang)
        agent = self._agent_key(state)  # as at a callback's questions
        if agent is not None and digits == agent and self.menus.agent_node:
            done = replace(state, fails=0)
            return self._go(done, self.menus.agent_node, now, (), f"keys {digits} -> agent")
        # Any other key: the caller knows what to do, so the beep comes at once.
        verbs = self._recording(state, node, "none")
        return Answer(verbs, state.node, f"keys {digits or 'none'} -> record", state.lang)

    def _number_confirmed(
        self,
        state: CallState,
        node: CallbackNode,
        now: datetime.datetime,
        number: str,
        outcome: str,
        own: str,
    ) -> Answer:
        """Keep the request as soon as the number is confirmed (for any time), so a caller
        who hangs up at the time question loses nothing; the time chosen next fills it in
        (the records keep one request per call and number)."""
        asking = replace(state, stage="window", number=number, fails=0, booked=True)
        if self._slots(node, now) is None:  # no agent works in any window soon: no question
            said = self._words(asking, _callback_words(state)["kept"])
            return self._callback_saved(asking, node, now, said, ANY_WINDOW)
        answer = self._ask(asking, node, now, (), outcome, own)
        request = CallbackRequest(state.node, number, ANY_WINDOW, self.origin(state))
        return replace(answer, callback=request)

    def _callback_saved(
        self,
        state: CallState,
        node: CallbackNode,
        now: datetime.datetime,
        said: tuple,
        window: str,
        day: datetime.date | None = None,
    ) -> Answer:
        """Keep the request (stored before the answer goes back) and go on."""
        request = CallbackRequest(state.node, state.number, window, self.origin(state), day)
        done = replace(state, stage="", number="", fails=0, booked=True)
        outcome = "callback saved" if window != ANY_WINDOW else "callback saved, any time"
        if node.next is None:
            answer = Answer((*said, Hangup()), state.node, outcome, state.lang)
        else:
            answer = self._go(done, node.next, now, said, outcome)
        return replace(answer, callback=request)

    def _back_out(
        self, state: CallState, now: datetime.datetime, outcome: str, carried: tuple = ()
    ) -> Answer:
        """Back to the menu the caller came from (the main menu when there is none)."""
        done = replace(state, stage="", number="", fails=0)
        target, back = (
            (state.back[-1], state.back[:-1]) if state.back else (self.menus.main_menu, ())
        )
        return self._go(replace(done, back=back), target, now, (), outcome, carried=carried)

    def _agent_key(self, state: CallState) -> str | None:
        """The agent key, where the menu the caller came from has one (a menu that offers a
        callback because no agent can answer turns it off, and so does the request)."""
        plan = self.menus.plans.get(state.back[-1]) if state.back else None
        if plan is None:
            return None
        return next((key for key, action in plan.keys.items() if action == "agent"), None)

    def _callback_said(self, state: CallState, node: CallbackNode, speech: str) -> str | None:
        """The key an answer in words stands for at a callback question, else None: a
        global key by what it does, a key said aloud, a number said at the number's
        question, yes or another number at the confirming ones, a window by its label."""
        heard = squeezed(speech)
        if (action := action_said(heard)) is not None:
            key: str | None = getattr(self.menus.steps, action)
            return key
        if state.stage == "enter":
            return numbers.said_digits(speech)
        if (key := key_said(heard)) is not None:
            return key
        if state.stage in ("confirm", "readback"):
            if number := numbers.said_digits(speech):  # the number itself, said instead
                return number
            if says_yes(heard) or _THIS_NUMBER.fullmatch(heard):
                return "1"
            return "2" if _OTHER_NUMBER.fullmatch(heard) else None
        named = [
            key
            for key, window in node.windows.items()
            if any(word in heard for word in _label_words(window.label.get(state.lang, "")))
        ]
        return named[0] if len(named) == 1 else None

    def _step_words(self, state: CallState, kind: str) -> str:
        """The menu's words for silence or a wrong key, else the built-in ones."""
        own = getattr(self.menus.steps, kind).get(state.lang)
        return str(own or _callback_words(state)[kind])

    def _callback_retry(
        self,
        state: CallState,
        node: CallbackNode,
        now: datetime.datetime,
        said: tuple,
        outcome: str,
        own: str,
    ) -> Answer:
        state = replace(state, fails=state.fails + 1)
        if state.fails < _filled_in(node.max_failures):
            return self._ask(state, node, now, said, outcome, own)
        words = _callback_words(state)
        # Giving up: the last apology gives way to what happens now.
        if state.stage == "window" and state.number:
            # The caller asked to be called back and confirmed where: keep it, any time.
            said = self._words(state, words["anytime"])
            return self._callback_saved(state, node, now, said, ANY_WINDOW)
        if state.booked:
            # A second try in the same call failed, but the first request stands: no
            # apology for a request that was booked, and no voicemail in its place.
            said = self._words(state, words["kept"])
            done = replace(state, stage="", number="", fails=0)
            if node.next is None:
                return Answer((*said, Hangup()), state.node, f"{outcome} -> kept", state.lang)
            return self._go(done, node.next, now, said, f"{outcome} -> kept")
        target = _filled_in(node.on_max)
        text = words["not_booked"]
        if isinstance(self.menus.nodes.get(target), RecordNode):
            text += ("" if phrases.family(state.lang) == "zh" else " ") + words["leave_message"]
        said = self._words(state, text)
        done = replace(state, stage="", number="", fails=0)
        return self._go(done, target, now, (), f"{outcome} -> on_max", carried=said)

    def _ask(
        self,
        state: CallState,
        node: CallbackNode,
        now: datetime.datetime,
        said: tuple,
        outcome: str,
        own: str,
    ) -> Answer:
        words = _callback_words(state)
        sep = "" if phrases.family(state.lang) == "zh" else " "
        hint = (node.number_hint or {}).get(state.lang)
        if state.stage == "confirm":
            # digit by digit, as the typed number is read back: "1234" alone is read as a
            # number (一千二百三十四, "twelve thirty-four")
            text = words["confirm"].replace("{last4}", " ".join(own[-4:]))
        elif state.stage == "readback":
            groups = numbers.as_dialled(state.number, node.country)
            # digit by digit within a group, a pause between groups
            spoken = ("，" if sep == "" else ", ").join(" ".join(g) for g in groups)
            text = words["readback"].replace("{digits}", spoken)
        elif state.stage == "window":
            text = self._windows_asked(state, node, now)
        elif state.stage == "enter-again":  # after a number we cannot call: what is expected
            text = words["bad_number_hint"].replace("{hint}", hint) if hint else words["bad_number"]
            state = replace(state, stage="enter")
        else:
            text = words["enter_hint"].replace("{hint}", hint) if hint else words["enter"]
        onward = self.menus.steps.onward.get(state.lang)
        if onward:
            text += sep + onward
        entry = state.stage == "enter"
        link = Link("callback", state)
        gather = Gather(
            prompts=self._words(state, text),
            action=link,
            timeout=5,
            # A number has no fixed length and the back key alone must arrive too, so no
            # key ends it: the Gather ends after a pause (a closing # is dropped).
            num_digits=None if entry else 1,
            finish_on_key="",
            speech_language=self.menus.voices[state.node][state.lang].speech_language,
        )
        return Answer((*said, gather, Redirect(link)), state.node, outcome, state.lang)

    def _slots(self, node: CallbackNode, now: datetime.datetime) -> _Slots | None:
        """The day a callback would happen and the windows agents work in then; None when
        none is in sight."""
        name = node.schedule
        if name is None:  # the agents' schedule: that of the agent node's hours
            agent = self.menus.nodes.get(self.menus.agent_node or "")
            name = agent.schedule if isinstance(agent, HoursNode) else None
        schedule = self.menus.schedules.get(name) if name else None
        # Without a schedule, days are counted where the menu's first schedule is.
        zoned = schedule or next(iter(self.menus.schedules.values()), None)
        zone = zoned.zone if zoned is not None else zoneinfo.ZoneInfo("UTC")
        windows = {key: hours.TimeRange.parse(w.hours) for key, w in node.windows.items()}
        found = hours.callback_day(schedule, windows, now, zone)
        if found is None:
            return None
        day, kept = found
        left_out = tuple(
            key for key, w in windows.items() if hours.kept_window(schedule, day, w) is None
        )
        return _Slots(day, kept, left_out, zone)

    def _when(self, slots: _Slots, key: str, now: datetime.datetime, lang: str) -> str:
        """The day and hours a callback is booked for: "明天（11月25日）晚上6点到8点之间"."""
        named = hours.describe_day(slots.day, now, slots.zone, lang)
        sep = "" if phrases.family(lang) == "zh" else ", "
        return named + sep + hours.describe_window(slots.kept[key], lang)

    def _windows_asked(self, state: CallState, node: CallbackNode, now: datetime.datetime) -> str:
        """The question of time: the day, the windows agents work in then by their keys, and
        those left out because agents do not work then (a holiday's shorter hours); one
        already begun today needs no word."""
        words = _callback_words(state)
        sep = "" if phrases.family(state.lang) == "zh" else " "
        slots = self._slots(node, now)
        if slots is None:  # (the request was kept without this question)
            return words["kept"]
        labels = {key: w.label.get(state.lang, w.hours) for key, w in node.windows.items()}
        items = [(words["window"].replace("{label}", labels[key]), key) for key in slots.kept]
        named = hours.describe_day(slots.day, now, slots.zone, state.lang)
        text = words["windows"].replace("{day}", named) + sep + phrases.choices(items, state.lang)
        if slots.left_out:
            left = words["and"].join(labels[key] for key in slots.left_out)
            text += sep + words["left_out"].replace("{labels}", left)
        return text

    def _words(self, state: CallState, text: str) -> tuple[Say, ...]:
        return self.menus.say(state.node, {state.lang: text}, state.lang)

    # -- state checks ------------------------------------------------------------------------

    def _checked(self, state: CallState) -> CallState:
        """Route a state naming nodes or languages that do not exist to the main menu."""
        menus = self.menus
        lang = state.lang if state.lang in menus.languages else menus.languages[0]
        step = state.step + 1  # the links this answer writes
        # (an edited URL, or a node a reload removed, names no topic)
        topic = state.topic if state.topic in self.topics else ""
        if state.node not in menus.nodes:
            return CallState(
                node=menus.main_menu,
                lang=lang,
                topic=topic,
                step=step,
                told=state.told,
                booked=state.booked,
            )
        back = tuple(b for b in state.back if isinstance(menus.nodes.get(b), MenuNode))
        node = menus.nodes[state.node]
        plan = menus.plans.get(state.node)
        if plan is not None:  # an edited counter cannot pass the limit
            return replace(
                state,
                lang=lang,
                topic=topic,
                step=step,
                back=back,
                fails=min(state.fails, plan.retry.max_failures),
                silences=min(state.silences, plan.retry.max_timeouts),
                stage="",
                number="",
            )
        if isinstance(node, CallbackNode):
            fails = min(state.fails, _filled_in(node.max_failures))
            if state.number and numbers.callable_number(state.number, node.country) is None:
                # An edited or stale URL: a number we cannot call starts the request over.
                return replace(
                    state,
                    lang=lang,
                    topic=topic,
                    step=step,
                    back=back,
                    fails=fails,
                    silences=0,
                    stage="",
                    number="",
                )
            return replace(
                state, lang=lang, topic=topic, step=step, back=back, fails=fails, silences=0
            )
        if isinstance(node, RecordNode):  # fails: 1 on the second try
            return replace(
                state,
                lang=lang,
                topic=topic,
                step=step,
                back=back,
                fails=min(state.fails, 1),
                silences=0,
                stage="",
            )
        return replace(
            state,
            lang=lang,
            topic=topic,
            step=step,
            back=back,
            fails=0,
            silences=0,
            stage="",
            number="",
        )

    @staticmethod
    def _reset(state: CallState) -> CallState:
        return CallState(
            node=state.node, lang=state.lang, step=state.step, told=state.told, booked=state.booked
        )

    # -- menus ---------------------------------------------------------------------------------

    def _hear(
        self,
        state: CallState,
        plan: MenuPlan,
        speech: str,
        confidence: float | None,
        now: datetime.datetime,
        asked: tuple[str, ...],
    ) -> Answer:
        """Route an utterance: a key said aloud, a language, else the best node anywhere."""
        speech = speech[:MAX_SPEECH]
        said = f"speech ({len(speech)} chars)"  # never the words: logs must not hold them
        if confidence is not None and confidence < self.menus.speech_min_confidence:
            return self._retry(
                state, plan, now, silence=False, heard=f"{said}, low confidence", spoken=True
            )
        heard = squeezed(speech)
        onward = _onward(self.menus.nodes[state.node])
        if len(onward) == 1 and says_yes(heard) and not ends_the_call(heard):
            # a yes to the one thing the answer just offered ("转接安全专线请按1"): its key
            return self._choose(state, plan, onward[0], now, f"{said}, yes -> {onward[0]}")
        if checks_the_line(heard):  # counts as a try: a caller who only says "hello" gets help
            here = {state.lang: _HERE[phrases.family(state.lang)]}
            return self._retry(
                state, plan, now, silence=False, heard=f"{said}, line check", instead=here
            )
        if ends_the_call(heard):  # a try too: the choices follow, for one who meant more
            done = {state.lang: _DONE[phrases.family(state.lang)]}
            return self._retry(
                state, plan, now, silence=False, heard=f"{said}, goodbye", instead=done
            )
        agent = next((k for k, a in plan.keys.items() if a == "agent"), None)
        if plan.answer and agent is not None and _NOT_HELPED.fullmatch(heard):
            return self._choose(state, plan, agent, now, f"{said}, not helped")
        key = key_said(heard)
        if key in _OFFERED[: len(asked)]:
            target = asked[_OFFERED.index(key)]
            return self._spoken(state, plan, target, now, f"{said} -> {target}", None)
        if key is not None:  # a key said aloud is pressed, even one this menu does not have
            return self._choose(state, plan, key, now, said)
        if (action := action_said(heard)) is not None:
            if action == "repeat" and asked:  # the question again, as its repeat key does
                return self._which(state, plan, asked, f"{said} -> repeat", 0.0)
            if action == "back" and asked:  # neither: the menu it was asked in, as '#' does
                return self._menu(state, plan, now, (), full=True, outcome=f"{said} -> back")
            # "返回", "main menu": the key that does it here. In the main menu, where neither
            # is a key, the menu again; elsewhere a disabled one is left to the matcher.
            key = next((k for k, a in plan.keys.items() if a == action), None)
            if key is None and state.node == self.menus.main_menu:
                key = next((k for k, a in plan.keys.items() if a == "repeat"), None)
            if key is not None:
                return self._choose(state, plan, key, now, f"{said} -> {action}")
        spoken = self.menus.spoken
        declined = False  # "不用回电了，我留言吧": a message; "don't call me": neither
        for key, no in keywords_said(speech, plan.keywords.get(state.lang, ())):
            option = plan.keys[key]
            # Keywords pick an option that the whole tree's phrases cannot reach: a language,
            # a message or a callback (or any option, without a spoken index at all); and an
            # answer's own onward options ("转接", "yes, connect me" after the stolen answer's
            # "press 1 for the security line"), which the answer offered just now.
            if not isinstance(option, Option) or (option.language and no):
                continue  # (a language refused is the language question's, below)
            if option.language or spoken is None or option.to not in spoken.paths or key in onward:
                if not no:
                    return self._choose(state, plan, key, now, said)
                declined = True
        if not declined and (lang := self._language_asked(state, speech)) is not None:
            if lang == state.lang:  # "说中文" in Mandarin: the menu again
                outcome = f"{said} -> same language"
                return self._menu(state, plan, now, (), full=True, outcome=outcome)
            # The same menu or answer again, in the new language: the caller keeps their
            # place, and '#' still leads where it did. The global keys are announced anew.
            switched = replace(state, lang=lang, told=False, fails=0, silences=0)
            if closed := self._closed_again(switched, now):  # (the hours, said in it too)
                outcome = f"{said} -> language"
                return self._menu(
                    switched, plan, now, (), full=True, outcome=outcome, carried=closed
                )
            return self._go(switched, state.node, now, (), f"{said} -> language")
        if declined:  # what this menu offers, turned down: its choices again, not a topic
            return self._retry(
                state, plan, now, silence=False, heard=f"{said}, declined", spoken=True
            )
        if spoken is None:
            return self._retry(state, plan, now, silence=False, heard=said, spoken=True)
        match = spoken.intents.match(speech)
        choices = match.choices
        # (a topic understood keeps its way: "客服打电话给我说…" is no callback asked for)
        if not choices and (wanted := self._message_or_callback_asked(state, speech)):
            outcome = f"{said} -> message or callback -> {wanted}"
            answer = self._spoken(state, plan, wanted, now, outcome, None)
            return replace(answer, match=match, heard=speech)
        if (
            len(choices) == 1
            and isinstance(self.menus.nodes[state.node], MenuNode)
            and choices[0] in (state.node, *state.back)
        ):
            # The menu the caller is in, or one they came through, asked for again ("投诉"
            # at "投诉，还是提建议？" or in the complaint menu after it, "付款的问题" in
            # Payments): this menu's question answered in its options' words, else a try, so
            # that saying it again and again cannot loop for ever nor bounce between menus.
            for key, no in keywords_said(speech, plan.keywords.get(state.lang, ())):
                if not no and isinstance(plan.keys[key], Option):
                    outcome = f"{said} -> {state.node} {match.score:.2f} -> {key}"
                    answer = self._choose(state, plan, key, now, outcome)
                    return replace(answer, match=match, heard=speech)
            outcome = f"{said} -> {state.node} {match.score:.2f}, the menu itself"
            answer = self._retry(state, plan, now, silence=False, heard=outcome, spoken=True)
            return replace(answer, score=match.score, match=match, heard=speech)
        if choices == (state.node,) and len(onward) == 1:
            # Asking again for the answer just heard ("帮我冻结账户" after the stolen answer)
            # asks for what it offers: its one onward option, as if its key were pressed.
            (key,) = onward
            outcome = f"{said} -> {state.node} {match.score:.2f} -> onward"
            return replace(self._choose(state, plan, key, now, outcome), match=match, heard=speech)
        again = [n for n in choices if n in asked]  # answering the question in words
        if again:
            choices = (again[0],)
        outcome = f"{said} -> {'/'.join(choices) or 'no match'} {match.score:.2f}"
        if len(choices) == 1:
            answer = self._spoken(state, plan, choices[0], now, outcome, match.score)
        elif len(choices) == 2 and not asked:
            answer = self._which(state, plan, choices, outcome, match.score)
        else:
            answer = replace(
                self._retry(state, plan, now, silence=False, heard=outcome, spoken=True),
                score=match.score,
            )
        return replace(answer, match=match, heard=speech)

    def _message_or_callback_asked(self, state: CallState, speech: str) -> str | None:
        """The message or callback node `speech` asks for ("我要留言", "can you call me
        back") in words of the agent node's closed menu, at any hour: what the caller asked
        for, not a queue for an agent (in a menu that offers them, its keywords came first)."""
        closed = self._agent_closed
        if closed is None:
            return None
        for key, no in keywords_said(speech, closed.keywords.get(state.lang, ())):
            option = closed.keys.get(key)
            if (
                not no
                and isinstance(option, Option)
                and isinstance(self.menus.nodes.get(option.to or ""), RecordNode | CallbackNode)
            ):
                return option.to
        return None

    def _language_asked(self, state: CallState, speech: str) -> str | None:
        """The language `speech` asks for ("我要英文服务", "Chinese please"), by the main
        menu's language options: never a topic to match. One refused ("我不会说英文", "I don't
        understand Chinese") asks for the call's language, or if that is the one refused, for
        the other (there are two). In the main menu its keywords took a language asked for."""
        main = self.menus.plans.get(self.menus.main_menu)
        if main is None:
            return None
        languages = {
            key: option.language
            for key, option in main.keys.items()
            if isinstance(option, Option) and option.language
        }
        words = [(word, key) for word, key in main.keywords.get(state.lang, ()) if key in languages]
        for key, no in keywords_said(speech, words):
            if not no:
                return languages[key]
            others = {lang for lang in languages.values() if lang != languages[key]}
            if languages[key] != state.lang or len(others) != 1:
                return state.lang
            return others.pop()
        return None

    def _spoken(
        self,
        state: CallState,
        plan: MenuPlan,
        target: str,
        now: datetime.datetime,
        outcome: str,
        score: float | None,
    ) -> Answer:
        """Go where speech asked, as if through the menus a caller would have come by."""
        spoken = self.menus.spoken
        hours_node = self.menus.nodes.get(target)
        if (
            target == self.menus.agent_node
            and isinstance(hours_node, HoursNode)
            and self._lands(target, now) == state.node
        ):
            # "转人工" in the menu a closed line led to: its hours would bring the caller
            # straight back with the tries reset, as often as they ask. A try instead, with
            # the closed line again, so asking can end the call as a pressed key would.
            closed = self._closed(target, hours_node, now, state.lang, again=True)
            return self._retry(
                state, plan, now, silence=False, heard=f"{outcome} -> closed", carried=closed
            )
        if target == self.menus.agent_node:  # through the hours node, like the agent key
            answer = self._leave(state, target, now, outcome)
        elif (key := _key_to(plan, target)) is not None:
            answer = self._choose(state, plan, key, now, outcome)
        else:
            back = spoken.paths.get(target, ()) if spoken else ()
            answer = self._go(replace(state, back=back[-MAX_BACK:]), target, now, (), outcome)
        return replace(answer, score=score)

    def _which(
        self,
        state: CallState,
        plan: MenuPlan,
        choices: tuple[str, ...],
        outcome: str,
        score: float,
    ) -> Answer:
        """Ask once which of two close nodes the caller meant: keys 1 and 2."""
        spoken = self.menus.spoken
        labels = [
            (spoken.labels.get(n, {}).get(state.lang) if spoken else None) or n for n in choices
        ]
        fam = phrases.family(state.lang)
        question = _WHICH[fam].format(first=labels[0], second=labels[1])
        sep = "" if fam == "zh" else " "
        items = list(zip(labels, _OFFERED, strict=False))
        asking = replace(state, ask=choices)
        voice = self.menus.voices[state.node][state.lang]
        link = Link("gather", asking)
        gather = Gather(
            prompts=self._words(state, question + sep + phrases.choices(items, state.lang)),
            action=link,
            timeout=plan.retry.timeout,
            num_digits=1,
            finish_on_key="",
            speech_language=voice.speech_language,
            hints=self._hints(plan, state.lang),
        )
        verbs = (gather, Redirect(Link("gather", state)))
        return Answer(verbs, state.node, f"{outcome} -> ask", state.lang, score=score)

    def _hints(self, plan: MenuPlan, lang: str) -> str | None:
        """The vocabulary for Twilio's recogniser: the whole tree's when speech is routed."""
        spoken = self.menus.spoken
        return (spoken.hints.get(lang) if spoken else plan.hints.get(lang)) or None

    def _choose(
        self, state: CallState, plan: MenuPlan, key: str, now: datetime.datetime, heard: str
    ) -> Answer:
        action = plan.keys.get(key)
        if isinstance(action, Option):
            lang = action.language or state.lang
            # The global keys are announced once per call in each language the caller
            # hears: one who switched after the first menu never heard them in theirs.
            told = state.told and lang == state.lang
            return self._leave(
                replace(state, lang=lang, told=told), action.to, now, f"{heard} -> {key}"
            )
        if action == "repeat":  # the menu, or after an answer the answer itself, again
            # ...with the closed line that led here, as the first time (while still closed)
            closed = self._closed_again(state, now)
            return self._menu(
                state, plan, now, (), full=True, outcome=f"{heard} -> repeat", carried=closed
            )
        if action == "back" and plan.back:  # an answer goes back to its own menu
            return self._go(state, plan.back, now, (), f"{heard} -> back")
        if action == "back" and state.back:
            target, back = state.back[-1], state.back[:-1]
            return self._go(replace(state, back=back), target, now, (), f"{heard} -> back")
        if action == "back":  # nowhere to go back to: the same menu again
            return self._menu(state, plan, now, (), full=True, outcome=f"{heard} -> back")
        if action is None and key == self.menus.steps.back and state.node == self.menus.main_menu:
            # Announced "at any time", so pressed at the top too, where it has nowhere to go
            # (and no key): the menu again, not "a wrong key", as "返回" said there does.
            return self._menu(state, plan, now, (), full=True, outcome=f"{heard} -> back")
        if action == "main":
            state = replace(state, back=())
            return self._go(state, self.menus.main_menu, now, (), f"{heard} -> main")
        if action == "agent" and self.menus.agent_node:
            return self._leave(state, self.menus.agent_node, now, f"{heard} -> agent")
        return self._retry(state, plan, now, silence=False, heard=heard)

    def _retry(
        self,
        state: CallState,
        plan: MenuPlan,
        now: datetime.datetime,
        silence: bool,
        heard: str = "silence",
        spoken: bool = False,
        instead: Mapping[str, str] | None = None,
        carried: tuple[Say, ...] = (),
    ) -> Answer:
        """Ask again after silence or a choice that is none (`spoken`: words that matched
        nothing, which are not "a wrong choice" to the caller who said them; `instead`:
        other words for that; `carried`: words that say why, inside the list's Gather)."""
        retry = plan.retry
        if silence:
            state = replace(state, silences=state.silences + 1)
            over, words = state.silences >= retry.max_timeouts, retry.no_input
        else:
            state = replace(state, fails=state.fails + 1)
            over = state.fails >= retry.max_failures
            words = instead or (spoken and retry.not_understood) or retry.invalid
            if over and spoken and not instead and retry.not_understood:
                # The last try: the apology alone, not "say it another way" as it moves on
                words = {state.lang: _NOT_UNDERSTOOD[phrases.family(state.lang)]}
        said = () if carried else self.menus.say(state.node, words, state.lang)
        if over:
            said += self.menus.say(state.node, retry.on_max_message, state.lang)
            if retry.on_max is None:  # the loader gives every menu and answer one
                raise ValueError(f"{state.node} has no on_max")
            return self._leave(state, retry.on_max, now, f"{heard} -> on_max", said)
        kind = "silence" if silence else f"{heard} -> invalid"
        if instead or spoken:
            # (two sentences, "好的。如果没有其他问题…", "抱歉，我没有听明白。请换个说法…":
            # inside, where keys cut them short)
            said, carried = (), carried or said
        return self._menu(state, plan, now, said, full=False, outcome=kind, carried=carried)

    def _menu(
        self,
        state: CallState,
        plan: MenuPlan,
        now: datetime.datetime,
        said: tuple,
        full: bool,
        outcome: str,
        carried: tuple = (),
    ) -> Answer:
        """Ask in a menu or after an answer; `carried` words (a closed line) go inside too."""
        if plan.hours:  # a closed line's key is named as closed (or not at all), never as open
            shut = frozenset(h for h in plan.hours if not self._open(h, now))
            plan = plan.closed.get(shut, plan)
        voice = self.menus.voices[state.node][state.lang]
        speech = plan.speech and voice.speech_language is not None
        prompts = (plan.prompt if full else plan.reprompt)[state.lang]
        if full and not state.told and state.lang in plan.first_prompt:
            # The global keys, announced once per call: later lists leave them out.
            prompts, state = plan.first_prompt[state.lang], replace(state, told=True)
        link = Link("gather", state)
        gather = Gather(
            prompts=(*carried, *prompts),
            action=link,
            timeout=plan.retry.timeout,
            num_digits=plan.num_digits,
            finish_on_key=plan.finish_on_key,
            speech_language=voice.speech_language if speech else None,
            hints=self._hints(plan, state.lang) if speech else None,
        )
        # Twilio falls through on silence: the Redirect brings the caller back with no input.
        return Answer((*said, gather, Redirect(link)), state.node, outcome, state.lang)

    # -- moving between nodes -------------------------------------------------------------------

    def _leave(
        self, state: CallState, target: str, now: datetime.datetime, outcome: str, said: tuple = ()
    ) -> Answer:
        """Leave the current menu for `target`, remembering it for the back key."""
        plan = self.menus.plans.get(state.node)
        here = plan.back if plan is not None and plan.back else state.node  # answers: their menu
        if not state.back or state.back[-1] != here:
            state = replace(state, back=(*state.back, here)[-MAX_BACK:])
        return self._go(state, target, now, said, outcome)

    def _go(
        self,
        state: CallState,
        target: str,
        now: datetime.datetime,
        said: tuple,
        outcome: str,
        carried: tuple = (),
    ) -> Answer:
        """Play nodes from `target` on until one waits for the caller or the call ends.

        `said` is spoken first; `carried` too, but inside the next <Gather> if one comes.
        """
        passed: list[str] = []
        hours: dict[str, bool] = {}
        answer = self._walk(state, target, now, said, outcome, passed, hours, carried)
        return replace(answer, path=tuple(passed), hours=tuple(hours.items()))

    def _walk(
        self,
        state: CallState,
        target: str,
        now: datetime.datetime,
        said: tuple,
        outcome: str,
        passed: list[str],
        hours: dict[str, bool],
        carry: tuple = (),
    ) -> Answer:
        verbs: list[Verb] = list(said)
        carried: list[Say] = list(carry)  # words for inside the next <Gather>, if one comes
        lang = state.lang
        via = ""  # the hours node whose closed line is said on the way
        for _ in range(len(self.menus.nodes) + 1):
            passed.append(target)
            node: AnyNode = self.menus.nodes[target]
            if isinstance(node, MenuNode | AnswerNode):
                back = state.back
                if target in back:
                    back = back[: back.index(target)]
                arrived = CallState(
                    node=target,
                    lang=lang,
                    back=back,
                    step=state.step,
                    told=state.told,
                    via=via,
                    booked=state.booked,
                    topic=self._topic(target, state.topic),
                )
                plan = self.menus.plans[target]
                answer = self._menu(arrived, plan, now, (), True, outcome, tuple(carried))
                return Answer((*verbs, *answer.verbs), target, outcome, lang)
            if not isinstance(node, RecordNode):  # a recording's prompt is a Gather too
                verbs += carried
                carried = []
            verbs += self.menus.say(target, getattr(node, "say", None), lang)
            here = CallState(
                node=target,
                lang=lang,
                back=state.back,
                step=state.step,
                told=state.told,
                booked=state.booked,
                topic=state.topic,
            )
            if isinstance(node, MessageNode):
                if node.hangup or node.next is None:  # the checker makes it one or the other
                    return Answer((*verbs, Hangup()), target, outcome, lang)
                target = node.next
            elif isinstance(node, HangupNode):
                return Answer((*verbs, Hangup()), target, outcome, lang)
            elif isinstance(node, HoursNode):
                schedule = self.menus.schedules[node.schedule]
                is_open = schedule.is_open(now)
                hours[target] = is_open
                if is_open:
                    target = node.open
                else:
                    if node.announce_closed:  # said inside the next menu, so keys cut it
                        carried += self._closed(target, node, now, lang)
                        via = target
                    target = node.closed
            elif isinstance(node, DialNode):
                verbs.append(
                    Dial(
                        node.number,
                        Link("dial", here),
                        node.timeout,
                        node.time_limit,
                        node.caller_id,
                    )
                )
                return Answer(tuple(verbs), target, outcome, lang)
            elif isinstance(node, CallbackNode):
                # The callback endpoint knows the caller's number; the flow gets it there.
                verbs.append(Redirect(Link("callback", here)))
                return Answer(tuple(verbs), target, outcome, lang)
            elif isinstance(node, RecordNode):
                # A second try (after an empty recording) comes back to the node itself.
                tries = min(state.fails, 1) if state.node == target else 0
                # A closed line can lead straight to a recording (the security line's, to a
                # message for its team): '*' at the prompt says that line's hours again too.
                here = replace(here, fails=tries, via=via)
                prompt = "full" if not tries else "again"
                verbs += self._recording(here, node, prompt, tuple(carried))
                return Answer(tuple(verbs), target, outcome, lang)
        # Validation forbids cycles among these nodes; end politely if one slips through.
        return Answer((*verbs, *carried, Hangup()), target, "loop guard", lang)

    def _lands(self, target: str, now: datetime.datetime) -> str:
        """Where `target` leads now through its hours nodes (itself when it is none)."""
        for _ in range(len(self.menus.nodes)):  # (validation forbids cycles among them)
            node = self.menus.nodes.get(target)
            if not isinstance(node, HoursNode):
                break
            target = node.open if self._open(target, now) else node.closed
        return target

    def _open(self, hours_node: str, now: datetime.datetime) -> bool:
        node = self.menus.nodes[hours_node]
        assert isinstance(node, HoursNode)
        return self.menus.schedules[node.schedule].is_open(now)

    def _topic(self, arrived: str, topic: str) -> str:
        """The topic on arriving at a menu or answer: itself, none at the main menu, else
        the one before (a menu offering a message or callback is no topic)."""
        if arrived == self.menus.main_menu:
            return ""
        return arrived if arrived in self.topics else topic

    def _closed_again(self, state: CallState, now: datetime.datetime) -> tuple[Say, ...]:
        """The closed line the caller came through (`state.via`), if it is still closed."""
        via = self.menus.nodes.get(state.via)
        if isinstance(via, HoursNode) and not self.menus.schedules[via.schedule].is_open(now):
            return self._closed(state.via, via, now, state.lang)
        return ()

    def _closed(
        self, node_id: str, node: HoursNode, now: datetime.datetime, lang: str, again: bool = False
    ) -> tuple[Say, ...]:
        schedule = self.menus.schedules[node.schedule]
        opening = schedule.next_opening(now)
        next_open = hours.describe_next_opening(opening, now, lang) if opening else ""
        today = hours.describe_today(schedule, now, lang)  # (a day the operator set apart)
        next_open = (today + ("" if phrases.family(lang) == "zh" else " ") + next_open).strip()
        template = (node.closed_message or {}).get(lang) or _CLOSED[phrases.family(lang)]
        if again and next_open:  # (heard a moment ago: the short form)
            template = _HOURS_SENTENCE.sub("", template)
        text = template.replace("{hours}", hours.describe_hours(schedule, lang))
        text = text.replace("{zone}", hours.describe_zone(schedule.zone, lang))
        text = text.replace("{next_open}", next_open).strip()
        return self.menus.say(node_id, {lang: text}, lang)


def _callback_words(state: CallState) -> dict[str, str]:
    return _CALLBACK[phrases.family(state.lang)]


def _says(verbs: tuple[Verb, ...]) -> list[Say]:
    """Every Say of the verbs in document order, those inside a Gather included."""
    found: list[Say] = []
    for verb in verbs:
        if isinstance(verb, Say):
            found.append(verb)
        elif isinstance(verb, Gather):
            found += [p for p in verb.prompts if isinstance(p, Say)]
    return found


def _onward(node: AnyNode) -> tuple[str, ...]:
    """The keys of an answer's own options (not its menu's): where it offers to go next."""
    if isinstance(node, AnswerNode):
        return tuple(node.options)
    return ()


def _key_to(plan: MenuPlan, target: str) -> str | None:
    """The key of this menu that leads to `target` without changing language, if any."""
    for key, action in plan.keys.items():
        if isinstance(action, Option) and action.to == target and not action.language:
            return key
    return None


def _filled_in(value: _T | None) -> _T:
    """A callback's max_failures or on_max: _compile filled it in from the defaults, and the
    checker made sure there is one (the schema's type still allows None)."""
    if value is None:
        raise ValueError("a callback setting was not filled in when the menus were loaded")
    return value
