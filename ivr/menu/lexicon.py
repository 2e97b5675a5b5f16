"""English words the speech matcher folds together before it compares a caller's words.

A stemmer joins "payments" and "payment" but not "paid" and "pay", "never" and "not",
"log in" and "login" (once "in" is dropped as a filler), or "scammer" and "scammed". These
small tables do, for the words callers of a support line use; a phonetic key
(`SoundAlikes`) then lets a recogniser's sound-alike ("lacked" for "locked", "rage ister" for
"register") meet the word it stands for.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import jellyfish

# Frames around a request that say nothing of it: "I have no idea why it's suspended" is
# "it's suspended" (alone, "no idea" is a hesitation, and stays); a blank mind forgets.
_FRAMES = (
    (
        re.compile(
            r"\b(?:i )?(?:(?:have |had )?no idea|(?:don'?t|do not|didn'?t|did not) know) "
            r"(?=why|how|what|where|when|if|whether)"
        ),
        " ",
    ),
    # ...and not understanding how or why ("I don't get how to top up" is no code not got)
    (
        re.compile(
            r"\b(?:i )?(?:(?:don'?t|do not) (?:get|understand|see)|"
            r"(?:can'?t|cannot|can not) (?:figure out|work out|understand)) (?=why|how)"
        ),
        " ",
    ),
    (re.compile(r"\b(?:don'?t|do not) know my\b"), "forgot my"),
    (
        re.compile(r"\bmind(?:'s| has| is)? (?:gone|went|going) blank\b|\bslipped my mind\b"),
        "forgot",
    ),
)

# Asides around a request that say nothing of it: how often the caller has called ("我都打
# 了三次了", "I've called three times already"), and on whose behalf ("帮我妈问一下", "asking
# for my dad"); a relative named as the one it happened to is the caller's own case ("我老公
# 的账户被盗了", "my wife can't sign in" are "账户被盗了", "can't sign in"). Before the
# concepts: "I've called twice" is no payment taken twice.
_RELATIVES_ZH = (
    "妈妈|爸爸|老妈|老爸|妈|爸|老公|老婆|媳妇|丈夫|妻子|爱人|爷爷|奶奶|姥姥|姥爷|外婆|外公|"
    "儿子|女儿|孙子|孙女|父母|爸妈|公公|婆婆|岳父|岳母|闺女|对象"
)
_RELATIVES_EN = (
    r"(?:wife|husband|mom|mum|mother|mama|dad|father|papa|son|daughter|grandma|grandmother"
    r"|granny|nan|nana|grandpa|grandfather|grandson|granddaughter|kid|kids|child|children"
    r"|parents?|partner|brother|sister|boyfriend|girlfriend|aunt|uncle|nephew|niece)"
)
_COUNT_ZH = "[一二两三四五六七八九十几好多]+|\\d+"
_TIMES_EN = (
    r"(?:once|twice|(?:two|three|four|five|six|ten|several|many|so many|a few|multiple|\d+) times)"
)
# Someone else's account shown or told to the caller ("把我儿子的账单发给我看看", "告诉我
# 他的手机号", "我同事的账户", "她最近都给谁转账了"): not the caller's own, and no answer of
# ours gives it out; unless a problem of the account is said (被盗, 登不上: then it is the
# caller's case told for someone, as "我朋友的账户被盗了" is).
_OTHERS_ZH = "前女友|前男友|前妻|前夫|女朋友|男朋友|女友|男友|闺蜜|哥们|同事|同学|邻居|室友"
_ZH_TROUBLE = re.compile(
    "被盗|盗刷|盗用|被骗|诈骗|骗子|冒充|锁|登不|登录不|忘|收不到|没收到|没到|不到账|失败|不了|不上"
    "|扣了|扣款|不是我|不认识|异常"
)


_ZH_SENT = re.compile("[转汇付打]")


def _others_thing(hit: re.Match[str]) -> str:
    """A replacement: "behindback", unless the rest of the request says a problem."""
    rest = hit.string[: hit.start()] + " " + hit.string[hit.end() :]
    return hit.group() if _ZH_TROUBLE.search(rest) else " behindback "


def _others_own(hit: re.Match[str]) -> str:
    """...nor money sent to it ("给同事的账户转账" asks how to send money)."""
    rest = hit.string[: hit.start()] + " " + hit.string[hit.end() :]
    return hit.group() if _ZH_TROUBLE.search(rest) or _ZH_SENT.search(rest) else " behindback "


# (what is asked after the story that goes on with it: "转账成功了 想问一下对方多久能收到")
_ZH_STORY_GOES_ON = re.compile("收到|到账|多久|余额|扣|退|没到|还没|不了|不上|失败")


def _untroubled(hit: re.Match[str]) -> str:
    """A replacement: nothing, unless what it takes says a problem, or what follows goes on
    with it (then kept)."""
    if _ZH_TROUBLE.search(hit.group()) or _ZH_STORY_GOES_ON.search(hit.string, hit.end()):
        return hit.group()
    return " "


_ASIDES = (
    (
        re.compile(
            rf"(?:把|将)(?:我)?(?:{_RELATIVES_ZH}|{_OTHERS_ZH}|他|她)的?[^，。, ]{{0,6}}?"
            "(?:发给我|给我看|拿给我|告诉我|念给我)"
            "|(?:告诉我|发给我|给我看看?)(?:他|她|对方|别人)的?"
            rf"|(?:他|她|{_OTHERS_ZH})[^，。, ]{{0,3}}(?:有没有|是不是|是否)[^，。, ]{{0,6}}"
            "(?:开户|注册|开通)"
            rf"|(?:他|她|{_OTHERS_ZH}|{_RELATIVES_ZH})[^，。, ]{{0,6}}(?:给谁|跟谁|和谁)"
            "(?:转账|转钱|付款|付钱|打钱|汇款)"
        ),
        _others_thing,
    ),
    (
        re.compile(
            f"(?:{_OTHERS_ZH})的?(?:账号|账户|帐号|帐户|(?:支付|登录)?密码|手机号|转账记录|交易记录|账单)"
        ),
        _others_own,
    ),
    # Said to someone in the room, not to the line: a relative or a friend named first and
    # then spoken to ("老公 这个月电费你交了没", "爸你上次说转给谁了", "等一下啊老王 你那个
    # …"), or told to hush while the caller is on the phone ("你别吵 我在打电话呢").
    (
        re.compile(
            "^(?:[哎喂诶嘿]|等一下|等等|稍等)?[啊呀哈]?[ ，,]*"
            "(?:老公|老婆|媳妇|宝贝|宝宝|亲爱的|爸爸?|老爸|妈妈?|老妈|闺女|儿子|女儿|老[王李张刘陈赵杨黄周吴]|小[王李张刘陈赵杨黄周吴])[啊呀]?"
            "(?:(?:[ ，,]+[^ ，,。]{0,6}?)?你(?![们好])|[ ，,]+(?:别|快|过来|去把|把))"
            "|你别吵|别吵了|我在打(?:客服)?电话呢"
        ),
        " saidnothing ",
    ),
    (
        re.compile(
            rf"(?:我|俺)?(?:都|已经|都已经)?(?:打了|打过)(?:{_COUNT_ZH})(?:次|遍|回|趟)(?:电话)?了?"
        ),
        " ",
    ),
    (re.compile(rf"(?:帮|替)(?:我|俺)?家?(?:{_RELATIVES_ZH})(?:问问|问一下|问个事|咨询一下)"), " "),
    (re.compile(rf"(?:我|俺)(?:家)?(?:的)?(?:{_RELATIVES_ZH})(?:的)?"), " "),
    # whether we can do it ("这个你们能弄吗", "你们这能办不") says nothing of what it is,
    # nor makes it ours; nor does the wallet said to have nothing to do with it
    (
        re.compile(
            "(?:这个|这种事?|这事)?(?:你们|您们)(?:这里|这边|这儿|这)?(?:能不能|能|可以|管不管|管)"
            "(?:弄|办|处理|管|帮忙|解决)(?:吗|不|么|嘛)?"
            "|(?:跟|和|与)(?:钱包|你们)(?:这边)?(?:没有?|无)关系?[哈啊呀的]*"
            "|不是(?:在)?你们(?:这里|这边|这儿|家|平台)的?"
        ),
        " ",
    ),
    # ...nor who sent the caller to ring ("服务员让我打电话问问", "店员叫我问一下你们")
    (
        re.compile(
            "(?:服务员|收银员|店员|保安|商家|店家|老板|工作人员)(?:让|叫|要)我"
            "(?:(?:给你们|跟你们)?打(?:个|这个)?电话(?:问问|问一下|过来)?|问问|问一下|找你们|联系你们)"
        ),
        " ",
    ),
    # A story of ours that ended well, then the question ("提现到账了 我想问一下汇率", "付款是
    # 成功了 我想查一下我的快递"): the question is what is asked, the story goes.
    (
        re.compile(
            "^.*(?:成功了|也好了|后来好了|(?:登录|注册|绑定|解锁|设置|弄|改|搞)好了|到账了|也到了|收到了)"
            "[ ，,。]*"
            "(?=(?:我|就|是|只|想|顺便|另外|再|也|还)*(?:问|查|知道))"
        ),
        _untroubled,
    ),
    # ...and whatever comes before a question asked by the way ("…顺便问一下…"): the
    # question is what is asked (a problem told first stays: "提现没到账 顺便问下要多久")
    (re.compile("^.*(?=顺便(?:问|想问|查|请教|咨询))"), _untroubled),
    (
        re.compile(
            r"\b(?:i'?ve|i have|i) (?:already )?(?:called|rung|phoned|tried calling|been calling)"
            rf"(?: you| this number| here| this line)?(?: (?:like |about |at least )?{_TIMES_EN})"
            r"(?: already| now| today| this week)?\b"
        ),
        " ",
    ),
    (
        re.compile(
            r"\b(?:i'?m |i am )?(?:asking|calling|ringing|phoning)(?: you)? (?:for|on behalf of)"
            rf" my {_RELATIVES_EN}\b"
        ),
        " ",
    ),
    (re.compile(rf"\bmy {_RELATIVES_EN}(?:'s|')?(?= |$)"), "my"),
    # certainty asserted ("I am sure", "I'm positive") says nothing of what is asked: not
    # the unsure caller of the off-topic examples ("I'm not sure what I need")
    (
        re.compile(
            r"\b(?:i am|i'?m|im) (?:(?:so|very|pretty|quite|100 ?%) )?(?:sure|certain|positive)\b"
        ),
        " ",
    ),
    (
        re.compile(
            r"\bcome on\b|\bfor (?:god'?s|heaven'?s|pete'?s|christ'?s) sake\b"
            r"|\b(?:this|that|it) is (?:ridiculous|crazy|insane|a joke|unbelievable)\b"
        ),
        " ",
    ),
)

# Cantonese- and Taiwanese-flavoured Mandarin, as a recogniser writes it, read as the
# Mandarin the phrases are in ("点解我畀钱唔成功" is "为什么我付钱不成功", 储值 is 充值, 个资
# is 个人信息); first, so that every later rule sees the Mandarin word. 唔该 (please, thanks)
# says nothing; 我个人 is "personally", not "我的人".
# Cantonese and northern words read as the Mandarin ones, in one pass: 你哋 (你们), 系唔系
# (是不是), 点样 (怎么), 攞 (取: 攞钱, money taken out), 嚟 (来), a card's 度 (里), an
# account opened (开户口: not a household's 户口), north-eastern 嘎哈 (why)
_REGIONAL_WORDS = {
    "你哋": "你们",
    "我哋": "我们",
    "佢哋": "他们",
    "系唔系": "是不是",
    "係唔係": "是不是",
    "点样": "怎么",
    "點樣": "怎么",
    "攞": "取",
    "嚟": "来",
    "卡度": "卡里",
    "开户口": "开户",
    "开个户口": "开个户",
    "嘎哈": "为什么",
}
_REGIONAL = (
    (re.compile("唔该|唔該"), " "),
    (
        re.compile("|".join(sorted(_REGIONAL_WORDS, key=len, reverse=True))),
        lambda hit: _REGIONAL_WORDS[hit.group()],
    ),
    (re.compile("点解|點解"), "为什么"),
    (re.compile("乜嘢"), "什么"),
    # south-western 咋个, 啷个 ask how or why, as 怎么
    (re.compile("咋个|啷个|咋子"), "怎么"),
    (re.compile("用唔到|用唔倒|用唔了"), "用不了"),
    (re.compile("唔"), "不"),
    (re.compile("冇"), "没有"),
    (re.compile("咗"), "了"),
    (re.compile("嘅"), "的"),
    (re.compile("[畀俾](?=钱|[唔不][到了出得])"), "付"),
    (re.compile("[畀俾]"), "给"),
    (re.compile("喺([^度]{1,8}?)度"), r"在\1里"),
    (re.compile("喺"), "在"),
    (re.compile("倾偈"), "聊天"),
    (re.compile("仲未"), "还没"),
    (re.compile("佢"), "他"),
    (re.compile("我个(?!人)"), "我的"),
    (re.compile("储值|加值"), "充值"),
    (re.compile("个资"), "个人信息"),
    # northern 儿 after a word that means the same without it (事儿, 哪儿, 那一块儿, 一点儿)
    (re.compile("(?<=[事块点会])儿|(?<=(?<!去)哪)儿"), ""),
)


_HAN_CHAR = re.compile("[\u4e00-\u9fff]")
_LATIN_WORDS = re.compile("[a-z']+")


def _in_script(zh: str, en: str | None = None) -> Callable[[re.Match[str]], str]:
    """A replacement: `zh` in a Mandarin request (as many Chinese characters as English
    words, or more), else `en` (the words as said without one): an app word said in a
    Mandarin sentence, "OTP一直收不到", is read as the Mandarin word; an English sentence
    with a Chinese word in it ("my 余额 didn't change") stays English."""

    def replaced(hit: re.Match[str]) -> str:
        han = len(_HAN_CHAR.findall(hit.string))
        if han and han >= len(_LATIN_WORDS.findall(hit.string)):
            return zh
        return hit.group() if en is None else f" {en} "

    return replaced


# Pinyin run together (the spellings a recogniser writes) -> (Mandarin, English).
_PINYIN_WORDS = {
    "tixian": ("提现", "withdrawal"),
    "yanzhengma": ("验证码", "verification code"),
    "yanzheng": ("验证", "verification"),
    "shiming renzheng": ("实名认证", "identity verification"),
    "shimingrenzheng": ("实名认证", "identity verification"),
    "shiming": ("实名", "real name"),
    "renzheng": ("认证", "verification"),
    "mima": ("密码", "password"),
    "zhuanzhang": ("转账", "transfer"),
    "chongzhi": ("充值", "top up"),
    "daozhang": ("到账", "arrived"),
    "kefu": ("客服", "customer service"),
    "rengong": ("人工", "real person"),
    "dongjie": ("冻结", "frozen"),
    "zhuce": ("注册", "register"),
    "denglu": ("登录", "login"),
    "zhifu": ("支付", "payment"),
    "zhifubao": ("支付宝", "alipay"),
    "weixin": ("微信", "wechat"),
    "zhangdan": ("账单", "bill"),
    "fenqi": ("分期", "instalments"),
    "beidao": ("被盗", "stolen"),
    "zhapian": ("诈骗", "scam"),
    "pianzi": ("骗子", "scammer"),
}


# English words a Mandarin speaker says inside a Mandarin sentence, and the Mandarin words
# the phrases use for them. Those marked alone are read so only where no other English word
# comes just before them: after one they are a brand's ("apple pay", "facebook account",
# "apple id password"). 被 before hack or scam is kept once (被hack了 is 被盗了).
_CODE_SWITCHED = {
    **dict.fromkeys(("fail", "failed", "fails", "failing", "failure"), "失败"),
    **dict.fromkeys(("pay", "paying", "payment", "payments", "paid"), "付款"),
    **dict.fromkeys(
        ("suspend", "suspended", "ban", "banned", "block", "blocked", "disabled", "deactivated"),
        "被封",
    ),
    **dict.fromkeys(("frozen", "freeze", "freezed"), "冻结"),
    "balance": "余额",
    **dict.fromkeys(("account", "accounts"), "账户"),
    **dict.fromkeys(("password", "passwords"), "密码"),
    **dict.fromkeys(("link", "links", "url"), "链接"),
    **dict.fromkeys(("credit card", "credit cards", "creditcard"), "信用卡"),
    **dict.fromkeys(("debit card", "debit cards", "bank card", "bank cards", "bankcard"), "银行卡"),
    **dict.fromkeys(("bank", "banks"), "银行"),
    **dict.fromkeys(("hack", "hacked", "hacker", "hackers"), "被盗"),
    **dict.fromkeys(("scam", "scammed"), "被骗"),
    **dict.fromkeys(
        ("transfer", "transfers", "transferred", "transfering", "transferring"), "转账"
    ),
    **dict.fromkeys(
        (
            "withdraw",
            "withdrew",
            "withdraws",
            "withdrawn",
            "withdrawal",
            "withdrawals",
            "withdrawing",
        ),
        "提现",
    ),
    **dict.fromkeys(("top up", "topup", "topped up", "topping up"), "充值"),
}
_CODE_SWITCHED_ALONE = frozenset(
    (
        "pay",
        "paying",
        "payment",
        "payments",
        "paid",
        "balance",
        "account",
        "accounts",
        "password",
        "passwords",
    )
)
_AFTER_LATIN_WORD = re.compile("[a-z] $")


def _code_switched(hit: re.Match[str]) -> str:
    """`_CODE_SWITCHED`'s replacement: the Mandarin word in a Mandarin request."""
    word = hit.group()
    if word in _CODE_SWITCHED_ALONE and _AFTER_LATIN_WORD.search(hit.string[: hit.start()]):
        return word
    zh = _in_script(_CODE_SWITCHED[word])(hit)
    if zh.startswith("被") and hit.string[: hit.start()].endswith("被"):
        return zh[1:]
    return zh


# English as it is spoken in India, Singapore and Malaysia, Britain and Australia, and the
# app words of any of them, read as the words the phrases use: "kindly do the needful" and
# a sentence's "lah" say nothing; "kena" is a passive's "got" ("kena hacked"); "customer
# care" is customer service, its "executive" or "officer" a representative; KYC is the
# identity check; an EMI is an instalment; an OTP (or a one-time code, an "OTB" heard) a
# verification code; money "debited" is taken, "not credited" or "not reflected" has not
# arrived; "gone walkabout" or "astray" has vanished; when it began ("since morning") and
# "can ... or not" say nothing of the request.
_VARIETIES = (
    (
        re.compile(
            r"\b(?:please |kindly )?do the needful\b|\bkindly\b|\b(?:one )?(?:lah|leh|lor|meh)\b"
        ),
        " ",
    ),
    (re.compile(r"\bor not\b(?= *$|[,.?!])"), " "),
    (re.compile(r"\bkena\b"), "got"),
    (
        re.compile(
            r"\bsince (?:(?:this|yesterday|last|early) )?"
            r"(?:morning|afternoon|evening|night|yesterday"
            r"|week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
            r"|\b(?:in|during|since|back in) (?:january|february|march|april|june|july|august"
            r"|september|october|november|december)\b|\bin the first place\b"
        ),
        " ",
    ),
    (
        re.compile(
            r"\b(?:customer (?:care|service|support)|support|help ?desk) (?:executives?|officers?"
            r"|associates?|advisors?|advisers?|team members?|staff|persons?)\b"
        ),
        "customer service representative",
    ),
    (re.compile(r"\bcustomer care\b"), "customer service"),
    (
        re.compile(r"(?<![a-z])(?:e-?kyc|re-?kyc|video kyc|kyc|know your customer)(?![a-z])"),
        _in_script("实名认证", "identity verification"),
    ),
    (
        re.compile(r"(?<![a-z])(?:(?:no[ -]cost )?emis?|equated monthly instal+ments?)(?![a-z])"),
        _in_script("分期", "instalments"),
    ),
    (
        re.compile(
            r"(?<![a-z])(?:otps?|otb|o t p|one[ -]?time (?:code|password|passcode|pin|otp)s?)"
            r"(?![a-z])"
        ),
        _in_script("验证码", "verification code"),
    ),
    # ...and so are the English words for what went wrong, for the account's things, for a
    # bank's and for the money moved, said in a Mandarin sentence ("扫码pay了三次都fail了",
    # "账户被suspend了", "我的balance不对", "transfer给我妈的钱", "我的credit card账单"): the
    # phrases say them in Mandarin (`_CODE_SWITCHED`)
    (
        re.compile(
            r"(?<![a-z])(?:{})(?![a-z])".format(
                "|".join(sorted(_CODE_SWITCHED, key=len, reverse=True))
            )
        ),
        lambda hit: _code_switched(hit),
    ),
    # the wallet's Mandarin words said in pinyin, run together as a recogniser writes a word
    # it does not know ("my tixian never came", "the yanzhengma", "shiming renzheng"): the
    # words the phrases use (Mandarin in a sentence with characters: "我的tixian没到")
    (
        re.compile(
            r"(?<![a-z])(?:{})(?![a-z])".format(
                "|".join(sorted(_PINYIN_WORDS, key=len, reverse=True))
            )
        ),
        lambda hit: _in_script(*_PINYIN_WORDS[hit.group()])(hit),
    ),
    (re.compile(r"\b(?:debited|deducted)\b"), "taken"),
    # a recharge of the wallet is a top-up (of a phone, the carrier's)
    (
        re.compile(r"\brecharg(?:e|ed|es|ing)\b"),
        lambda hit: "topup" if re.search(r"\bwallet\b", hit.string) else hit.group(),
    ),
    (
        re.compile(
            r"\b(?:not|never|isn'?t|wasn'?t|hasn'?t|haven'?t)"
            r"(?: (?:been|yet|got|get|be|being|is|was))*"
            r" (?:credited|reflected|reflecting|reflect|updated)\b"
        ),
        "not arrive",
    ),
    (re.compile(r"\b(?:gone|went|go|going) (?:walkabout|astray|awol|missing)\b"), "disappear"),
    # a learner's English: to "enter in" the account is to log in to it, its "key" its
    # password ("I cannot to enter in my account", "I forget the key of my account")
    (re.compile(r"\b(?:can'?t|cannot|not able) to\b"), "cannot"),
    (
        re.compile(
            r"\benter(?:ing)? (?:in |into |to )?(?=(?:my|the|our) (?:account|wallet|app)\b)"
        ),
        "login ",
    ),
    (
        re.compile(r"\bkeys?(?= (?:of|for|to) (?:my |the |our )?(?:account|wallet|app)\b)"),
        "password",
    ),
    # asked whether it can be done ("am I able to", "is it possible to"): can
    (
        re.compile(
            r"\b(?:am i|are we|is it|would it be|will i be|would i be) (?:able|possible) to\b"
        ),
        "can i",
    ),
    # a hedge on what happened says nothing of it ("it seems to have", "looks like")
    (re.compile(r"\b(?:seems?|seemed|appears?) to (?:have |be )?|\b(?:it )?looks like\b"), " "),
)

# Words a recogniser splits at a filler ("for got", "a count", "with draw", "reg is ter"):
# the filler would go, and the halves with it; or splits past what a sound-alike finds
# ("past word", "pay men", "top pup", "very fication").
_SPLITS = (
    (re.compile(r"\bfor got(?:ten)?\b"), "forgot"),
    (re.compile(r"\btrans actions?\b"), "transactions"),
    (re.compile(r"\bon line\b"), "online"),
    (re.compile(r"\ba count(s)?\b"), r"account\1"),
    (re.compile(r"\bwith ?(?:draw(?:al|all|l|als)?|rolls?)\b"), "withdraw"),
    # ...and heard with an article between ("my with the rule", "a with a roll")
    (re.compile(r"\bwith (?:the|a) (?:rule|roll|drawl)s?\b"), "withdraw"),
    # "code" heard as "coat" or "cold" after what it is a code of ("verification coat")
    (
        re.compile(
            r"\b(verification|security|login|log in|sms|text|access|one time|confirmation)"
            r" (?:coat|coats|cold|colds|cod|coad|coke)\b"
        ),
        r"\1 code",
    ),
    # "verification" heard as two words ("very vacation", "very cation")
    (re.compile(r"\bvery (?:vacation|cation|fi cation|fication)\b"), "verification"),
    # "account" and "a fraud" heard where no English has them ("my a cow locked", "there's
    # afraid on my account"), "chat" as a name before "with"
    (re.compile(r"\b(my|your|the) a ?cow(?:n?t)?(s?)\b"), r"\1 account\2"),
    (re.compile(r"\b(?:there'?s|there is|theres) afraid\b"), "there's a fraud"),
    (re.compile(r"\bchad(?= with\b)"), "chat"),
    # "live chat" heard as "life chat"
    (re.compile(r"\b(?:life|lie|light) chat\b"), "live chat"),
    (re.compile(r"\bin ?stall?(?: |-)?(?:ments?|mints?|meants?)\b"), "instalments"),
    (re.compile(r"\breg(?: is|is) ?ter\b"), "register"),
    (re.compile(r"\bre[dg]? ?just ?(?:her|er)\b"), "register"),
    # "human" heard as two words ("a you man", "hue man")
    (re.compile(r"\b(?:you|hue|hugh|hew|who) man\b"), "human"),
    (re.compile(r"\bpas[st]e? ?(?:words?|wards?|what)\b"), "password"),
    (re.compile(r"\bpay ?(?:men|mint|mints|meant|mends?)\b"), "payment"),
    (re.compile(r"\blog ?gin\b"), "login"),
    # fishing as a pastime (going fishing, a fishing trip) is no phishing: another topic
    (
        re.compile(
            r"\b(?:go|goes|going|gone|went|to go) (?:out )?fish ?ing\b"
            r"|\bfish ?ing (?:trips?|rods?|poles?|boats?|gear|tackle|spots?|licen[cs]es?|lakes?)\b"
        ),
        " angling ",
    ),
    (re.compile(r"\bfish ?ing\b"), "phishing"),
    # a person "got scanned" or an account "got hat" is scammed or hacked, as heard
    (
        re.compile(
            r"\b(i|we|he|she|they|mum|mom|dad|grandma|grandpa|(?:my|our) \w+)"
            r" (?:got|was|were|have been|has been|'ve been|just got) scanned\b"
        ),
        r"\1 got scammed",
    ),
    (
        re.compile(r"\b(got|get|been|was|is|being) (?:hat|hatted|hacket|hack it|hact|hackt)\b"),
        r"\1 hacked",
    ),
    # "identity" heard with its first syllable as a word ("eye dentity"), "help centre" with
    # its last two ("help sent her"), "login" as "long in" before what it goes with
    (re.compile(r"\b(?:eye|i|ai) ?dent(?:i|a|e)t(?:y|ies)\b"), "identity"),
    # ...and "register" heard as two words ("rich ester", "red sister", "reg is ter")
    (re.compile(r"\b(?:rich|red|reg|ridge) ?(?:ester|sister|is ter|his ter)\b"), "register"),
    (re.compile(r"\b(help|support|service) (?:sent? ?(?:her|er|re)|sender)\b"), r"\1 centre"),
    # what to have ready before calling is how to contact us ("what info should I have handy
    # before I talk to one of your people")
    (
        re.compile(
            r"\b(?:info|information|details|documents|things|stuff)\b[^.,?]{0,30}?"
            r"\bbefore (?:i |we )?(?:talk|speak|call|chat|contact|ring)\w*"
            r"(?: (?:to|with))?(?: (?:one of )?(?:your|you|an?|the|someone|somebody|anyone)"
            r"(?: (?:people|staff|team|agents?|person|guys))?)?"
        ),
        " what to have ready before contacting support ",
    ),
    # one of the company's people to talk to is a person ("talk to one of your people directly")
    (
        re.compile(
            r"(?<!live )\b(?:talk|speak|chat)(?: directly)? (?:to|with) (?:one of )?your"
            r" (?:people|staff|team)\b|\b(?:anyone|someone|somebody)\b[^.,?]{0,12}?"
            r"\b(?:talk|speak)\w* (?:to|with) directly\b"
        ),
        " talk to a real person ",
    ),
    # ...and someone real, an actual human, is a real person ("get me someone real", "is
    # there anybody real there", "an actual human please")
    (
        re.compile(
            r"\b(?:someone|somebody|anyone|anybody|a person|a human) (?:real|actual)\b"
            r"|\b(?:an? )?actual (?:human being|human|person|people)\b"
        ),
        " a real person ",
    ),
    # the app's help pages are its help centre ("where the help section is")
    (re.compile(r"\bhelp (?:section|pages?|area|screen)s?\b"), "help centre"),
    # ...and "help centre" heard as "health centre" where it is in the app ("the health
    # centre in the app")
    (
        re.compile(
            r"\bhealth (cent(?:re|er)|section)(?= (?:in|on|of) (?:the|your|this) (?:app|wallet))"
        ),
        r"help \1",
    ),
    # ...and "log on" heard as "long on" after a cannot ("I can't long on to the wallet")
    (re.compile(r"(?<=n't )long ?on\b|(?<=cannot )long ?on\b|(?<=not )long ?on\b"), "log on"),
    (
        re.compile(
            r"\blong ?in(?= (?:and|or|with) (?:codes?|passwords?|sign ?ups?|verification)"
            r"|(?: |-)(?:codes?|page|screen|problems?|issues?|details|passwords?))"
        ),
        "login",
    ),
    (re.compile(r"\b(?:con|come|cum|calm) ?plaints?\b"), "complaint"),
    # a recogniser's "lock in" for "log in" where the app or the account follows
    (
        re.compile(
            r"\block(?:ed)? ?(?:in|into)\b(?= (?:to )?(?:the |my |your )?(?:app|account|wallet))"
        ),
        "login",
    ),
    (re.compile(r"\bver(?:y|i)? ?f(?:y|i|ly)? ?cation\b"), "verification"),
    # ...and "sign in" heard as "sigh in" or "sine in" where the app or the account follows
    (
        re.compile(
            r"\b(?:sigh|sighs|sine|sighn) ?(?:in|into)\b"
            r"(?= (?:to )?(?:the |my |your )?(?:app|account|wallet))"
        ),
        "sign in",
    ),
)

