#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates catalogs/security-action-2026-01.json (IPA SECURITY ACTION ★1/★2) and
catalogs/mappings/security-action-2026-01-to-scs-2026-03-27.json.

Python 3 standard library only; the output is committed and the build never runs this script.
Sources (see docs/catalogs.md): ../shared/reference/catalogs.md §2. Item labels are as reproduced
on the pages cited there; every sentence of guidance and every evidence hint is our paraphrase.

Usage: python3 tools/gen_security_action_catalog.py
"""

import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "catalogs", "security-action-2026-01.json")
MAPPING_OUT = os.path.join(ROOT, "catalogs", "mappings",
                           "security-action-2026-01-to-scs-2026-03-27.json")


def t(ja, en):
    return {"ja": ja, "en": en}


# (title_ja, title_en, guidance, evidence hint, SCS requirements it prepares)
PRINCIPLES = [
    ("OSやソフトウェアは常に最新の状態にしよう！", "Keep OS and software up to date",
     t("パソコンやスマートフォンの OS・ソフトウェアの更新を放置せず、修正プログラムを適用して最新の状態に保つ。",
       "Do not leave OS and software updates pending: apply fixes so that PCs and phones stay up to date."),
     t("更新状況の一覧または管理画面、自動更新の設定", "update status list or console; automatic update settings"),
     ["4-4-4"]),
    ("ウイルス対策ソフトを導入しよう！", "Install anti-virus software",
     t("ウイルス対策ソフトを導入し、定義ファイルが自動で更新されるようにする。",
       "Install anti-virus software and let its definitions update automatically."),
     t("導入している端末の一覧、定義ファイルの自動更新の設定",
       "list of devices with anti-virus software; automatic definition update settings"),
     ["4-4-5"]),
    ("パスワードを強化しよう！", "Strengthen passwords",
     t("長く複雑で推測されにくいパスワードを使い、使い回さない。",
       "Use long, complex passwords that are hard to guess, and do not reuse them."),
     t("パスワードのルール、周知の記録", "password rule; announcement records"),
     ["4-1-5", "4-1-6"]),
    ("共有設定を見直そう！", "Review sharing settings",
     t("クラウドサービス、ネットワークにつないだ複合機・カメラ、NAS などの共有設定を見直し、必要な人だけが使えるようにする。",
       "Review the sharing settings of web services, networked printers, cameras and NAS so that only the people who need them can reach them."),
     t("共有設定の点検記録", "review record of sharing settings"),
     ["4-1-7", "4-4-1"]),
    ("脅威や攻撃の手口を知ろう！", "Learn about threats and attack methods",
     t("IPA などが発信する情報で新しい脅威や攻撃の手口を知り、社内で共有する。",
       "Follow information from IPA and others on new threats and attack methods, and share it inside the company."),
     t("参照している情報源、社内での共有の記録", "information sources followed; records of sharing inside the company"),
     ["3-2-1", "4-2-1"]),
]

NOTE_PARTIAL_21 = t(
    "項目名は二次資料で一部しか確認できていません。IPA の自社診断シートで確認してください。",
    "The label is only partly confirmed from secondary sources; check it against IPA's self-check sheet.")
NOTE_LABEL_4 = t(
    "二次資料では「アクセス制限」と「共有設定」の両方の表記が見られます。IPA の自社診断シートで確認してください。",
    "Secondary sources label this item both 'access restriction' and 'sharing settings'; check IPA's self-check sheet.")
NOTE_UNCONFIRMED = t(
    "この項目の名称と内容は参照資料で確認できていません（推定）。使う前に IPA の自社診断シートの原文で確認してください。",
    "The label and content of this item are not confirmed in our reference material (inferred). Check IPA's self-check sheet before relying on it.")

# (number, part, title_ja, title_en, guidance, evidence, mapping, note)
SELF_CHECK = [
    (1, 1, "脆弱性対策", "Vulnerability countermeasures",
     t("パソコンやスマートフォンなどの OS・ソフトウェアを常に最新の状態にしている。",
       "OS and software on PCs, phones and other devices are kept up to date."),
     t("更新状況の一覧、自動更新の設定", "update status list; automatic update settings"),
     ["4-4-4"], None),
    (2, 1, "ウイルス対策", "Anti-virus measures",
     t("パソコンなどにウイルス対策ソフトを導入し、定義ファイルを最新にしている。",
       "Anti-virus software is installed on PCs and similar devices, with current definitions."),
     t("導入している端末の一覧、定義ファイルの更新状況", "list of protected devices; definition update status"),
     ["4-4-5"], None),
    (3, 1, "パスワード管理", "Password management",
     t("推測されにくい長く複雑なパスワードを設定し、使い回しをしていない。",
       "Passwords are long, complex and hard to guess, and are not reused."),
     t("パスワードのルール、設定の確認記録", "password rule; record of a settings check"),
     ["4-1-5", "4-1-6"], None),
    (4, 1, "アクセス制限", "Access restriction",
     t("重要情報にアクセスできる人を必要な人に限り、共有設定も適切にしている。",
       "Access to important information is limited to those who need it, and sharing settings are appropriate."),
     t("アクセス権の一覧、共有設定の点検記録", "access rights list; review record of sharing settings"),
     ["4-1-7"], NOTE_LABEL_4),
    (5, 1, "脅威・攻撃手口の情報収集", "Gathering information on threats and attack methods",
     t("新しい脅威や攻撃の手口を知り、対策を社内で共有している。",
       "New threats and attack methods are followed, and countermeasures are shared inside the company."),
     t("参照している情報源、社内での共有の記録", "information sources followed; records of sharing inside the company"),
     ["3-2-1", "4-2-1"], None),
    (6, 2, "電子メール(受信)", "E-mail (receiving)",
     t("受信したメールの添付ファイルや本文中のリンクを不用意に開かないよう注意している。",
       "Staff take care not to open unexpected e-mail attachments or links carelessly."),
     t("注意喚起の記録、メール受信時のルール", "awareness notices; rules for handling received e-mail"),
     ["4-2-1", "4-4-5"], None),
    (7, 2, "電子メール・FAX(送信)", "E-mail and fax (sending)",
     t("メールや FAX の宛先を送信前に確認し、誤送信を防いでいる。",
       "Recipients of e-mails and faxes are checked before sending, to prevent mis-sends."),
     t("送信前確認のルール、誤送信対策の設定", "pre-send check rule; mis-send prevention settings"),
     ["4-3-3"], None),
    (8, 2, "重要情報の保護(暗号化)", "Protecting important information (encryption)",
     t("重要情報をメールで送るときは、暗号化などで保護している。",
       "Important information sent by e-mail is protected, for example by encryption."),
     t("暗号化のルール、送信の記録", "encryption rule; transmission records"),
     ["4-3-1", "4-3-3"], None),
    (9, 2, "無線LAN", "Wireless LAN",
     t("無線 LAN を安全な暗号化方式で設定して使っている。",
       "Wireless LANs are used with secure encryption settings."),
     t("無線 LAN の暗号化設定", "wireless LAN encryption settings"),
     ["4-5-1"], None),
    (10, 2, "インターネット利用(Web・SNS)", "Internet use (web and social media)",
     t("Web サイトの閲覧や SNS への書き込みでトラブルに巻き込まれないよう注意している。",
       "Staff browse the web and post on social media in ways that avoid trouble."),
     t("Web・SNS 利用のルール、注意喚起の記録", "rules for web and social media use; awareness notices"),
     ["4-2-1", "4-4-5"], None),
    (11, 2, "バックアップ", "Backup",
     t("ウイルス感染・故障・誤操作で重要情報が失われないよう、バックアップを取っている。",
       "Backups are taken so that important information is not lost through infection, failure or mistakes."),
     t("バックアップの設定と取得記録", "backup settings and logs"),
     ["4-3-4", "7-1-1"], None),
    (12, 2, "重要書類・媒体の保管", "Storing important documents and media",
     t("重要情報を記した書類や電子媒体を机の上に放置せず、安全な場所に保管している。",
       "Documents and media holding important information are not left on desks but kept in a safe place."),
     t("保管のルール、施錠保管の状況", "storage rules; locked storage in place"),
     ["3-1-4"], None),
    (13, 2, "持ち出し", "Taking information out",
     t("重要情報を社外へ持ち出すときは、盗難や紛失への対策をしている。",
       "When important information is taken out of the office, measures against theft and loss are taken."),
     t("持ち出しのルールと記録", "take-out rules and records"),
     ["4-1-9", "4-3-1"], None),
    (14, 2, "離席時", "Leaving your desk",
     t("席を離れるときは画面ロックなどで、のぞき見や他人による操作を防いでいる。",
       "When leaving the desk, the screen is locked to prevent peeking and misuse."),
     t("画面ロックの設定", "screen lock settings"),
     ["4-1-4"], None),
    (15, 2, "立ち入り制限", "Restricting entry",
     t("関係者以外が事務所に自由に立ち入れないようにしている。",
       "Outsiders cannot enter the office freely."),
     t("入館・来訪者の記録", "entry and visitor records"),
     ["4-1-7", "4-1-8"], None),
    (16, 2, "盗難防止", "Theft prevention",
     t("ノートパソコンや機器を施錠して保管するなど、盗難を防いでいる。",
       "Laptops and equipment are locked away or otherwise protected against theft."),
     t("施錠保管やワイヤーロックの状況", "locked storage or cable locks in place"),
     ["4-1-8", "3-1-1"], None),
    (17, 2, "施錠(戸締まり)", "Locking up",
     t("最後に退出する人が施錠するなど、事務所が無人になるときの戸締まりをしている。",
       "The office is locked when nobody is there, for example by the last person to leave."),
     t("戸締まりのルール、確認の記録", "locking-up rule; check records"),
     ["4-1-8"], None),
    (18, 2, "安全な廃棄", "Secure disposal",
     t("重要情報を含む書類や媒体は、復元できない方法で廃棄している。",
       "Documents and media with important information are disposed of so that they cannot be recovered."),
     t("廃棄の手順、廃棄証明書", "disposal procedure; disposal certificates"),
     ["3-1-4"], None),
    (19, 3, "守秘義務の周知", "Making confidentiality obligations known",
     t("従業員が守秘義務を理解し、守るようにしている。",
       "Employees understand and keep their confidentiality obligations."),
     t("誓約書、就業規則の守秘義務の条項", "signed pledges; confidentiality clause in the work rules"),
     ["1-2-3"], None),
    (20, 3, "従業員教育", "Employee education",
     t("従業員にセキュリティの教育を行い、繰り返し注意を促している。",
       "Employees receive security education and regular reminders."),
     t("教育の実施記録", "training records"),
     ["4-2-1", "4-2-2"], None),
    (21, 3, "個人所有機器の業務利用", "Business use of personal devices",
     t("個人所有のパソコンやスマートフォンを業務に使う場合のルールを決めている。",
       "There are rules for using personally owned PCs and phones for work."),
     t("個人所有機器の利用ルール、許可の記録", "rules for personal devices; approval records"),
     ["3-1-5", "4-1-9"], NOTE_PARTIAL_21),
    (22, 3, "取引先との契約", "Contracts with partners",
     t("重要情報を扱う取引先との契約に、秘密保持の条項を入れている。",
       "Contracts with partners that handle important information include confidentiality clauses."),
     t("秘密保持の条項を含む契約書", "contracts with confidentiality clauses"),
     ["2-1-2", "2-1-4", "2-1-5"], None),
    (23, 3, "外部サービスの利用", "Use of external services",
     t("クラウドなどの外部サービスを、安全性や信頼性を確かめてから選んでいる。",
       "Cloud and other external services are chosen after checking their security and reliability."),
     t("外部サービスの選定基準、選定時の確認記録", "selection criteria for external services; check records"),
     ["3-1-3"], NOTE_UNCONFIRMED),
    (24, 3, "事故への備え", "Preparing for incidents",
     t("情報漏えいやウイルス感染などの事故に備えて、緊急時の体制と手順を決めている。",
       "An emergency set-up and procedures are in place for incidents such as data leaks or infections."),
     t("緊急時の連絡体制と対応手順", "emergency contact chain and response procedure"),
     ["6-1-1", "4-2-2"], NOTE_UNCONFIRMED),
    (25, 3, "ルール化・明示", "Making rules and communicating them",
     t("1〜24 の対策を社内のルールにまとめ、従業員に明示している。",
       "Measures 1 to 24 are written down as company rules and made known to employees."),
     t("社内ルールの文書、周知の記録", "written company rules; announcement records"),
     ["1-1-1", "1-3-1"], None),
]

PARTS = {
    1: ("基本的対策", "Basic measures"),
    2: ("従業員としての対策", "Measures as an employee"),
    3: ("組織としての対策", "Measures as an organisation"),
}

POLICY = ("情報セキュリティ基本方針を定めて公開", "Drawing up and publishing a basic security policy",
          t("情報セキュリティ基本方針を定め、社内外に公開する。",
            "Draw up an information security basic policy and publish it inside and outside the company."),
          t("基本方針の文書、公開している Web ページなど",
            "basic policy document; the web page or other place where it is published"),
          ["1-3-1"])


def criterion(cid, level, guidance, evidence, scored=False, note=None):
    c = {"id": cid, "level": level}
    if scored:
        c["scored"] = True
    c["guidance"] = guidance
    c["evidence_hint"] = evidence
    c["recurrence"] = "none"
    if note:
        c["note"] = note
    return c


def requirement(rid, title_ja, title_en, criteria):
    return {"id": rid, "title_ja": title_ja, "title_en": title_en, "criteria": criteria}


def main():
    mapping_entries = []

    reqs = []
    for i, (title_ja, title_en, guidance, evidence, to) in enumerate(PRINCIPLES, 1):
        rid = "1-1-%d" % i
        reqs.append(requirement(rid, title_ja, title_en,
                                [criterion(rid + "-1", 1, guidance, evidence)]))
        mapping_entries.append({"from": rid + "-1", "to": to})
    cat1 = {"id": "1", "title_ja": "情報セキュリティ5か条",
            "title_en": "Five information security principles",
            "subcategories": [{"id": "1-1", "title_ja": "5か条への取組み",
                               "title_en": "Working on the five principles",
                               "requirements": reqs}]}

    subs = []
    for part, (pja, pen) in PARTS.items():
        reqs = []
        for number, p, title_ja, title_en, guidance, evidence, to, note in SELF_CHECK:
            if p != part:
                continue
            rid = "2-%d-%d" % (part, number)
            reqs.append(requirement(rid, title_ja, title_en,
                                    [criterion(rid + "-1", 2, guidance, evidence, True, note)]))
            mapping_entries.append({"from": rid + "-1", "to": to})
        subs.append({"id": "2-%d" % part, "title_ja": pja, "title_en": pen, "requirements": reqs})
    cat2 = {"id": "2", "title_ja": "5分でできる！情報セキュリティ自社診断",
            "title_en": "Five-minute information security self-check", "subcategories": subs}

    title_ja, title_en, guidance, evidence, to = POLICY
    cat3 = {"id": "3", "title_ja": "情報セキュリティ基本方針",
            "title_en": "Information security basic policy",
            "subcategories": [{"id": "3-1", "title_ja": "基本方針の策定と公開",
                               "title_en": "Drawing up and publishing the basic policy",
                               "requirements": [requirement("3-1-1", title_ja, title_en,
                                                            [criterion("3-1-1-1", 2, guidance,
                                                                       evidence)])]}]}
    mapping_entries.append({"from": "3-1-1-1", "to": to})

    n_scored = sum(1 for item in SELF_CHECK)
    assert n_scored == 25
    catalog = {
        "format": "hoshitori-catalog",
        "format_version": 1,
        "catalog_id": "security-action",
        "version": "2026-01",
        "official_title_ja": "SECURITY ACTION（セキュリティ対策自己宣言）",
        "title": t("SECURITY ACTION ★1・★2（情報セキュリティ5か条・5分でできる！情報セキュリティ自社診断）",
                   "SECURITY ACTION ★1/★2 (five principles and the five-minute self-check)"),
        "publisher": "IPA",
        "published": "2026-01",
        "text_source": "paraphrase",
        "paraphrase_note": t(
            "5か条と自社診断の項目名は公表資料（二次資料での再掲を含む）によるもので、説明文と証跡の例は hoshitori による"
            "言い換えです。正式な文言は IPA の「情報セキュリティ5か条」と「5分でできる！情報セキュリティ自社診断」を"
            "参照してください。SECURITY ACTION は自己宣言であり、認定や認証ではありません。",
            "Principle and self-check item labels are as published (partly as reproduced on secondary pages); "
            "guidance and evidence hints are hoshitori's paraphrases. For the official wording see IPA's "
            "\"情報セキュリティ5か条\" and \"5分でできる！情報セキュリティ自社診断\". SECURITY ACTION is a "
            "self-declaration, not a certification."),
        "sources": [
            "https://e-words.jp/w/SECURITY_ACTION.html",
            "https://implus.co.jp/ImplusSecurityRule.html",
            "https://sg.jnsa.org/topic/63/",
            "https://sg.jnsa.org/topic/73",
            "https://shanaitaisei.metro.tokyo.lg.jp/r5/seminar01/page3-3-3.html",
        ],
        "levels": [
            {"level": 1, "name": t("★1（一つ星）", "★1 (one star)"),
             "expected_requirements": 5, "expected_criteria": 5,
             "expected_criteria_per_category": {"1": 5}},
            {"level": 2, "name": t("★2（二つ星）", "★2 (two stars)"),
             "expected_requirements": 31, "expected_criteria": 31,
             "expected_criteria_per_category": {"1": 5, "2": 25, "3": 1}},
        ],
        "scoring": {
            "level": 2,
            "points": {"implemented": 4, "not_implemented": 0, "partial": 2, "unknown": -1},
            "max_score": 4 * n_scored,
            "bands": [
                {"min_score": 100, "label": t("入門レベルの対策ができている",
                                              "Entry-level measures are in place")},
                {"min_score": 70, "label": t("一部に不十分な対策がある",
                                             "Some measures are insufficient")},
                {"min_score": 50, "label": t("対策の不足が目立つ",
                                             "Gaps in the measures are noticeable")},
                {"min_score": -1 * n_scored,
                 "label": t("いつ事故が起きてもおかしくない", "An incident could happen at any time")},
            ],
        },
        "categories": [cat1, cat2, cat3],
    }
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(catalog, ensure_ascii=False, indent=2) + "\n")

    mapping = {
        "format": "hoshitori-catalog-mapping",
        "format_version": 1,
        "id": "security-action-2026-01-to-scs-2026-03-27",
        "from_catalog": "security-action-2026-01",
        "to_catalog": "scs-2026-03-27",
        "title": t("SECURITY ACTION の取組みと、それが準備になる SCS評価制度の要求事項",
                   "SECURITY ACTION items and the SCS requirements they prepare for"),
        "note": t("hoshitori による対応付けであり、IPA の公式な対応表ではありません。項目を実施しても、対応する要求事項を"
                  "満たすとは限りません。",
                  "This mapping is hoshitori's judgement, not an official IPA correspondence table. Doing an "
                  "item does not by itself meet the requirements it points to."),
        "entries": mapping_entries,
    }
    with open(MAPPING_OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(mapping, ensure_ascii=False, indent=2) + "\n")
    print("wrote %s and %s" % (OUT, MAPPING_OUT))


if __name__ == "__main__":
    main()
