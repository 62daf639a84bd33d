"""Is this a department's 预算/决算 disclosure?  Rules where they are certain, a small
model learned from real titles for the rest.

In: 部门预算, 部门决算, 单位预算, 单位决算 and their 公开 tables, 说明 and 附件.  Out: the
government's own budget (政府预算, 总预算, 本级预算, 财政决算, 预算执行情况, 预算草案),
notices about budgets (关于编制2025年部门预算的通知), procurement and tenders, and
绩效评价 reports.  Titles full of the right words are often of the wrong kind, so the
rules below decide only what a title says beyond doubt; the model (character n-grams,
naive Bayes, trained on ``crawler/data/titles.jsonl``: real titles with their source
URLs, described in ``crawler/data/README.md``) judges the rest of the money titles, and
says "unknown" when it is unsure.

Pure functions: no Scrapy, no HTTP.  ``python -m gongkai.crawler.relevance`` retrains the
shipped model and prints precision and recall on the frozen titles of unseen portals.
"""

from __future__ import annotations

import enum
import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

DATA_DIR = Path(__file__).resolve().parent / "data"
TITLES_PATH = DATA_DIR / "titles.jsonl"
FROZEN_PATH = DATA_DIR / "titles-frozen.jsonl"  # portals never trained on: the fair test
MODEL_PATH = DATA_DIR / "relevance-model.json"


class Verdict(enum.Enum):
    """What a title (link text, file name, first page) says about a file or page."""

    DISCLOSURE = "disclosure"
    NOT_DISCLOSURE = "not_disclosure"
    UNKNOWN = "unknown"


# -- rules: only what is beyond doubt ----------------------------------------------------