# When it happened says nothing of what happened: a weekday, a date, a time of day ("上周五",
# "12号", "半夜三点多"). "上个月" stays: a statement's month. (An error's number stays too: a
# printer's "error 1003" is no payment's.)
_NUMBER_ZH = r"(?:\d+|[一二两三四五六七八九十]{1,3})"
_WHEN = (
    (
        re.compile(
            "(?:上个?|这个?|本|下个?)?(?:周|星期|礼拜)[一二三四五六日天末]|上个?(?:周|星期|礼拜)|大前天|前天"
            f"|{_NUMBER_ZH}月(?:{_NUMBER_ZH}[号日])?|{_NUMBER_ZH}(?:号|日(?![子期]))"
            "|半夜|凌晨|早上|上午|中午|下午|傍晚|晚上|昨晚|今早|"
            r"(?:\d+|[两三四五六七八九十]|十[一二])点(?:多|钟|半|左右)?"
        ),
        " ",
    ),
)

# How a call opens before its point says nothing of it: where the caller was ("在地铁上",
# "丢在酒店了", "in a taxi", "at the airport"), that the phone had the wallet on it ("手机上
# 登着你们的钱包", "your app is on it"), emphasis (根本, 压根) and the closing "what do I
# do now" (现在该怎么办, 我该怎么处理, "what should I do now").
_OPENINGS = (
    (re.compile("手机(?:落|忘)(?=在|了)"), "手机丢"),
    (
        re.compile(
            "(?:出差|旅游|旅行)(?:的时候|时)?"
            "|在(?:地铁|公交车?|出租车|的士|网约车|酒店|宾馆|机场|火车站?|高铁站?|火车|高铁|飞机)(?:上|里|站)?"
        ),
        " ",
    ),
    (
        re.compile(
            r"\b(?:on|in|at) (?:the|a|my) (?:subway|metro|underground|tube|bus|train|taxi|cab"
            r"|uber|plane|flight|airport|hotel|station)\b"
        ),
        " ",
    ),
    (
        re.compile(
            "(?:手机|电话)?(?:里面|里头|里|上面|上)(?:装|登|下|存|有)[着了]?(?:你们|您们)?的?(?:钱包|app|应用|软件)"
        ),
        " ",
    ),
    (
        re.compile(
            r"\b(?:and |with )?(?:your|the|my) (?:wallet |digital wallet )?(?:app |wallet )"
            r"(?:is |was )?(?:on it|installed on it|logged in on it)\b"
        ),
        " ",
    ),
    (
        re.compile(
            r"\b(?:last|this|yesterday|tomorrow) (?:night|morning|afternoon|evening)\b"
            r"|\b(?:last|this) (?:week|weekend)\b"
        ),
        " ",
    ),
    # a phone left somewhere is lost ("手机落在出租车上了", "I left my phone in a taxi")
    (re.compile(r"\b(?:left|forgot|misplaced) my phone\b"), "lost my phone"),
    (re.compile("根本|压根儿?|从来"), " "),
    # a number the caller gives says nothing of the request ("我的手机号是138…", "my
    # number is 555…"): what follows it does
    (
        re.compile(
            r"(?:我的|俺的)?(?:手机号码?|电话号码?|手机|号码|账号|帐号)(?:是|为)\s*\d[\d ]{4,}"
            r"|\bmy (?:phone |mobile |cell |account )?number(?: is|'s)? \d[\d ]{4,}"
        ),
        " ",
    ),
    # dissatisfied with someone who served the caller is a comment on the service
    # ("那个客服处理得我很不满意"); the staff then are no one asked for (`rewrite`)
    (
        re.compile(
            "(?:很|非常|特别|太|十分|挺)?(?:不满意|不满|敷衍|不耐烦|态度(?:很|太|特别|非常)?(?:差|不好|恶劣)"
            "|没礼貌|不礼貌|很凶|太凶)"
        ),
        "不满意",
    ),
    # a lock said with the login it stops is the lock's ("锁住了登不上", "冻结了进不去")
    (
        re.compile(
            "(锁住|锁定|锁了|被锁|冻结|冻住|被封)了?[，,\\s]*(?:所以|就|也|都|然后)?"
            "(?:登不上去?|登录不了|登录不上|登不进去?|进不去|上不去)"
        ),
        r"\1了",
    ),
    # formal written Mandarin's 本人 is 我 (非本人操作 stays: not the caller)
    (re.compile("非本人"), "不是我本人"),
    (re.compile("(?<![非是])本人"), "我"),
    # many times is again and again ("支付多次失败")
    (re.compile("(?:多次|屡次|好几次|几次三番)(?=[^，,。]{0,2}失败)"), "老是"),
    # ...as is someone rude to the caller ("your agent was very rude to me")
    (
        re.compile(
            r"\b(?:was|were|is|are|been|being)(?: (?:very|so|really|extremely|quite|super|a bit))?"
            r" (?:rude|impolite|unhelpful|unprofessional|disrespectful|condescending|arrogant"
            r"|dismissive)(?: (?:to|with|towards) (?:me|us))?"
        ),
        " unhappy with ",
    ),
    # ...after a call with them, however it is put ("the agent I talked to", "the woman I
    # dealt with"): the one spoken to
    (
        re.compile(
            r"\b(agents?|staff|lady|guy|person|man|woman|girl|representative|rep|operator"
            r"|advis[eo]r|one|people) (?:that |who |whom )?(?:i|we) (?:just |last |first )?"
            r"(?:talked|chatted|dealt|was talking|was speaking|have spoken|had spoken|spoke)"
            r" (?:to|with)\b"
        ),
        lambda hit: f"{hit.group(1)} i spoke to",
    ),
    (re.compile(r"\b(?:app|screen|it) (?:told|tells|is telling|keeps telling) me\b"), "app says"),
    # six digits that come by text are the code ("那个六位数的短信", "短信里那个六位数字")
    (
        re.compile(
            "短信(?:里|上|中)?(?:的|那个|那串|里的)?(?:六|6)位数字?(?:的|那个)?(?:码)?"
            "|(?:那个|那串)?(?:六|6)位数字?(?:的|那条)?短信"
        ),
        "短信验证码",
    ),
    # the payment PIN described rather than named ("付钱时要输的那个六位数", "the six digit
    # number I use to pay"): a password (a six-digit code sent by text stays a code)
    (
        re.compile(
            "(?:付钱|付款|支付|买东西|结账|买单)(?:的)?(?:时候|时)?(?:要|得|需要)?(?:输入?|按|填)的?"
            "(?:那个|那串|那几个|那组|那)?(?:六位|6位|六个|6个)?(?:数字|数|码)"
            "|(?:六|6)位数字?(?!.{0,2}验证码)|(?:六|6)个数字"
        ),
        "支付密码",
    ),
    (
        re.compile(
            r"\b(?:six|6)[ -]?digit (?:number|pin)s?\b"
            r"(?! (?:from|in|on) (?:my |the |a |your )?(?:text|sms|message))"
            r"|\b(?:six|6) (?:numbers|digits)\b"
            r"|\bthe (?:number|numbers|digits|code|one) i (?:use|type|enter|put in|punch in|need)"
            r"(?: in)? (?:to|when|for) (?:pay|paying|buy|buying)\b"
        ),
        "payment pin",
    ),
    # praise for someone who helped is a comment, not a request for them ("表扬一下那位客服
    # 小姐", "the lady who helped me was great")
    (re.compile("夸奖|夸一夸|夸夸|夸一下|夸|称赞|赞扬|点个赞|点赞"), "表扬"),
    (
        re.compile(
            r"\b(?:compliment(?:s|ed)?|prais(?:e|es|ed|ing)|commend|kudos|shout ?out|say thanks"
            r"|thank (?:her|him|them))\b"
            r"|\b(?:who|that) helped me\b[^,.]{0,30}?\b(?:was|were|is)(?: really| very| so| super)?"
            r" (?:great|amazing|wonderful|fantastic|excellent|brilliant|helpful|lovely|kind"
            r"|patient|nice)\b"
            r"|\b(?:was|were) (?:really |very |so |super |incredibly )?(?:helpful|patient)\b"
        ),
        # (not "praise", which "price" sounds like)
        " compliment ",
    ),
    # not done, ever: 没买过 is 没买
    (re.compile("(?<=没)(买|用|花|消费|操作|去|付|转|登录?)过"), r"\1"),
    (re.compile("(?:现在|那)?(?:我)?该(?:怎么|如何|咋)(?:办|处理|弄)"), " "),
    (re.compile(r"\bwhat (?:do|should|can) i do(?: now| about it)?\b"), " "),
)

# Contractions first, so that "didn't" leaves a "not" once "did" goes as a filler.
_CONTRACTIONS = (
    # not able is not the same as not done: "I can't buy" fails, "I didn't buy" was not me
    # "it won't pay" refuses, as "it can't": a failure too
    (
        re.compile(
            r"\b(?:can't|cannot|can not|couldn't|could not|unable to|won't"
            r"|refus(?:es|ed|ing|e) to|keeps? refusing to)\b"
        ),
        "cannot",
    ),
    (re.compile(r"\b(\w+)n't\b"), r"\1 not"),
    (
        re.compile(r"\b(there|here|that|what|it|who|where|something|someone|somebody|nothing)'s\b"),
        r"\1 is",
    ),
    # ...and not able to ("I am not able to do the login")
    (re.compile(r"\bnot able to\b"), "cannot"),
    # "I'd like" is no ID: the pronoun and its verb, both fillers
    (re.compile(r"\b(i|you|we|they|he|she|it|that|there|what|who|where|how)'d\b"), r"\1 would"),
    (re.compile(r"\b(i|you|we|they|he|she|it|that|there|what|who)'ll\b"), r"\1 will"),
    (re.compile(r"\b(i|you|we|they)'ve\b"), r"\1 have"),
    (re.compile(r"\b(you|we|they)'re\b"), r"\1 are"),
)

# Concepts (below) that name another service's thing outright, whatever else is said ("我的Line
# 账号登不进去" asks nothing of our login), or ask for nothing any node serves (a code read
# out, the company's postal address, "I don't know" in another language): a request with
# one is re-prompted.
ELSEWHERE = frozenset(
    {
        "otheraccount",
        "jobseeker",
        "cashmachine",
        "perkoffer",
        "transitcard",
        "government",
        "cryptocoin",
        "lender",
        "supply",
        "newsdesk",
        "shopreturn",
        "readout",
        "postaladdress",
        "saidnothing",
        "opinionasked",
        "sellerdesk",
        "nochannel",
        "behindback",
        "balanceasked",
        "namedstaff",
        "feeasked",
        "invoiceasked",
    }
)

# Things no node serves, each as one word that only the menu's off-topic examples have
# (`off_topic:` in menus.yaml), so it counts against every node however it is put: another
# company's wallet or payment service (the caller's question is theirs to answer), money
# sent to the wrong person or taken twice; a carrier's or a utility's bill (its amount, its
# plan, where to pay it: the wallet does not issue it, so not the bills page). Paying one
# with the wallet is a concept of its own that two nodes serve: how to pay it (`bills`, the
# how-to answer) and a payment of it that failed (`payments_failed`). The words are made up
# so that no other word shares their letters.
#
# Another service's own account, password, PIN or bill (a bank's, a credit card's, a chat
# app's, a game's, the email's, the phone's lock screen) is theirs to answer too: "我的微信
# 账号被封了", "my Instagram account got hacked" share every other word with a wallet's.
#
# A business proposal or a sales pitch ("我们公司想跟你们经理谈合作", "I'm calling to offer
# your manager a business loan") sells to us: it asks for no node, however it names the
# manager it wants to sell to.
#
# In Mandarin too: the company itself asked about (its owners, its shares), a question out
# of curiosity or a case made up, advice on money (`opinionasked`); a business wanting to
# take payments through us (`sellerdesk`); a channel the line has not (a fax, a visit:
# `nochannel`); someone else's account asked into (`behindback`); words said to someone
# in the room (`saidnothing`): no node serves them.
#
# A balance only asked for ("我的余额是多少", "查一下余额", "what's my balance", "how much
# money is in my wallet") is read in the app: no node answers it (`balanceasked`), unless
# a problem of the balance is said with it (it dropped, a top-up is not in it, it is not
# enough to pay: those are the stolen, funds and payment answers').
#
# Someone asked for by name and title ("我找王经理", "is Mr Johnson there"): a wrong number
# or a person the line cannot reach (`namedstaff`); a manager asked for as such is `agent`.
#
# (A concept is no word a caller says: the press asking for a comment is `newsdesk`, as
# "what do I press first" is a key pressed, not a journalist.)
CONCEPTS = ELSEWHERE | frozenset(
    {
        "otherwallet",
        "wrongpayee",
        "twice",
        "utilitybill",
        "payutility",
        "salespitch",
        "newnumber",
        "closeaccount",
        "angling",
    }
)
_LATIN = r"(?<![a-z])(?:{})(?![a-z])"
# A top-up, a withdrawal or a try made twice ("I topped up twice and neither arrived", "I
# tried to withdraw twice", "rejected twice today"): how often the caller tried, no charge
# taken twice, unless a charge is said after it; nor is twice without money ("your support
# hung up on me twice")
_MONEY_SAID = re.compile(
    r"(?<![a-z])(?:charg\w*|bill\w*|paid|pay\w*|purchas\w*|debit\w*|deduct\w*|taken|took"
    r"|money|transactions?|statements?|orders?|subscriptions?)(?![a-z])|[扣付收划刷钱款费]"
)
_TRIED = re.compile(
    r"(?<![a-z])(?:top(?:ped|ping|s)? ?up|topup|withdr[ae]w\w*|cash(?:ed|ing)? out"
    r"|add(?:ed|ing)? (?:money|funds|cash)|put (?:money|funds|cash) in|deposit(?:ed|ing)?|tried"
    r"|attempted|retried|declin\w*|reject\w*|fail\w*|bounc\w*)(?![a-z])"
    r"(?:(?!charg|bill|debit|took|taken|deduct)[^,.;])*$"
)


def _twice(hit: re.Match[str]) -> str:
    """A charge taken twice, the concept; said of a try (`_TRIED`) or without money, nothing."""
    said = hit.string
    if _TRIED.search(said, 0, hit.start()) or not _MONEY_SAID.search(said):
        return " "
    return " twice "


_UTILITY_ZH = "水电煤气费|水电煤|水电费|话费|电费|水费|燃气费|煤气费|宽带费|物业费"
# A supplier's own bill, looked up with the supplier ("国家电网的电费账单怎么查"), or a bill
# paid at a counter ("去邮局交水费", "pay my water bill at the post office"): theirs, unless
# the wallet is named.
_SUPPLIERS_ZH = (
    "国家电网|南方电网|电网|供电局|供电公司|电力公司|自来水公司|水务公司|水务局|燃气公司|煤气公司"
    "|物业公司|中国移动|中国联通|中国电信|移动公司|联通公司|电信公司"
)
_COUNTERS_ZH = "邮局|邮政|银行|营业厅|便利店|柜台|网点"
_COUNTERS_EN = (
    r"(?:the )?(?:post office|bank|branch|counter|convenience store|supermarket|7-?eleven"
    r"|corner shop|newsagent|store|shop)"
)
_UTILITY_EN = (
    r"(?:(?:cell )?phone|mobile|electric(?:ity)?|water|gas|utility|utilities|cable|internet"
    r"|broadband|power|heating)"
)
_OTHER_ZH = (
    "微信|抖音|快手|淘宝|京东|拼多多|微博|小红书|游戏|邮箱|脸书|推特|12306|铁路|携程|去哪儿|滴滴"
    "|饿了么|百度|网盘|网易|新浪|搜狐|知乎|b站|哔哩哔哩|爱奇艺|优酷|腾讯视频|学习通|钉钉"
    "|芒果tv|网易云|酷狗|微软|苹果账号|苹果id"
    "|(?<![a-z])(?:qq|line|facebook|instagram|whatsapp|telegram|ig|steam|windows|icloud|apple ?id"
    "|gmail|outlook|netflix|wechat|tiktok|uber|amazon)(?![a-z])"
)
# Carriers and utilities by name: their bills and plans (`utilitybill`), their own accounts
# and passwords (`otheraccount`). Not in `_OTHER_EN`: the code a carrier delivers is
# often the wallet's ("the code for my Verizon number never comes").
_CARRIERS_EN = (
    r"verizon|at ?& ?t|at and t|t-? ?mobile|sprint|comcast|xfinity|spectrum"
    r"|vodafone|telstra|optus|airtel|jio|cricket|metro ?pcs|boost mobile|pg ?& ?e"
    r"|con ?ed|duke energy|british gas|ee|o2"
)
# ...and named alone as what was hacked, locked or banned ("QQ号被冻结了", "my facebook got
# hacked"): merchants are left out ("a charge from amazon I didn't make" is the wallet's).
_SOCIAL_EN = (
    r"(?:game|instagram|insta|facebook|qq|gmail|hotmail|outlook|yahoo|tiktok|tik tok|whatsapp"
    r"|twitter|snapchat|linkedin|icloud|apple id|telegram|line|discord|reddit|steam|xbox"
    r"|playstation|microsoft|windows|netflix|disney(?: plus|\+)?|youtube"
    # ...a ride, delivery, rental or streaming service's own account ("my uber account got
    # suspended"): a charge of theirs taken from the wallet is not matched here
    r"|uber|lyft|doordash|grubhub|instacart|airbnb|spotify|hulu|ebay|etsy|amazon)"
)
_BLOCKED_EN = (
    r"(?:hacked|stolen|locked|frozen|banned|suspended|blocked|disabled|hijacked|compromised)"
)
_OTHER_EN = (
    r"(?:instagram|insta|facebook|qq|gmail|hotmail|outlook|yahoo|netflix|tiktok|tik tok|whatsapp"
    r"|twitter|snapchat|amazon|spotify|steam|xbox|playstation|icloud|apple id|ebay|linkedin"
    r"|windows|microsoft|disney(?: plus|\+)?|hulu|hbo(?: max)?|youtube|prime video"
    r"|e ?mail|online banking|internet banking|bank'?s|banking app|bank app|credit card"
    r"|bank card|debit card|video game|game|gaming)"
)
_OWN = r"(?:accounts?|passwords?|passcodes?|pins?|logins?|bills?|statements?)"
# Another wallet's own balance, password or account ("支付宝的密码忘了", "微信里的零钱怎么
# 提现", "my venmo password", "my paypal balance"): theirs to answer, as another app's
# account is. Its money moved into ours is not ("用支付宝往钱包里充值", "from paypal into
# the wallet": a top-up).
_WALLETS_ZH = (
    "支付宝|微信支付|微信钱包|微信|云闪付|财付通|余额宝|花呗|借呗|京东金融|美团钱包|抖音钱包|京东钱包"
    "|(?<![a-z])steam ?钱包"
)
_WALLETS_EN = (
    r"(?:pay ?pal|venmo|zelle|cash ?app|alipay|wechat|we chat|apple pay|google pay"
    r"|samsung pay|revolut|wise|skrill)"
)
_TO_US_ZH = "(?![^，。,]{0,8}(?:充|转[到进入给]?(?:钱包|你们|这个)|往钱包|到钱包|进钱包))"
_TO_US_EN = r"(?!(?: [a-z']+){0,4} (?:to|into|onto|in) (?:my |the |your |this )?wallet)"
# Another institution's own thing, named by a caller who does not name the wallet: a
# coin or its exchange (比特币, "my coinbase account"), a bank's own app, branch or card
# ("银行的APP登不上去", "my ICBC credit card was declined at the hotel"), a card of its own
# issuer (a fuel, gym, membership or gas card), the phone's own lock ("手机解锁密码", "my iphone
# passcode"), a red packet. Theirs to answer, unless the rest of the request names the
# wallet; a bank's card or app also where our money moves ("用工行卡往钱包充值没到账", "the
# bank app shows my withdrawal never came"); a coin whatever is done with it, unless as a
# scam's bait ("有人让我买比特币是不是骗子": the safety answer's).
_WALLET_NAMED = re.compile("钱包|你们|(?<![a-z])(?:wallet|your app)(?![a-z])")
_OUR_MONEY = re.compile(
    "钱包|充值|充钱|提现|转账|到账|绑|你们|(?<![a-z])(?:wallet|top ?up|topup|withdraw\\w*"
    "|cash\\w* ?out|transfer\\w*|link\\w*|bind\\w*|bound|your app)(?![a-z])"
)
_SCAM = re.compile("骗|诈|(?<![a-z])(?:scam\\w*|fraud\\w*|conned|tricked)(?![a-z])")
# Money the caller has lost already, by a transfer someone made them make, or taken
_ROBBED = re.compile(
    r"\b(?:made|got|had) (?:me|us) (?:to )?(?:send|pay|transfer|move)\b"
    r"|\b(?:i|we) (?:sent|paid|transferred|moved) (?:him|her|them|it|the money)\b"
    r"|\b(?:took|stole|emptied|drained) (?:all )?(?:of )?(?:my|our) (?:money|savings"
    r"|balance|wallet)\b|\b(?:got|was|been|were) (?:scammed|conned|defrauded)\b"
)
# ...a red packet, unless as a scam's bait too ("短信让我点链接领红包")
_BAITED = re.compile(
    f"{_WALLET_NAMED.pattern}|{_SCAM.pattern}|链接|网址|钓鱼|短信"
    "|(?<![a-z])(?:links?|phishing|texts?|message)(?![a-z])"
)


# This wallet marked as the one with the problem ("钱包里的钱", "your wallet", "with the
# wallet", 你们): not another wallet's 钱包 or wallet (微信钱包, "my PayPal wallet").
_OUR_WALLET_WORDS = (
    "(?<!微信)(?<!美团)(?<!京东)(?<!数字人民币)(?<!苹果)(?<!抖音)(?<!steam)(?<!steam )钱包"
    r"|(?<![a-z])(?<!pay )(?<!apple )(?<!google )(?<!samsung )(?<!paypal )(?<!venmo )"
    r"(?<!alipay )(?<!wechat )(?<!crypto )(?<!bitcoin )wallet|(?<![a-z])your (?:app|account)"
)
_OURS = re.compile(f"{_OUR_WALLET_WORDS}|你们")
# The wallet itself named, not only "you" (你们能帮我找回吗 asks us about another's account).
_OUR_WALLET = re.compile(_OUR_WALLET_WORDS)


# What this wallet serves, named (a problem, a thing of an account): with it, words about the
# caller's own life are only the story around the request ("我是做客服的，我的账户被盗了").
_SERVED = re.compile(
    f"{_OURS.pattern}|被盗|盗刷|被骗|诈骗|提现|充值|到账|付款|支付|付不|转账|转钱|密码|验证码|登录|登陆"
    "|登不|锁|冻结|账户|账号|余额|扣款|扣钱"
    r"|(?<![a-z])(?:stolen|hack\w*|scam\w*|fraud|withdraw\w*|top ?up|payments?|pay|paid|transfer\w*"
    r"|passwords?|codes?|log ?in|sign ?in|locked|frozen|account|balance|charged|refund)(?![a-z])"
)


def _theirs(concept: str, ours: re.Pattern[str] = _OURS) -> Callable[[re.Match[str]], str]:
    """A replacement: `concept`, another service's own thing, as the subject of the request;
    nothing where the rest marks this wallet as the one with the problem (`ours`): the other
    service is then only where the money went, the channel or the contrast ("有人把我钱包里的
    钱转到一个支付宝账户了", "I mixed up my wallet password with my Venmo one")."""

    def replaced(hit: re.Match[str]) -> str:
        rest = hit.string[: hit.start()] + " " + hit.string[hit.end() :]
        return " " if ours.search(rest) else f" {concept} "

    return replaced


def _unless(ours: re.Pattern[str], concept: str) -> Callable[[re.Match[str]], str]:
    """A replacement: `concept`, unless the rest of the request says `ours` (then the
    words as said)."""

    def replaced(hit: re.Match[str]) -> str:
        rest = hit.string[: hit.start()] + " " + hit.string[hit.end() :]
        return hit.group() if ours.search(rest) else f" {concept} "

    return replaced


def _only_if(theirs: re.Pattern[str], spelled: str) -> Callable[[re.Match[str]], str]:
    """A replacement: `spelled` where the rest of the request says `theirs`, else the words
    as said."""

    def replaced(hit: re.Match[str]) -> str:
        rest = hit.string[: hit.start()] + " " + hit.string[hit.end() :]
        return spelled if theirs.search(rest) else hit.group()

    return replaced


# A supply cut (停电, "a power cut") and who answers for it: the supplier, unless the wallet is
# named or the bill was paid (then the payment may be ours: "交了电费还是停电"); a supplier
# named beside the payment (国家电网, "the power company") is asked, and answers, itself.
_SUPPLY_PAID = re.compile("[交缴付充]|(?<![a-z])pay")
_SUPPLIER_NAMED = re.compile(
    "国家电网|南方电网|电网|供电局|供电公司|电力公司|自来水公司|水务|燃气公司|煤气公司"
    r"|(?<![a-z])(?:power|electric(?:ity)?|gas|water|utility) (?:company|provider|supplier)"
)


# ...and a cut of a whole area, or one that keeps coming back ("我们小区老是停水"), is the
# supplier's whatever was paid, unless the payment is said to have failed
_CUT_AREA = re.compile("小区|整栋|整个楼|楼里|这一?片|片区|老是|总是|经常|三天两头")
_CUT_PAID_FAILED = re.compile("失败|没成功|不成功|没到|不到|不上|不了|没交上|扣了")


def _cut_off(hit: re.Match[str]) -> str:
    """A replacement: " supply " for a supply cut that is the supplier's (`_SUPPLY_PAID`)."""
    rest = hit.string[: hit.start()] + " " + hit.string[hit.end() :]
    if _CUT_AREA.search(rest) and not _CUT_PAID_FAILED.search(rest):
        return " supply "
    if _WALLET_NAMED.search(rest) or (
        _SUPPLY_PAID.search(rest) and not _SUPPLIER_NAMED.search(rest)
    ):
        return hit.group()
    return " supply "


# A school's or a nursery's fees besides tuition ("the field trip fee", 午餐费), and one of
# them or a hospital's bill paid with the wallet: the wallet's payment of a bill (the
# verb kept, as `payutility` keeps it), else the bill, theirs.
_SCHOOL_FEES_ZH = (
    "学费|学杂费|午餐费|伙食费|校服费|书本费|教材费|资料费|托管费|保育费|补课费|医药费|住院费"
)
_SCHOOL_FEES_EN = (
    r"field trip|school trip|lunch|school lunch|uniform|daycare|childcare|nursery|kindergarten"
    r"|preschool|after-? ?school|textbook"
)


def _paid_with_us(hit: re.Match[str]) -> str:
    """A replacement: the verb and `payutility` where the rest names the wallet, else the
    bill (`utilitybill`)."""
    rest = hit.string[: hit.start()] + " " + hit.string[hit.end() :]
    if _WALLET_NAMED.search(rest):
        return f" {hit.group(1)} payutility "
    return " utilitybill "


