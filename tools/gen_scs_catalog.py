#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates catalogs/scs-2026-03-27.json (the SCS ★3/★4 catalog) from
../shared/reference/scs-criteria.jsonl and tools/scs_catalog_table.json.

Python 3 standard library only. The build never runs this script: its output is committed, and
catalog_test checks it (counts, titles against the JSONL, canonical form).

Usage: python3 tools/gen_scs_catalog.py [--jsonl PATH] [--out PATH]
"""

import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_JSONL = os.path.join(ROOT, "..", "shared", "reference", "scs-criteria.jsonl")
TABLE = os.path.join(ROOT, "tools", "scs_catalog_table.json")
DEFAULT_OUT = os.path.join(ROOT, "catalogs", "scs-2026-03-27.json")

# Published counts of the 2026-03-27 sheet (scs-scheme.md §2.2). The script refuses to write a
# catalog that does not reproduce them.
PUBLISHED = {
    3: {"requirements": 26, "criteria": 81,
        "per_category": {"1": 8, "2": 4, "3": 11, "4": 48, "5": 3, "6": 6, "7": 1}},
    4: {"requirements": 43, "criteria": 153,
        "per_category": {"1": 19, "2": 7, "3": 29, "4": 82, "5": 8, "6": 6, "7": 2}},
}

LEVEL_NAMES = {
    3: {"ja": "★3（Basic）", "en": "★3 (Basic)"},
    4: {"ja": "★4（Standard）", "en": "★4 (Standard)"},
}

RECURRENCE = {None: "none", "yearly": "yearly", "monthly": "monthly"}


def fail(message):
    print("gen_scs_catalog: " + message, file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jsonl", default=DEFAULT_JSONL)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()

    with open(TABLE, encoding="utf-8") as f:
        table = json.load(f)
    records = []
    with open(args.jsonl, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if line:
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as e:
                    fail("%s:%d: %s" % (args.jsonl, number, e))

    by_kind = {"category": [], "subcategory": [], "requirement": [], "criterion": []}
    for r in records:
        by_kind[r["kind"]].append(r)

    categories = []
    cat_index = {}
    for c in by_kind["category"]:
        cat = {
            "id": c["id"],
            "title_ja": c["title_ja"],
            "title_en": table["category_title_en"][c["id"]],
            "csf_function": c["csf_function"],
            "subcategories": [],
        }
        cat_index[c["id"]] = cat
        categories.append(cat)

    sub_index = {}
    for s in by_kind["subcategory"]:
        sub = {
            "id": s["id"],
            "title_ja": s["title_ja"],
            "title_en": table["subcategory_title_en"][s["id"]],
            "csf_category": s["csf_category"],
            "requirements": [],
        }
        if not s["id"].startswith(s["category"] + "-"):
            fail("subcategory %s is not under %s" % (s["id"], s["category"]))
        sub_index[s["id"]] = sub
        cat_index[s["category"]]["subcategories"].append(sub)

    req_index = {}
    req_levels = {}
    for r in by_kind["requirement"]:
        req = {
            "id": r["id"],
            "title_ja": r["title_ja"],
            "title_en": table["requirement_title_en"][r["id"]],
            "summary": {"ja": r["summary_ja"], "en": r["summary_en"]},
            "criteria": [],
        }
        if not r["id"].startswith(r["subcategory"] + "-"):
            fail("requirement %s is not under %s" % (r["id"], r["subcategory"]))
        req_index[r["id"]] = req
        req_levels[r["id"]] = sorted(int(x) for x in r["levels"])
        sub_index[r["subcategory"]]["requirements"].append(req)

    evidence_ja = table["evidence_ja"]
    for c in by_kind["criterion"]:
        if not c["id"].startswith(c["requirement"] + "-"):
            fail("criterion %s is not under %s" % (c["id"], c["requirement"]))
        if c["id"] not in evidence_ja:
            fail("no Japanese evidence hint for %s" % c["id"])
        crit = {
            "id": c["id"],
            "level": int(c["level"]),
            "guidance": {"ja": c["summary_ja"], "en": c["summary_en"]},
            "evidence_hint": {"ja": evidence_ja[c["id"]], "en": c["evidence"]},
            "recurrence": RECURRENCE[c["recurring"]],
        }
        req_index[c["requirement"]]["criteria"].append(crit)
    if len(evidence_ja) != len(by_kind["criterion"]):
        fail("the table has evidence hints for unknown criteria")

    # Counts, checked against the published ones.
    levels = []
    for level, published in sorted(PUBLISHED.items()):
        n_req = 0
        n_crit = 0
        per_cat = {}
        for cat in categories:
            for sub in cat["subcategories"]:
                for req in sub["requirements"]:
                    k = sum(1 for crit in req["criteria"] if crit["level"] <= level)
                    if k:
                        n_req += 1
                    n_crit += k
                    per_cat[cat["id"]] = per_cat.get(cat["id"], 0) + k
        if (n_req, n_crit, per_cat) != (published["requirements"], published["criteria"],
                                        published["per_category"]):
            fail("level %d: computed %d/%d %s, published %d/%d %s" % (
                level, n_req, n_crit, per_cat, published["requirements"],
                published["criteria"], published["per_category"]))
        levels.append({
            "level": level,
            "name": LEVEL_NAMES[level],
            "expected_requirements": published["requirements"],
            "expected_criteria": published["criteria"],
            "expected_criteria_per_category": dict(sorted(published["per_category"].items())),
        })
    # The ○ columns of the sheet agree with the criterion levels.
    for rid, req in req_index.items():
        first = min(crit["level"] for crit in req["criteria"])
        expected = [3, 4] if first == 3 else [4]
        if req_levels[rid] != expected:
            fail("requirement %s: levels %s but first criterion level %d" % (
                rid, req_levels[rid], first))

    catalog = {
        "format": "hoshitori-catalog",
        "format_version": 1,
        "catalog_id": "scs",
        "version": "2026-03-27",
        "official_title_ja": "サプライチェーン強化に向けたセキュリティ対策評価制度",
        "title": {
            "ja": "SCS評価制度 ★3・★4 要求事項・評価基準",
            "en": "SCS evaluation scheme: ★3/★4 requirements and evaluation criteria",
        },
        "publisher": "IPA",
        "published": "2026-03-27",
        "text_source": "paraphrase",
        "paraphrase_note": {
            "ja": "要旨・評価基準の説明・証跡の例は hoshitori による言い換えであり、公式の文言ではありません。"
                  "ID・要求事項名・分類名は公表どおりです。正式な文言は IPA の「★3・★4 要求事項・評価基準」"
                  "（Excel）を参照してください。",
            "en": "Summaries, criterion guidance and evidence hints are hoshitori's paraphrases, not the "
                  "official text. IDs, requirement titles and category names are as published. For the "
                  "official wording see IPA's \"★3・★4 要求事項・評価基準\" sheet (Excel).",
        },
        "sources": [
            "https://www.ipa.go.jp/security/scs/requirements-criteria.html",
            "https://www.ipa.go.jp/security/scs/rcu1hd0000007a2i-att/20260327001-c.xlsx",
        ],
        "levels": levels,
        "categories": categories,
    }
    text = json.dumps(catalog, ensure_ascii=False, indent=2) + "\n"
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %s (%d categories, %d subcategories, %d requirements, %d criteria)" % (
        args.out, len(categories), len(sub_index), len(req_index), len(by_kind["criterion"])))


if __name__ == "__main__":
    main()