# Announcements that mention a 预算 (金额) but are never a department's budget.
ANNOUNCEMENT = re.compile(
    r"招标|中标|投标|采购公告|采购意向|采购需求|采购合同|成交|询价|磋商|竞争性|比选|遴选|"
    r"会议通知|培训(?!费)|报名|申报指南|征求意见|招聘|拍卖|挂牌|出让"
)
# Documents about budgets rather than budgets: notices, rules, replies, decisions.
NOTICE = re.compile(
    r"(?:通知|通告|通报|办法|细则|规定|规程|意见|批复|决定|决议|函|方案|指南|纪要|工作要点)"
    r"\s*(?:[（(][^）)]*[)）])?\s*$"
    r"|^\s*关于(?:印发|做好|编制|开展|报送|下达|批复|组织|进一步|加强|推进|转发)"
)
# Rules, guides and explainers about budgets, wherever the word stands ("预算决算公开管理办法及
# 实施细则最新", "财办202312号预算管理一体化规范全文", "部门决算填报说明", "2022年度部门决算报表说明
# 及附表(财政汇总编写格式)"), and questions ("我国预算包括哪些部分构成"): never a budget.
GUIDANCE = re.compile(
    r"办法|细则|条例|规程|制度|规范|指引|填报说明|编写格式|操作指南|知识|问答|"
    r"哪些|什么|怎么|如何|多少|[？?]\s*$|^\s*我国|范文|精选|\d+篇|"
    # News about budgets rather than budgets: meetings ("空天院召开2023年部门预算部署会"), "晒" and
    # "披露" stories, amounts in a headline ("清华预算近300亿"), two clauses split by a comma
    # ("山东111个省级部门向社会公开决算信息,公众可上网查询"); a document's title has none of them.
    r"相继|披露|晒|记者|报道|召开|举行|举办|(?<!协商)会议(?!费|中心)|(?:部署|推进|调度|座谈|通报)会|"
    r"\d+(?:\.\d+)?\s*[万亿]|[\u4e00-\u9fff”》）)][，,]\s*[\u4e00-\u9fff“《]"
)
# A whole region's figures rather than one body's: "全省137个县市区预算全公开", "全县…三公经费",
# a region's own 三公 ("2019年度鹿寨县“三公”经费支出决算情况", "奉新县2023年“三公”经费预算…").
REGION_WIDE = re.compile(
    r"^\s*(?:\d{4}\s*年度?)?全(?:国|省|市|县|区|州|盟|旗)"
    r"|^\s*(?:\d{4}\s*年度?)?[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|州|盟|县|区|旗)(?:本级|级)?"
    r"(?:\d{4}\s*(?:年度?)?)?(?:部门决算|部门预算)?[“\"]?三公"  # "云县2023“三公”经费决算…统计表"
)
# The government's (a region's) own budget and its reports to the people's congress. A
# township government's own 决算 is a body's disclosure ("…大青山乡人民政府决算公开"), and a
# department's 对下转移支付预算表 is one of its tables (the Yunnan template), so neither is here.
GOVERNMENT = re.compile(
    r"(?<![乡镇]人民)政府(?:预算|决算)|总预算|总决算|本级预算|本级决算|财政预算|财政决算|[省市县区州旗镇乡]级预算|"
    r"[省市县区州旗镇乡]级决算|预算执行情况|预算草案|决算草案|预算调整方案|"
    r"(?:一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?)(?:收支|收入)|保险基金|政府债务|债券|"
    r"(?<![（(])本级(?:基本)?(?:支出|收入)|(?<![（(])本级[“\"]?三公|"
    # a region's or 本级 funds ("2022年西夏区一般公共预算拨款…", "本级一般公共预算基本支出预算表");
    # a body's tables say 一般公共预算财政拨款 without a region before it
    r"(?:[省市县区州旗镇乡]|本级)(?:本级|级)?(?:一般公共预算|政府性基金|国有资本经营|社会保险基金)(?!财政拨款)|"
    r"税收返还|转移支付(?:分地区|分项目|决算表|执行)|转移性(?:收支|收入|支出)"
)
# A portal's general column rather than a document: "预决算公开", "财政预决算公开专栏", "2024年
# 预决算" (a page title that is only the column; "部门预决算" names department disclosures).
COLUMN = re.compile(r"^\s*(?:\d{4}\s*年度?)?(?:财政)?预决算(?:公开|信息)?(?:专栏|专题)?\s*$")
# A performance evaluation report (of a project or another body), not the budget itself; the
# 绩效自评表 and 绩效自评情况 that a 决算 carries among its own tables are not reports.
EVALUATION = re.compile(r"绩效.{0,8}(?:评价|自评|评估|监控|审计)(?!表|情况)")
# What a department's disclosure calls itself.
DEPARTMENT = re.compile(
    r"(?:部门|单位|机关|局|委|办|院|所|中心|学校|[小中大]学|幼儿园|医院|馆|站|队)(?:\s*[（(][^）)]*[)）])?"
    r"(?:\d{4}\s*年(?:度)?)?[^，。,；;]{0,8}?(?:预算|决算)"
    r"|(?:部门|单位)(?:预算|决算|预决算)"
    r"|(?:预算|决算)(?:公开|信息公开|情况说明|编制说明|报表|公开表|明细表|总表|表)"
)
BUDGET = re.compile(r"预算|决算")
# Titles the model may judge: those that say 预算/决算, and the standard tables and sections of a
# disclosure that go without the word ("单位收支总表", "政府采购支出情况", "国有资产占用情况"),
# but not bare column names ("政府采购", "三公经费"), which lead to lists, not documents.
MONEY = re.compile(
    r"预算|决算|(?:收支总|收入总|支出总|三公|经费|财政拨款|绩效目标|绩效自评|国有资产|政府采购|机关运行)"
    r"\S*(?:表|情况|说明)"
)
# A part of a document: a numbered section, table or attachment ("十三、其他需要说明的情况",
# "第一部分 部门概况", "表九:…", "附件1:…"). Never a column of a portal, so the model may judge it
# even without 预算/决算; but its name alone cannot rule it out (the same heading opens a section
# of a department's 决算 and of the government's), so a "no" from the model leaves it to the page.
SECTION = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[）)]|"
    r"\d{1,2}\s*[、.．](?!\d)|表[一二三四五六七八九十\d]+|附件\s*\d*\s*[:：])"
)
# Link text that names nothing ("附件1", "下载", the file's own numbered name).
GENERIC = re.compile(
    r"^\s*(?:附件\s*\d*|附件下载|下载|点击下载|点此下载|查看|详情|原文|全文|"
    r"P0\d+|[A-Za-z0-9_\-.]+\.(?:pdf|docx?|xlsx?|wps|et|zip))?\s*[:：]?\s*$",
    re.IGNORECASE,
)