_BANKS_ZH = (
    "工商银行|工行|建设银行|建行|农业银行|农行|中国银行|中行|招商银行|招行|交通银行|交行|邮储银行"
    "|邮政储蓄|浦发银行|浦发|民生银行|光大银行|兴业银行|中信银行|平安银行|华夏银行|广发银行"
)
_BANKS_EN = (
    r"(?:icbc|ccb|bank of china|hsbc|citi ?bank|citi|chase|bank of america|wells fargo|barclays"
    r"|capital one|santander|lloyds|natwest|td bank|pnc|amex|american express)"
)
_DEVICES_EN = (
    r"(?:phone|iphone|ipad|android|laptop|computer|pc|tablet|mac|macbook|(?:wi-?fi |wi fi )?router"
    r"|modem|wi-?fi|wi fi|hotspot|network|tv|television|smart tv|(?:game )?console"
    r"|(?:apple |smart ?)watch|kindle|e-?reader|car(?:'s| s)? alarm|alarm(?: system| panel)?)"
)
# ...an insurer's name or policy as a scam's disguise (有人冒充快递说要理赔, "someone posing
# as my insurer asked for my code"), or beside the wallet: ours
_INSURED_OURS = re.compile(
    f"{_WALLET_NAMED.pattern}|{_SCAM.pattern}|冒充|假冒|假装|自称|验证码|链接"
    r"|(?<![a-z])(?:pretend\w*|posing|impersonat\w*|links?|codes?)(?![a-z])"
)
_ELSEWHERE_OWN = (
    (
        re.compile(
            "比特币|以太坊|以太币|狗狗币|莱特币|泰达币|加密货币|虚拟货币|虚拟币|币安|火币|欧易|炒币|币圈|挖矿"
            "|(?<![a-z])(?:usdt|btc|okx)(?![a-z])"
        ),
        _unless(_SCAM, "cryptocoin"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"bitcoins?|btc|ethereum|eth|crypto\w*|dogecoin|litecoin|tether|usdt|usdc"
                r"|coinbase|binance|kraken|okx|nfts?|blockchain"
            )
        ),
        _unless(_SCAM, "cryptocoin"),
    ),
    (
        re.compile(
            f"(?:{_BANKS_ZH}|银行)的?(?:手机)?(?:app|应用|软件|客户端|网银|手机银行|网点|柜台|营业厅)"
            f"|(?:{_BANKS_ZH})的?(?:信用卡|储蓄卡|借记卡|银行卡|卡)"
        ),
        _unless(_OUR_MONEY, "otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                rf"(?:{_BANKS_EN}|(?:the|my) bank)(?:'s| s)? (?:mobile |banking )?"
                r"(?:app|website|branch|online banking)"
                rf"|{_BANKS_EN}(?:'s| s)? (?:(?:credit|debit|bank|visa) )?cards?"
                # ...or its PIN or password ("I forgot my bank PIN", "my debit card pin")
                rf"|(?:{_BANKS_EN}|bank|atm|debit card|credit card|bank card)(?:'s| s)?"
                r" (?:pins?|pin codes?|pin numbers?|passwords?|passcodes?)"
            )
        ),
        _unless(_OUR_MONEY, "otheraccount"),
    ),
    (
        re.compile(
            "加油卡|油卡|会员卡|健身卡|购物卡|洗车卡|停车卡|天然气卡|燃气卡|煤气卡|水卡|电费卡"
            "|(?<![a-z])etc(?![a-z])卡?"
        ),
        _unless(_WALLET_NAMED, "otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:gas|fuel|petrol|gym|membership|loyalty|store|parking|toll) cards?"
                r"|(?:my|a|the|our|her|his) (?:starbucks|coffee shop|library) cards?"
            )
        ),
        _unless(_WALLET_NAMED, "otheraccount"),
    ),
    # An insurer's own policy, premium or claim (车险续保, 理赔款, "my Geico claim", "the
    # car insurance bill went up"): the insurer answers for it, unless the wallet is named
    # (用钱包交车险失败, "paid my insurance premium with the wallet": ours).
    (
        re.compile(
            "车险|交强险|商业险|意外险|重疾险|寿险|医疗险|保险公司|保险单|保单|理赔|续保|退保|投保|保费"
            # (not safe said as 保险: 更保险, 比较保险, 为了保险起见)
            "|(?<![图更最较很挺才太够不还道层重双])保险(?!起见|箱|柜|点|些)"
        ),
        _unless(_INSURED_OURS, "otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"insurance|insurers?|geico|progressive|state farm|allstate|aetna|cigna"
                r"|blue cross(?: blue shield)?|kaiser(?: permanente)?|humana|united ?healthcare"
                r"|liberty mutual|metlife|prudential|aviva|allianz"
            )
        ),
        _unless(_INSURED_OURS, "otheraccount"),
    ),
    (
        re.compile("(?:抢|发|收|领)?红包"),
        _unless(_BAITED, "otheraccount"),
    ),
    (
        re.compile(_LATIN.format(r"red (?:envelope|packet|pocket)s?|hongbao")),
        _unless(_BAITED, "otheraccount"),
    ),
    (
        re.compile(
            "(?:手机|电脑|笔记本|平板|ipad|iphone|苹果)的?(?:解锁|锁屏|开机|屏幕|屏保)(?:密码)?|解锁密码|屏保密码"
            "|(?:路由器|(?<![a-z])wi-?fi(?![a-z])|无线网|热点)的?(?:密码|账号)"
            "|解锁(?:手机|电脑|笔记本|平板)|(?:手机|电脑|笔记本|平板)(?:解不开|解不了锁|被锁了|锁住了)"
            # ...or a device named by its make, and its password ("iphone密码忘了", "苹果手机
            # 的密码", "电脑的密码")
            "|(?:(?<![a-z])(?:iphone|ipad|macbook|mac)(?![a-z])|苹果手机|安卓手机|华为手机|小米手机"
            "|电脑|笔记本|平板)的?密码"
        ),
        _unless(_WALLET_NAMED, "otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                rf"{_DEVICES_EN}(?:'s| s)? (?:screen |lock |unlock )?"
                r"(?:password|passcode|pin|lock)s?"
                rf"|(?:password|passcode|pin) (?:of|for|on|to) (?:my |the )?"
                rf"(?:home |house |office |work |new |old )?{_DEVICES_EN}"
                rf"|screen (?:password|passcode|pin)|unlock (?:my |the )?{_DEVICES_EN}"
                rf"|face unlock|(?:face|fingerprint|touch) (?:id|unlock) (?:on|for) (?:my |the )?"
                rf"{_DEVICES_EN}|parental controls?"
            )
        ),
        _unless(_WALLET_NAMED, "otheraccount"),
    ),
)


# Another service named as the subject of the problem, beside the wallet's words (its top-up,
# its payment, its login, its frozen account): a game's currency (点券, "V-bucks"), wages
# paid by an employer (工资, "my paycheck"), a school's, a hospital's or a supplier's own
# payment site ("学校的缴费平台", "the water company's website"), a shop's order (拼多多的订
# 单), a bank's own account, transfer limit or staff ("my Bank of America account", "a real
# person at Wells Fargo"), a card scheme's statement ("my Visa statement"), another site's
# login ("log in to my Gmail"), shares and their trading (炒股, "the stock market"), a
# door's lock ("我家门上的密码锁", "locked me out of my apartment"). Theirs to answer,
# unless the rest marks this wallet as the one with the problem (`_theirs`).
_PLATFORMS_ZH = "平台|系统|网站|官网|app|应用|公众号|小程序|网页|缴费平台|缴费系统"
_OTHER_SUBJECTS = (
    (
        re.compile(
            "点券|游戏币|(?<![a-z])q币|(?:游戏|手游|网游)(?:里|里面)?的?(?:充值|充钱|钻石|金币|皮肤|装备)"
            "|(?:工资|薪水|薪资|奖金|年终奖)(?!卡)"
            # ...or the employer that has not paid them ("是不是公司没发")
            "|(?:公司|单位|老板|厂里|工地)(?:还)?(?:没有?|不)(?:发|给)(?:工资|薪水|钱)?"
            # ...or an account opened at a bank ("去银行开户要带什么")
            f"|(?:(?:去|在|到)(?:{_BANKS_ZH}|银行)|{_BANKS_ZH})(?:柜台|网点)?(?:开户|开个户|办卡|开卡|办张卡)"
            # ...or at a utility or a broker ("燃气公司那边怎么开户", "证券开户")
            f"|(?:{_SUPPLIERS_ZH}|燃气|自来水|证券公司|券商|证券|股票|期货)[^，。,]{{0,4}}?(?:开户|开个户|办户)"
            "|(?:学校|医院|单位|公司|物业|电力公司|自来水公司|燃气公司|供电局)的?"
            f"[\u4e00-\u9fff]{{0,4}}?(?:{_PLATFORMS_ZH})"
            f"|(?:{_OTHER_ZH}|美团|唯品会|闲鱼|天猫|得物)的?(?:订单|退款|退货)"
            # ...or what was sold there ("闲鱼卖东西钱什么时候到")
            f"|(?:{_OTHER_ZH}|美团|唯品会|闲鱼|转转|天猫|得物)(?:上|里)?卖(?:了|的|掉)?"
            # ...or its transfer abroad ("银行转账到国外要多久", "银行跨境汇款")
            f"|(?:{_BANKS_ZH}|银行)(?:卡)?的?(?:(?:转账|汇款)?限额"
            "|[^，。,]{0,4}?(?:跨境|国际|境外|海外)(?:转账|汇款)|(?:转账|汇款)(?:到|去|往)(?:国外|境外|海外))"
            "|炒股|股票|股市|(?<![a-z])a股|基金(?:定投)?"
            "|密码锁|门锁|指纹锁|智能锁|门禁(?:卡|密码)?|保险柜|保险箱"
            "|(?:大门|房门|家门|屋门|车门|门)上?的?锁|锁芯|开锁(?:师傅|公司|匠)|钥匙(?:插|拧|转|断|打不开|开不了)"
        ),
        _theirs("otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"v-? ?bucks|robux|in-? ?game (?:currency|coins?|gems?|purchases?)"
                r"|pay ?checks?|pay ?cheques?|direct deposits?|wages?|salary|salaries|payroll"
                r"|(?:school|college|university|uni|kid'?s school|tuition|student|hospital"
                r"|employer'?s?|(?:gas|electric(?:ity)?|water|power|phone|utility|cable|internet)"
                r" (?:company|provider|supplier)(?:'s| s)?)(?:'s| s)?"
                r" (?:portal|website|web site|site|app|system|online system|payment page)"
                rf"|(?<!to )(?<!into )(?<!to my )(?<!into my )(?<!to the )(?<!into the )"
                rf"{_BANKS_EN}(?:'s| s)? (?:(?:checking|savings|current|bank) )?(?:accounts?"
                r"|statements?|transfer limits?)"
                rf"|(?:person|someone|somebody|agent|representative|rep|human|anyone) (?:at|from)"
                rf" {_BANKS_EN}"
                r"|(?:visa|mastercard|master card|amex|american express|discover)(?: card)?"
                r"(?:'s| s)? (?:statements?|bills?|accounts?|(?:spending |credit )?limits?)"
                r"|(?:spending |credit )?limits? (?:on|of|for) (?:my |the |our )?(?:visa|mastercard"
                r"|master card|amex|american express|discover|credit card)"
                r"|(?:log ?in|logon|log on|sign ?in|get in)(?: to| into| on|to)? (?:my |the |our )?"
                r"(?:(?:work|school|office|company|uni|college|personal) )?"
                rf"{_OTHER_EN}|{_OTHER_EN}(?: account)? (?:login|log in|sign in)"
                r"|stocks?|stock market|share trading|trading shares|day trading"
                r"|(?:brokerage|trading|investment|stock|forex|options|crypto) accounts?"
                r"|(?:transfer|port|move|switch|keep) (?:my |the )?(?:phone |cell |mobile )?number"
                r" (?:to|over to) (?:a |an |another |the |my )?(?:new |different )?(?:carrier"
                r"|provider|network|phone company)"
                r"|locked (?:me )?out of (?:my |the |our )?(?:apartment|flat|house|home|room"
                rf"|building|office|car|garage|{_DEVICES_EN})|(?:door|smart|combination|keypad)"
                r" locks?"
                r"|(?:landlord|landlady) locked"
                # ...a class, a school or a club registered or enrolled for ("register for
                # classes at the college", "enroll my son in daycare")
                r"|(?:register(?:ed|ing|s)?|enrol+(?:ed|ing|s)?|join(?:ed|ing|s)?"
                r"|sign(?:ed|ing|s)? (?:me |him |her |them |us |my (?:kids?|son|daughter) )?up)"
                r"(?: (?:him|her|them|my (?:kids?|son|daughter|child)))?"
                r" (?:for|in|into|at|to) (?:a |an |the |my |our |some |his |her |their )?"
                r"(?:[a-z]+ )?(?:class(?:es)?|courses?|school|college|university|uni|semester"
                r"|exams?|gym|race|marathon|conference|webinar|kindergarten|daycare|preschool"
                r"|lessons?|league|camp|club|library)"
                # ...a household device or appliance that has stopped working ("my cable box
                # isn't working", "the TV remote is broken")
                r"|(?:(?:cable|tv|set-? ?top|satellite|streaming|roku|fire ?tv) (?:box|remote"
                r"|receiver)|(?:tv|television) remote|remote control|printer|fridge|refrigerator"
                r"|washing machine|dishwasher|microwave|thermostat)(?=(?: [a-z']+){0,3}"
                r" (?:is ?n[o']?t|not|won'?t|will not|does ?n[o']?t|does not|stopped|broke\w*"
                r"|keeps|has no|died|dead|frozen|quit))"
            )
        ),
        _theirs("otheraccount"),
    ),
)


# The menu's words said of something else (round 22): a password or lock of a thing (a
# suitcase, a garage, a door, a car, the gym), a slope a bike cannot climb (登不上), a
# typhoon's landfall (登陆), a diet that keeps failing, pipes frozen, artificial
# intelligence or a lake (人工智能, 人工湖), a film's live-action version (真人版), a
# secret agent, a real person asked of Santa Claus or of the line itself, human resources,
# a suggestion or complaint for a mayor's line, an estate or a restaurant, a down payment
# (首付), a parcel sent, a ticket stub, a leather wallet, a taxi driver, a school, a
# hospital, a library, the gym, the passport office, a grandmother chatted with. A named
# thing that is not the wallet's takes the word away: theirs, unless the rest marks this
# wallet as the one with the problem (`_theirs`).
_PAID = re.compile(
    "付|结账|买单|扫码|户款|分期|钱包|你们"
    r"|(?<![a-z])(?:pa(?:y|id|ying|yment)|cost|spread|instal\w*|membership|wallet)(?![a-z])"
)
# A problem said with a fee or an invoice asked about: the problem's node, not the question;
# a fee a stranger wants first is a scam's bait (陌生号码说我中奖了 要我先交手续费)
_FEE_TROUBLE = re.compile(
    "没到|不到账|失败|盗|骗|异常|冻结|锁|多扣|扣多|两次|不是我|中奖|陌生|冒充|自称|先交|先付|链接"
    r"|(?<![a-z])(?:not (?:arriv\w*|go through)|never (?:arriv\w*|came)|fail\w*|declin\w*"
    r"|stolen|hack\w*|scam\w*|missing|twice|prize|won|lottery|stranger|claim\w*|pretend\w*"
    r"|links?)(?![a-z])"
)
# The wallet's own trouble, said ("failed", "never arrived", "hacked", "I forgot").
_TROUBLE = re.compile(
    r"(?<![a-z])(?:fail\w*|declin\w*|refus\w*|reject\w*|not (?:arriv\w*|go through|work\w*"
    r"|show\w*|there)|never (?:arriv\w*|came|showed|got)|missing|stolen|hack\w*|scam\w*"
    r"|locked|frozen|forg[eo]t\w*|can ?not|can'?t|won'?t|didn'?t|twice|wrong|error)(?![a-z])"
)
# ...said of the wallet ("the wallet says failed"), not of the pipes that froze
_OUR_TROUBLE = re.compile(f"^(?=.*(?:{_OURS.pattern}))(?=.*(?:{_TROUBLE.pattern}))", re.DOTALL)
_OTHER_SENSES = (
    (
        re.compile(
            "台风|暴雨|雾霾|跑步|游乐园|公园|演唱会|真人版|真人秀|人工智能|人工湖|人类"
            "|(?:你|您)是(?:不是)?(?:真人|人工智能|机器|录音)|真人还是(?:录音|机器)"
            "|减肥|体重|首付|开发商|票根|(?<!买)电影(?!票)|行李箱|车库|保险箱|自行车|爬坡|坡"
            "|无线网|宽带(?!费)|营业厅|物业(?!费)|停车费|邻居|请假|课程|可程"
            "|做饭|市长热线|路灯|作文|作业|寄(?:一个|个)?快递|快递(?:却|丢|被)"
            "|(?<!提)(?<!用的)(?<!用)(?<!付)现金|多少生活费|生活费(?:给|要|该)?多少|个税|所得税|养老金|炒股|股票|基金"
            # the menu's sound-alikes in their own sense: a quality shown (充分体现, 体现价值),
            # a landing on the moon (登陆月球), a habit overcome (克服拖延), a puppet show
            # (提线木偶), a chartered accountant (注册会计师), a company's assets frozen, a
            # shop opened on a marketplace (淘宝开店)
            "|充分体现|体现(?:了|出|着)?[^，。, ]{0,6}?(?:价值|精神|责任心|责任感|凝聚力|能力"
            "|水平|特点|特色|意义|作用|理念|文化|态度|品质|素质|实力|智慧|优势|魅力|决心|爱心|风采"
            "|风貌|担当|关怀|之情|情怀|感情|思想|品格|传统|美德|性格|个性|诚意|重视|尊重)"
            "|体现(?:了|出|着)[^，。, \\d零一二两三四五六七八九十百千万块元钱]{1,6}"
            "的(?!钱|余额|零钱)"
            "|登陆(?:月球|火星|诺曼底|海滩|小岛)|登月|诺曼底|月球|火星|嫦娥|阿波罗"
            "|克服(?:了|掉)?(?:困难|拖延|恐惧|紧张|焦虑|障碍|缺点|毛病|心理|懒|挑战|自卑|失眠|坏习惯|压力"
            "|惰性|难关|一下)|拖延症"
            "|提线木偶|木偶"
            "|注册会计师|注册建筑师|注册(?:商标|资本|资金|地址|地)|注册表|注会"
            "|资产(?:被|都|全)?(?:冻结|查封)|(?:冻结|查封)(?:了)?[^，。, ]{0,4}资产|查封"
            "|开网店|(?:淘宝|天猫|京东|拼多多|抖音|快手|闲鱼|小红书)(?:上|里)?(?:开店|开个店|的?(?:店铺|卖家|商家|入驻))"
        ),
        _theirs("otheraccount"),
    ),
    # ...and a parcel or a package dropped off, or another one, unless as a scam's bait ("a
    # text about a parcel with a link") or with the wallet named (the off-topic examples
    # have where a parcel is)
    (
        re.compile(
            _LATIN.format(
                r"(?:dropped off|delivered|left|brought) (?:the |my |a |our )?"
                r"(?:packages?|parcels?)"
                r"|(?:my|the|our) other (?:packages?|parcels?)"
            )
        ),
        _theirs("otheraccount", _BAITED),
    ),
    # ...and a debt between people ("my friend owes me money"), unless the wallet's own
    # trouble is said with it (the money sent back that never arrived)
    (
        re.compile(_LATIN.format(r"owes? (?:me|us) (?:money|\d+|[a-z]+ (?:dollars|bucks))")),
        _unless(_TROUBLE, "otheraccount"),
    ),
    # ...and a home's plumbing (a shower, the pipes, the water pressure), unless the wallet's
    # own trouble is said beside it: a bill for it paid with the wallet is only the story
    (
        re.compile(_LATIN.format(r"pipes|shower|water pressure|hot water|heating")),
        _theirs("otheraccount", _OUR_TROUBLE),
    ),
    # ...and a place or person one pays or who delivers, unless paid (给饭店结账结不了, "pay the
    # taxi driver", 骑手联系不上)
    (
        re.compile(
            "老板|餐馆|餐厅|饭店|服务员|司机|骑手|外卖员|外卖小哥|快递员|快递小哥|配送员|送餐员"
        ),
        _unless(_PAID, "otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"enrol\w*|primary school|high school|(?:kid'?s|son'?s"
                r"|daughter'?s|child'?s) school|school'?s email|(?:son|daughter|kid|child)"
                r" from (?:her|his|the|their)|hospital|blood tests?|doctor|happiness"
                r"|pay (?:someone|somebody|people|a person|him|her|them) (?:a +)?compliments?"
                r"|my brain|diet|lose weight|weight loss"
                r"|(?:transfer|move|send|copy|back up) (?:my |the |some )?(?:photos|pictures)"
                r"|work laptop|office laptop|game'?s? (?:verification |login )?codes?"
                r"|suitcase|luggage|padlock(?! (?:picture|icon|sign|symbol|image|logo))|locker"
                r"|(?:code|combination|pin|password) (?:on|for|of|to) (?:my|the|our) (?:home |hotel"
                r" |wall |gun )?safe(?![a-z ]*(?:wallet|account))"
                r"|frozen (?:pizzas?|food|foods|meals?|dinners?|vegetables|veggies|peas|fish"
                r"|chicken|yogh?urt|seafood|groceries)|thawed|defrost\w*"
                r"|wallet (?:with|and) (?:all )?(?:my |the )?(?:cash|cards|bank cards|credit cards"
                r"|ids?|driver'?s licen[cs]e|licen[cs]e)(?! (?:on|in) (?:the|my) (?:app|phone))"
                r"|passport office|leather wallet|doors?|keypad"
                r"|unlock (?:my |the )?car|car keys"
                r"|meat|(?:gas|electric|water|power) company"
                r"|exams?|school district|school board|district office|parking meters?"
                r"|vending machines?|bill (?:slot|acceptor|validator)|coin slot|quarters"
                r"|phone plan|(?:carrier|phone|mobile) (?:store|shop)"
                r"|(?:what|which) floor|cvv|cvc|(?:security code|digits|numbers) on the back"
                r"|realtors?|sold (?:me|us) (?:my|our|the|a) (?:house|home|flat|apartment|condo"
                r"|car)"
                r"|(?:how to|how do i|how can i) use (?:a|the|my|her|his) (?:smart ?phone|computer"
                r"|tablet|laptop|ipad|iphone|email|internet)"
                r"|jail|airlines?"
                r"|flights? (?:is |was |got |has been )?(?:delayed|cancell?ed)"
                r"|(?:which|what) branch|bank branch"
                r"|(?:credit |debit |store )?card(?:'s| s)? (?:payment|bill|statement|balance)"
                r"(?: is)? due|(?:credit )?card(?:'s| s)? due date"
                r"|nam(?:e|ed|ing) (?:my|our|the|a) (?:dog|cat|pet|puppy|kitten|baby|goldfish)"
                r"|(?:robot|bot)s? (?:sign|open|register|creat|make|have)\w*"
                r"|library(?:'s)?|santa claus|secret agent|human resources"
                r"|(?:person|human) or (?:a )?(?:machine|robot|bot|computer|recording)"
                r"|chat with (?:my|our) (?:online|friends?|family)|withdraw (?:my|our) from"
                r"|swimming|(?:dance|piano|music|art|yoga) (?:class|lesson)e?s?"
                r"|credit card (?:got |was |is |keeps getting )?declined"
                r"|tax(?:es)?|index funds?|mutual funds?|stocks?|pension|invest(?:ing)?"
                r"|(?:dollar|euro|pound|yuan|buck|counterfeit|fake) bills?"
                r"|split (?:the|a|our) (?:dinner |lunch |restaurant |bar )?bill|(?:dinner|lunch"
                r"|restaurant|bar) bill|(?:the |this |phone )line (?:is |was )?(?:really |so "
                r"|very |too )?(?:bad|terrible|awful|poor|noisy|breaking up|crackly)|bad line"
                r"|(?:talking|speaking|talk) to (?:someone|somebody) else"
                r"|(?:wasn'?t|was not|not) talking to you"
                # a psychologist, the street, the weather, a statement to the press or a
                # court, a law's bill, a story on screen: the menu's words in another sense
                r"|freud(?:ian)?|sigmund|psychoanaly\w*"
                r"|pavements? (?:outside|in front of|on (?:my|our|the) (?:street|road))"
                r"|(?:cracked|uneven|icy|slippery|crumbling) pavements?|sidewalks?|footpaths?"
                r"|pavements? (?:is|are|was) (?:all |really |so )?(?:cracked|uneven|icy|slippery"
                r"|crumbling|dug up)"
                r"|(?:going to|gonna|supposed to|expected to) (?:freeze|frost|snow|rain|hail)"
                r"(?= (?:tonight|today|tomorrow|overnight|later|this))|frost"
                r"|(?:cover|water|prune|plant) (?:my|the|our) (?:plants|garden|flowers|tomatoes"
                r"|seedlings|lawn)"
                r"|(?:witness|police|press|public|opening|closing|personal|mission|sworn"
                r"|victim impact) statements?|statements? (?:to|for) (?:the )?(?:police|court"
                r"|press|media|judge|jury)"
                r"|(?:senator|president|governor|minister|mayor|ceo|spokes(?:person|man|woman)"
                r"|politician|congress(?:man|woman)?|white house|prime minister)(?:'s| s)?"
                r" (?:\w+ )?statements?"
                r"|bills? (?:become|becomes|became|becoming|to become|into) (?:a )?law"
                r"|(?:senate|congress|parliament|legislature|senator|congress(?:man|woman)"
                r"|governor|president)(?:'s| s)? (?:\w+ )?bill|bill of rights"
                r"|(?:pass|passed|passes|veto\w*|vote\w* (?:on|for|against)|debat\w*"
                r"|introduc\w*) (?:the |a |this |that )?(?:new )?bill\b(?! (?:pay\w*|paid))"
                r"|bill (?:is|was|will be|'s|s) (?:turning|retiring|retired|getting married"
                r"|moving|coming (?:over|round|to)|visiting|in (?:the )?hospital|sick|ill)"
                r"|bill(?:'s| s) (?:wife|husband|son|daughter|kids|children|party|retirement"
                r"|funeral|wedding)|(?:tell|told|ask|asked|meet|met|invite|invited|congratulate)"
                r" bill\b(?! (?:pay\w*|paid|detail\w*|amount|statement))"
                r"|(?:movies?|films?|documentar(?:y|ies)|tv (?:shows?|series)|novels?|podcasts?)"
                r" (?:about|where|in which)"
            )
        ),
        _theirs("otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"restaurants?|gym|fridge|freezer|school|(?:taxi|cab) drivers?|new laptop"
                r"|cash registers?|registers? (?:at|in) (?:my|our) (?:shop|store|restaurant"
                r"|cafe|bar|business)"
                # a place to eat and its bill ("the bill at the sushi place", "our lunch
                # tab"), the caller's to settle with it
                r"|(?:italian|chinese|mexican|thai|indian|japanese|korean|french|greek|sushi"
                r"|pizza|burger|taco|steak|noodle|seafood|fancy|fast food) (?:place|restaurant"
                r"|joint|spot|diner|takeout|takeaway)s?"
                r"|(?:meal|dinner|lunch|breakfast|brunch|drinks|bar|pub|cafe|food) (?:bills?"
                r"|tabs?|checks?)|bills? (?:for|at|from) (?:(?:the|our|that|this|a) )?(?:meal"
                r"|dinner|lunch|breakfast|brunch|drinks|bar|pub|cafe|diner)"
            )
        ),
        _unless(_PAID, "otheraccount"),
    ),
    # ...and a meal's bill in Mandarin (那顿饭, 饭钱, 聚餐, "吃饭的bill", AA制), unless paid or
    # sent on ("聚餐AA制怎么转账给朋友": the transfer how-to)
    (
        re.compile("(?:一|那|这)顿饭|饭钱|饭费|餐费|聚餐|饭局|(?:吃饭|饭|餐)的?(?:账单|bill)|aa制"),
        _unless(re.compile(f"{_PAID.pattern}|[交缴充转]"), "otheraccount"),
    ),
    # ...and things asked after a story of ours that no answer of ours knows, whatever
    # else is said: where a place is (服务台在几楼, 停车场在哪), a timetable (最晚一班), a word
    # translated, photos moved to a computer, a phone's own unlock, a fee or a price gone
    # up (学费涨了), a shop nearby, something left in a taxi, a password manager app, a
    # watch, another platform's or shop's own hotline, an identity card reissued, a bank
    # card's stripe or its reissue, a credit card's due date, the bank a card is from.
    (
        re.compile(
            "几楼|哪一?层楼|服务台|停车场|最晚一班|最早一班|末班|首班|时刻表|班次"
            "|翻译|(?:用)?(?:英语|英文)怎么说"
            "|(?:照片|相片)(?:传|导|拷)(?:到|进)(?:电脑|硬盘|手机|云盘)"
            "|把[^，。, ]{0,8}(?:照片|相片)(?:传|导|拷|发)到(?:电脑|硬盘|手机|云盘)"
            "|(?:指纹|面容|人脸|面部|手势|图案)解锁|解锁图案"
            "|(?:学费|房租|房价|油价|票价|菜价|物价)[^，。, ]{0,4}(?:涨|降|贵)"
            "|附近(?:还)?有(?:什么|哪些|哪家|没有)|好喝的|好吃的"
            "|(?:落|丢|忘)在[^，。, ]{0,6}(?:车|店|饭店|餐厅)上?了?|失物"
            "|(?:雨伞|伞|钥匙|外套|行李)(?:落|丢|忘)"
            "|(?:记|存|管理)密码的(?:软件|应用)|密码管理(?:器|软件)"
            "|智能手表|手表上|投屏|密码学|(?:房东|物业)(?:不给|不帮|不来|不管)[^，。, ]{0,4}修"
            "|(?:那个|那家|对方|他们|购物|电商)(?:平台|商家|店|网站)的?(?:客服)?(?:电话|热线|号码)"
            "|补办身份证|身份证[^，。, ]{0,6}补(?!充|全|传|交|上)|补办[^，。, ]{0,4}身份证"
            "|磁条|(?:银行卡|储蓄卡|信用卡|借记卡)[^，。, ]{0,4}补办"
            "|补办[^，。, ]{0,4}(?:银行卡|储蓄卡|信用卡|借记卡)"
            "|信用卡的?(?:还款日|账单日|年费|积分)|开户行是|查[^，。, ]{0,8}开户行"
        ),
        " otheraccount ",
    ),
    # ...and an identity card or a passport lost or expired (身份证丢了, 护照过期了): the
    # state's office reissues it; unless a thing of ours is said (身份证丢了 怕账户被盗用,
    # 身份证过期了 实名认证通不过)
    (
        re.compile(
            "(?:身份证|护照|户口本)(?:被人)?(?:丢了|掉了|弄丢了|被偷了?|找不到了?|过期了?|到期了?)"
        ),
        _unless(re.compile(f"{_SERVED.pattern}|实名|认证|注册|开户|绑"), " otheraccount "),
    ),
) + (
    # Round 24: another thing's own, however the menu's words are said of it: a phone's, a
    # computer's or a cloud's storage full, a mailbox of a named provider (网易邮箱, "my
    # gmail inbox"), an Apple ID, a Bluetooth device paired, a game of mahjong or cards
    # (碰, 杠, "给钱给钱"), a parcel locker's pickup code, a home's repairs and the one who
    # manages it (a sink, a toilet, a landlord, a property manager), a park or the city.
    # Theirs, unless the rest marks this wallet as the one with the problem (`_theirs`).
    (
        re.compile(
            "(?:储存|存储|云)空间|(?:容量|内存)(?:已经|已|快|都)?(?:满|不足|不够)"
            f"|(?:{_OTHER_ZH}|163|126|foxmail)邮箱|蓝牙|耳机|音箱"
            "|麻将|红中|杠上开花|自摸|胡牌|斗地主|打牌|扑克|三缺一"
            "|取件码|取货码|提货码|快递柜|丰巢|驿站|包裹"
            "|水槽|马桶|水龙头|下水道|漏水|暖气片"
        ),
        _theirs("otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:storage|memory|inbox|mailbox|cloud|disk|drive)(?: space)? (?:is |was |got "
                r"|has got |keeps? getting )?(?:almost |nearly |completely |totally )?full"
                r"|out of (?:storage|space|memory)|storage space|apple id|microsoft account"
                r"|google account|(?:gmail|hotmail|outlook|yahoo) (?:inbox|mailbox|storage)"
                r"|bluetooth|headphones|earbuds|airpods|(?:smart|bluetooth|wireless) speakers?"
                r"|(?:won'?t|will not|cannot|can'?t|does ?n[o']?t) pair|pair(?:ing)? (?:it )?with"
                r"|mahjong|mah jong|poker|blackjack|bingo|card games?|casino"
                r"|(?:pickup|pick up|pick-up|collection|locker|parcel) codes?|parcel lockers?"
                r"|sink|toilet|faucet|plumb\w+|drains?|boiler|water heater"
                r"|property manag\w+|building manag\w+|(?:the |my |our )?super(?:intendent)?"
                r"|(?:the|a|city|public|local|national|theme|amusement|dog|skate|water) parks?"
                r"|city council|(?:the|my|our|local) council|town hall|city hall|potholes?"
                r"|street ?lights?|sidewalks?"
            )
        ),
        _theirs("otheraccount"),
    ),
    # ...and a place one registers or enrols at, or pays, that is not the wallet: a
    # hospital (挂号, 建档), a clinic, a pharmacy and its prescription, a school's or a
    # university for the old's sign-up (报名), a landlord. Its registration is not the wallet's
    # account opened; a payment there with the wallet keeps the payment (`_PAID`, 交, 缴,
    # 汇, 打钱: "给房东打钱显示失败").
    (
        re.compile(
            "医院|诊所|卫生院|挂号|建档|就诊|门诊|药店|药房|处方|学校的|老年大学|报名|培训班|兴趣班|房东"
        ),
        _unless(re.compile(f"{_PAID.pattern}|[交缴充转汇]|打钱|打了钱"), "otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"pharmac(?:y|ies|ist)|prescriptions?|drugstore|chemist|clinic|dentist"
                r"|medications?|landlord|landlady"
            )
        ),
        _unless(_PAID, "otheraccount"),
    ),
    # ...and a carrier or a supplier that charged the caller (话费被移动公司多扣了, "my
    # carrier overcharged me"): its own bill, unless the wallet is named
    (
        re.compile(
            f"(?:{_SUPPLIERS_ZH}|移动|联通|电信)(?:又|多|乱|私自|偷偷|给我|把我|无故)*"
            "(?:扣|收|乱收|扣费|收费)"
        ),
        _unless(_WALLET_NAMED, "otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:verizon|at ?& ?t|t-? ?mobile|vodafone|sprint|(?:my|the) (?:carrier"
                r"|(?:phone|mobile|cell|gas|electric(?:ity)?|water|power|cable|internet)"
                r" (?:company|provider))) (?:overcharged|over charged|charged|billed|took)"
                r"|overcharged by (?:verizon|at ?& ?t|t-? ?mobile|vodafone|sprint|(?:my|the)"
                r" (?:carrier|(?:phone|mobile|cell) (?:company|provider)))"
            )
        ),
        _unless(_WALLET_NAMED, "otheraccount"),
    ),
    # The menu's words in another sense: safety on the road, of food or at work
    # (交通安全, 食品安全, "road safety", a seat belt), an agent of another trade (a travel
    # agent, an estate agent, 房产中介), someone named Bill, a course, a race or a habit
    # withdrawn from (退课, "course withdrawal", withdrawal symptoms), another lender's
    # instalments (Klarna, Afterpay). Theirs, unless the rest marks this wallet as the one
    # with the problem (`_theirs`).
    (
        re.compile(
            "交通安全|食品安全|消防安全|用电安全|燃气安全|行车安全|驾驶安全|生产安全|安全生产|校园安全"
            "|安全带|安全帽|安全出口|安全期|安全教育"
            "|旅行社|房产中介|房屋中介|租房中介|中介公司|保险代理|保险经纪|经纪人|特工"
            "|比尔盖茨|盖茨|克林顿|退课|退选|退学|退赛|弃考|戒断"
        ),
        _theirs("otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:traffic|road|food|fire|workplace|work|water|gun|child|home|gas|electrical"
                r"|pool|public|patient|occupational|product) safety|seat ?belts?"
                r"|safety (?:belts?|helmets?|glasses|goggles|vests?|boots|shoes|pins?|harness"
                r"|nets?|razors?|signs?|training|inspection|officer|record)"
                r"|(?:travel|real estate|estate|insurance|property|letting|leasing|rental|booking"
                r"|ticket(?:ing)?|talent|sports|football|shipping|customs|border|fbi|cia|double"
                r"|free|literary|casting|immigration|visa|housing|undercover|federal) agents?"
                r"|travel agenc(?:y|ies)|james bond|agent (?:smith|orange|007|double o seven)"
                r"|bill (?:gates|clinton|murray|nye|cosby|maher|belichick|withers|gates')"
                r"|kill bill|buffalo bill|(?:uncle|brother|cousin|friend|neighbou?r|mister|mr)"
                r" bill(?! (?:pay\w*|paid|was|is|for|of|from|came|arrived|due|statement\w*))"
                r"|(?:course|class|module|subject|unit|college|university|uni|school|race"
                r"|nicotine|caffeine|alcohol|drug|opioid|sugar) withdraw\w*"
                r"|klarna|afterpay|after pay|sezzle|laybuy|zip ?pay|affirm (?:loan|plan|order"
                r"|account|payments?)|withdraw(?:s|n|ing|al)? symptoms?"
                r"|withdr(?:aw|ew)(?:s|n|ing|al)? from (?:a |the |my"
                r" |this |that |his |her |their )?(?:course|class|module|subject|program(?:me)?"
                r"|race|competition|tournament|election|contest|degree|college|university"
                r"|school|team|league|treaty)|drop (?:a|the|my|this) (?:course"
                r"|class|module)"
            )
        ),
        _theirs("otheraccount"),
    ),
    # ...and a phone's or a meter's top-up named as the service ("话费充值", "充值电费", "a
    # mobile top-up", "top up my phone credit"): the carrier's or the supplier's, unless
    # it is asked how or with the wallet, or failed or did not arrive (then the payment may
    # be ours: "话费充值失败", "手机话费怎么充")
    (
        re.compile(f"(?:{_UTILITY_ZH})充值|充值(?:{_UTILITY_ZH})"),
        _unless(
            re.compile(
                "钱包|你们|怎么|怎样|如何|咋|能不能|可以|可不可以|能用|用|步骤|教程|操作"
                "|失败|不了|不上|不进|没到|不到|没有到|到账|扣|钱没|多少"
            ),
            "utilitybill",
        ),
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:(?:cell ?|mobile )?phone|mobile|cell|prepaid|sim|airtime|data)"
                r" (?:credit |card |plan )?top ?ups?|top ?up (?:my |the |a )?(?:(?:cell ?|mobile )?"
                r"phone|mobile|cell|sim|airtime|data)(?: (?:credit|plan|balance|card))?"
                r"|(?:phone|mobile|airtime|prepaid) credit|airtime"
            )
        ),
        _unless(
            re.compile(
                r"wallet|your app|\bhow\b|\bcan i\b|fail|declin|not |never|didn|hasn|arriv"
                r"|took|taken|charged"
            ),
            "utilitybill",
        ),
    ),
    # The menu's words said of the caller's own life: a car, a business, a marriage or a
    # wedding list registered (车管所, 结婚登记, "the DMV", "a wedding registry": not a wallet
    # account opened). Theirs, unless the rest marks this wallet as the one with the
    # problem (`_theirs`).
    (
        re.compile(
            "车管所|上牌|行驶证|车辆(?:注册|登记)|(?:结婚|婚姻)登记|结婚证|民政局|户口|商标|营业执照"
            "|(?:注册|开)(?:一家|一个|个)?公司|公司注册|工商(?:注册|登记)"
        ),
        _theirs("otheraccount"),
    ),
    # ...and someone's job as 客服 ("她在一家公司做客服", "he works in customer service": not
    # one asked for), feedback from a teacher, a doctor or a boss (老师给的反馈, "the coach's
    # feedback": not feedback to this company), a diary or someone else's privacy (看她日记,
    # "invaded her privacy"), a club's or a group chat's password (群密码, "the book club
    # password"): the caller's life, told around a request or instead of one. Left out of
    # the request when the rest names this wallet or a problem it serves (`_SERVED`: "我是
    # 做客服的，我的账户被盗了" is the stolen answer's), else no request of ours.
    (
        re.compile(
            "(?:做|当|干)(?:过|了)?(?:电话|在线|网络|电商)?客服|客服(?:岗位|这份工作|这一?行)"
            "|(?:老师|班主任|导师|教练|医生|大夫|面试官)[^，。,反]{0,4}反馈"
            "|(?:领导|上司)(?:给|对)(?:我|我们|孩子|他|她)[^，。,反]{0,3}反馈"
            "|反馈给(?:老师|班主任|导师|教练|医生|学校)"
            "|日记|(?:侵犯|尊重|偷看|翻看?)(?:了|过)?(?:她|他|孩子|女儿|儿子|老公|老婆|妻子|丈夫|父母"
            "|爸妈|家人|别人|室友)的?隐私"
            "|群密码|[进入加]群的?密码|(?:读书会|俱乐部|社团|协会|群聊|班级群|家长群|业主群|兴趣小组)的?"
            "(?:密码|口令|暗号)"
        ),
        _theirs("otheraccount", _SERVED),
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:car|vehicle|truck|motorbike|motorcycle|boat|trailer|voter|marriage|birth"
                r"|business|company|domain|trademark|gun|dog|pet) registrations?"
                r"|regist\w* (?:(?:my|our|the|a|his|her|their) )?(?:new |used )?(?:car|vehicle"
                r"|truck|motorbike|motorcycle|boat|trailer|business|company|domain|trademark"
                r"|marriage|birth|dog|pet|gun|baby)s?"
                r"|regist\w* (?:to vote|for (?:(?:our|my|the|a|his|her|their) )?(?:wedding"
                r"|baby shower|marathon|race|conference|election))"
                r"|(?:wedding|bridal|baby|gift) regist\w*|dmv|department of motor vehicles"
            )
        ),
        _theirs("otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"christmas|birthdays?"
                r"|(?:works?|working|worked|job|jobs|career|shifts?) (?:as|in|at) (?:a |an )?"
                r"(?:customer (?:service|support|care)|call cent(?:er|re))"
                r"|(?:teachers?|professor|tutor|coach|doctor|instructor|interviewer|mentor"
                r"|therapist)(?:'s| s)?(?: [a-z]+){0,4}? feedback"
                r"|feedback (?:from|at) (?:[a-z']+ ){0,3}?(?:teachers?|professor|tutor|coach"
                r"|doctor|instructor|boss|interviewer|mentor|therapist|editor|conference"
                r"|performance review|appraisal)"
                r"|diar(?:y|ies)|(?:invad\w*|violat\w*|respect\w*|invasion of) (?:his|her|their"
                r"|someone'?s|other people'?s) privacy"
                r"|(?:group chat|chat group|club|society|forum|zoom|meeting|webinar|classroom"
                r"|discord server|(?:whatsapp|telegram|facebook|signal) group)(?:'s| s)?"
                r" (?:website |site |account |page |group )?(?:passwords?|passcodes?|pins?"
                r"|logins?|codes?)"
                r"|(?:passwords?|passcodes?|logins?) (?:for|of|to) (?:(?:the|our|my|a|their) )?"
                r"(?:[a-z]+ )?(?:club|group chat|society|forum|zoom|meeting|webinar|classroom)"
            )
        ),
        _theirs("otheraccount", _SERVED),
    ),
)


