"""Write ivr/menu/pinyin.txt: the toneless pinyin of each common Chinese character.

The speech matcher compares Mandarin by sound as well as by character, so that a
recogniser's near-homophone (知府 for 支付, 体现 for 提现) still matches. pypinyin knows
the readings, but loading it costs tens of MB per worker; this table (one line per
syllable, its characters after a tab) holds only what the matcher needs. Regenerate with
`pip install pypinyin && python scripts/pinyin_table.py` (not a dependency of the server).
"""

from __future__ import annotations

import collections
from pathlib import Path

from pypinyin import Style, lazy_pinyin  # type: ignore[import-not-found]


def main() -> None:
    """Write the table for the CJK Unified Ideographs block."""
    table: dict[str, list[str]] = collections.defaultdict(list)
    for code in range(0x4E00, 0xA000):
        ch = chr(code)
        reading = lazy_pinyin(ch, style=Style.NORMAL, errors="ignore")
        if reading and reading[0].isascii() and reading[0].isalpha():
            table[reading[0]].append(ch)
    out = Path(__file__).resolve().parent.parent / "ivr" / "menu" / "pinyin.txt"
    lines = [f"{syllable}\t{''.join(chars)}" for syllable, chars in sorted(table.items())]
    out.write_text(
        "# Toneless pinyin per character, from pypinyin (scripts/pinyin_table.py).\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