def rule_verdict(title: str) -> Verdict:
    """Decide a title by the rules alone; UNKNOWN where they are not certain."""
    text = _clean(title)
    if not text or GENERIC.match(text):
        return Verdict.UNKNOWN
    if ANNOUNCEMENT.search(text) or NOTICE.search(text) or EVALUATION.search(text) or GUIDANCE.search(text) \
            or REGION_WIDE.search(text) or COLUMN.match(text):
        return Verdict.NOT_DISCLOSURE
    if not BUDGET.search(text):
        return Verdict.UNKNOWN
    department = DEPARTMENT.search(text)
    if GOVERNMENT.search(text) and not re.search(r"部门(?!经济分类)|单位", text):  # 部门经济分类 is a classification
        return Verdict.NOT_DISCLOSURE
    if department and not GOVERNMENT.search(text):
        return Verdict.DISCLOSURE
    return Verdict.UNKNOWN


# -- the model -------------------------------------------------------------------------

NGRAMS = (1, 2, 3)
THRESHOLD = 0.5        # P(disclosure) above which an undecided title counts as one
UNSURE = 0.2           # within this distance of THRESHOLD the model says "unknown"


def features(title: str) -> Counter[str]:
    """Character n-grams of a title with years and numbers folded (2024年 → 0年)."""
    text = re.sub(r"\d+", "0", _clean(title))
    grams: Counter[str] = Counter()
    for n in NGRAMS:
        grams.update(text[i:i + n] for i in range(len(text) - n + 1))
    return grams


@dataclass
class Model:
    """Multinomial naive Bayes over character n-grams (two classes)."""

    log_prior: dict[str, float]
    log_prob: dict[str, dict[str, float]]
    log_unseen: dict[str, float]

    def probability(self, title: str) -> float:
        """P(disclosure | title)."""
        scores = dict(self.log_prior)
        for gram, count in features(title).items():
            for label in scores:
                scores[label] += count * self.log_prob[label].get(gram, self.log_unseen[label])
        top = max(scores.values())
        odds = {label: math.exp(score - top) for label, score in scores.items()}
        return odds["1"] / sum(odds.values())

    def to_json(self) -> dict:
        return {"log_prior": self.log_prior, "log_prob": self.log_prob, "log_unseen": self.log_unseen}


def train(examples: Iterable[dict], min_count: int = 1) -> Model:
    """Fit the model on ``{"title", "label"}`` examples (label 1: a disclosure)."""
    counts = {"0": Counter(), "1": Counter()}
    documents = Counter()
    for example in examples:
        label = str(int(example["label"]))
        documents[label] += 1
        counts[label].update(features(example["title"]))
    vocabulary = {g for c in counts.values() for g, n in c.items() if n >= min_count}
    total_documents = sum(documents.values())
    log_prior, log_prob, log_unseen = {}, {}, {}
    for label, grams in counts.items():
        total = sum(grams[g] for g in vocabulary) + len(vocabulary) + 1
        log_prior[label] = math.log((documents[label] + 1) / (total_documents + 2))
        log_prob[label] = {g: round(math.log((grams[g] + 1) / total), 5) for g in sorted(vocabulary) if grams[g]}
        log_unseen[label] = math.log(1 / total)
    return Model(log_prior, log_prob, log_unseen)


@lru_cache(maxsize=1)
def load_model() -> Model:
    data = json.loads(MODEL_PATH.read_text("utf-8"))
    return Model(data["log_prior"], data["log_prob"], data["log_unseen"])


def model_verdict(title: str, model: Model | None = None) -> Verdict:
    probability = (model or load_model()).probability(title)
    if abs(probability - THRESHOLD) < UNSURE:
        return Verdict.UNKNOWN
    return Verdict.DISCLOSURE if probability > THRESHOLD else Verdict.NOT_DISCLOSURE


def title_verdict(title: str | None, model: Model | None = None) -> Verdict:
    """Rules first; the model for money titles (``MONEY``) and parts of documents (``SECTION``)
    that the rules leave open; a part the model rejects stays open for its page to decide."""
    if not title:
        return Verdict.UNKNOWN
    verdict = rule_verdict(title)
    section = bool(SECTION.match(title))
    if verdict is not Verdict.UNKNOWN or GENERIC.match(_clean(title)) or not (MONEY.search(title) or section):
        return verdict
    verdict = model_verdict(title, model)
    return Verdict.UNKNOWN if section and verdict is Verdict.NOT_DISCLOSURE else verdict