# Another organisation's own line: a courier's, a carrier's, a housing estate's or a bank's
# hotline ("顺丰的客服电话是多少", "小区物业电话", "the number for DHL"), or the caller who
# thinks they rang it ("请问是中国移动吗", "is this the FedEx helpline"): theirs to answer,
# whatever else is asked ("…我要交话费"), unless as a scam's disguise ("有人冒充顺丰客服").
_ORGS_ZH = (
    "快递公司|快递|顺丰|中通|圆通|申通|韵达|极兔|德邦|京东物流|菜鸟|邮政|邮局"
    "|物业|小区|居委会|街道办|中国移动|中国联通|中国电信|移动公司|联通公司|电信公司|营业厅"
    "|燃气公司|电力公司|供电局|自来水公司|银行|医院|航空公司|支付宝|云闪付|财付通"
    "|派出所|公安局|警察局|车管所|学校|社保局|税务局|医保局"
    "|淘宝|天猫|京东|拼多多|美团|饿了么|抖音|快手|滴滴|携程|闲鱼|唯品会|小红书"
)
_ORGS_EN = (
    r"(?:fedex|ups|dhl|usps|royal mail|auspost|australia post|the post office|(?:the )?courier"
    r"|(?:the )?delivery company|verizon|at ?& ?t|t-? ?mobile|vodafone|optus|telstra|singtel"
    r"|starhub|airtel|jio|my carrier|the carrier|(?:my |the )?phone company"
    r"|(?:my |the |our )?(?:building|property|strata) (?:management|manager|office)(?: office)?"
    r"|(?:my |the )?body corporate|(?:my |the )?(?:gas|electric(?:ity)?|water|power) company"
    rf"|{_BANKS_EN}|(?:my |the )?bank|pay ?pal|venmo|zelle|cash ?app|alipay|wechat|we chat"
    r"|apple pay"
    r"|google pay|samsung pay|revolut|skrill)"
)
_DISGUISED = re.compile(
    "冒充|假冒|自称|假装|骗|诈"
    "|(?<![a-z])(?:pos(?:e|es|ed|ing) as|pretend\\w*|claim\\w*|impersonat\\w*"
    "|scam\\w*|fraud\\w*|fake)(?![a-z])"
)
# (nor a hotline asked for beside the wallet's own problem: "my bank's number, my wallet
# top-up never arrived")
_DISGUISED_OR_OURS = re.compile(f"{_DISGUISED.pattern}|{_WALLET_NAMED.pattern}")
_HOTLINES = (
    # (a game by its name is a game: its account is another service's, below)
    (
        re.compile(
            "王者荣耀|和平精英|原神|英雄联盟|穿越火线|我的世界|蛋仔派对|第五人格|梦幻西游|崩坏|魔兽世界"
            "|网易游戏|手游|网游"
        ),
        "游戏",
    ),
    (
        re.compile(
            r"\b(?:fortnite|roblox|minecraft|pubg|genshin(?: impact)?|league of legends"
            r"|clash of clans"
            r"|call of duty|epic games|valorant|nintendo|psn|battle ?net|blizzard|riot games)\b"
        ),
        "game",
    ),
    # the wallet said not to be the matter ("那个不是你们的吧", "跟你们没关系", "另外一个软
    # 件"): what is asked is another's, unless what the wallet serves is said with it (as
    # in English below; here before a hotline, whose own rule spares it where 你们 is said)
    (
        re.compile(
            "(?<!是)(?:不是|并不是|不是在)你们(?:的|家的|这里的|这个)(?!问题|错|责任|原因)"
            "|(?:跟|和|与)你们(?:没|无)(?:有)?关|(?:另外|别的|其他)(?:一个|的)?(?:软件|应用|平台)"
        ),
        _unless(_SERVED, "otheraccount"),
    ),
    (
        re.compile(
            f"(?:{_ORGS_ZH}|联通|移动|电信)的?(?:官方|人工)?(?:客服|服务)?(?:电话|热线|号码)"
            f"|(?:这里|这|你们|你这|您这)?是(?:不是)?(?:{_ORGS_ZH})(?:吗|吧|么|嘛|不)"
            f"|请问是(?:{_ORGS_ZH})"
        ),
        _unless(_DISGUISED_OR_OURS, "otheraccount"),
    ),
    # ...or its own staff asked for ("我要找招商银行的客服"), unless our money is the matter
    (
        re.compile(f"(?:{_BANKS_ZH}|{_ORGS_ZH})的?(?:官方|人工)?(?:客服|人工|工作人员)"),
        _unless(re.compile(f"{_DISGUISED.pattern}|{_OUR_MONEY.pattern}"), "otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:(?:number|hotline|helpline|help line|phone line|contact) (?:for|of)"
                rf" {_ORGS_EN}"
                rf"|{_ORGS_EN}(?:'s| s)? (?:customer (?:service|care|support) )?(?:phone number"
                r"|number|hotline|helpline|help line|support line)"
                rf"|is (?:this|that|it) (?:the )?{_ORGS_EN}(?:'s| s)?"
                r"(?: (?:helpline|hotline|customer service|support"
                r"|(?:fraud|security|billing|claims|card services?|customer service|support)"
                r" (?:department|team|line|desk|unit|center|centre)))?"
                r"(?=$| (?:i|we|my|hello|hi|please|can|could|ok|right|sorry)\b))"
            )
        ),
        _unless(_DISGUISED_OR_OURS, "otheraccount"),
    ),
    # ...or its own staff asked for ("how do I reach PayPal support"), unless our money is
    # the matter
    (
        re.compile(
            _LATIN.format(
                r"(?:contact|call|reach|ring|email|phone|talk to|speak to|get through to)"
                rf" {_ORGS_EN}(?:'s| s)? (?:customer (?:service|care|support)|support"
                r"|help ?desk|staff|agents?|people|team)"
            )
        ),
        _unless(re.compile(f"{_DISGUISED.pattern}|{_OUR_MONEY.pattern}"), "otheraccount"),
    ),
    # the wallet said not to be the matter ("nothing to do with the wallet", "some site, not
    # your wallet"): what is asked is another's, however near its words are ours
    (
        re.compile(
            r"\b(?:(?:nothing|not anything) to do with (?:the|your|this|my)"
            r"|not (?:on |with |through |in |about )?your) wallet(?: app)?\b"
            r"(?! (?:password|pin|account|balance|code|login|log in))"
        ),
        " otheraccount ",
    ),
    # the account closed for good ("注销钱包账号", "delete my wallet account"): no node
    # serves it (the off-topic examples'), however near 注册 sounds
    (re.compile("注销|销户|销号|删除(?:钱包)?(?:账号|帐号|账户|帐户)|删号"), " closeaccount "),
    (
        re.compile(
            r"\b(?:close|delete|cancel|terminate|remove)(?: (?:my|the|this|our))?"
            r"(?: wallet)? account(?: for good| permanently)?\b|\bdelete (?:my|the|this) wallet\b"
        ),
        " closeaccount ",
    ),
    # a new phone number bound to the wallet: no node serves it (the off-topic examples')
    (
        re.compile(
            "(?:改绑|换绑|更换绑定|换一个绑定|换个绑定|重新绑定|改一下绑定)的?(?:手机号码?|手机|号码|电话号码?)"
        ),
        " newnumber ",
    ),
    # ...nor one changed, asked for ("我想修改手机号", "怎么换个手机号", "I want to change my
    # phone number", "update my mobile number"): not one changed already, or by someone
    # else, with its trouble said ("换了手机号收不到验证码", "someone changed my number": the
    # code's and the stolen answer's)
    (
        re.compile(
            "(?<![被人])(?:修改|更改|更换|变更|换|改)(?:一下|一个|个|成|为)?"
            "(?:绑定|我|账户|账号|帐号|钱包|注册|预留|新)?的?(?:手机号码?|手机号|电话号码?|联系电话)"
        ),
        _unless(
            re.compile("了|过|后|验证码|短信|收不到|没收到|登|密码|被|有人|别人|盗|骗|不是我"),
            "newnumber",
        ),
    ),
    # ...the verb after it ("想把钱包绑定的号码改一下", "钱包上的手机号想换成新的")
    (
        re.compile(
            "(?:绑定|绑|预留|注册|钱包上|账户上|账号上)的?(?:手机号码?|手机号|电话号码?|号码)"
            "(?:想|要|能不能|可不可以|可以|怎么|咋)?(?:改|换)(?:一下|成|掉|个|新的)"
        ),
        _unless(
            re.compile("验证码|短信|收不到|没收到|登|密码|被|有人|别人|盗|骗|不是我"),
            "newnumber",
        ),
    ),
    (
        re.compile(
            r"\b(?:change|update|switch|replace|edit|modify|amend)(?: (?:my|the|our|a))?"
            r"(?: (?:registered|linked|bound|contact|account|wallet))?"
            r" (?:(?:cell ?|mobile |tele)?phone|mobile|cell) (?:number|no)\b"
            r"|\b(?:change|update|switch) (?:my |the )?number (?:on|in|for|linked to) (?:my |the )?"
            r"(?:account|wallet|profile|app)\b"
        ),
        _unless(
            re.compile(
                r"\b(?:someone|somebody|hacker|scam\w*|without my|code|log ?in|login|sign ?in"
                r"|password|stolen|hacked)\b"
            ),
            "newnumber",
        ),
    ),
    # nor the company's postal address, or where its office is ("你们公司的地址", "邮寄地址",
    # "what's your mailing address"): no node serves it, however near "email address" is
    (
        re.compile("邮寄地址|通讯地址|通信地址|(?:公司|总部|办公室|办公|门店)的?(?:详细)?地址"),
        " postaladdress ",
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:mailing|postal|post|street|physical|office|head office|headquarters"
                r"|business|company|return|shipping|correspondence|snail mail) address(?:es)?"
                r"|address (?:of|for) (?:your|the) (?:company|office|head office|headquarters"
                r"|firm|business)"
                r"|where(?:'s| is| are) (?:your|the) (?:company'?s? )?(?:headquarters|head office"
                r"|hq|offices?|main office|head quarters)"
            )
        ),
        " postaladdress ",
    ),
    # nor the company itself asked about: who owns it, its shares, its headquarters, its
    # staff's pay ("你们上市了吗", "背后是哪个集团", "客服一个月工资多少")
    (
        re.compile(
            "上市|股票代码|市值|(?:哪个|哪家|什么)集团|集团旗下|老板是谁|创始人|董事长"
            "|总部(?:在|设在|位于)|(?:客服|员工|你们)[^，。, ]{0,6}(?:工资|薪水|待遇)"
            "|牌照|在家办公|国企|私企|服务器在|(?:一天|每天)要?接多少|多少(?:个)?员工|员工有多少"
        ),
        " opinionasked ",
    ),
    # nor a business or a developer wanting to take payments through us: an interface, its
    # keys, a sandbox, a merchant's rate ("支付接口报错", "API密钥", "商户费率千分之几")
    (
        re.compile(
            "接口|密钥|开放平台|沙箱|开发者|费率|千分之"
            "|商家收款码|接入[^，。, ]{0,6}支付|(?:网站|小程序|公众号)上?(?:接入|对接)"
            "|给[^，。, ]{0,4}(?:网店|店铺|商户|商家|网站|小程序)提供"
        ),
        " sellerdesk ",
    ),
    # nor a question asked out of curiosity or of a case made up ("我就好奇问问…", "假设我
    # 是个机器人…", "系统会不会崩掉"), unless a problem of the caller's is said with it
    (
        re.compile(
            "好奇(?!怪)|假设|假如|打个比方|(?:系统|服务器)会不会(?:崩|瘫|挂|宕)"
            "|(?:如果|要是|万一)(?:所有人|大家都|全部用户)"
        ),
        _unless(_ZH_TROUBLE, "opinionasked"),
    ),
    # nor advice on money: whether a thing is worth it, where money is best kept, which
    # bank is cheapest ("分期划不划算", "放钱包还是放银行好", "哪家银行手续费最低")
    (
        re.compile(
            "划不划算|划算不划算|值不值得?|(?:内行|专业)人?(?:怎么看|觉得)"
            "|还是放银行|放(?:在)?银行(?:里)?(?:好|安全)|理财产品|贬值|通胀|通货膨胀"
        ),
        _unless(re.compile(f"{_ZH_TROUBLE.pattern}|有人|让我"), "opinionasked"),
    ),
    (
        re.compile("(?:哪家|哪个|什么)银行(?!卡能|卡可以)|最便宜|最划算|最省钱"),
        _unless(re.compile("钱包|你们|绑|充值|提现|能用|支持"), "opinionasked"),
    ),
    # nor a way of being served that the line has not: a fax, a video call, a visit, paper
    # sent by post, a counter to go to ("发个传真", "视频通话", "上门", "纸质的对账单邮寄",
    # "自助服务网点")
    (
        re.compile(
            "传真|视频通话|视频客服|视频聊天|上门|纸质|邮寄|寄给我|寄到我?家|网点|现场办理|去现场"
        ),
        " nochannel ",
    ),
    # ...nor a payment taken on this call ("电话里能交吗", "can I pay my gas bill over the
    # phone here"), unless the wallet is what pays
    (
        re.compile(
            "(?:在|就在)?(?:电话里|通过这个电话|打这个电话)(?:直接)?(?:能|可以)?(?:交|缴|付)"
            + "|"
            + _LATIN.format(
                r"(?:pay|paying|settle|settling)(?: [a-z']+){0,5} over the phone"
                r"|take (?:a |my )?payments? over the phone"
            )
        ),
        _unless(_WALLET_NAMED, "nochannel"),
    ),
)


# Each rule in one script, Mandarin first: a rule is skipped on a text without its script
# (`rewrite`), and most texts have one.
# A threat to take the wallet to a regulator or the media ("I'm reporting you to the
# regulator", "I'm going to the news", 找媒体曝光你们: `_ZH_SAME`) is a complaint.
# The line's own hours asked ("你们几点下班", "周末有人工吗", "what time do you close",
# "are agents available on weekends"): one concept, the service-hours answer's, whatever
# the words; not a place of its own ("银行几点开门", "when does the post office open"), nor
# a caller's own time ("every time I open the app").
_OTHER_PLACES = re.compile(f"{_ORGS_ZH}|{_BANKS_ZH}|" + _LATIN.format(_ORGS_EN))
_OUR_SIDE_ZH = "你们|您们|人工客服|人工服务|人工|客服热线|客服|热线|这个电话|电话"
_OFF_DAYS_ZH = "周末|周六|周日|星期[六天日]|节假日|假日|假期|过年|春节|国庆|晚上|夜里|半夜|凌晨"
_OUR_SIDE_EN = (
    r"you|you guys|your (?:agents?|staff|team|office|line|hotline|helpline|customer service"
    r"|support|call cent(?:re|er)|people|folks|reps?|representatives|operators|employees)"
    r"|the (?:agents?|office|line|hotline|helpline|call cent(?:re|er))"
    r"|(?:an )?agents?|anyone|someone|anybody|somebody|customer service|support"
)
_OFF_DAYS_EN = (
    r"weekends?|saturdays?|sundays?|(?:public |bank )?holidays?|nights?|evenings?|christmas"
    r"|new year|chinese new year|national day"
)
_HOURS = (
    (
        re.compile(
            f"(?:{_OUR_SIDE_ZH})?的?(?:服务|营业|办公|上班|值班)时间"
            f"|(?:{_OUR_SIDE_ZH})的?工作时间|^(?:请问)?工作时间(?=是|几点|$)"
            # (said of us, or of no one: "超市几点关门" is the shop's)
            f"|(?:{_OUR_SIDE_ZH}|^\\W*(?:请问|那个|嗯|啊)?)(?:\\s?(?:每天|一般|平时|早上|上午|中午|下午|晚上)){{0,2}}\\s?"
            "(?:几点|什么时候|啥时候|哪天)(?:钟)?"
            "(?:才|就|会)?"
            "(?:上班|下班|开门|关门|营业|开始|结束|有人|能打通|打得通|能找到人工|可以转人工|有人工)"
            "|几点(?:以后|之后|后|以前|之前|前)(?:就)?(?:没有?|有)(?:人工|客服|人)"
            f"|(?:{_OFF_DAYS_ZH})(?:有没有|也有|有|能找到|能转|能打通)(?:人工|客服|人)"
            "(?:吗|么|嘛|上班|值班|接电话|接听)?"
            f"|(?:{_OUR_SIDE_ZH})(?:{_OFF_DAYS_ZH})?(?:放假|休息|上班)(?:吗|么|嘛)"
        ),
        _unless(_OTHER_PLACES, "servicehours"),
    ),
    (
        re.compile(
            _LATIN.format(
                rf"(?:what|which) (?:time|hours|days) (?:do|does|are|is) (?:{_OUR_SIDE_EN})"
                r" (?:open|close|start|finish|work|be available|available|on|stop(?: working)?"
                r"|clock off|knock off|go home|shut)"
                rf"|(?:when|how late|how early) (?:are|do|does|is|will|can) (?:{_OUR_SIDE_EN})"
                r" (?:be )?(?:open|closed?|start|finish|back|working|available|answering|on)"
                r"|when can i (?:talk|speak) to (?:an? |the )?(?:agent|person|human|someone)"
                r"|your (?:opening |business |office |service |working |operating |support )?hours"
                r"|(?:opening|business|office|operating|service) hours"
                rf"|(?:are|is) (?:{_OUR_SIDE_EN}) (?:open|available|working|there|around|on|in)"
                rf"(?: \w+)? (?:on |at |during |over )?(?:the )?(?:{_OFF_DAYS_EN})"
            )
        ),
        _unless(_OTHER_PLACES, "servicehours"),
    ),
)

