"""Performance of the knowledge base, for `yibao bench`: load time and search latency.

figures() measures
  load_cold_ms      `python -c "import faq; faq.load()"` in a fresh interpreter (wall time)
  load_warm_ms      reading and validating every YAML file again in this process
  first_search_cold_ms  a fresh interpreter importing faq and answering one query (index from
                    the cache directory, jieba loaded)
  index_build_ms    building the search index from a loaded knowledge base
  search_median_ms, search_p99_ms   in-process latency per query, index already built, over
                    the entries' own wordings perturbed (a character dropped, two swapped,
                    filler added) plus off-topic queries
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time

from faq import load, search
from faq.knowledge import load_from
from faq.search import build_index, index

OFF_TOPIC = [
    "明天重庆天气怎么样",
    "公积金怎么提取",
    "社保卡坐公交能打折吗",
    "帮我写首诗",
    "重庆哪里好玩",
    "荣昌猪肉多少钱",
    "柑橘采摘节",
    "微信小游戏",
    "玩具厂招工",
    "耕地保护",
]


def _perturb(text: str, rnd: random.Random) -> str:
    chars = list(text)
    move = rnd.choice(["drop", "swap", "filler", "same"])
    if move == "drop" and len(chars) > 4:
        del chars[rnd.randrange(len(chars))]
    elif move == "swap" and len(chars) > 4:
        i = rnd.randrange(len(chars) - 1)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif move == "filler":
        chars = list(rnd.choice(["请问", "你好，我想问一下", "麻烦问下"])) + chars
    return "".join(chars)


def queries(n: int = 400, seed: int = 11) -> list[str]:
    rnd = random.Random(seed)
    wordings = [q for e in load().entries for q in e.questions]
    picked = [_perturb(rnd.choice(wordings), rnd) for _ in range(n - len(OFF_TOPIC) * 2)]
    return picked + OFF_TOPIC * 2


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def figures() -> dict:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import faq; faq.load()"], check=True)
    cold = time.perf_counter() - start

    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import faq; faq.search('断保一年要等多久')"], check=True)
    first_search = time.perf_counter() - start

    start = time.perf_counter()
    kb = load_from()
    warm = time.perf_counter() - start

    start = time.perf_counter()
    build_index(kb)
    build = time.perf_counter() - start

    index()  # the shipped index, built once
    qs = queries()
    for q in qs[:20]:
        search(q)  # warm the tokenizer and caches
    times = []
    for q in qs:
        t0 = time.perf_counter()
        search(q, k=5)
        times.append(time.perf_counter() - t0)
    times.sort()
    return {
        "entries": len(kb.entries),
        "question_wordings": sum(len(e.questions) for e in kb.entries),
        "load_cold_ms": _ms(cold),
        "load_warm_ms": _ms(warm),
        "first_search_cold_ms": _ms(first_search),
        "index_build_ms": _ms(build),
        "search_queries": len(times),
        "search_median_ms": _ms(statistics.median(times)),
        "search_p99_ms": _ms(times[int(0.99 * (len(times) - 1))]),
    }
