"""How the search's weights, score calibration and threshold were chosen (reproducible).

    python -m bot.bench.calibrate            # measure the shipped WEIGHTS, fit the calibration
    python -m bot.bench.calibrate --grid     # also search a grid of weights (a few minutes)

In-scope queries are the entries' own wordings, each scored with its own wording held out of
the index (5-fold), so every query is a paraphrase the index has not seen. Off-topic queries
are NEGATIVES below plus bot/bench/data/offtopic.yaml. A one-variable logistic regression maps the
weighted feature sum of the top candidate to the probability that it is the right entry:
that probability is the 0..1 score a Hit carries. The threshold is set just above the best
score any off-topic query reaches.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
from pathlib import Path

import yaml

from faq.knowledge import KnowledgeBase, load
from faq.search import WEIGHTS, Index, build_index, combine, features

NEGATIVES = """重庆明天会下雨吗|这周末气温多少度|住房公积金能取出来吗|公积金贷款利率|社保卡乘地铁有折扣吗|
社保卡丢了怎么补办|养老保险交满15年能领多少|失业保险金怎么申请|工伤认定要多久|个人所得税怎么退|
身份证过期了去哪换|护照怎么办理|解放碑怎么坐车|磁器口好玩吗|推荐一家火锅店|写一首关于长江的诗|
给我讲个故事|今天几号|现在几点了|奉节长连村撂荒地整治|坡耕地改梯田|小游戏市场规模有多大|
微信小游戏开发者大会|毛绒玩具加工厂|琪金集团荣昌猪|荣昌猪保种场|八角井村柑橘采摘|古佛山梯田花海|
消防安全宣传|移风易俗志愿活动|驾驶证到期换证|车子违章怎么查|孩子上小学怎么报名|幼儿园学费多少|
房价会跌吗|股票怎么买|手机坏了去哪修|电费怎么交|水费在哪交|燃气费交费方式|怎么办营业执照|
结婚登记需要什么材料|离婚手续|狗证怎么办|考研报名时间|英语四级成绩查询|高速公路收费标准|机票怎么退|
火车票改签|快递丢了找谁|how are you|what is the weather|123456|？？？|哈哈哈|你是谁|你叫什么名字|
谢谢你|再见""".replace("\n", "").split("|")
OFFTOPIC_TESTS = Path(__file__).resolve().parent / "data" / "offtopic.yaml"


def _without(kb: KnowledgeBase, held: set[tuple[str, str]]) -> Index:
    entries = [
        e.model_copy(update={"questions": [q for q in e.questions if (e.id, q) not in held]}) for e in kb.entries
    ]
    reduced = KnowledgeBase.model_construct(documents=kb.documents, entries=entries)
    reduced.model_post_init(None)
    return build_index(reduced)


def held_out_features(kb: KnowledgeBase, folds: int = 5, seed: int = 7):
    """(true entry id, features by position, entry ids) for every wording, its fold held out."""
    items = [(e.id, q) for e in kb.entries for q in e.questions]
    random.Random(seed).shuffle(items)
    out = []
    for f in range(folds):
        held = items[f::folds]
        idx = _without(kb, set(held))
        ids = [e.id for e in idx.entries]
        out += [(eid, features(q, idx), ids) for eid, q in held]
    return out


def negative_features() -> list[dict]:
    queries = list(NEGATIVES)
    if OFFTOPIC_TESTS.exists():
        queries += yaml.safe_load(OFFTOPIC_TESTS.read_text(encoding="utf-8"))["queries"]
    return [features(q) for q in queries]


def _top(feats: dict, weights) -> list[tuple[float, int]]:
    return sorted(((combine(f, weights), p) for p, f in feats.items()), reverse=True)


def fit_logistic(xs: list[float], ys: list[int], steps: int = 50) -> tuple[float, float]:
    """Newton's method for p = 1 / (1 + exp(-(a x + b))), lightly regularised."""
    a, b = 1.0, 0.0
    for _ in range(steps):
        ga = gb = 0.0
        haa, hab, hbb = 1e-3, 0.0, 1e-3
        for x, y in zip(xs, ys, strict=True):
            p = 1 / (1 + math.exp(-(a * x + b)))
            ga += (p - y) * x
            gb += p - y
            w = p * (1 - p)
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab
        a -= (hbb * ga - hab * gb) / det
        b -= (haa * gb - hab * ga) / det
    return a, b


def measure(data, negs, weights, top: int = 3) -> dict:
    xs, ys = [], []
    for eid, feats, ids in data:
        ranked = _top(feats, weights)
        if ranked:
            xs.append(ranked[0][0])
            ys.append(int(ids[ranked[0][1]] == eid))
    neg_best = [(_top(f, weights) or [(0.0, 0)])[0][0] for f in negs]
    xs += neg_best
    ys += [0] * len(neg_best)
    a, b = fit_logistic(xs, ys)
    raw_threshold = max(neg_best) + 0.01
    found = 0
    for eid, feats, ids in data:
        found += any(ids[p] == eid and s >= raw_threshold for s, p in _top(feats, weights)[:top])
    return {
        "weights": weights,
        "recall_top3": found / len(data),
        "a": a,
        "b": b,
        "raw_threshold": raw_threshold,
        "threshold": 1 / (1 + math.exp(-(a * raw_threshold + b))),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--grid", action="store_true")
    args = ap.parse_args()
    kb = load()
    data = held_out_features(kb)
    negs = negative_features()
    print("shipped", measure(data, negs, WEIGHTS))
    if args.grid:
        steps = [0, 0.1, 0.2, 0.3]
        results = [
            measure(data, negs, w) for w in itertools.product(steps, repeat=len(WEIGHTS)) if abs(sum(w) - 1) < 1e-9
        ]
        for r in sorted(results, key=lambda r: -r["recall_top3"])[:10]:
            print(r)


if __name__ == "__main__":
    main()