_THREATS = (
    (
        re.compile(
            _LATIN.format(
                r"(?:report(?:ing)?|complain(?:ing)?|tak(?:e|ing)) (?:you|you guys|your company"
                r"|this|it)(?: all)? to (?:the )?(?:regulators?|authorities|ombudsman|cfpb|fca"
                r"|bbb|better business bureau|consumer (?:protection|council|association)|police"
                r"|central bank|banking regulator|media|press|news|papers)"
                r"|(?:go(?:ing)?|gonna go|will go|run(?:ning)?) to (?:the )?"
                r"(?:regulators?|ombudsman|media|press|news|papers|newspapers|tv)"
                r"|(?:tell|contact|call|post (?:it )?on|expose you (?:on|to)) (?:the )?(?:media"
                r"|press|news|papers|newspapers|social media)|expose you"
            )
        ),
        " complaint ",
    ),
)
_CONCEPT = _ELSEWHERE_OWN + (
    # Someone asked for by surname and title: a wrong number (`namedstaff`)
    (
        re.compile(
            "(?:找|接|请|接给)(?:一下)?(?:你们)?(?:的)?[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦方邹孟熊秦邱尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵严覃武戴莫孔向汤]"
            "(?:经理|总|主任|老师|师傅|先生|女士|小姐|医生|大夫|科长|处长|局长|主管|工)(?![^，。,.]{0,12}(?:冒充|骗|钱|款|账|验证码|密码))"
            "|^\\W*(?:喂)?\\W*[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦方邹孟熊秦邱尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵严覃武戴莫孔向汤](?:经理|总|主任|老师|师傅|先生|女士|小姐|医生|大夫)(?:在(?:吗|不|么|家)|呢)"
        ),
        " namedstaff ",
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:speak|talk) (?:to|with) (?:mr|mrs|ms|miss|dr|doctor|professor) [a-z]+"
                r"|is (?:mr|mrs|ms|miss|dr|doctor) [a-z]+ (?:there|in|available|around)"
            )
        ),
        " namedstaff ",
    ),
    # An opinion, advice, a statistic, a hypothesis or idle curiosity about the staff asked
    # with the menu's words ("is it a good idea to...", "in your opinion", "how many people
    # lose money to scams", "hypothetically, what happens to my balance", "do your agents
    # ever get bored"): no answer tells it
    (
        re.compile(
            _LATIN.format(
                r"in your (?:honest |personal )?opinion|your (?:honest |personal )?opinion"
                r"|should i (?:just )?(?:use|keep (?:it|my money) in|go with|trust)"
                r" (?:a|the|my) bank"
                r"|(?:the )?internet (?:went|goes|go|were to go) down"
                r"|(?:what if|what would happen if|what happens if) (?:everyone|everybody|all"
                r" (?:the )?(?:users|customers|people))"
                r"|how (?:does|do) (?:[a-z]+ ){1,3}actually work"
                r"|how many (?:[a-z]+ ){0,3}(?:people|users|customers|victims|americans|agents"
                r"|employees|staff|workers)(?! (?:can|could|do|may) i)"
                r"|(?:do|does) your (?:agents|staff|employees|people|operators) (?:ever|like|enjoy"
                r"|work (?:from|at) home|get paid)"
                r"|(?:work|works|working) (?:at|in|for) (?:your|the) call cent(?:er|re)"
            )
        ),
        " opinionasked ",
    ),
    # A merchant's or a developer's business with the wallet (taking its payments in a
    # shop, an API key, a webhook, a payment gateway): no caller's answer serves it
    (
        re.compile(
            _LATIN.format(
                r"(?:start|begin|set up|setup|how (?:do|can) (?:i|we)) (?:accepting|taking|accept"
                r"|take) (?:\w+ )?payments?|(?:accept|take) (?:\w+ )?payments? (?:from|in|at)"
                r" (?:my|our) (?:shop|store|business|cafe|restaurant|customers|clients)"
                r"|merchant accounts?|api(?: keys?)?|webhooks?|sdk"
                r"|integrat\w* (?:with )?(?:your|the) (?:wallet|payments?|app|checkout|system)"
                r"|(?:add|offer|accept|put) (?:your|the) wallet (?:at|on|to|as|in)"
                r" (?:(?:the|our|my) )?(?:checkout|site|website|store|shop|till)"
                r"|merchants? (?:pay|fees?|rates?)"
                r"|(?:fees?|rates?) (?:for|do|that) merchants"
                r"|payment gateway|developer (?:account|docs|documentation|portal)|sandbox"
            )
        ),
        " sellerdesk ",
    ),
    # A channel the wallet has not (a fax, the post, a paper statement, a visit, a video
    # call, an appointment): no node serves it
    (
        re.compile(
            _LATIN.format(
                r"fax\w*|facts machine|by facts|(?:by|through|via|in the) (?:post|snail mail"
                r"|registered mail|regular mail)|registered mail|snail mail|paper (?:statements?"
                r"|cop(?:y|ies)|bills?|forms?)|video (?:call|chat)|facetime|in person|face to face"
                r"|skype|zoom call|(?:come|visit) (?:to )?(?:my|our) (?:house|home|place|flat)"
                r"|home visit"
                r"|(?:make|book|need|have|get) an appointment"
                r"|(?:visit|come (?:in )?to|go to|drop by|stop by|walk into) (?:your|the)"
                r" (?:company'?s? )?(?:office|offices|headquarters|head office|hq)"
                r"|(?:visit|go to|walk into) (?:a|the|your|any) (?:branch|store|shop)"
                r"|(?:physical|local|nearest|nearby) (?:branch|branches|office|offices|store"
                r"|stores)"
            )
        ),
        " nochannel ",
    ),
    # Someone else's account asked into behind their back ("without her knowing", "she
    # doesn't know I'm calling", "he won't tell me", an ex's account): no answer serves it
    (
        re.compile(
            _LATIN.format(
                r"without (?:him|her|them|his|their) (?:knowing|knowledge|permission|consent)"
                r"|behind (?:his|her|their) back"
                r"|(?:he|she|they) (?:doesn'?t|does not|don'?t|do not) know (?:i'?m|im|i am)"
                r" (?:calling|asking|doing)"
                r"|(?:he|she) (?:won'?t|wont|will not|refuses? to) tell me"
                r"|(?:my |an )?ex(?:-| )?(?:boyfriend|girlfriend|husband|wife|partner)?(?:'s|s)?"
                r" (?:account|wallet|balance|payments?|money|transactions?)"
            )
        ),
        # (not where the account was harmed: "she doesn't know I'm calling, her account
        # was hacked" is the stolen answer's)
        _unless(
            re.compile(r"(?<![a-z])(?:stolen|hack\w*|scam\w*|fraud\w*|compromised)(?![a-z])"),
            "behindback",
        ),
    ),
    # A balance only asked for, with no problem of it said (see `ELSEWHERE`)
    (
        re.compile(
            "余额(?:是|有|还有|还剩|剩下?|一共|现在|目前|大概)*多少"
            "|(?:查|看|问)(?:一下|一查|一看|查|看|下)?(?:我|我的)?(?:钱包|账户|账号)?(?:里面?的?)?"
            "(?:余额|还剩多少钱|还有多少钱|有多少钱)"
            "|(?:钱包|账户|账号)(?:里面?)?(?:还)?(?:有|剩|剩下)多少钱|余额(?:查询|怎么查|在哪里?查)"
            + "|"
            + _LATIN.format(
                r"what(?:'s| is| s) (?:my|the) (?:current |wallet |account |available |remaining )*"
                r"balance|(?:check|see|know|hear|tell me|look up|find out) (?:my|the) (?:current "
                r"|wallet |account |available |remaining )*balance"
                r"|balance (?:check|inquiry|enquiry)"
                r"|how much (?:money|cash|funds) (?:do i have|have i got|i have|i've got|is there"
                r"|is left|is in|is on|do i have left)"
                r"|how much (?:do i have|have i got|is there|is left|do i have left) (?:in|on)"
                r" (?:my|the) (?:wallet|account)"
            )
        ),
        _unless(
            re.compile(
                "少|没|不|扣|丢|盗|偷|骗|变|零|到账|充|提|转|付|错|怪|异常|冻|锁"
                r"|n't|(?<![a-z])(?:not|never|no|nothing|missing|gone|lower|less|dropp\w*|down"
                r"|wrong|stolen|hack\w*|zero|low|enough|insufficient|declin\w*|fail\w*"
                r"|top(?:ped)? ?up|added|withdr\w*|transfer\w*|pay\w*|charg\w*|refund\w*"
                r"|disappear\w*|empty|chang\w*|same)(?![a-z])"
            ),
            "balanceasked",
        ),
    ),
    # A fee asked about ("提现要收手续费吗", "往银行卡转钱收不收费", "what's the fee to withdraw
    # money", "do you charge a fee for cash outs") or an invoice or a receipt for tax ("能不能开
    # 个发票", "an invoice for last month's purchases"): no node answers either (see
    # `ELSEWHERE`), unless a problem is said with it (提现扣了手续费钱却没到)
    (
        re.compile(
            "手续费|(?:要|收|扣)(?:不(?:要|收|扣))?(?:多少)?费(?:吗|么|嘛|用吗)|收不收费|怎么收费|收费(?:标准|吗)"
            + "|"
            + _LATIN.format(
                r"(?:fees?|commission) (?:for|to|on|when|if) (?:\w+ ){0,2}"
                r"(?:withdraw\w*|cash\w* ?outs?|transfer\w*|top\w* ?ups?|topups?|send\w*|mov\w*"
                r"|add\w*|deposit\w*)"
                r"|(?:withdraw(?:al)?|cash ?out|transfer|top ?up|topup|sending|deposit) fees?"
                r"|do you (?:charge|take) (?:a |any )?(?:fees?|commission)"
            )
        ),
        _unless(_FEE_TROUBLE, "feeasked"),
    ),
    (
        re.compile(
            "发票|报销凭证"
            + "|"
            + _LATIN.format(
                r"invoices?|(?:tax|vat|expense) receipts?"
                r"|receipts? (?:from you |from the wallet )?for (?:my |the )?(?:tax\w*|expenses"
                r"|reimbursement|work|company|accountant)"
            )
        ),
        _unless(_FEE_TROUBLE, "invoiceasked"),
    ),
    # Someone else in the room spoken to ("honey, did you pay...", "hang on babe, I'm on
    # the phone"): nothing said to the line
    (
        re.compile(
            r"^(?:honey|babe|baby|sweetie|sweetheart|darling|hun),? (?=(?:did|can|could|have"
            r"|where|what|are|do|would|will) you\b)"
            r"|\b(?:hang on|hold on|wait|one sec(?:ond)?|just a sec(?:ond)?) (?:honey|babe|baby"
            r"|sweetie|sweetheart|darling|hun|love)\b"
            r"|^(?:no|not now),? (?:honey|babe|baby|sweetie|sweetheart|darling|hun)\b"
            r"|\b(?:mommy|mummy|mom|mum|daddy|dad)(?:'s| is) (?:on the phone|talking)\b"
        ),
        " saidnothing ",
    ),
    (
        re.compile(
            "谈合作|商务合作|业务合作|合作机会|寻求合作|合作方案|洽谈|谈生意|谈业务|推销|推广|招商(?!银行|行|局|的?(?:信用卡|储蓄卡|借记卡|银行卡|卡|app|网银|手机银行))|赞助"
        ),
        " salespitch ",
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:i'?m|we'?re|i am|we are) (?:calling|ringing|reaching out) (?:to|about|from)"
                r" (?:offer|sell|pitch|introduce|present|partner|discuss (?:a|an|our) "
                r"(?:deal|partnership|offer|opportunity))"
                r"|offer(?:ing)? (?:your|you) (?:manager|boss|company|business|team|firm)"
                r"|(?:i'?m|we'?re|i am|we are|this is [a-z]+) (?:calling|ringing|reaching out)"
                r" (?:from|on behalf of) (?:an?|one of the)(?: [a-z]+){0,3}"
                r" (?:company|companies|firm|agency|provider|solutions|services)"
                r"|(?:tell|talk to|show) you about (?:our|an?) (?:[a-z]+ ){0,3}(?:system|product"
                r"|service|offer|plan|deal|program|programme|package|range)s?"
                r"|(?:lower|lowering|reduce|reducing|cut|cutting|save|saving)(?: on)? your"
                r"(?: (?:monthly|energy|electric|power|utility|phone|insurance|heating))?"
                r" (?:bills?|costs?|rates?|premiums?)"
                r"|(?:business|corporate|commercial) (?:proposal|deal|opportunity|partnership"
                r"|cooperation|loan|offer)s?|partnership|sponsorship|advertising (?:space|deal)"
            )
        ),
        " salespitch ",
    ),
    (
        re.compile(
            rf"(?:{_OTHER_ZH})的?(?:会员|vip|用户|游戏)?的?(?:登录|登陆|支付)?(?:账号|帐号|账户|帐户|号|密码)"
            # ...or its login, where a mail provider is named ("网易邮箱登录不上去了"), its
            # membership's ("腾讯视频会员登不上"), or a code of its own ("steam令牌的验证码")
            rf"|(?:{_OTHER_ZH})(?:邮箱|会员|vip|app|客户端)?(?:登录|登陆|登不|登入|上不去|进不去)"
            rf"|(?:登录|登陆|登不上|登入|上不去|进不去)(?:{_OTHER_ZH})"
            rf"|(?:{_OTHER_ZH})的?(?:令牌|安全令|动态码|验证码|pin码)"
            "|(?:银行卡|信用卡|储蓄卡|借记卡)的?(?:取款|取现|查询|交易)?(?:密码|账单|帐单)"
            "|(?:取款|取现|查询)密码"
            r"|(?:网银|手机银行)的?(?:账号|帐号|账户|帐户|密码)|(?:锁屏|开机|屏幕)的?密码"
        ),
        _theirs("otheraccount", _OUR_WALLET),
    ),
    (
        re.compile(
            _LATIN.format(
                rf"{_OTHER_EN}(?:'s)? {_OWN}|{_OWN} (?:for|of|on|to|with) (?:my |the |our )?"
                rf"{_OTHER_EN}|lock ?screen|screen ?lock"
                # ...a code said before it ("the verification code for instagram")
                r"|(?:(?:verification|login|log in|security|sign ?in|one time|2fa|confirmation) )?"
                rf"codes? (?:for|from|of|on|to) (?:my |the |our )?{_OTHER_EN}"
                # ...its own code ("the steam guard code"), its login refused ("netflix won't
                # let me sign in")
                rf"|{_OTHER_EN}(?:'s)? (?:guard |verification |login |security |sign ?in "
                r"|two factor |2fa |authenticator )?codes?"
                rf"|{_OTHER_EN}(?: app| account)? (?:won'?t|will not|does ?n[o']?t|keeps? not"
                r"|is ?n[o']?t|refuses to) let(?:ting)? me (?:log|sign|get) ?(?:in|on)"
            )
        ),
        " otheraccount ",
    ),
    # ...a carrier's or a utility's own account, its password or login ("the password for my
    # Comcast account", "my Verizon account is locked"), unless the wallet is the one with
    # the problem
    (
        re.compile(
            _LATIN.format(
                rf"(?:{_CARRIERS_EN})(?:'s| s)?(?: account)? (?:passwords?|pins?|passcodes?|logins?"
                r"|usernames?|(?:got |was |is |has been |been )?(?:just )?(?:hacked|locked|frozen"
                r"|banned|suspended|blocked|disabled))|(?:passwords?|pins?|passcodes?|logins?"
                rf"|usernames?) (?:for|of|on|to) (?:my |the |our )?(?:{_CARRIERS_EN})"
                r"(?! (?:number|phone|sim))"
            )
        ),
        _theirs("otheraccount", _OUR_WALLET),
    ),
    (
        re.compile(f"(?:{_OTHER_ZH})(?:号|账号)?(?:又|也)?(?:被|给)[^，。]{{0,4}}?[盗黑封冻锁限]"),
        _theirs("otheraccount", _OUR_WALLET),  # unless our wallet was robbed with it
    ),
    (
        re.compile(
            f"(?:{_WALLETS_ZH})(?:里面|里|上面|上|中)?的?(?:支付|登录|付款)?(?:密码|账号|帐号|账户|帐户)"
            f"|(?:{_WALLETS_ZH})(?:里面|里|上面|上|中)?的?(?:零钱|余额|钱){_TO_US_ZH}"
            # ...and its own withdrawals and transfers ("微信提现要手续费吗")
            f"|(?:{_WALLETS_ZH})(?:里面|里|上面|上|中)?的?(?:提现|提款|转账|收款){_TO_US_ZH}"
        ),
        _theirs("otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                rf"{_WALLETS_EN}(?:'s)? (?:{_OWN}|balance|funds|money|wallet){_TO_US_EN}"
                rf"|{_OWN} (?:for|of|on|to|with) (?:my |the |our )?{_WALLETS_EN}"
            )
        ),
        _theirs("otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                rf"{_SOCIAL_EN}(?: account)? (?:got|was|is|has been|have been|been|keeps getting)"
                rf"(?: (?:just|all|totally))? {_BLOCKED_EN}"
                # ...or said after what was done to it ("someone hacked my instagram")
                r"|(?:hack(?:ed|s)?|stole|took over|got into|broke into|locked|banned|suspended"
                rf"|blocked|disabled|hijacked) (?:my|our|his|her|their|the) {_SOCIAL_EN}"
                # ...or as what shut the caller out ("gmail locked me out")
                rf"|{_SOCIAL_EN} (?:has |have |just |keeps )?"
                r"(?:lock|logg|kick|shut|kept|keep)[a-z]* me out"
            )
        ),
        _theirs("otheraccount", _OUR_WALLET),
    ),
    # A job at the company ("你们还招客服吗我想应聘", "are you hiring"), and a bank's cash
    # machine ("取款机吞卡了", "declined at the ATM"): no node serves either.
    (
        re.compile(
            "招聘|应聘|求职|找工作|招人|招不招|工作机会|投简历|简历|面试|实习生|兼职|岗位|职位|缺不缺人"
        ),
        " jobseeker ",
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:are you|you guys|is (?:the|your) company|you) hiring"
                r"|job (?:opening|application|vacanc(?:y|ies)|offer|interview)s?"
                r"|apply for (?:a|the|this) job|internships?"
                # ...a post open for the caller ("any openings for reps"), not a person asked for
                r"|(?:any|job|open|available|current) (?:openings?|positions?|vacanc(?:y|ies)"
                r"|roles?)|(?:openings?|positions?|vacanc(?:y|ies)) (?:for|on|in|at)"
                r"|(?:are|is) (?:you|your company|anyone) (?:recruiting|taking on)"
                r"|(?:my )?(?:resume|cv)|careers?"
            )
        ),
        " jobseeker ",
    ),
    # Money the state pays or takes (a tax refund, social insurance, a pension, a housing
    # fund, benefits): its office answers for it, wherever it was to arrive.
    (
        re.compile(
            "个税|个人所得税|退税|税务局|报税|纳税|交税|缴税|社保|公积金|养老金|退休金|企业年金|医保|低保|失业金"
            "|养老保险|医疗保险|社会保险|工伤保险|生育保险|新农合|农保"
            "|失业保险|车辆登记|车辆注册|上牌|车牌|驾照|驾驶证|户口|结婚登记|营业执照"
            "|注册了?(?:一家|一个|个)?公司|公司注册|商标注册|房产证|不动产证|房本|罚单|违章|超速罚款|交通罚款"
        ),
        " government ",
    ),
    (
        re.compile(
            _LATIN.format(
                r"tax (?:refunds?|returns?|rebates?|office|credits?)|(?:my |the |file |pay )taxes"
                r"|irs|hmrc|social security|pensions?|unemployment (?:benefits?|checks?|money)"
                r"|medicare|medicaid|obamacare|food stamps|snap benefits|ebt cards?"
                r"|401 ?\(?k\)?s?|403 ?\(?b\)?|roth(?: ira)?|(?:my|an|the) iras?|superannuation"
                r"|retirement (?:accounts?|funds?|savings|plans?)"
                r"|(?:speeding|parking|traffic) (?:tickets?|fines?|violations?|citations?)"
                r"|stimulus (?:checks?|payments?)|child benefits?|welfare (?:checks?|payments?)"
                # a car, a business or a birth registered is the state's registration
                r"|register (?:my |a |the |our |his |her )?(?:new |used )?(?:car|vehicle|truck"
                r"|van|motorbike|motorcycle|boat|business|company|domain|trademark|dog|birth"
                r"|marriage|baby|child|kid)s?|(?:car|vehicle|voter|business|company|domain)"
                r" registration|register to vote|driver'?s licen[cs]e|number plates?"
            )
        ),
        " government ",
    ),
    # Brought to the wrong line: a loan or a mortgage (its approval, its rate), a power cut
    # or a gas meter (the supplier's), a journalist asking for a comment (not 媒体: "社交媒体
    # 上有人冒充你们" is the safety answer's), a shop's returns. A loan as a scam's bait or
    # repaid with the wallet, a meter's bill paid with it, goods returned for a refund into
    # it are ours; a power cut after paying is the supplier's where it is named (电费交了还
    # 停电, 国家电网管不管: `_cut_off`).
    (
        re.compile(
            "贷款|房贷|车贷|按揭|月供|(?<![a-z])(?:loans?|mortgages?"
            # ...a car's finance, by its name or its lender's ("my car note", "Toyota Financial")
            r"|car (?:payments?|notes?|finance|financing)|auto (?:loans?|financ\w*|payments?)"
            r"|lease payments?|(?:toyota|honda|ford|nissan|hyundai|kia|bmw|mercedes|tesla|gm"
            r"|chrysler|ally|santander consumer) financial|ally auto)(?![a-z])"
        ),
        _unless(re.compile(f"{_OUR_MONEY.pattern}|{_BAITED.pattern}"), "lender"),
    ),
    # ...and money asked of us as a loan ("你们能不能借我点钱", "借两千块给我周转一下"), the
    # lender's too, even with 你们 said; not a friend's loan sent or repaid through the
    # wallet (借钱给朋友转账失败), nor a scam's story (冒充朋友找我借钱)
    (
        re.compile(
            "借(?:给)?我(?:点|些|一点|一些|几[百千万]块?|[一二两三四五六七八九十\\d]+[百千万]?块?)?钱"
            "|借(?:点|些|一点|一些)钱(?:给我|用用|花花|周转)?|借钱给我|(?<!找我)借点钱"
            "|(?:能|可以|可不可以|能不能)借钱|预支|透支一?点|周转一下"
        ),
        _unless(
            re.compile(
                f"{_SCAM.pattern}|冒充|假装|自称|转账|转钱|转给|汇款|提现|充值|到账|付款|支付|扣"
            ),
            "lender",
        ),
    ),
    # A rewards scheme: a referral bonus, reward or loyalty points, cashback, a promo code, a
    # coupon, a promotion ("I referred friends and got no bonus", "my reward points never
    # showed up"), the offers of the Mandarin rule below in English (one concept): no node
    # serves it, unless as a scam's bait ("a text says I won a reward,
    # tap the link") or beside a payment that failed ("the coupon made my payment fail")
    (
        re.compile(
            _LATIN.format(
                r"referral (?:bonus(?:es)?|rewards?|codes?|links?|program(?:me)?s?)"
                r"|refer(?:red|ring|s)? (?:a |my |some |two |three |four |five |\d+ )?friends?"
                r"|(?:reward|rewards|loyalty|bonus|membership) points?|points? (?:reward|bonus)s?"
                r"|rewards? (?:program(?:me)?|scheme|card)s?|cash ?back"
                r"|promo(?:tion(?:al)?)? codes?|coupons?|vouchers?|promotions?"
                r"|sign-? ?up bonus(?:es)?|welcome bonus(?:es)?"
            )
        ),
        _unless(
            re.compile(
                f"{_SCAM.pattern}"
                r"|(?<![a-z])(?:links?|phishing|texts?|messages?|fail\w*|declined)(?![a-z])"
            ),
            "perkoffer",
        ),
    ),
    (
        re.compile(
            "停电|断电|停水|断水|停气|燃气表|煤气表|电表|水表|燃气灶|煤气灶|燃气泄漏|煤气泄漏"
            "|(?<![a-z])(?:power (?:cut|outage|failure)s?|blackouts?|(?:power|electricity|lights)"
            " (?:went|go|is|are|has gone|have gone|been) (?:out|off|down)|(?:gas|water|electric"
            "|electricity) meters?|gas leaks?|no (?:electricity|running water|hot water))(?![a-z])"
        ),
        _cut_off,
    ),
    (
        re.compile(
            "记者|采访|报社|晚报|日报|电视台|栏目组"
            "|(?<![a-z])(?:journalists?|reporters?|press (?:office|officer|team|enquir(?:y|ies)"
            "|inquir(?:y|ies)|release)|media (?:enquir(?:y|ies)|inquir(?:y|ies)|relations)"
            "|(?:a|any) comment for (?:a|an|my|our) (?:story|article|piece|report)"
            "|interview (?:you|your|someone|somebody|anyone)|who can i interview)(?![a-z])"
        ),
        " newsdesk ",
    ),
    (
        re.compile(
            "退货|退换货|换货|(?:尺码|尺寸|码数|颜色|款式|型号)(?:不对|不合适|错了|发错了)|(?:鞋|衣服|裤子)?买(?:大|小)了"
            "|(?<![a-z])(?:wrong (?:size|colou?r)|(?:a|one) size (?:too )?(?:big|small|bigger"
            "|smaller)|(?:doesn'?t|does not|don'?t|didn'?t) fit (?:me|my|her|him|them))(?![a-z])"
            "|(?<![a-z])(?:returns? polic(?:y|ies)|(?:store|shop|mall|retailer|boutique)s?"
            "(?= .*(?<![a-z])(?:return|exchange|take (?:it|them) back)(?![a-z]))"
            "|(?:return|exchange)(?= .*(?<![a-z])(?:store|shop|mall|retailer|boutique)s?(?![a-z]))"
            ")(?![a-z])"
        ),
        _unless(_WALLET_NAMED, "shopreturn"),
    ),
    (re.compile("取款机|提款机|(?<![a-z])atm(?![a-z])机?"), " cashmachine "),
    # ...and one that swallowed the card, by any name ("机器把卡吞进去了", "卡被吞了")
    (
        re.compile(
            "(?:机器|柜员机|自助机)?(?:把|将)?(?:我的)?(?:银行)?卡(?:给|被)?吞(?:了|进去|掉)?"
            "|吞(?:了)?(?:我的)?卡"
        ),
        " cashmachine ",
    ),
    # a carrier's line cut off ("手机号被停机了"): the carrier's, unless the wallet's code or
    # login is what it keeps from the caller ("停机了收不到验证码")
    (
        re.compile(
            "(?:手机号?码?|号码|手机卡|电话卡|卡)(?:被|已经|已|又)?(?:欠费)?(?:停机|销号|停号)|欠费停机|复机"
        ),
        _unless(
            re.compile(
                "验证码|短信|登录|登陆|登不|钱包|你们|注册|收不到|(?<![a-z])(?:code|login|wallet)"
            ),
            "utilitybill",
        ),
    ),
    (
        re.compile(
            _LATIN.format(
                rf"(?:{_CARRIERS_EN})(?:'s| s)?"
                r" (?:phone |cell |internet |cable )?"
                r"(?:bills?|plans?|statements?|charges?|fees?|service|contract)"
            )
        ),
        _unless(_WALLET_NAMED, "utilitybill"),
    ),
    # Offers and rewards asked about (有什么优惠活动, 积分能换什么, "any promotions this
    # month"): the line runs none; unless as a scam's bait (短信说积分要过期让我点链接) or
    # money of ours missing or taken (返现没到账, 活动扣了我的钱)
    (
        re.compile(
            "(?:优惠|促销|营销|兑换|推广|福利|返现|抽奖|红包|有什么|有啥|新)活动|优惠券|代金券|积分|满减"
            "|新(?:用户|人)的?(?:红包|福利|优惠|礼包|奖励)|邀请[^，。,]{0,8}?(?:奖励|奖金|返现)"
            "|(?<![a-z])(?:promotions?|promos?|coupons?|vouchers?|cashback|reward points"
            "|loyalty points)(?![a-z])\\s?(?:活动)?"
        ),
        _unless(
            re.compile(
                f"{_SCAM.pattern}|链接|网址|短信|冒充|中奖|没到|到账|扣|失败|被盗|少了|没了"
                r"|(?<![a-z])(?:links?|url)(?![a-z])"
                r"|(?<![a-z])(?:texts?|messages?|not (?:arrived|received)|never (?:came|arrived)"
                r"|charged|failed|stolen|missing)(?![a-z])"
            ),
            "perkoffer",
        ),
    ),
    # a bus or metro card is topped up at its own machines ("悠游卡储值", "top up my metro card")
    (
        re.compile("公交卡|交通卡|地铁卡|悠游卡|八达通|一卡通|羊城通|饭卡|校园卡"),
        " transitcard ",
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:bus|metro|subway|transit|train|travel|oyster|octopus|easy) ?cards?|metrocard"
            )
        ),
        " transitcard ",
    ),
    (re.compile(_LATIN.format(r"cash ?(?:machine|point)s?")), " cashmachine "),
    (
        re.compile(
            "微信的?支付|微信钱包|微信零钱|微信红包|支付宝|花呗|借呗|余额宝|京东白条|白条|云闪付|财付通"
        ),
        " otherwallet ",
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:apple|google|samsung|wechat|we chat|ali) ?pay|pay ?pal|venmo|zelle|"
                r"cash ?app|alipay|robinhood|webull|coinbase"
            )
        ),
        " otherwallet ",
    ),
    # ...but its money moved into ours is a top-up ("从支付宝转到钱包", "from paypal into
    # the wallet"), which the wallet answers for
    (
        re.compile(
            r" otherwallet (?=\s*(?:里面|里)?的?钱?\s*"
            r"(?:往|转到|转进|转入|充到|充进|充值到|给)钱包)"
        ),
        " 充值 ",
    ),
    (
        re.compile(
            r"\bfrom\s+(?:my\s+)?otherwallet\s+"
            r"(?=(?:[a-z']+\s+){0,2}(?:to|into|in)\s+(?:my |the |your )?wallet)"
        ),
        " topup ",
    ),
    # ...and another wallet that is the subject of the request ("云闪付付款一直失败", "my Venmo
    # payment failed", "Cash App locked my account") is theirs to answer, whatever its problem;
    # beside this wallet's (钱包里, "your wallet", "with the wallet") it is only where the
    # money went, the contrast or the channel, and says nothing
    (re.compile(r"(?<![a-z])otherwallet(?![a-z])"), _theirs("otheraccount")),
    (
        re.compile(
            _LATIN.format(
                r"(?:the )?wrong (?:person|people|account|recipient|payee|guy|number|contact)"
            )
        ),
        " wrongpayee ",
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:two|2) times|twice|duplicated?|double(?:d)?(?: |-)?(?:charged|billed)"
            )
        ),
        _twice,
    ),
    # ...and in Mandarin: money taken twice for one thing (钱被扣了两次, 扣了两次款, 同一笔付了
    # 两遍, 重复扣款, 多扣了一笔), not an unknown charge (钱又被扣了 with nothing bought is
    # one); a payment tried twice that failed (付了两次都没成功) is no charge at all
    (
        re.compile(
            "(?:被|给)?(?:重复|多)?(?:扣|划|收)(?:了|走了|掉了)?(?:我)?的?(?:钱|款|费)?"
            "(?:两次|两遍|两回|两笔|二次|双份)(?:钱|款|费)?"
            "|重复(?:扣|划|收|付|支付|交易)(?:款|费|钱|了)?|扣重了|多扣了?一(?:笔|次|遍)"
            "|(?:同一|一)(?:笔|单|个订单|次)[^，。,\\s]{0,6}?(?:付|支付|刷)了?(?:两次|两遍|两回)"
            "(?![^，。,]{0,3}(?:都|也|还|没|不|失败))"
        ),
        " twice ",
    ),
    (
        re.compile(
            f"(?:{_SUPPLIERS_ZH})的?(?:{_UTILITY_ZH}|账单|帐单)(?:账单|帐单)?"
            f"|(?:在|去|到)(?:{_COUNTERS_ZH})(?:[交缴付充])(?:了|的)?(?:{_UTILITY_ZH})"
        ),
        _unless(_WALLET_NAMED, "otheraccount"),
    ),
    (
        re.compile(
            _LATIN.format(
                rf"(?:pay|paying|paid)(?: (?:for|off))?(?: (?:my|the|a|an|our|this|that))?"
                rf" {_UTILITY_EN} bills? (?:(?:at|in) {_COUNTERS_EN}|(?:to|with) (?:the|my)"
                rf" {_UTILITY_EN} (?:company|provider|supplier))"
            )
        ),
        _unless(_WALLET_NAMED, "otheraccount"),
    ),
    # a bill being paid, the verb kept: after it ("交电费", "pay my phone bill"), or before
    # it, asked how or failing ("电费怎么交", "电费交不了"); "煤气费在哪交" asks where, a
    # place, and stays the bill
    (
        re.compile(
            rf"([交缴付充续])(?:一下|个|了|完)?(?:手机|家里|家里的|这个月|这个月的)?(?:{_UTILITY_ZH})"
        ),
        r" \1 payutility ",
    ),
    (
        re.compile(
            _LATIN.format(
                r"(pay|pays|paying|paid)(?: (?:for|off))?"
                r"(?: (?:my|the|a|an|our|this|that|his|her|their))?"
                rf"(?: (?:monthly|last|latest|next))?(?: {_UTILITY_EN} and)? {_UTILITY_EN} bills?"
            )
        ),
        r" \1 payutility ",
    ),
    (
        re.compile(
            rf"(?:{_UTILITY_ZH})(?=(?:要|该|应该|可以|能)?(?:怎么|如何|怎样|咋)?(?:一直|老是|总是|又)?"
            "[交缴付充](?!到哪|去哪|在哪|哪|给谁|给哪|找谁))"
        ),
        " payutility ",
    ),
    (re.compile(_LATIN.format(rf"{_UTILITY_EN} bill(?= payments?)")), " payutility "),
    (re.compile(_UTILITY_ZH), " utilitybill "),
    (re.compile(_LATIN.format(_UTILITY_EN + r" bills?")), " utilitybill "),
    # a hospital's or a school's bill, however it is paid or asked about ("学费咋交",
    # "the hospital bill is too high"): theirs, but for a payment of it with us ("用钱包交学
    # 费失败了", "I paid the school fee with the wallet and it failed": a bill paid with the
    # wallet, as a utility's is)
    (
        re.compile(
            f"([交缴付])(?:一下|个|了|完)?(?:孩子|小孩|儿子|女儿|家里)?的?(?:{_SCHOOL_FEES_ZH})"
        ),
        _paid_with_us,
    ),
    (
        re.compile(
            _LATIN.format(
                r"(pay|pays|paying|paid)(?: (?:for|off))?(?: (?:my|the|a|an|our|this|that|his|her"
                r"|their|my (?:kid|son|daughter|child)'?s?))? (?:(?:hospital|medical|doctor'?s?"
                rf"|dental|dentist'?s?|school|{_SCHOOL_FEES_EN}) (?:bills?|fees?|costs?|money)"
                r"|tuition)"
            )
        ),
        _paid_with_us,
    ),
    (
        re.compile(
            "医药费|医疗费|住院费|挂号费|看病的钱|学费|学杂费"
            # ...and a school's or a nursery's other fees (午餐费, 校服费, 托管费)
            "|午餐费|伙食费|校服费|书本费|教材费|资料费|托管费|保育费|补课费|兴趣班的?费"
        ),
        " utilitybill ",
    ),
    (
        re.compile(
            _LATIN.format(
                r"(?:hospital|medical|doctor'?s?|dental|dentist'?s?|school|tuition)"
                r" (?:bills?|fees?|costs?)|tuition"
                # ...and a school's or a nursery's other fees ("the field trip fee")
                rf"|(?:{_SCHOOL_FEES_EN}) (?:fees?|money|bills?)"
            )
        ),
        " utilitybill ",
    ),
)

