"""Generate a large, valid menus.yaml for the size benchmarks (not committed as data).

The tree has the shipped hotline's shape, repeated: menus of four answers each,
nested under submenus, with the same defaults, hours and agent line.

    python bench/genmenu.py --nodes 2000 > /tmp/menus-2000.yaml
"""

from __future__ import annotations

import argparse
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


def _menu(node_id: str, title: int, children: list[str], top: bool) -> str:
    lines = [
        f"  {node_id}:",
        "    type: menu",
        f"    prompt: {{zh-CN: 第{title}组问题。, en-US: Group {title}.}}",
    ]
    if top:
        lines.append("    global_keys: {main: null, back: null}")
    lines.append("    options:")
    for key, child in enumerate(children, 1):
        lines.append(
            f'      "{key}": {{label: {{zh-CN: 第{key}项, en-US: For item {key}}}, to: {child}}}'
        )
    return "\n".join(lines) + "\n"


def _answer(node_id: str, back: str, number: int) -> str:
    return (
        f"  {node_id}:\n    type: message\n"
        f"    say: {{zh-CN: 这是第{number}条答复，内容简短。, "
        f"en-US: 'This is answer number {number}, kept short.'}}\n"
        f"    next: {back}\n"
    )


def generate(total: int) -> str:
    """Return a menus file with about `total` nodes."""
    parts = [HEADER]
    count = 5  # the fixed nodes above
    menus: list[str] = []
    level = 0
    # Leaf menus of four answers each; then menus of up to 8 submenus above them.
    leaves: list[str] = []
    while count + 5 <= total - 20:
        menu_id = f"m{len(leaves)}"
        answers = [f"{menu_id}_a{i}" for i in range(1, 5)]
        parts.append(_menu(menu_id, len(leaves) + 1, answers, top=False))
        parts += [_answer(a, menu_id, n) for n, a in enumerate(answers, 1)]
        leaves.append(menu_id)
        count += 5
    menus = leaves
    while len(menus) > 8:
        level += 1
        upper = []
        for start in range(0, len(menus), 8):
            menu_id = f"g{level}_{start // 8}"
            parts.append(_menu(menu_id, start // 8 + 1, menus[start : start + 8], top=False))
            upper.append(menu_id)
        menus = upper
    parts.append(_menu("main", 0, menus, top=True))
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    args = parser.parse_args()
    sys.stdout.write(generate(args.nodes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