def judge(*titles: str | None, model: Model | None = None) -> Verdict:
    """Judge a file or page by all its names (link text, file name, Content-Disposition
    name, article title): any certain "no" wins, then any "yes"."""
    verdicts = [title_verdict(t, model) for t in titles if t]
    if Verdict.NOT_DISCLOSURE in verdicts:
        return Verdict.NOT_DISCLOSURE
    if Verdict.DISCLOSURE in verdicts:
        return Verdict.DISCLOSURE
    return Verdict.UNKNOWN


def says_nothing(text: str | None) -> bool:
    """Link text like ``附件1`` or ``下载``: the file is judged by its page and contents."""
    return not text or bool(GENERIC.match(text))


def _clean(text: str | None) -> str:
    """A title without its file extension, whitespace or the 【】 tags of list pages."""
    text = re.sub(r"\.(?:pdf|docx?|xlsx?|wps|et|zip|html?)$", "", (text or "").strip(), flags=re.I)
    return re.sub(r"\s+", "", text)


# -- data and evaluation -----------------------------------------------------------------

def load_titles(path: Path = TITLES_PATH) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def site_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def evaluate(examples: list[dict], decide) -> dict[str, float]:
    """Precision and recall of ``decide(title) -> Verdict`` (UNKNOWN counts as "no")."""
    tp = fp = fn = tn = 0
    for example in examples:
        said = decide(example["title"]) is Verdict.DISCLOSURE
        if said and example["label"]:
            tp += 1
        elif said:
            fp += 1
        elif example["label"]:
            fn += 1
        else:
            tn += 1
    return {"n": len(examples), "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0, "false_positives": fp, "false_negatives": fn}


def site_folds(examples: list[dict], folds: int = 5) -> list[list[dict]]:
    """The examples in ``folds`` groups by site (hashed), for cross-validation."""
    groups: list[list[dict]] = [[] for _ in range(folds)]
    for example in examples:
        groups[hashlib.sha256(site_of(example["url"]).encode()).digest()[1] % folds].append(example)
    return groups


def deciders(model: Model) -> list[tuple[str, object]]:
    return [("rules + model", lambda t: title_verdict(t, model)),
            ("model alone", lambda t: model_verdict(t, model)),
            ("rules alone", rule_verdict),
            ("old keyword rule (预算|决算)", lambda t: Verdict.DISCLOSURE if BUDGET.search(t) else Verdict.UNKNOWN)]


def main() -> None:
    """Retrain the shipped model on every title of ``titles.jsonl``, save it, and report
    precision and recall on the frozen titles (portals it never saw), then over every title of
    both files by 5-fold cross-validation grouped by site (each fold's model trained on the
    other folds' sites)."""
    examples, frozen = load_titles(), load_titles(FROZEN_PATH)
    model = train(examples)
    MODEL_PATH.write_text(json.dumps(model.to_json(), ensure_ascii=False, sort_keys=True), "utf-8")
    load_model.cache_clear()
    for name, rows in (("training", examples), ("frozen", frozen)):
        print(f"{name}: {len(rows)} titles ({sum(e['label'] for e in rows)} disclosures) from "
              f"{len({site_of(e['url']) for e in rows})} sites")
    for name, decide in deciders(model):
        figures = evaluate(frozen, decide)
        print(f"  frozen      {name:28} precision {figures['precision']:.3f}  recall {figures['recall']:.3f}  "
              f"(fp {figures['false_positives']}, fn {figures['false_negatives']})")
    folds = site_folds(examples + frozen)
    totals: dict[str, dict[str, int]] = {}
    for index, fold in enumerate(folds):
        fold_model = train([e for i, other in enumerate(folds) if i != index for e in other])
        for name, decide in deciders(fold_model):
            figures = evaluate(fold, decide)
            total = totals.setdefault(name, {"tp": 0, "fp": 0, "fn": 0})
            total["tp"] += sum(e["label"] for e in fold) - figures["false_negatives"]
            total["fp"] += figures["false_positives"]
            total["fn"] += figures["false_negatives"]
    for name, total in totals.items():
        precision = total["tp"] / (total["tp"] + total["fp"]) if total["tp"] + total["fp"] else 0.0
        recall = total["tp"] / (total["tp"] + total["fn"]) if total["tp"] + total["fn"] else 0.0
        print(f"  5-fold/site {name:28} precision {precision:.3f}  recall {recall:.3f}  "
              f"(fp {total['fp']}, fn {total['fn']})")


if __name__ == "__main__":
    main()