# An amount said in words ("transfer me fifty dollars" is money, not the call passed on).
_AMOUNT = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)"
)

# An amount is money: "transfer 100 dollars", "转五百块" (the number alone is no word of
# any phrase, and would count against every node).
_MONEY = (
    (
        re.compile(rf"\b(?:\d+|{_AMOUNT}(?: {_AMOUNT})*) ?(?:dollars?|bucks|yuan|rmb|usd)\b"),
        "money",
    ),
    (re.compile(r"(?:\d+|[零一二两三四五六七八九十百千万]{2,}) ?(?:块钱|块|元)"), "钱"),
    # ...and said without its unit ("消费了八百八", "扣了三千多")
    (re.compile("[一二两三四五六七八九十]+[百千万][零一二两三四五六七八九十百千万多]*"), "钱"),
)

# Verbs with their particle, as one word: the particle alone is a filler ("in", "on") or
# means nothing, and a recogniser writes them either way ("log in", "login", "logged on").
_PHRASAL = (
    (re.compile(r"\b(?:log|logged|logging|sign|signed|signing) ?(?:in|into|on|onto)\b"), "login"),
    # the app signs the caller in ("it won't sign me in", "log me in")
    (re.compile(r"\b(?:sign|log)(?:s|ged|ging)? me (?:in|on)\b"), "login"),
    # a password the caller is sure of is the login answer's ("my password's definitely
    # correct"), not a forgotten one
    (
        re.compile(
            r"\bpassword(?:'s| is| was| are)?(?: (?:definitely|really|totally|absolutely|100%"
            r"|one hundred percent|def|still|also))* (?:correct|right|fine|ok)\b"
        ),
        "password correct",
    ),
    # the number or email the account was opened with only says which ("I still have the
    # phone number I signed up with", "the email I registered with"), not a sign-up asked for
    (
        re.compile(
            r"\b(number|email|e-?mail address|phone|address|details|card|id|name|account)"
            r" (?:that |which )?(?:i|we) (?:first |originally )?(?:used to )?(?:signed ?up"
            r"|sign ?up|registered|register|opened (?:it|the account|my account|the wallet))"
            r"(?: (?:with|on|for|under|by|using))?(?: it)?\b"
        ),
        lambda hit: hit.group(1),
    ),
    # money sent to someone, with a failure said, is a transfer that failed ("I sent money
    # to my friend and it just says failed"), not the how-to of sending it
    (
        re.compile(
            r"\b(?:i |we )?(?:sent|tried to send|was sending|transferred|tried to transfer)"
            r"(?: (?:some|the|my))? money(?: to (?:my |a |the |his |her |our )?[a-z']+)?"
        ),
        _only_if(
            re.compile(r"\b(?:fail\w*|declined|rejected|did not go through|errors?)\b"),
            " my transfer ",
        ),
    ),
    # a different kind of thing ("it's a different kind of thing", "another sort of
    # question") is something else, not an area named as a kind of thing
    (
        re.compile(
            r"\b(?:an? )?(?:different|other|another) (?:kind|sort|type) of (?:things?|problems?"
            r"|issues?|questions?|matters?|stuff|query|queries)\b"
        ),
        " something different ",
    ),
    # an area named as a kind of thing ("a login and codes kind of problem", "that sort of
    # issue") is the menu's "kind of stuff", as 这一类的 is 之类的
    (
        re.compile(
            r"\b(kind|sort|type) of (?:problems?|issues?|questions?|matters?|troubles?|queries"
            r"|query)\b"
        ),
        lambda hit: f"{hit.group(1)} of stuff",
    ),
    (re.compile(r"\bsign(?:ed|ing|s)? ?up\b"), "signup"),
    # paying bit by bit is instalments ("pay it off bit by bit", "over six months", "a
    # little each month", "spread the cost")
    (
        re.compile(
            r"\b(?:bit by bit|little by little|a (?:little|bit) at a time|in (?:parts|chunks|pieces"
            r"|bits))\b"
        ),
        "instalments",
    ),
    # ...over however many months ("over six months", "over the next 12 months")
    (
        re.compile(r"\b(?:over|in|within|across) (?:a few |few |the next |\w+ )?months\b"),
        "over several months",
    ),
    # money got to someone is money sent ("how do I get fifty bucks to her", "get it to my
    # brother")
    (
        re.compile(
            r"\bget(?:ting)? (?:it|that|this|money|the money|some money|cash) to"
            r" (?=her\b|him\b|them\b|my\b|a friend|someone|somebody|family)"
        ),
        "send money to ",
    ),
    # the app's new version is the app ("the new update is awful")
    (re.compile(r"\b(?:the |this |your |that )?(?:new |latest |last |recent )+update\b"), "app"),
    # wanting the team to hear it is feedback ("I want your team to hear about it", "let
    # the developers know", "pass it on")
    (
        re.compile(
            r"\b(?:want|like|need)(?: for)? (?:your|the) (?:team|company|developers?|people|staff"
            r"|engineers?|designers?)(?: [a-z]+){0,4} to (?:hear|know)\b(?: about)?"
            r"|\blet (?:your|the) (?:team|company|developers?|engineers?) know\b"
            r"|\b(?:your|the) (?:team|company|developers?|engineers?) should (?:hear|know)\b"
            r"|\bpass (?:it|this|that) on\b"
        ),
        "feedback",
    ),
    # one of "your people" is a person ("get one of your people on", "someone from your team")
    (
        re.compile(
            r"\bone of your (?:people|staff|team|guys|agents|humans)\b"
            r"|\b(?:someone|somebody|a person|a human) (?:from|on|at) your (?:team|company|end|side"
            r"|staff|office)\b"
        ),
        "a real person",
    ),
    # A learner's English, as meant: a payment "not success", "it say fail" (and "fell"
    # heard for "failed") fails; "cannot go inside the app", "cannot enter my account" is a
    # login; "make new wallet", "open new account" a sign-up; "move money" a transfer; the
    # "secret number" a password; "talk to people", "give me somebody" a person
    (
        re.compile(
            r"\bnot (?:success|successful|succeed|succeeded|successfully)\b"
            r"|\b(?:say|says|said|saying|show|shows|showed|showing)(?: me)?"
            r" (?:fail|failed|failure|not success\w*)\b"
            r"|\bfell\b(?! (?:for|asleep|down|off|over|into|in|out|behind|apart|ill|sick))"
        ),
        " failed ",
    ),
    (
        re.compile(
            r"(?<!money )(?<!funds )(?<!cash )\bcannot (?:go|come|get|enter)(?: inside| into| in)?"
            r"(?= (?:the |my |your |this )?(?:app|account|wallet)\b)"
        ),
        "cannot login",
    ),
    (
        re.compile(
            r"\b(?:make|create|open|start)(?: (?:a|an|one))? new (?:wallet|account)\b"
            r"|\b(?:make|create)(?: (?:a|an|one))? (?:wallet|account)\b"
        ),
        "signup",
    ),
    (
        re.compile(
            r"\bmov(?:e|es|ed|ing)(?= (?:the |my |some |this |that )?(?:money|cash|funds)\b)"
        ),
        "transfer",
    ),
    (re.compile(r"\bsecret (?:number|code|digits?|word)s?\b"), "password"),
    (
        re.compile(
            r"\b(?:talk|speak)(?:ing)? (?:to|with) (?:people|somebody|someone|anybody|anyone"
            r"|humans?|real people)\b"
            r"|\bgive me (?:a )?(?:somebody|someone|people|person|human|anybody|anyone)\b"
            r"(?! (?:my|the|a|an|your|some|money|cash|access)\b)"
        ),
        "a real person",
    ),
    # afraid of a scam, a wish to be kept from one ("I'm afraid of getting scammed")
    (
        re.compile(
            r"\b(?:afraid|scared|worried|fear|frightened)(?: of| about| that i (?:will|might) )?"
            r" (?:get |getting |be |being )?(?:scam\w*|fraud\w*|cheated|tricked)"
        ),
        "avoid scams",
    ),
    # a code given to someone is a scam's: "I gave him the code", "told a stranger my code"
    (
        re.compile(
            r"\b(?:gave|give|told|tell|sent|send)(?: (?:him|her|them|someone|somebody|a stranger"
            r"|the stranger|the man|a man|that man|the guy|a guy|that guy|the caller|the person))"
            r"(?: (?:my|the|a))? (?:verification )?(?:code|password|pin)\b"
        ),
        "gave scammer code",
    ),
    # "you guys", "you all" are you
    (re.compile(r"\byou (?:guys|all|folks|people)\b|\by'?all\b"), "you"),
    # (a recogniser's "tapped up" too: tapping up is nothing else)
    # (and "up" heard as hub, hop, pup: "my top hub", "a top hop")
    (re.compile(r"\bt[oa]p(?:ped|ping|s)? ?(?:p?ups?|h[uo][bp]s?)\b"), "topup"),
    (re.compile(r"\b(?:my|a|did a) top of\b"), "topup"),
    (re.compile(r"\bcash(?:ed|ing)? ?out\b"), "cashout"),
    (re.compile(r"\block(?:ed|ing)? ?out\b"), "lockout"),
    (re.compile(r"\bcheck(?:ed|ing)? ?out\b"), "checkout"),
    (re.compile(r"\be ?mail(s|ed|ing)?\b"), r"email\1"),
    (re.compile(r"\b(?:two|2)(?: |-)?(?:step|factor|fa)\b"), "twofactor"),
    # heard as "to step", or said as an extra check at login
    (re.compile(r"\b(?:to|too) step (?=verif|auth|login|log in|sign)"), "twofactor "),
    (
        re.compile(r"\b(?:extra|second|additional) (?:verification|authentication)\b"),
        "twofactor",
    ),
    (re.compile(r"\bshut(?:s|ting)? me out\b"), "lockout"),
    # ...or as it looks: a padlock on the screen ("the little padlock picture came up"), or
    # blocked in a learner's present tense ("now it block me")
    (
        re.compile(
            r"\b(?:(?:little|small|tiny) )?(?:pad)?lock (?:picture|icon|sign|symbol|image|logo)s?\b"
            r"|\b(?:picture|icon|symbol|image|sign) of a (?:(?:little|small|tiny) )?(?:pad)?lock\b"
            r"|\b(?:it|they|the app|the wallet|the system) (?:block|blocks|blocked) me\b"
        ),
        "lockout",
    ),
    # a question typed is a question written ("can I type my question instead")
    (
        re.compile(r"\btype (?:out )?(?:my |a |the |our )?(?:questions?|messages?|problems?)\b"),
        "write",
    ),
    # into the app or the account: "I can't get in", "it won't let me in"
    (re.compile(r"\b(?:get|got|getting|let me) ?(?:in|into)\b(?! touch)"), "login"),
    # the call passed on to someone ("transfer me", "put me through"): not money transferred
    (
        re.compile(
            r"\b(?:transfer(?:red|ring)?|put) me(?: through| thru)?\b(?! (?:some |the |my |a |an )?"
            rf"(?:money|cash|funds|dollars?|bucks|yuan|rmb|\d+|{_AMOUNT})\b)"
            r"|\btransfer (?:my|this|the) call\b"
        ),
        "putthrough",
    ),
    # not got is not received ("I didn't get the code", "I never got a text"): "get" alone
    # is a filler, which left only "not code"; getting somewhere is not receiving
    (
        re.compile(
            r"\b(?:not|never|cannot) (?:get|gets|got|gotten|getting)\b"
            r"(?! (?:in|into|on|onto|through|past|to|out|back in|logged|signed|it)\b)"
        ),
        "not receive",
    ),
    # what does not work fails ("the payment didn't work", "sign in isn't working")
    (re.compile(r"\b(?:not|cannot) work(?:s|ed|ing)?\b"), "not work fail"),
    # money or a code that does not show is money or a code not arrived ("it's still not
    # showing", "the money isn't there", "nothing shows up")
    (
        re.compile(
            r"\b(?:not|never|nothing)"
            r" (?:(?:is|are|was|were|be|been|has|have|had|even|yet|still|ever) )*"
            r"(?:show(?:s|ed|n|ing)?(?: up)?|there|appear(?:s|ed|ing)?|turn(?:s|ed|ing)? up)\b"
        ),
        "not arrive",
    ),
    # ...and a purchase that "wasn't me" one the caller did not make
    (re.compile(r"\b(?:was|were|is|are) not (?:me|mine|by me|from me)\b"), "not make"),
    # reaching us is contacting us ("get in touch", "how do I reach you")
    (re.compile(r"\b(?:get|getting|got) in touch\b|\breach (?:you|us)\b"), "contact"),
    # "how does that work" after a request asks nothing more than the request
    (re.compile(r"\bhow (?:does|do|would|will) (?:that|it|this|they) work\b"), " "),
    # a how-to question ("how do I send money") is not a statement of its words ("I sent
    # money"); "how much", "how long" are only questions
    (re.compile(r"\bhow(?= (?:do|does|can|could|should|would|to)\b)"), "howto"),
    # someone passing themselves off as us: the mark of a scam call, however it is put
    (
        re.compile(
            r"\b(?:(?:claim|pretend)(?:s|ed|ing)? to (?:be(?: from)?|work (?:for|at|with))"
            r"|pos(?:e|es|ed|ing) as|"
            r"(?:say|says|saying|said) (?:they|he|she) (?:is|was|are|were|work|worked)"
            r" (?:for|from)|(?:say|says|said|saying) (?:they|he|she) (?:is|was|are|were)"
            r" (?:your|from your|from the|a|an)(?= (?:staff|employee|agent|support|customer"
            r"|company|bank|team))|impersonat\w*)\b"
        ),
        "impersonate",
    ),
)


