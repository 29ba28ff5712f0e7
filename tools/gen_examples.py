#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the demo answer files in examples/ from the shipped catalogs (run by hand, output committed).

The demo company, 星取精機株式会社 (a fictional 80-person parts maker), has most ★3 measures in place
but still lacks a few; its yearly checks are mostly current, one is overdue.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent

SCS_EXCEPTIONS = {
    "4-1-3-2": ("partial", "", "会計クラウドのみ多要素認証を導入済み。共有ストレージは来月対応予定。"),
    "4-3-4-2": ("not_implemented", "", "遠隔地バックアップは見積もり中。"),
    "7-1-1-1": ("partial", "", "受注システムの復旧目標は決めたが、代替手段の手順書が未作成。"),
    "6-1-1-4": ("not_implemented", "", ""),
    "4-5-1-7": ("not_applicable", "ファイアウォールのインターネット経由の設定変更機能を無効にしており、社内からのみ変更する。", ""),
}
OVERDUE = {"2-1-1-2": "2025-09-30"}


def criteria(path):
    catalog = json.loads((ROOT / path).read_text(encoding="utf-8"))
    for category in catalog["categories"]:
        for sub in category["subcategories"]:
            for req in sub["requirements"]:
                for crit in req["criteria"]:
                    yield req, crit


def scs_demo():
    lines = [
        "# hoshitori デモ用回答ファイル（架空の会社）: SCS評価制度 ★3",
        "# tools/gen_examples.py が生成。説明は言い換えです。正式な文言は IPA の要求事項・評価基準（Excel）を参照。",
        "catalog: scs-2026-03-27",
        "level: 3",
        "organization:",
        "  name: 星取精機株式会社",
        '  corporate_number: "7010001999990"',
        "answers:",
    ]
    for req, crit in criteria("catalogs/scs-2026-03-27.json"):
        if int(crit["level"]) > 3:
            continue
        status, reason, note = SCS_EXCEPTIONS.get(crit["id"], ("implemented", "", ""))
        lines.append(f'  "{crit["id"]}":  # {req["title_ja"]}')
        lines.append(f"    status: {status}")
        if reason:
            lines.append(f"    reason: {reason}")
        if note:
            lines.append(f"    note: {note}")
        if crit.get("recurrence") not in (None, "none") and status == "implemented":
            lines.append(f'    last_checked: {OVERDUE.get(crit["id"], "2026-04-15")}')
    return "\n".join(lines) + "\n"


def security_action_demo():
    partial = {"2-2-9-1", "2-3-21-1", "2-3-24-1"}
    missing = {"2-2-11-1", "2-3-22-1"}
    unknown = {"2-3-23-1"}
    lines = [
        "# hoshitori デモ用回答ファイル（架空の会社）: SECURITY ACTION ★2（5分でできる！情報セキュリティ自社診断）",
        "# tools/gen_examples.py が生成。",
        "catalog: security-action-2026-01",
        "level: 2",
        "organization:",
        "  name: 星取精機株式会社",
        "answers:",
    ]
    for req, crit in criteria("catalogs/security-action-2026-01.json"):
        cid = crit["id"]
        status = ("partial" if cid in partial else "not_implemented" if cid in missing
                  else "unknown" if cid in unknown else "implemented")
        lines.append(f'  "{cid}": {status}  # {req["title_ja"]}')
    return "\n".join(lines) + "\n"


(ROOT / "examples" / "scs-3-demo.yaml").write_text(scs_demo(), encoding="utf-8")
(ROOT / "examples" / "security-action-2-demo.yaml").write_text(security_action_demo(), encoding="utf-8")
