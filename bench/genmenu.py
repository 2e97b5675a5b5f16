"""Generate a large, valid menus.yaml for the size benchmarks (not committed as data).

The tree has the shipped hotline's shape, repeated: menus of four answers each,
nested under submenus, with the same defaults, hours and agent line. With `--phrases N`
every menu accepts speech and every answer has N example phrases per language, drawn
from a wallet hotline's vocabulary, for the speech matcher's cost at this size.

    python bench/genmenu.py --nodes 2000 [--phrases 3] > /tmp/menus-2000.yaml
"""

from __future__ import annotations

import argparse
import random
import sys

HEADER = """version: 1
languages: [zh-CN, en-US]
start: welcome
main_menu: main
agent_node: agent
defaults:
  on_max: agent
  voices:
    zh-CN: {voice: Polly.Zhiyu, language: cmn-CN, speech_language: cmn-Hans-CN}
    en-US: {voice: Polly.Joanna, language: en-US, speech_language: en-US}
  global_key_labels:
    agent: {zh-CN: 人工服务, en-US: To speak to an agent}
    repeat: {zh-CN: 重听, en-US: To hear these choices again}
    back: {zh-CN: 返回上一级, en-US: To go back}
    main: {zh-CN: 返回主菜单, en-US: For the main menu}
schedules:
  agents:
    timezone: Asia/Shanghai
    weekly: {daily: ["08:00-20:00"]}
    holidays: {country: CN, hours: ["09:00-18:00"]}
nodes:
  welcome:
    type: message
    say: {zh-CN: 您好，欢迎致电。, en-US: Hello and welcome.}
    next: main
  agent:
    type: hours
    schedule: agents
    open: agent_dial
    closed: voicemail
  agent_dial:
    type: dial
    number: ${AGENT_NUMBER:-+8610555000111}
    no_answer: voicemail
    completed: goodbye
  voicemail:
    type: record
    prompt: {zh-CN: 请在提示音后留言。, en-US: Please leave a message after the tone.}
    next: goodbye
  goodbye:
    type: hangup
    say: {zh-CN: 再见。, en-US: Goodbye.}
"""


def _menu(node_id: str, title: int, children: list[str], top: bool, speech: bool) -> str:
    lines = [
        f"  {node_id}:",
        "    type: menu",
        f"    prompt: {{zh-CN: 第{title}组问题。, en-US: Group {title}.}}",
    ]
    if speech:
        lines.append("    speech: true")
    if top:
        lines.append("    global_keys: {main: null, back: null}")
    lines.append("    options:")
    for key, child in enumerate(children, 1):
        lines.append(
            f'      "{key}": {{label: {{zh-CN: 第{key}项, en-US: For item {key}}}, to: {child}}}'
        )
    return "\n".join(lines) + "\n"


# Words the generated phrases are drawn from: a wallet hotline's vocabulary, so phrases
# share words as real ones do and the index's posting lists have a realistic length.
_ZH = [
    "账户",
    "支付",
    "密码",
    "提现",
    "充值",
    "转账",
    "银行卡",
    "验证码",
    "登录",
    "冻结",
    "解冻",
    "余额",
    "账单",
    "分期",
    "退款",
    "商户",
    "扫码",
    "红包",
    "手续费",
    "限额",
    "实名",
    "认证",
    "绑定",
    "解绑",
    "手机号",
    "邮箱",
    "客服",
    "投诉",
    "到账",
    "失败",
    "被盗",
    "异常",
    "交易",
    "消费",
    "积分",
    "优惠券",
    "发票",
    "信用卡",
    "借记卡",
    "二维码",
    "指纹",
    "人脸",
    "注销",
    "升级",
]
_EN = [
    "account",
    "payment",
    "password",
    "withdrawal",
    "top-up",
    "transfer",
    "card",
    "code",
    "login",
    "freeze",
    "unlock",
    "balance",
    "bill",
    "instalment",
    "refund",
    "merchant",
    "scan",
    "fee",
    "limit",
    "identity",
    "verify",
    "link",
    "unlink",
    "phone",
    "email",
    "complaint",
    "arrived",
    "failed",
    "stolen",
    "unusual",
    "transaction",
    "purchase",
    "points",
    "coupon",
    "invoice",
    "credit",
    "debit",
    "fingerprint",
    "face",
    "close",
    "upgrade",
    "wallet",
    "statement",
]


def _phrases(rng: random.Random, seen: set[str], count: int) -> str:
    """Example phrases of one answer: vocabulary words, no two phrases of the file alike."""
    zh: list[str] = []
    en: list[str] = []
    for words, joiner, out in ((_ZH, "", zh), (_EN, " ", en)):
        while len(out) < count:
            text = joiner.join(rng.sample(words, 3))
            if text not in seen:
                seen.add(text)
                out.append(text)
    return f"    phrases: {{zh-CN: [{', '.join(zh)}], en-US: [{', '.join(en)}]}}\n"


def _answer(node_id: str, back: str, number: int, phrases: str) -> str:
    return (
        f"  {node_id}:\n    type: message\n"
        f"    say: {{zh-CN: 这是第{number}条答复，内容简短。, "
        f"en-US: 'This is answer number {number}, kept short.'}}\n"
        + phrases
        + f"    next: {back}\n"
    )


def generate(total: int, phrases: int = 0) -> str:
    """Return a menus file with about `total` nodes, and `phrases` per answer and language."""
    parts = [HEADER]
    rng = random.Random(2000)  # the same file every run
    seen: set[str] = set()
    count = 5  # the fixed nodes above
    menus: list[str] = []
    level = 0
    # Leaf menus of four answers each; then menus of up to 8 submenus above them.
    leaves: list[str] = []
    while count + 5 <= total - 20:
        menu_id = f"m{len(leaves)}"
        answers = [f"{menu_id}_a{i}" for i in range(1, 5)]
        parts.append(_menu(menu_id, len(leaves) + 1, answers, top=False, speech=phrases > 0))
        parts += [
            _answer(a, menu_id, n, _phrases(rng, seen, phrases) if phrases else "")
            for n, a in enumerate(answers, 1)
        ]
        leaves.append(menu_id)
        count += 5
    menus = leaves
    while len(menus) > 8:
        level += 1
        upper = []
        for start in range(0, len(menus), 8):
            menu_id = f"g{level}_{start // 8}"
            parts.append(
                _menu(
                    menu_id, start // 8 + 1, menus[start : start + 8], top=False, speech=phrases > 0
                )
            )
            upper.append(menu_id)
        menus = upper
    parts.append(_menu("main", 0, menus, top=True, speech=phrases > 0))
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--phrases", type=int, default=0, help="per answer and language")
    args = parser.parse_args()
    sys.stdout.write(generate(args.nodes, args.phrases))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