# How callers of any English put a request around its point, read as the phrases say it
# (after the contractions are spelt out: "I've never heard of" is "i have never heard of").
_AROUND = (
    # a video or a tutorial that shows how ("is there a video that walks me through topping
    # up"): the help centre's step-by-step guides, the how-to answer's
    (
        re.compile(
            r"\b(?:videos?|tutorials?|walkthroughs?)"
            r"(?= (?:that|which|to|on|about|showing|explaining|for) )"
            r"|\bwalks? (?:me|you|us|people) through\b"
        ),
        " step by step guide ",
    ),
    # money sent to someone that failed ("用钱包转给房东 说失败了", "转给朋友的钱没成功"): a
    # transfer that failed, the failed payment's answer, not the transfer's how-to
    (
        re.compile("(?<![提充])转给(?!我)(?=[^，。,]{0,16}?(?:失败|没成功|不成功))"),
        "转账给",
    ),
    # a bill paid with the wallet that will not go ("用钱包交电费 一直付不了"): failed, as
    # "交电费失败" is, not the how-to of paying it
    (re.compile("(payutility[^，。,]{0,12}?)(?:付|交|缴)不(?:了|上|出去|进去)"), r"\1失败"),
    # a payment the app calls abnormal has failed (支付异常, 付款异常)
    (re.compile("(支付|付款)异常"), r"\1失败"),
    # a payment tried again and again that never went through ("付了三次都没成功", "刷了好几
    # 遍都不行")
    (
        re.compile(
            f"(?:付|扫|刷|支付|付款)了?(?:{_COUNT_ZH})(?:次|遍|回)了?(?:都|也|还是)?"
            "(?:没有?|不)(?:成功|付上|付成|刷过|扫过|过|行)"
        ),
        " 付款没成功 ",
    ),
    # what the caller sees or finds, before the transactions they did not make ("I see
    # charges in the wallet I never made", "found payments I didn't authorise"): the
    # unknown transactions, not their list on the bills page
    (
        re.compile(
            r"\b(?:see|saw|seeing|notice|noticed|found|find|spotted)"
            r"(?= (?:some |a few |two |three |several |these |those |a couple of )?"
            r"(?:transactions?|charges?|payments?|purchases?|withdrawals?|debits?)\b"
            r".*\b(?:not|never|didn'?t|don'?t) (?:make|made|do|did|authori[sz]e|recogni[sz]e))"
        ),
        " ",
    ),
    # someone else asking the caller for a password, a code or a card number ("网上有个人说
    # 能帮我刷信用 要我的支付密码", "对方让我报验证码"): the scam the safety answer warns of,
    # not a password forgotten
    (
        re.compile(
            "(?:有人|有个人|陌生人|对方|骗子)[^，。,]{0,16}?(?:问我要|找我要|跟我要|向我要|要|让我给|叫我给"
            "|让我说|叫我说|让我报|叫我报|让我提供|叫我提供)(?:我的)?(?:一下)?"
            "(支付密码|登录密码|密码|验证码|银行卡号|卡号|身份证号)"
        ),
        lambda hit: f" 有人找我要{hit.group(1)} ",
    ),
    # someone to chat with for company ("心情不好 想找个人聊聊天", "有没有人陪我唠唠嗑"): small
    # talk, not a person asked for about a problem (unless one is named)
    (
        re.compile(
            "(?:找|有没有|来)个?人(?:陪我)?(?:聊聊天|聊天|唠唠嗑|唠嗑|解解闷|解闷)"
            "|陪我(?:聊聊天|聊天|聊聊|说说话|说会儿?话|唠唠嗑|唠嗑|解解闷|解闷)"
        ),
        _unless(_SERVED, " 随便陪我聊聊天 "),
    ),
    # the phone found a bother ("电话里讲太麻烦", "打电话说不方便"): another way than the
    # phone is asked for, as "not by phone" is
    (
        re.compile(
            "(?:电话里|打电话|在电话上|电话上)(?:讲|说|沟通|聊|问)?(?:起来)?(?:太|很|挺|好|比较|有点|真)?"
            "(?:麻烦|不方便|费劲|费事)"
        ),
        " 不方便打电话 ",
    ),
    # why a person is asked for ("找个客服来 我这个问题一两句说不清楚", "转人工吧 说来话长"):
    # the reason, not a caller who does not know what to ask (我也说不清楚, off the menu)
    (
        re.compile(
            "(?:说|讲|解释|描述)不(?:太)?(?:清楚|清|明白)|说来话长|(?:比较|很|太|挺|特别)复杂"
        ),
        _only_if(re.compile("人工|客服|真人|工作人员|接线员|话务员|找个人|找人"), " "),
    ),
    # a takeover's symptoms reported (账户在外地登录了, 提示异地登录, 还改了绑定的邮箱, 有人把
    # 我绑的手机号换了): someone else got in, the stolen answer's, not the login's or the
    # email channel's words they share; the caller's own login elsewhere (我在外地登录不了)
    # or change (我改了绑定的手机号) stays as said
    (
        re.compile(
            "(?<![我俺])(?:在|从)(?:外地|异地|别的地方|其他地方|别处|外省|国外|境外|陌生的?设备"
            "|别的设备|其他设备|别的手机|陌生的?手机|其他手机|别人的?手机|一台新手机|新设备)上?"
            "(?:被人?|有人)?登(?:录|陆|入)(?:过|了)+"
            "|(?:提示|显示|通知|提醒|说|有)(?:我的?)?(?:账户|账号)?(?:在|有)?异地登(?:录|陆)"
            "|异地登(?:录|陆)的?(?:提醒|提示|通知|短信|消息)"
        ),
        " 账户被别人登录 ",
    ),
    (
        re.compile(
            "(?:还|又|也|被人?|有人|别人|人家|对方|偷偷)(?:把)?(?:我的?)?(?:改|换|修改|更改)了?"
            "(?:我的?)?(?:绑定|绑)的?(邮箱|手机号码?|手机|银行卡|卡)"
            "|(?:还|又|也|被人?|有人|别人|人家|对方|偷偷)把(?:我的?)?(?:绑定|绑)的?"
            "(邮箱|手机号码?|手机|银行卡|卡)(?:给)?(?:改|换|修改|更改)了"
        ),
        lambda hit: f" 绑定的{hit.group(1) or hit.group(2)}被人改了 ",
    ),
    # a payment that keeps failing (支付一直失败: 一直 is a filler, and would part the words)
    # is the failed payment the phrases name (支付失败)
    (re.compile("(?<=付)一直(?=失败)"), ""),
    # ...and so is a thing done to the caller again (号又被锁了, 钱又被扣了: 号被锁了) or 给 in
    # the passive (被人给登了: 被人登了), and
    # the button of what was pressed (点付款按钮没反应: 点付款没反应)
    (re.compile("又(?=被|遭)|的?按钮|(?<=被)给|(?<=被人)给|(?<=别人)给"), ""),
    # a transfer, a top-up or a withdrawal a person did not get ("我给朋友转账了他没收到",
    # "I sent money to my friend but he didn't get it") has not arrived: funds_not_arrived's,
    # not the how-to that the friend named beside the transfer is near; a code or a text not
    # got after it is the code's ("转账的验证码没收到"). (Without a person named, the words
    # are the answer's own: "提现还没到".)
    (
        re.compile(
            "(给[^，。,\\s转打汇充提]{1,4})?(转账|转钱|转了钱?|打钱|打了钱|汇款|汇了钱?|充值|充钱|充了钱?"
            "|提现|提了钱?)[^，。,验码信]{0,8}?(他|她|对方|朋友|人家|那边)?"
            "(?:都|也|还|一直|并|就是|说)?"
            "(?:没收到|没有收到|没拿到|没接到|收不到|没到账|没有到账|没到|没有到)"
        ),
        lambda hit: (
            hit.group()
            if not (hit.group(1) or hit.group(3))
            else "转账没到账"
            if hit.group(2)[0] in "转打汇"
            else "充值没到账"
            if hit.group(2)[0] == "充"
            else "提现没到账"
        ),
    ),
    # ...and a transfer to a person that failed ("我给朋友转账 点了确认就提示失败", "转账给
    # 他失败了") failed: payments_failed's, not the how-to the person named is near
    (
        re.compile(
            "(?:给[^，。,\\s转打汇充提]{1,4})?(?:转账|转钱|打钱|汇款)(?:给[^，。,\\s]{1,4}?)?"
            "[^，。,验码信到]{0,12}?(?:提示|显示|说|就|都|总是|一直|老是|还是)*"
            "(?:失败|报错|不成功|没成功|出错|被拒)"
        ),
        " 付款失败 ",
    ),
    (
        re.compile(
            r"\b(?:(sent|send|transferr?(?:ed)?|wired|moved)|(topped up|top ?up|topup)"
            r"|(withdr[ae]w\w*))(?: (?:some|the|my|a|that|this|our))?(?: (?:money|cash|funds"
            r"|payment|transfer|it|them|amount))?( (?:to|over to|for) (?!(?:my|the|a|our)"
            r" (?:bank|card|account|wallet)\b)[a-z']+(?: [a-z']+){0,3}?)?"
            r"(?:,? (?:but|and|yet|though))?"
            r"( (?:he|she|they|the recipient|the person|them|nobody|no one|(?:my|our|his|her)"
            r" [a-z]+))?(?: still)? (?:did not|has not|have not|had not|never|not)"
            r"(?: yet| even| ever| actually)?"
            r" (?:get|got|gotten|receive|received|arrive|arrived|come through|came through"
            r"|show up|showed up|reach|reached|land|landed)"
            r"(?: it| them| the money| anything| a thing| any of it| through| yet)?\b"
            r"(?! (?:the |a |my |any |that |their )?(?:\w+ )?(?:code|text|sms|message|email)s?\b)"
        ),
        lambda hit: (
            hit.group()
            if not (hit.group(4) or hit.group(5))
            else " money transfer not arrive "
            if hit.group(1)
            else " topup not arrive "
            if hit.group(2)
            else " withdraw not arrive "
        ),
    ),
    # ...and a top-up or a withdrawal made, then "nothing" ("I topped up yesterday and
    # nothing", "I put money in this morning but nothing happened"): it has not arrived
    (
        re.compile(
            r"\b(?:(topped up|top ?up|topup|added (?:some )?(?:money|funds|cash)|put (?:some )?"
            r"(?:money|funds|cash) in|deposited)|withdr[ae]w\w*|cashed out)(?: +[a-z0-9']+){0,4}?"
            r" *,? +(?:and|but) +(?:then +|still +|just +)?nothing(?! +(?:else|went wrong|wrong)\b)"
            r"(?: +(?:happened|has happened|showed up|shows up|came through|arrived|has arrived"
            r"|appeared|changed|showing|shows))?\b"
        ),
        lambda hit: " topup not arrive " if hit.group(1) else " withdraw not arrive ",
    ),
    # a code's digits read out and nothing after them ("验证码是三五六七", "the code is four
    # five six one") ask for nothing (lexicon.ELSEWHERE); a problem said after them counts
    (
        re.compile(
            "(?:验证码|校验码|动态码|密码)(?:是|为|:)?(?:[零〇一二两三四五六七八九幺0-9]){3,}$"
            r"|\b(?:code|pin|passcode) (?:is|was) (?:(?:zero|oh|one|two|three|four|five|six"
            r"|seven|eight|nine|\d+) ?){3,}$"
        ),
        " readout ",
    ),
    # ...nor "I don't know" or "I don't understand" said alone in romanised Mandarin or in
    # French ("wo bu dong", "ting bu dong a", "je ne sais pas"): a caller lost, no request
    (
        re.compile(
            r"^(?:(?:wo|ni|ta|women) )?(?:(?:ting|kan|hai|ye|zhen(?: de)?|dou) )?bu ?(?:zhi ?dao"
            r"|dong|ming ?bai|qing ?chu)(?: (?:a|ya|la|le|ne|ma|ah|oh))?$"
            r"|^(?:(?:pardon|desole|désolé|excusez moi|excuse moi|euh|oui|non|alors) )*"
            r"je (?:ne |n')?(?:comprends|sais|parle|connais) (?:pas|rien)"
            r"(?: (?:anglais|l'anglais|bien|du tout|madame|monsieur|rien|le chinois))*$"
        ),
        " saidnothing ",
    ),
    # What is seen, described by someone who does not know its name: the digits in the text
    # message or sent to the phone are the code (短信里那几个数字, 发到手机上的数字), a lock
    # on the screen is the account locked (屏幕上出了个小锁头), a circle that keeps turning
    # is the spinning wait (圈圈一直转)
    (
        re.compile(
            "(?:(?:短信|信息|消息)(?:里面|里|上面|上|中)|发(?:到|给|来)?(?:我)?的?手机(?:上面|上|里)?)"
            "的?(?:那个|那串|那几个|几个|那些|一串)?(?:数字|数|号码)"
        ),
        " 验证码 ",
    ),
    (
        re.compile(
            "(?:出|出现|跳出|弹出|显示|冒出)(?:来)?(?:了)?(?:个|一个|一把)?小?锁(?:头|的?图标|的?标志|的?图案)?"
            "|小锁头|锁(?:头|的)?(?:图标|标志|图案)"
        ),
        " 账户被锁定 ",
    ),
    (
        re.compile("圈圈?(?:就|还|也)?(?:一直|老是|总是|老|总)?(?:在)?转(?:个不停)?|转圈圈"),
        "转圈",
    ),
    # what is typed to pay is the payment password ("the one I type when I pay", "买东西时要输
    # 的那个"), however it is named
    (
        re.compile(
            r"\bthe (?:one|number|code|digits|pin) (?:i|you) (?:type|enter|put in|key in|punch in)"
            r"(?: in)? (?:when|to|before|as) (?:i |you )?pay(?:ing)?\b"
        ),
        " payment password ",
    ),
    (
        re.compile(
            "(?:付钱|付款|买东西|支付|结账|消费)的?时候?(?:要|需要|得)?(?:输入|输|填|按)的?"
            "(?:那个|那串|那几个)?(?:数字|数)?"
        ),
        " 支付密码 ",
    ),
    # a hedge on which part says nothing of it ("not sure which bit", "that sort of thing")
    (
        re.compile(
            r"\b(?:i am )?not (?:really |quite |totally |entirely )?(?:sure|certain) (?:which|what)"
            r" (?:bit|part|one|area|option|of (?:them"
            r"|those))(?: it is| i am)?\b|\b(?:that|this) (?:sort|kind|type) of thing\b"
            # ...or on which at all, or shared ("not sure which exactly", "not sure either")
            r"|\b(?:i am )?not (?:really |quite |totally |entirely )?(?:sure|certain)"
            r" (?:which(?: exactly)?|either)\b"
            r"|\bor (?:something|whatever|anything)(?: like that)?\b"
        ),
        " ",
    ),
    # a doubt whether a number, a site or a caller is the wallet's own asks whether it is
    # really yours ("I'm not sure it's really you", "not sure if this number is legit"), no
    # hedge on what the caller needs
    (
        re.compile(
            r"\b(?:i am |i'm )?not (?:really |quite |totally )?(?:sure|certain|convinced)"
            r"(?: if| whether| that)? (?:it is|it's|this is|that is|that's|they are|it was"
            r"|this was|(?:this|that|the) (?:number|site|website|line|caller|message) is)"
            r" (?:really |actually |truly |genuinely )?(?:you|yours|from you|your (?:number|line"
            r"|site|website|company|staff)|real|legit|legitimate|genuine|official)\b"
        ),
        " really yours ",
    ),
    # someone who says they are someone claims to be them ("someone called saying they are
    # wallet support", "a man said he was from the wallet"), as 自称 is 冒充
    (
        re.compile(
            r"\b(?:saying|said|says|telling me|told me)(?: that)? (?:they|he|she|it) (?:are|is|was"
            r"|were) (?:from |with )?"
        ),
        " impersonate ",
    ),
    # ...and the refund such a caller offers is the bait, not a refund asked for ("called
    # pretending to be you to send me a refund and wanted my code": the scam's)
    (
        re.compile(
            r"\b(?:to |would |will |could |can |so (?:they|he|she) (?:can|could) )?(?:give|send"
            r"|issue|process|pay|get) (?:me |you )?(?:a |my |the |some )?refunds?\b"
        ),
        _only_if(re.compile(r"\bimpersonate\b"), " "),
    ),
    # ...and one who has had the money already is only how the theft went ("I got scammed, a
    # man pretending to be support made me send him money", "someone posing as you got me
    # to pay him"): the stolen answer's, not the question whether a caller is real (a
    # scammer, where no scam is said otherwise)
    (
        re.compile(r"\bimpersonate\b"),
        lambda hit: (
            hit.group()
            if not _ROBBED.search(hit.string)
            else " "
            if _SCAM.search(hit.string)
            else " scammer "
        ),
    ),
    # whom the caller does not know is unknown ("a transfer to a person I've never heard
    # of", "a shop I don't recognise"), as an unknown transaction is
    (
        re.compile(
            r"\b(?:(?:to|from|by) )?(?:some |a |an |this |that )?(?:person|people|company|merchant"
            r"|shop|store|name|account|guy|business|someone|somebody|place)(?: (?:that|who|whom))?"
            r" i (?:have |had )?(?:never|not|do not|did not) (?:heard of|met|seen|know|recogni[sz]e"
            r"|been to)\b"
        ),
        " unknown ",
    ),
    # ...and a transaction the caller does not know an unknown one ("a withdrawal I don't
    # recognise")
    (
        re.compile(
            r"\b(?:payment|charge|transaction|withdraw(?:al)?|transfer|purchase|debit)s? i"
            r" (?:do not|did not"
            r"|cannot) (?:recogni[sz]e|know|remember)\b"
        ),
        " unknown transaction ",
    ),
    # the wallet or its staff did the locking ("they blocked my account", "you froze my
    # wallet"): a locked account, not one the caller asks to block; why, they do not know
    (
        re.compile(
            r"\b(?:they|you|the app|the system|your system|it|the wallet)(?: (?:have|has|just|went"
            r" and|suddenly))* (?:blocked|froze|frozen|locked|suspended|restricted|disabled|banned"
            r"|closed|deactivated) (?:my|the) (?:account|wallet)\b"
        ),
        "my account is locked",
    ),
    (re.compile(r"\b(?:for no reason|without (?:any )?(?:reason|warning|explanation))\b"), " "),
    # a lock lifted is an unlock ("get the lock taken off", "have the block removed")
    (
        re.compile(
            r"\b(?:the |this |that |my )?(?:lock|block|freeze|hold|restriction|suspension|ban)s?"
            r" (?:taken|lifted|removed|cleared|released)(?: off)?\b"
            r"|\b(?:take|taking|took|lift|lifting|remove|removing|clear|release)(?: off)?"
            r" (?:the |this |that )?(?:lock|block|freeze|hold|restriction|suspension|ban)s?\b"
        ),
        "unlock",
    ),
    # kept from harm is safety, not a harm done ("keep my account from getting hacked",
    # "so my wallet never gets hacked", "prevent fraud")
    (
        re.compile(
            r"\b(?:keep|stop|prevent|protect|guard|safeguard)\b(?: [a-z']+){0,3}? from"
            r" (?:getting |being )?(?:hack\w*|stolen|scam\w*|compromised|broken into|login"
            r"|accessing|stealing|using)"
            r"|\b(?:so|make sure|ensure)(?: that)?(?: [a-z']+){0,3}?"
            r" (?:(?:never|not|cannot|will not) (?:gets?|be|being|getting)|not receive)"
            r" (?:hack\w*|stolen|scam\w*|compromised)"
            r"|\b(?:prevent|preventing|avoid|avoiding|stop|stopping) (?:hacking|hackers|fraud|theft"
            r"|being hacked|getting hacked)\b"
        ),
        "protect my account",
    ),
    # the code in a text ("the six digit number from my text") is a verification code
    (
        re.compile(
            r"\b(?:the )?(?:(?:six|6)[ -]?digit )?(?:number|code|digits) (?:from|in|on)"
            r" (?:my |the |a |your )?(?:text|sms|message)s?(?: message)?\b"
        ),
        "verification code from text",
    ),
    # a second step at login is two-factor ("a second layer of protection", "that extra
    # login check", "the second step thing")
    (
        re.compile(
            r"\b(?:second|extra|additional) (?:layer|level|step|check|lock)|\banother layer"
            r"(?: of (?:protection|security|verification))?\b"
            r"|\b(?:extra|second|additional) (?:login|security|safety) (?:check|step|lock|layer)\b"
        ),
        "twofactor",
    ),
    # none of the options read out is something else ("none of those", "my question isn't
    # any of the ones you listed", "not on the list"); not none of the things tried ("none
    # of them worked")
    (
        re.compile(
            r"\bnone of (?:those|these|them|the above|the options|the choices|what you (?:said"
            r"|listed|mentioned|read out))(?: options| choices)?"
            r"(?! (?:payments?|transactions?|charges?|purchases?|transfers?|were|was|are|is"
            r"|belongs?|work(?:s|ed)?|did|do|does|helped|help|went|got|came|let|matched|match)\b)"
            r"|\bnot (?:any of |one of )?(?:the ones|those|these|the options|the choices"
            r"|(?:on|in) (?:the|your|that) (?:list|menu|options))"
            r"(?: (?:that )?you (?:listed|said|mentioned|gave|read out|read|offered|just said))?"
        ),
        " something else ",
    ),
    (re.compile(r"\banything else\b"), "something else"),
    (
        re.compile(
            r"(?<=something else) (?:fits?|match(?:es)?|covers?|appl(?:y|ies))(?: (?:my|me|what i"
            r" need))?(?: (?:problem|issue|question|case|situation))?\b"
        ),
        " ",
    ),
    # another way than the phone ("how else", "other than the phone line", "apart from
    # calling"), and reaching us, contacting ("reach customer service")
    (re.compile(r"\bhow else\b"), "another way"),
    (
        re.compile(
            r"\b(?:other than|apart from|besides|except|instead of|rather than)"
            r" (?:(?:waiting|holding|being|sitting|staying|hanging) (?:on|in) )?"
            r"(?:the |this |by |a )?"
            r"(?:phone(?: line)?|calling|ringing|phoning|hotline|telephone|this number|a call)\b"
        ),
        " not by phone ",
    ),
    (
        re.compile(
            r"\breach(?:ing)? (?:you|us|customer service|customer support|support|your team"
            r"|the team)\b"
        ),
        "contact you",
    ),
    # money moved to the bank is a transfer ("the money I moved over to my bank account")
    (
        re.compile(
            r"\bmov(?:e|es|ed|ing)(?: it| them| that)?(?: over| across)?"
            r"(?= to (?:my |the |a |our )?(?:bank|card|account))"
        ),
        "transfer",
    ),
    # what was bought, looked back over, is the purchase history ("go back through what I
    # bought", "look over everything I spent")
    (
        re.compile(
            r"\b(?:go|going|look|looking|went|check|checking)(?: back)? (?:through|over|at)"
            r" (?:what|everything|all(?: the (?:stuff|things))?|the (?:stuff|things)) i(?: have)?"
            r" (?:bought|spent|paid(?: for)?|purchased)\b"
        ),
        "purchase history",
    ),
    # a word with someone is a person ("could I have a word with someone")
    (
        re.compile(
            r"\bhave a (?:quick )?(?:word|chat) with (?:someone|somebody|a person|a human|an agent"
            r"|a real person|one of you|you)\b"
        ),
        "talk to a real person",
    ),
    # not happy with is unhappy with ("not happy with the agent", "disappointed with")
    (
        re.compile(
            r"\b(?:not happy|not satisfied|dissatisfied|disappointed|upset|displeased|not pleased)"
            r"(?= (?:with|about|by)\b)"
        ),
        "unhappy",
    ),
    # a grievance raised is a complaint
    (
        re.compile(
            r"\b(?:raise|raising|lodge|lodging|file|filing|make|log|register)(?: a| an)?"
            r"(?: formal| official)? grievances?\b"
        ),
        "complaint",
    ),
    # afraid someone will use the stolen phone's wallet ("scared they use my wallet")
    (
        re.compile(
            r"\b(?:scared|afraid|worried|fear|worry)(?: that)? (?:they|someone|somebody|the thief"
            r"|thieves|he|she|people)(?: will| might| may| can| could| would)?"
            r" (?:use|uses|using|spend|access|get into)\b"
        ),
        "someone else use",
    ),
    # a payment the app calls unfinished has failed (交易未完成, 订单未完成支付), as 支付异常 is
    (
        re.compile(
            "(?:交易|支付|付款|订单)(?:还)?(?:未|没有?)完成(?:支付|付款)?|(?:未|没有?)完成(?:支付|付款)"
        ),
        "支付失败",
    ),
    # a top-up said apart with how often (充了两次值, 充了两回值), as 充了值 is
    (re.compile(f"充了?(?:{_COUNT_ZH})(?:次|回|遍|笔)的?值"), "充值"),
    # nothing bought while money went (钱又被扣了 我啥也没买, 又扣了一百 这几天啥都没买): an
    # unknown charge, the stolen answer's 我没买东西钱却少了; not a purchase that failed (没买成)
    (
        re.compile("(?:啥|什么|任何东西)?(?:都|也)?没有?买(?:过)?(?:东西|啥|什么)?(?![成到上着])"),
        _only_if(re.compile("扣|少了|划走|转走|花了|不见|没了|不是我"), " 我没买东西 "),
    ),
    (
        re.compile(
            r"\bi (?:did not|have not|had not|never)(?: even)? (?:buy|bought|purchase|purchased"
            r"|order|ordered|spend|spent)(?: (?:anything|a thing|a single thing|nothing))?\b"
        ),
        _only_if(
            re.compile(
                r"\b(?:money|charged?|charges|taken|took|came out|went out|debited|deducted"
                r"|gone|balance)\b"
            ),
            " purchases i never made ",
        ),
    ),
    # someone else using the caller's wallet to buy (有人用我的钱包在外地买了东西): the stolen
    # answer's 有人盗用我的账户
    (
        re.compile(
            "(?:有人|别人|陌生人|不知道谁)(?:拿|用)了?我的?(?:钱包|账户|账号|帐号|帐户|号)"
            "(?=[^，。,]{0,10}?(?:买|消费|付|花|转))"
        ),
        "有人盗用我的账户",
    ),
    # a merchant or a payee the caller has never heard of or been to (那个商户我听都没听过,
    # 那个商家我从来没去过): an unknown transaction, as "a shop I've never been to" is
    (
        re.compile(
            "(?:商户|商家|店铺|店家|那家店|公司|收款方|收款人|地方)[^，。,]{0,4}?"
            "(?:听都没听过|听也没听过|(?:从来|从)?没听(?:说)?过?|(?:从来|从)?没去过?|压根不认识"
            "|根本不认识|都不认识|不认识)"
        ),
        " 陌生交易 ",
    ),
    # the identity papers given to us, kept or leaked (我填的身份证那些资料 你们怎么保管, 上传
    # 的身份证照片会不会泄露): personal data, the privacy answer's, not a sign-up's ID check
    (
        re.compile(
            "(?:身份证|证件|人脸|银行卡)的?(?:那些|这些)?(?:资料|信息|照片|号码)?"
            "(?=[^，。,]{0,16}?(?:保管|保存|存放|泄露|泄漏|外泄|卖给|拿去卖|给别人|安不安全|安全吗))"
        ),
        "个人信息",
    ),
    # which of several hotline numbers is the proper one (哪个是你们正经的, 哪个是正规的)
    (
        re.compile(
            "哪(?:个|一个)(?:号码?|电话)?(?:才)?是(?:你们|您们)?的?(?:正经|正规|真正|靠谱)的?"
        ),
        "哪个才是官方的",
    ),
    # a chat on the web asked for (网上有没有能直接聊天的地方, 能不能在网上直接跟你们聊): the
    # online chat
    (
        re.compile(
            "(?:网上|线上|网页上|网站上)(?:有没有|能不能|可不可以|可以|能)[^，。,]{0,6}?聊(?:天|聊|一下)?"
            "|(?:有没有|能不能|可不可以|可以|能)在?(?:网上|线上|网页上|网站上)[^，。,]{0,6}?聊(?:天|聊|一下)?"
        ),
        " 在线聊天 ",
    ),
    # an idea given to us is a suggestion (我想给你们出个主意, 我有个主意); not advice asked for
    # (给我出个主意)
    (re.compile("(?:给你们|跟你们|我)(?:出|有|提)(?:个|一个|几个)主意"), "提个建议"),
    # a wish for the app ("it would be nice if the app had a dark mode"): a suggestion
    (
        re.compile(
            r"\bit (?:would|will) be (?:nice|great|good|cool|helpful|better|awesome|handy)"
            r" if (?:the|your|this) (?:app|wallet)\b"
        ),
        "suggestion for the app",
    ),
    # paying money named as an area (付钱这一类的事, 付钱那一块): the payments area's 支付
    (re.compile("付钱(?=(?:这|那)?一?(?:类|块|大类|方面))"), "支付"),
    # another line of business (别的业务, 其他业务) is the other services
    (re.compile("(?:别的|其他的?|其它的?)业务"), "别的服务"),
    # not a cent come in (钱包里一毛钱都没见着, 一分没到): not arrived
    (
        re.compile(
            "(?:一分|一毛|一块|一个子儿?|一点)钱?(?:都|也)?(?:没有?|不见)(?:见着|见到|看到|进来|到|见)"
        ),
        "没到账",
    ),
    # neither of the two has arrived ("I topped up twice and neither one has shown up")
    (
        re.compile(
            r"\b(?:neither|none)(?: one| of them| of the two)?(?: has| have)?"
            r" (?:shown up|showed up|arrived|come through|came through|landed|appeared|reached)"
        ),
        " not arrived ",
    ),
    # the linked card swapped or no longer the caller's ("the card linked to my wallet isn't
    # mine anymore, someone swapped it"): the stolen answer's linked card changed
    (
        re.compile(
            r"\b(?:the |my )?(?:card linked to (?:my|the) (?:wallet|account)|linked (?:bank )?card)"
        ),
        _only_if(
            re.compile(r"\b(?:swapp\w*|replac\w*|switch\w*|not mine|someone else)"),
            " my linked card was swapped for someone else's ",
        ),
    ),
    # a password wrong many times, or no more tries allowed ("got the password wrong like six
    # times", "it won't let me try anymore"): a locked account
    (
        re.compile(
            r"\bpassword wrong(?: (?:like|about|maybe|around))? (?:\w+ times|too many times)"
            r"|\b(?:cannot|will not|does not|did not) let me (?:try|retry)(?: it)?"
            r" (?:again|anymore|any more)\b"
        ),
        " too many wrong passwords locked ",
    ),
    # payments taken with our QR code or wallet by a shop ("I own a small shop and want to
    # accept payments with your QR code"): a merchant's desk
    (
        re.compile(
            r"\b(?:accept|take|receive|collect)(?:ing)? (?:\w+ )?payments? (?:with|through|via"
            r"|using) (?:your|the) (?:qr codes?|wallet|app)\b"
        ),
        " sellerdesk ",
    ),
    # where to find what was bought ("where do I find what I bought in March", "look up what
    # I bought last week"): the purchase history
    (
        re.compile(
            r"\b(?:find|see|view|look up|check) (?:what|everything|all) i(?: have)?"
            r" (?:bought|spent|paid(?: for)?|purchased)\b"
        ),
        "purchase history",
    ),
)


def _folded(table: Mapping[str, str]) -> Mapping[str, str]:
    """word -> the word it is folded into, from each word -> the words (spaced) folded in."""
    return MappingProxyType({word: base for base, words in table.items() for word in words.split()})


# Irregular forms the stemmer leaves apart, and a few words callers use for the same thing.
_SAME = _folded(
    {
        # money "gone" has vanished ("my money is gone"); money that "went" somewhere moved
        "go": "went goes going",
        "come": "came",
        "take": "took taken",
        "send": "sent",
        "pay": "paid",
        "spend": "spent",
        "steal": "stole stolen theft thief thieves nicked pinched swiped robbed snatched"
        " pickpocketed",
        "lose": "lost",
        "forget": "forgot forgotten blanked",
        "make": "made",
        "say": "said",
        "draw": "drew drawn",
        "keep": "kept",
        "see": "saw seen",
        "tell": "told",
        "know": "knew known",
        "give": "gave given",
        "write": "wrote written",
        "break": "broke broken",
        "show": "shown",
        "not": "never no",
        "fraud": "fraudster fraudsters fraudulent defrauded",
        "complain": "complaint complaints complained grievance grievances",
        "safe": "safer safest safely secure securely",
        "disappear": "disappeared vanish vanished gone",
        "text": "texts texted sms",
        "phone": "mobile cellphone cell",
        "center": "centre",
        "private": "personal",  # (Snowball's stem of "personal" is "person")
        "link": "links url",
        "scam": "scammer scammers scammed scamming conned swindled cheated tricked",
        "hack": "hacker hackers hijack hijacked compromised",
        "password": "passcode passcodes pin pins",
        "unlock": "unblock unblocked unfreeze unfrozen",
        "buy": "bought purchase purchases purchased",
        "withdraw": "withdrew withdrawn cashout",
        "website": "site webpage",
        "bad": "terrible awful horrible poor rude",
        "feedback": "opinion opinions thoughts",
        "thing": "stuff",
        "money": "funds bucks amount amounts",
        "lower": "dropped decreased reduced",
        # a payment the shop or the wallet turned away, in the words callers use
        "decline": "declines rejected reject rejects refused refuses bounced bounce bounces",
        "topup": "deposit deposits deposited loaded reloaded",
        "genuine": "legit legitimate authentic",
        "suspicious": "suspect weird strange odd dodgy shady fishy",
        "information": "info data details",
        # data handed on is shared ("do you sell my info", "hand my details to")
        "share": "shares shared sharing sell sells selling sold hand hands handed",
        # who is sold the data
        "company": "companies advertisers advertiser marketers marketer",
        "someone": "somebody guy man woman lady stranger",
        "call": "rang phoned",
        "signup": "join joined joining enrol enroll enrolled",
        "representative": "executive executives",
    }
)


# Mandarin words callers use for the same thing, written one way (the characters of the
# two share too little for the n-grams to meet: 户头 and 账户, 口令 and 密码).
_ZH_SAME = _folded(
    {
        "账户": "户头",
        "登录": "登入 登陆",
        # (and English said to the Mandarin recogniser: 帕斯沃德 is "password", 诶真特 "agent")
        "密码": "口令 帕斯沃德 帕斯沃得 怕斯沃德",
        "人工": "诶真特 欸真特 艾真特 爱真特 埃真特",
        # formal written Mandarin: 今日 is 今天, 烦请 麻烦 (fillers both; 本人: _OPENINGS)
        "今天": "今日",
        "麻烦": "烦请",
        "验证码": "短信码 动态码 校验码 确认码",
        "真人": "活人",
        "客服人员": "工作人员",
        "客服电话": "客服号码 客服的号码 客服的电话",
        "应用": "软件 客户端 应用程序",
        "余额": "零钱",
        "转账": "汇款 打钱 转钱 钱转一下 转一下账 转个账 转下账 转笔账 转一下钱 转点钱 转笔钱",
        # the call passed on ("帮我转一下"; money passed on is caught before: _ZH_MONEY_ON)
        "转接": "转一下",
        # (and said apart: 提的现, 充了值)
        "提现": "提钱 取钱 取了钱 提了钱 提的现 提了现 提过现",
        "充值": "充钱 存钱 充的值 充了值 充过值",
        # going to the media or a regulator with it is a complaint ("找媒体曝光你们", "去银保
        # 监会告你们")
        "投诉": "吐槽 曝光 找媒体 告你们 去监管 找监管 找银保监会 找消协 打12315",
        "在线聊天": "网上聊天 文字聊天 文字聊 打字聊",
        "上次": "上回",
        # (an area named by two of its things: 被盗或者锁定 is the label's 被盗或锁定)
        "或": "或者",
        # ...and as a kind of thing ("被盗或者被锁这一类的" is 被盗被锁之类的)
        "之类": "这一类 这类 那一类 那类 一类 这一大类 那一大类 一大类 这大类 那大类",
        # ...or as what concerns it (登录密码验证码相关的 is 登录密码验证码方面)
        "方面": "相关",
        "被盗": "被偷 被黑",
        # used in secret by someone else (让人偷着用了, 被人偷用)
        "被盗用": "让人偷着用 被人偷着用 让人偷用 被人偷用 被偷着用 偷偷用了",
        "结账": "买单",
        # money moved out, frozen, a failed payment, a new account, a link: said around
        "转走": "划走 扣走",
        "冻结": "冻住 冻上",
        "解锁": "解开",
        "付不了": "付不成 没付成 交不上 付不上 交不了 缴不了 扫不出来 扫不上",
        # (and money sent to a person that will not go: a failed payment too)
        "付不过去": "转不过去 汇不过去",
        "更安全": "更保险",
        "注册": "弄个号 开个号 办个号 开个户 办个户",
        # (and asked whether it is genuine: "链接是真的假的")
        # (and which of several is: "哪个才是官方的")
        "骗子": "骗人的 是真的假的 真的假的 是真是假"
        " 哪个是真的 哪个才是真的 哪个是官方的 哪个才是官方的",
        "冒充": "自称 假冒 假装 装成",
        "链接": "网址",
        "建议": "想法",
        # dialect: northern 木有, south-western 莫得, 没得
        "没有": "木有 莫得 没得",
        "双重验证": "两步验证 二次验证 双重认证 两步认证 二次认证",
        "泄露": "泄漏 外泄 流出去",
        "个人信息": "个人资料 个人数据",
        # money not arrived, however the negation is put (不到账 is 没到账, not a how-to)
        "没到账": "不到账 到不了账 没有到账 未到账",
        "没到": "到不了 没有到 没见着 没见到",
        # not got is not received (验证码没拿到, 短信没接到)
        "没收到": "没拿到 没接到 没得到 没有收到",
        # the account or the app that will not open ("上不去了"; 进不去 is money too: 充值进不去),
        # or will not let the caller in (不让我进)
        "登不上": "上不去 上不了 不让我进 不让我登 不让进 不让登",
    }
)
# A Mandarin how-to ("怎么充值", "如何转账") is not a statement of its words ("充值没到账"),
# as "how do I" is not in English: it reads as the same word, "howto". 怎么 asking why
# ("怎么还没到", "怎么登不上", "怎么这么慢") or what to do ("怎么办", "怎么回事") is not one,
# nor "怎么联系你们", "怎么找客服": asking for a way to reach us is the request itself, with
# no problem of the same words to tell it from.
_ZH_HOWTO = re.compile(
    r"(?:怎么|怎样|如何|咋)(?!办|回事|样|弄|搞|整|了|还(?!款|钱)|不|没|老|总|一直|又|突然|会|就|都|也|"
    r"这么|那么|这样|那样|说|个|可能|联系|找(?!回))"
    # ...nor asking why a verb cannot ("怎么付不了", "啷个提不出来")
    r"(?![\u4e00-\u9fff]{1,2}不(?:了|上|进|出|到|成|动|开))"
)
# "不知道怎么转账" asks how, as "I don't know how to transfer" does: the frame goes, the
# how-to stays (不知道为什么, 不知道怎么回事 go as fillers).
_ZH_FRAME = re.compile(
    r"(?:不知道|不清楚|不晓得|不明白|搞不懂|弄不懂|不懂)(?=怎么|怎样|如何|咋|为什么|为啥)"
)
# 转一下 passes the call on ("帮我转一下", "转一下人工"), but money when where it goes or how
# much follows ("帮我转一下到银行卡", "转一下给我妈", "转一下500块").
_IN_CHARGE_ZH = "人工|客服|真人|主管|领导|经理|负责人|上级|工作人员|接线员|话务员"
_ZH_MONEY_ON = re.compile(
    rf"转一下(?![钱账])(?=\s*(?:(?:到|给|进|去|往)(?!{_IN_CHARGE_ZH})|\d|钱|卡|银行"
    r"|[零一二两三四五六七八九十百千万]+\s*(?:块|元|百|千|万)))"
)
# Money "没了" has gone ("钱没了", "卡里的钱突然没了"): once 了 goes as a filler, 钱没 would
# read as money not (yet) come, 钱没到. Said as the vanishing it is (the stolen answer's
# 不翼而飞), but for money topped up or withdrawn ("提的钱没了": on its way, or not).
# Money saved ("我存的钱没了") was there and is gone: the stolen answer's, as 钱没了 is.
_ZH_GONE = re.compile(
    r"(?<!提现的)(?<!充值的)(?<!转账的)(?<![提充取转]的)(?<![提充取转])"
    r"(钱|余额|存款|积蓄)([^，,。\s没]{0,4}?)没有?了"
)
_ZH_VARIANTS = re.compile("|".join(sorted(_ZH_SAME, key=len, reverse=True)))
# 说是 is impersonation only before whom it claims to be ("说是你们客服"); "提示说是余额不足"
# is a message quoted.
# A password the caller is sure of ("账号密码都没错", "密码肯定是对的") is the login
# answer's "密码没错", not the login-and-codes menu's "账号密码".
_ZH_PASSWORD_RIGHT = re.compile(
    r"(?:(?:账号|帐号|用户名)(?:和|跟)?)?密码(?:都|也|肯定|绝对|确实|明明)*"
    r"(?:没错|没有错|没输错|是对的|对的|对(?![方象面着])|正确|没问题)"
)
# Not knowing where to start is a how-to ("不知道从哪下手", "该从哪开始").
_ZH_WHERE_TO_START = re.compile(
    r"(?:不知道|不晓得|不清楚)?(?:该|要)?从(?:哪|何)(?:里|儿)?(?:下手|开始|入手|弄起)|无从下手"
)
# "Your people" asked for are a person ("叫你们的人来", "让你们的人接电话", "找个你们的工作
# 人员"), as 人工 is.
_ZH_YOUR_PEOPLE = re.compile(
    r"(?<=[叫找让要换请派])(?:个|一个)?(?:你们|您们)的?(?:人|工作人员|员工)(?:来|过来|接电话|接)?"
)
_ZH_CLAIMED = re.compile(r"说是(?=你们|客服|官方|平台|银行|公安|警察|工作人员|[^，。,.]{0,4}客服)")

