"""The speech matcher's cost: time per utterance and memory, shipped menu and 2,000 nodes.

Issue 16's targets: under 1 ms median per utterance on a 2,000-node menu, at most +10 MB
per worker. The 2,000-node menu is bench/genmenu.py's with example phrases on every
answer (`--phrases`); its index is built as loading builds it, from the checked model,
without the load's phrase check (which matches every phrase: its cost is printed apart).

    python bench/speech.py [--phrases 3]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bench.genmenu import generate  # noqa: E402
from ivr.menu import intents  # noqa: E402
from ivr.menu.loading import _spoken, load_menus  # noqa: E402
from ivr.menu.schema import MenusFile  # noqa: E402

SAID = [  # what callers say, both languages, in scope and not
    "我的账户被盗了",
    "钱提不出来",
    "嗯那个我付款老是失败怎么回事",
    "我想查一下账单分期还多少",
    "明天天气怎么样",
    "my account was hacked",
    "I didn't get the verification code",
    "my payment failed at the store yesterday, what do I do",
    "what's the weather like tomorrow",
    "can I talk to a real person please",
]


def _index(text: str) -> tuple[intents.Intents, float, float]:
    """Build the index of a menus file: the index, seconds, and MB it holds (traced)."""
    model = MenusFile.model_validate(yaml.safe_load(text))
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    spoken = _spoken(model, model.nodes)
    seconds = time.perf_counter() - started
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    assert spoken is not None, "this menu takes no speech"
    return spoken.intents, seconds, held


def _per_utterance(index: intents.Intents, rounds: int = 30) -> tuple[float, float]:
    """Median and p99 microseconds of one match over SAID."""
    times = []
    for _ in range(rounds):
        for said in SAID:
            started = time.perf_counter()
            index.match(said)
            times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times) * 1e6, times[int(len(times) * 0.99)] * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=3, help="per answer and language")
    args = parser.parse_args()
    intents._sounds()  # shared by every menu: not the index's memory
    intents._stemmer()

    rows = []
    shipped_text = (ROOT / "menus.yaml").read_text(encoding="utf-8")
    for name, text in (
        ("shipped menu", shipped_text),
        ("2,000 nodes", generate(2000, args.phrases)),
    ):
        index, build, held = _index(text)
        median, p99 = _per_utterance(index)
        rows.append((name, len(index.texts), build, held, median, p99))
    started = time.perf_counter()
    load_menus(ROOT / "menus.yaml")
    shipped_load = time.perf_counter() - started

    heads = ("phrases", "build s", "index MB", "median us", "p99 us")
    print(f"{'menu':<14} " + " ".join(f"{h:>9}" for h in heads))
    for name, count, build, held, median, p99 in rows:
        print(f"{name:<14} {count:>9} {build:>9.2f} {held:>9.1f} {median:>9.0f} {p99:>9.0f}")
    _, count, _, held, median, _ = rows[1]
    print(
        f"targets (2,000 nodes): median {median / 1000:.2f} ms (< 1 ms: "
        f"{'met' if median < 1000 else 'NOT met'}), index {held:.1f} MB (<= +10 MB: "
        f"{'met' if held <= 10 else 'NOT met'})"
    )
    print(
        f"load + validate with the phrase check: shipped menu {shipped_load:.2f} s; the check "
        f"matches each phrase, so for 2,000 nodes about {count * median / 1e6:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