# Said by callers who name things vaguely: money put in ("往里头存", "存进去") is a top-up;
# the balance that did not go up ("钱没多", "余额没变多") money not arrived; "弄个钱包",
# "搞一个账户" a sign-up; "叫个人来" a person; afraid of a scam ("怕被骗") its prevention;
# the code told to someone ("把验证码告诉了陌生人") a scam's.
_ZH_VAGUE = (
    # an area of the menu named with 问题 and nothing else ("付款问题", "登录的问题"): the
    # area, as 方面 says it (问题 goes as a filler, and 付款 alone is a payment failing;
    # 支付问题 is a phrase of its own)
    (
        re.compile(
            "^(?:我想问|我要问|想问|问一下|问问|关于)?(付款|付钱|交易|登录|账户安全|安全)的?问题$"
        ),
        r"\1方面",
    ),
    (
        re.compile(
            "往(?:里头|里面|里边|里|钱包里?|账户里?|这里|卡里)存|存(?:进去|进|到钱包里?|入钱包)"
        ),
        "充值",
    ),
    (
        re.compile("(钱|余额)(?:也|还|都|并)?(?:没有?|不见|没见)(?:多|增加|变多|涨|加上)"),
        r"\1没到账",
    ),
    (
        re.compile(
            "(?:弄|搞|整|开通|(?<!打)开|办|申请)(?:一个|一|个)(?:这个|新的|新)?"
            "(?:钱包|账号|帐号|账户|帐户|户头)(?![里的])"
        ),
        r"注册\g<0>",
    ),
    (re.compile("(?<=[叫找让要换请派])(?:个|一个)(?:活|真)?人(?=来|过来|接电话|帮|跟我)"), "人工"),
    # someone asked for to help ("有没有人能帮帮我", "能不能有个人帮我") is a person
    (
        re.compile(
            "(?:有没有|能不能有|有没有个|能不能找)个?人(?:能|可以|来)?帮(?:帮|一下|下|个忙)?(?:我|俺)?"
        ),
        "人工",
    ),
    # none of the options read out is something else ("上面那些都不是", "不在前面那几项里面",
    # "这些选项都不是", "前面几个选项里没有", "没有我要的选项"); not "这些都不是我买的", which
    # names its things ("都不是" alone declines what was asked: `intents._BARE_ANSWER`)
    (
        re.compile(
            "(?:(?:以上|前面|上面|刚才|刚刚|你说的|您说的)(?:说的|的)?(?:那|这)?(?:几|些)?(?:个|项)?(?:选项)?"
            "|(?:那|这)(?:几|些)?(?:个|项)?选项|(?:那|这)(?:几项|几个|些))"
            "(?:里面|里头|里|中|当中)?(?:都|全都|全)?(?:不是|没有|不对|不符合|对不上)"
            "(?!(?:我|俺)*(?:本人)?(?:亲自)?(?:买|消费|付|花|操作|做|转|刷|支付|用))"
            "|(?:选项)?(?:里面|里)?没有(?:我|俺)(?:要|想要|需要|想|要找|要问|想问)的?"
            "(?:选项|那个选项|那项)(?:啊|呀|吗|呢)?"
            "|不在(?:前面|上面|刚才)?(?:说的)?(?:那|这)?(?:几|些)?(?:个|项)?(?:选项)?(?:里面|里头|里|中|当中)"
        ),
        " 其他 ",
    ),
    # the wallet did the locking ("它就把我锁住了", "你们把我的账号冻结了"): a locked account,
    # not one the caller asks to freeze ("帮我把账户冻结起来"); 风控 is its risk control
    (
        re.compile(
            "(?:它|你们|您们|系统|平台|app|软件|钱包)(?:为什么|为啥|凭什么|干嘛|干啥)?"
            "(?:就|直接|居然|竟然|突然|自动|莫名其妙)?(?:地)?"
            "把(?:我|俺)?(?:的)?(?:账号|帐号|账户|帐户|钱包|号)?(?:给)?(?:锁|冻结|冻|封|限制)(?:住|上|起来)?"
        ),
        "账户被锁定",
    ),
    (re.compile("(?:被|给)?(?:风控|封控)"), "被限制"),
    # an annoyance says nothing of the request ("什么破系统")
    (re.compile("(?:什么|这个?|啥)破(?:系统|软件|app|应用|玩意儿?|东西|钱包)"), " "),
    # asked in the app or online, another way than the phone ("能不能在app里直接问",
    # "打字跟客服聊"); the phone busy ("电话总是占线") is why
    (
        re.compile(
            "(?:在|用)(?:app|应用|软件|网上|网页|官网|手机)(?:里|上)?(?:面|头)?(?:直接)?"
            "(?:问|咨询|留言|聊天?|打字)|打字(?:跟|和|同|找)?(?:客服|你们)?(?:聊天?|沟通|交流|咨询)"
        ),
        "在线咨询",
    ),
    # ...with someone there ("在网上直接跟客服聊"), or somewhere to ask online ("能在线问的地方")
    (
        re.compile(
            "(?:在|用)(?:app|应用|软件|网上|网页|官网|手机)(?:里|上)?(?:面|头)?(?:直接)?(?:跟|和|同|找)"
            "(?:客服|你们|人工)(?:的人)?(?:问|咨询|留言|聊天?|打字)|(?:在线|网上|线上)(?:问|提问|留言)"
        ),
        "在线咨询",
    ),
    # the caller's data sold is their privacy ("你们会不会把俺的信息卖了")
    (
        re.compile(
            "(?:把|拿)(?:我|俺)(?:的)?(?:个人)?(?:信息|资料|数据)(?:去|给)?(?:卖|出卖)"
            "|(?:卖|出卖)(?:掉|了)?(?:我|俺)(?:的)?(?:个人)?(?:信息|资料|数据)"
        ),
        "个人信息泄露",
    ),
    # ...and passed on to another company ("你们会不会拿去给别的公司用")
    (
        re.compile(
            "(?:你们|平台|钱包)[^，。]{0,12}?(?:拿去给|拿给|卖给|提供给|共享给|分享给|泄露给|透露给)"
            "(?:别的|其他|其它|第三方)(?:公司|机构|商家|平台)(?:用|看)?"
            "|(?:信息|资料|数据|隐私)[^，。]{0,6}?(?:给|交给|传给)(?:别的|其他|其它|第三方)"
            "(?:公司|机构|商家|平台|人)"
        ),
        "个人信息泄露",
    ),
    # where an impersonator was met is no channel asked about ("社交媒体上有人冒充你们客服")
    (
        re.compile(
            "(?:在)?(?:社交媒体|社交平台|社交软件|网上|微博|抖音|朋友圈)(?:上|里)?(?=[^，。]{0,3}冒充)"
        ),
        " ",
    ),
    # what to have ready before calling is how to contact us ("找你们人工之前要先备好哪些东西",
    # "what info should I have handy before I talk to one of your people")
    (
        re.compile(
            "(?:找|联系|打给|打电话给|问)(?:你们)?(?:的)?(?:人工|客服|工作人员)?(?:之前|以前|前)"
            "(?:要|得|需要|应该)?(?:先)?(?:准备|备好|备|带好|带上|准备好)(?:哪些|什么|啥|些什么)"
        ),
        "联系客服前要准备什么",
    ),
    # one of the company's people to talk to is a person ("想跟你们的人直接聊聊", "talk to
    # one of your people directly"; "自称你们工作人员" is not asked for)
    (re.compile("(?:跟|和|同|找)你们(?:的)?(?:人|工作人员)(?=直接|当面|聊|说|谈|沟通)"), "找人工"),
    (re.compile("(?:别的|其他|其它)(?:办法|方法|方式|途径|渠道)(?:问|咨询|联系)?"), "别的联系方法"),
    (re.compile("(?:客服)?电话(?:一直|总是|老是|都)?(?:占线|打不通|没人接|打不进来?)"), "不打电话"),
    # a courier by its name is a courier (for "有人冒充顺丰客服"; its hotline is re-prompted
    # before: `_HOTLINES`)
    (re.compile("顺丰|中通|圆通|申通|韵达|极兔|德邦|京东物流|菜鸟"), "快递"),
    # the money taken to the bank card is a withdrawal ("把钱提到银行卡上")
    (re.compile("(?<=钱)(?:提|弄|拿|取)(?:到|进|去)(?=(?:银行)?卡|银行)"), "提现到"),
    # over the limit is the withdrawal's limit ("它说超额度了"), not a card's ("信用卡超额度了")
    (re.compile("(?<![卡呗条])超(?:过|出)?了?(?:额度|限额)"), "超过提现额度"),
    # a support number asked about as reliable is asked about as real ("客服电话靠谱吗")
    (re.compile("靠谱|靠得住|可靠|可信|能信"), "是真的"),
    # safer "a bit" is safer
    (re.compile("(?<=安全)(?:一点|一些|点|些)"), " "),
    (re.compile("(?:怕|担心|害怕|防止|避免|以免|不想)(?:被骗|上当|受骗)"), "防骗"),
    (
        re.compile(
            "(?:把)?验证码(?:告诉|给|发给|报给)(?:了(?:{0})|(?:{0})了)|(?:告诉|给)了(?:{0})验证码".format(
                "他|她|别人|对方|陌生人|一个陌生人|骗子|那个人"
            )
        ),
        "被骗",
    ),
)

# How many instalments says nothing of the request ("分十二期", "分3期" are 分期).
# (nor how it is cut: 拆成三期, 分成六期, 拆开分几个月)
_ZH_INSTALMENTS = re.compile(
    r"(?:分|拆)(?:成|为|开分|开)?(?:\d+|[一二两三四五六七八九十几]{1,3})个?(?:期|月)"
)
# What the screen says, however it is put ("屏幕上写着", "弹出来"), is 显示; and the "请联系
# 客服" it ends with is the app's advice, not the caller asking for an agent.
_ZH_SCREEN = re.compile(
    r"(?:屏幕上|页面上|上面)?(?:写着|显示着|弹出来?|跳出来?)|屏幕上显示|页面显示"
)
_ZH_SCREEN_SAYS_CALL = re.compile(
    r"((?:显示|提示)[^，。,.]{0,16}?)(?:请|要|需要)?(?:联系|致电|找|打给)(?:人工)?客服(?:处理)?"
)


# Someone in charge is one word ("manager", "boss" -> "supervisor"; 领导, 经理 -> 主管) when
# asked for ("speak to a manager", "让你们领导接电话", "经理呢"), not when the caller's own
# ("I am a manager", "my boss told me", "我是公司经理", "我们领导"): that says nothing of
# the request, and goes. What decides is said just before, in a few words or characters:
# the last mark of the caller's own, unless a request (找, 让, "speak to", "your") follows it.
@dataclass(frozen=True)
class _InCharge:
    word: re.Pattern[str]
    one: str  # the word they are folded into
    own: re.Pattern[str]
    asked: re.Pattern[str]
    words: bool  # the span before is a few words (else a few characters)

    def fold(self, text: str) -> str:
        def folded(hit: re.Match[str]) -> str:
            before = text[: hit.start()]
            before = " ".join(before.split()[-5:]) if self.words else before.split(" ")[-1][-8:]
            mine = [m.end() for m in self.own.finditer(before)]
            if mine and not any(m.start() >= mine[-1] for m in self.asked.finditer(before)):
                return " "
            return self.one

        return self.word.sub(folded, text)


_IN_CHARGE = (
    _InCharge(
        re.compile(r"\b(?:manager|boss|superior|supervisor)(?:s|es)?\b"),
        "supervisor",
        re.compile(r"\b(?:i am|i'm|im|i was|i work as|as|my|our|we are|we're)\b"),
        re.compile(
            r"\b(?:speak|talk|get|want|need|see|ask|transfer|put|connect|your|let|call|reach"
            r"|escalate|have|is there|where|with|to)\b"
        ),
        words=True,
    ),
    _InCharge(
        re.compile("领导|经理|负责人|上级|主管"),
        "主管",
        re.compile(r"我是|我们|咱们|俺是|俺们|我当|作为|本人|我家|我的?$"),
        re.compile("找|叫|让|请|要|转|接|跟|和|同|与|见|你们|您们|贵"),
        words=False,
    ),
)


_A_TO_Z = re.compile(r"[a-z]")
_HANZI = re.compile(r"[\u4e00-\u9fff]")


def _script(pattern: re.Pattern[str]) -> str:
    """The script a rule's words are in: "en", "zh", or "any" (both, or neither). A rule
    in one script cannot change a text without it, so `rewrite` skips it there."""
    source = pattern.pattern
    if "\\u" in source or "\\x" in source:  # a character written as a code: keep it
        return "any"
    letters = re.sub(r"\\.", "", source)  # escapes (\b, \d, \s) are not words
    latin, han = bool(_A_TO_Z.search(letters)), bool(_HANZI.search(letters))
    return "any" if latin == han else "en" if latin else "zh"


_RULES = tuple(
    (pattern, spelled, _script(pattern))
    for pattern, spelled in _REGIONAL
    + _VARIETIES
    + _SPLITS
    + _HOURS
    + _WHEN
    + _OPENINGS
    + _ASIDES
    + _HOTLINES
    + _THREATS
    + _OTHER_SUBJECTS
    + _OTHER_SENSES
    + _CONCEPT
    + _FRAMES
    + _CONTRACTIONS
    + _MONEY
    + _PHRASAL
    + _AROUND
)
_IN_CHARGE_SCRIPTS = tuple((in_charge, _script(in_charge.word)) for in_charge in _IN_CHARGE)

# Most rules change nothing in a given text, and a text is mostly in one script. So the
# rules are taken a few at a time (in order), each group with one pattern per script that
# matches wherever one of the group's rules of that script (or of any) would: their
# patterns as alternatives. A group whose pattern finds nothing in a text of that script
# is passed over whole; else its rules run one by one, as always. A rule that cannot be an
# alternative (flags of its own, or groups it refers to) makes its group always run.
_GROUP = 8
_EVERYWHERE = re.compile("")
# a back reference, a condition on a group or a group's name: not safe beside other patterns
_OWN_GROUPS = re.compile(r"\\[1-9]|\(\?\(|\(\?P[<=]")
_Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str], str]


def _any_of(rules: tuple[_Rule, ...], scripts: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern that finds whatever one of `rules` in `scripts` would, or None when none is."""
    if any(p.flags != re.UNICODE or _OWN_GROUPS.search(p.pattern) for p, _, _ in rules):
        return _EVERYWHERE
    sources = [pattern.pattern for pattern, _, script in rules if script in scripts]
    return re.compile("|".join(f"(?:{source})" for source in sources)) if sources else None


_GROUPS = tuple(
    (rules, _any_of(rules, ("en", "any")), _any_of(rules, ("zh", "any")))
    for rules in (_RULES[i : i + _GROUP] for i in range(0, len(_RULES), _GROUP))
)


# A message with a link quotes a claim about the account to make the caller click ("a text
# with a link saying my account is suspended", "短信说我的账户被锁了让我点链接"): the claim
# is the bait, not the caller's problem, and goes; the link is what is asked about.
_LINK = re.compile(r"(?<![a-z])(?:links?|url)(?![a-z])|链接|网址")
_BAIT = (
    re.compile(
        r"\b(?:saying|that says|which says|says|said|telling me|claiming)(?: that)?"
        r" (?:my|your|the|our) (?:account|wallet|card|payment|money|balance)"
        r"(?: (?!(?:should|do|can|unless|and|so|if|or|with|links?|click|tap|please)\b)[a-z']+){0,4}"
    ),
    re.compile(
        r"(?:说|显示|提示|称)(?:我|您)?的?(?:账户|账号|钱包|银行卡|卡)[\u4e00-\u9fff]{0,8}?"
        r"(?=让|叫|要|请|点|赶紧|需要|链接|网址)"
    ),
)


_PRAISED = re.compile(
    "客服|小姐|小伙子|小哥|姑娘|美女|工作人员|接线员|话务员|人工|那位|这位"
    r"|\b(?:agents?|staff|lady|guy|person|man|woman|girl|representative|rep|operator"
    r"|advisor|adviser|people|team)\b"
)


# ...and someone who served the caller badly, the person asked for (人工) kept
_SERVED_BADLY = re.compile(
    "客服|小姐|小伙子|小哥|姑娘|美女|工作人员|接线员|话务员|那位|这位"
    r"|\b(?:agents?|staff|lady|guy|person|man|woman|girl|representative|rep|operator|advisor"
    r"|adviser|executive)\b"
)


def rewrite(text: str) -> str:
    """Spell out contractions, join phrasal verbs, write Mandarin variants one way."""
    if _LINK.search(text):
        for bait in _BAIT:
            text = bait.sub(" ", text)
    latin, han = bool(_A_TO_Z.search(text)), bool(_HANZI.search(text))
    for rules, in_latin, in_han in _GROUPS:
        if latin != han:  # (a text in both scripts, or neither, runs every group)
            could = in_latin if latin else in_han
            if could is None or not could.search(text):
                continue  # none of these rules would change it
        for pattern, spelled, script in rules:
            if script == "any" or (latin if script == "en" else han):
                changed = pattern.sub(spelled, text)
                if changed != text:  # a concept's word may bring Latin letters in
                    text = changed
                    latin, han = bool(_A_TO_Z.search(text)), bool(_HANZI.search(text))
    # a manager a pitch is for ("offer your manager a loan"), or someone praised ("表扬一下
    # 那位客服", "the agent who helped me was great"), is no one the caller asks for
    praised = "表扬" in text or "compliment" in text
    if praised:
        text = _PRAISED.sub(" ", text)
    elif "不满意" in text or "unhappy with" in text:  # (a person asked for stays)
        text = _SERVED_BADLY.sub(" ", text)
    pitched = praised or "salespitch" in text
    for in_charge, script in _IN_CHARGE_SCRIPTS:  # (each one's script worked out once)
        if script == "any" or (latin if script == "en" else han):
            text = in_charge.word.sub(" ", text) if pitched else in_charge.fold(text)
    if han:
        for pattern, spelled in _ZH_VAGUE:
            text = pattern.sub(spelled, text)
        text = _ZH_CLAIMED.sub("冒充", text)
        text = _ZH_INSTALMENTS.sub("分期", text)
        text = _ZH_SCREEN.sub("显示", text)
        text = _ZH_SCREEN_SAYS_CALL.sub(r"\1", text)
        text = _ZH_PASSWORD_RIGHT.sub("密码没错", text)
        text = _ZH_WHERE_TO_START.sub(" howto ", text)
        text = _ZH_YOUR_PEOPLE.sub("人工", text)
        text = _ZH_FRAME.sub(" ", text)
        text = _ZH_MONEY_ON.sub("转账", text)
        text = _ZH_GONE.sub(r"\1\2不翼而飞", text)
        text = _ZH_HOWTO.sub(" howto ", text)
        # Twice: one fold can make another's variant (木有到账 -> 没有到账 -> 没到账).
        for _ in range(2):
            text = _ZH_VARIANTS.sub(lambda hit: _ZH_SAME[hit.group()], text)
    return text


# A complaint that names its problem is a request about that problem: "我要投诉提现不到账",
# "I want to complain, I can't get the code" need the money's or the code's answer, not the
# comments recording. A complaint about us (the service, the staff, the app), or with
# nothing after it, stays a complaint.
_ABOUT_US = "客服|服务|态度|人员|应用|软件|体验|功能|app|service|staff|agent|support|rude|treat"
_COMPLAINT = (
    re.compile(
        f"(?:我要|我想|要|想)?(?:投诉|吐槽)(?:一下)?(?:你们)?(?!.*(?:{_ABOUT_US}))"
        r"(?=[\s，,。]*(?!你们|一下)[\u4e00-\u9fff]{2})"
    ),
    re.compile(
        r"\b(?:i )?(?:want to |would like to |wanna |need to )?"
        r"(?:complain|(?:make|file|lodge|have) a complaint)(?: about| that| because)?"
        f"(?!.*(?:{_ABOUT_US}))"
        r"(?=[\s,.]*\w+ \w)",
        re.IGNORECASE,
    ),
)


# A complaint about someone or something else (a neighbour's noise, a landlord, a shop, a
# driver, a school): the comments recording is for the wallet's service, so it answers none
# of these, unless the complaint names a problem of ours (`complaint_topic` first).
_OURS_ONLY = "客服|应用|软件|app|agent|support"
_COMPLAINS = re.compile(r"投诉|举报|吐槽|\b(?:complain\w*|report(?:s|ed|ing)?|grievance)\b")
_OTHERS = re.compile(
    "邻居|楼上|楼下|隔壁|对门|房东|物业|小区|装修|噪音|太吵|很吵|狗叫|商场|饭店|餐厅|饭馆|外卖员|快递员"
    "|司机|出租车|网约车|医院|医生|学校|老师|单位|公司的|城管|酒店|航空公司|银行|电信|移动公司|联通"
    "|外卖|卖家|店家|商家|网店|超市|商店|小卖部|药店|药房|门店|专卖店|那家店|店里|店员|收银员"
    "|幼儿园|托儿所|培训班|培训机构|驾校|健身房|保险公司|4s店"
    r"|\b(?:neighbou?rs?|landlord|landlady|tenants?|roommates?|flatmates?|noise|noisy|loud|bark\w*"
    r"|dogs?|restaurants?|hotels?|airlines?|flights?|drivers?|taxis?|uber|couriers?|postman|mailman"
    r"|schools?|teachers?|hospitals?|doctors?|council|police|boss|coworkers?|colleagues?|banks?"
    r"|contractors?|plumbers?|builders?|construction|carrier|internet provider|stores?|shops?"
    r"|supermarkets?|grocery|pharmac(?:y|ies)|cashiers?|salons?|gyms?|mechanics?"
    r"|kindergartens?|daycares?|nurser(?:y|ies)|preschools?|insurers?|insurance compan(?:y|ies))\b"
)


def complains_of_others(text: str) -> bool:
    """Whether `text` complains of someone or something that is not the wallet's."""
    text = text.lower()
    return bool(
        _COMPLAINS.search(text)
        and _OTHERS.search(text)
        # (态度, 服务, "rude" describe anyone: "投诉快递员态度太差" is the courier's)
        and not re.search(_OURS_ONLY + "|你们|钱包|wallet|your", text)
    )


def complaint_topic(text: str) -> str | None:
    """`text` without its complaint verb when a problem follows it, else None (the matcher
    tries the problem first, and the complaint when the problem alone fits no node)."""
    topic = text
    for pattern in _COMPLAINT:
        topic = pattern.sub(" ", topic)
    return topic if topic != text else None


def fold(word: str) -> str:
    """The word a caller's word is matched as (itself when the tables have none)."""
    return _SAME.get(word, word)


@dataclass(frozen=True)
class SoundAlikes:
    """The words of an index by their sound, to read a sound-alike as the word it stands for.

    Keys are Metaphone codes, which are made for this: "lacked" and "locked" are both LKT,
    "pay meant" and "payment" PMNT. A key one letter off still meets a long one ("resister"
    RSSTR and "register" RJSTR share RSTR), but only a word spelt much like the one heard
    is taken ("bike" is not "back", though both sound BK).
    """

    words: Mapping[str, str]  # key, or "~" + the key less one letter -> the commonest word

    @classmethod
    def of(cls, words: Iterable[str]) -> SoundAlikes:
        """Index `words` (with repeats: the commonest word wins a shared key)."""
        keyed: dict[str, str] = {}
        for word, _ in Counter(w for w in words if len(w) >= _SHORTEST).most_common():
            key = _key(word)
            keyed.setdefault(key, word)
            if len(key) >= _FUZZY:
                for shorter in _shorter(key):
                    keyed.setdefault("~" + shorter, word)
        return cls(MappingProxyType(keyed))

    def nearest(self, heard: str, fuzzy: bool = True) -> str | None:
        """The indexed word that `heard` most likely stands for, or None.

        `fuzzy` lets a key one letter off count (for one word heard, not two joined: the
        longer the string, the more words are one letter off it).
        """
        if len(heard) < _SHORTEST:
            return None
        key = _key(heard)
        if len(key) < _KEYED:
            return None
        # a short key is shared by many words: they must be spelt closer ("friday" is FRT)
        tries = [(key, _SPELT_ALIKE if len(key) >= _FUZZY else _SPELT_CLOSER)]
        if fuzzy and len(key) >= _FUZZY:  # a letter missing, one too many, or one changed
            off = ["~" + key, *_shorter(key), *("~" + k for k in _shorter(key))]
            tries += [(k, _SPELT_CLOSER) for k in off]
        for attempt, alike in tries:
            word = self.words.get(attempt)
            if word and jellyfish.jaro_winkler_similarity(heard, word) >= alike:
                return word
        return None


_SHORTEST = 4  # shorter words have too many sound-alikes
_KEYED = 3  # shorter keys are shared by too many words ("rate" and "write" are RT)
_FUZZY = 4  # keys at least this long also meet keys one letter off
# How alike the word heard and the word taken must be spelt (Jaro-Winkler similarity):
# closer when their keys are short or one letter apart ("station" is not "question").
_SPELT_ALIKE = 0.75
_SPELT_CLOSER = 0.85


def _key(word: str) -> str:
    # a sound said twice is heard once: two words joined ("come mint") repeat the sound
    # at the seam that the word has once ("comment")
    return _TWICE.sub(r"\1", jellyfish.metaphone(word))


_TWICE = re.compile(r"(.)\1+")


def _shorter(key: str) -> list[str]:
    return [key[:i] + key[i + 1 :] for i in range(len(key))]
