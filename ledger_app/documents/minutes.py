"""The minutes (会议记录) and the sign-in sheet (签到表) of a meeting, as Word and as PDF.

One context builder per document turns the meeting record (``services.meetings.get_meeting``)
into plain strings and lists; the Word renderer fills a template from ``templates/`` and the PDF
renderer lays the same context out with reportlab. What the clerk left empty is printed as
【待补充】 — the title, time, place, chair, recorder, the lecturer of a 党课, topics, attendance,
speeches and the meeting's content — never invented. Lists that may truly be empty (列席, votes,
resolutions, 补学, the remark) print 无 instead. The sign-in sheet lists 应到 (the recorded
attendance grid, or the rules' list before the meeting) with room to sign, and blank rows for 列席.

Which Word template a meeting uses is decided in one place, ``minutes_template``: 党课 have their
own layout (lecturer, 授课内容), every other kind uses the general one.
"""

from datetime import date
from pathlib import Path

from ..errors import LedgerError
from . import MISSING, atomic_output, cn_date

GENERAL_TEMPLATE = "minutes.docx"
KIND_TEMPLATES = {"lecture": "minutes_lecture.docx"}  # kinds whose minutes have a layout of their own
SIGNIN_TEMPLATE = "signin.docx"
SUFFIXES = (".pdf", ".docx")
BLANK_OBSERVER_ROWS = 3  # empty rows for 列席 on the sign-in sheet, after any already recorded
NONE = "无"


def minutes_template(kind: str) -> str:
    """The Word template for the minutes of a meeting of ``kind``."""
    return KIND_TEMPLATES.get(kind, GENERAL_TEMPLATE)


def chinese_number(n: int) -> str:
    """1–99 in ordinary Chinese numerals, for numbering: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一."""
    digits = "零一二三四五六七八九"
    tens, units = divmod(n, 10)
    if n < 10:
        return digits[n]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def _text(value) -> str:
    text = "" if value is None else str(value).strip()
    return text or MISSING


def _time(start: str, end: str) -> str:
    if start and end:
        return f"{start}—{end}"
    if start:
        return f"{start} 开始（结束时间{MISSING}）"
    return MISSING if not end else f"（开始时间{MISSING}）至 {end}"


def _record(meeting_id: int):
    from ..services.meetings import get_meeting

    return get_meeting(meeting_id)


def _branch_name() -> str:
    from ..services.branch import get_profile

    profile = get_profile()
    return _text(profile.name if profile else "")


def _heading_title(record) -> str:
    """The document's title line: 党课记录, 支部党员大会会议记录 …"""
    return "党课记录" if record.kind == "lecture" else f"{record.kind_label}会议记录"


def minutes_context(meeting_id: int, today: date | None = None) -> dict:
    """Every field of the meeting's record as printable text, shared by both renderers.

    ``today`` is only the printing date (``printed_on``), for a clerk's template that wants it.
    """
    r = _record(meeting_id)
    recorded = r.attendance_recorded
    absentees = [{"name": a.name,
                  "reason": a.reason_label + (f"：{a.reason_note}" if a.reason_note else "") or MISSING}
                 for a in r.absentees]
    topics = [{"seq": str(i), "title": t, "text": f"{i}. {t}"} for i, t in enumerate(r.topics, 1)]

    discussion = []
    by_topic: dict[int | None, list] = {}
    for s in r.speeches:
        by_topic.setdefault(s.topic_seq, []).append(s)
    for seq, title in enumerate(r.topics, 1):
        if seq in by_topic:
            discussion.append({"heading": f"议题{chinese_number(seq)}：{title}", "body": ""})
            discussion += [{"heading": f"{_text(s.speaker_name)}：", "body": s.points} for s in by_topic[seq]]
    if None in by_topic:
        if discussion:
            discussion.append({"heading": "其他发言", "body": ""})
        discussion += [{"heading": f"{_text(s.speaker_name)}：", "body": s.points} for s in by_topic[None]]
    if not discussion:
        discussion = [{"heading": "", "body": MISSING}]

    votes = [{"seq": str(v.seq), "motion": v.motion, "kind_label": v.kind_label, "yes": str(v.yes), "no": str(v.no),
              "abstain": str(v.abstain), "verdict": v.verdict.text,
              "line": f"{v.seq}. {v.motion}（{v.kind_label}）：赞成 {v.yes} 票，反对 {v.no} 票，弃权 {v.abstain} 票。"
                      f"{v.verdict.text}"}
             for v in r.votes]
    makeups = [{"name": k.name,
                "text": f"{k.name}：" + (f"{cn_date(k.done_on)}已补学" + (f"（{k.note}）" if k.note else "")
                                         if k.done_on else "尚未补学")}
               for k in r.makeups]
    content = [line.strip() for line in r.content.splitlines() if line.strip()]
    return {
        "branch_name": _branch_name(),
        "heading": _heading_title(r),
        "title": _text(r.title),
        "kind": r.kind,  # the code (general_assembly …), for a template's own {% if %}
        "kind_label": r.kind_label,
        "status_label": r.status_label,
        "date": cn_date(r.held_on),
        "time": _time(r.start_time, r.end_time),
        "place": _text(r.place),
        "group": r.group_name,  # "" for a meeting not held by a 党小组
        "chair": _text(r.chair_name),
        "recorder": _text(r.recorder_name),
        "lecturer": _text(r.lecturer) if r.kind == "lecture" else r.lecturer,  # asked of a 党课 only
        "expected_count": str(len(r.expected)),
        "present_count": str(r.present_count) if recorded else MISSING,
        "absent_count": str(len(r.absentees)) if recorded else MISSING,
        "absentees": absentees,
        "absent_text": "、".join(f"{a['name']}（{a['reason']}）" for a in absentees) or NONE if recorded else MISSING,
        "present_names": "、".join(a.name for a in r.attendance if a.present) or NONE if recorded else MISSING,
        "observers_text": "、".join(o.name + (f"（{o.affiliation}）" if o.affiliation else "")
                                   for o in r.observers) or NONE,
        "topics": topics or [{"seq": "", "title": MISSING, "text": MISSING}],
        "topics_text": "；".join(t["text"] for t in topics) or MISSING,
        "discussion": discussion,
        "votes": votes,
        "votes_note": "" if votes else "本次会议未进行表决。",
        "entitled_voters": str(r.entitled_voters),
        "present_voters": str(r.present_voters) if recorded else MISSING,
        "resolutions": [{"seq": str(i), "text": f"{i}. {t}"} for i, t in enumerate(r.resolutions, 1)]
        or [{"seq": "", "text": NONE}],
        "makeups": makeups or [{"name": "", "text": NONE}],
        "content_paragraphs": content or [MISSING],
        "note": r.note.strip() or NONE,
        "printed_on": cn_date(today or date.today()),
    }


STAGE_SHORT = {True: "正式", False: "预备"}


def signin_context(meeting_id: int, today: date | None = None) -> dict:
    """The sign-in sheet: the meeting's particulars, 应到 with room to sign, blank rows for 列席."""
    r = _record(meeting_id)
    rows = [{"seq": str(i), "name": p.name, "group": p.group_name, "category": STAGE_SHORT[p.may_vote],
             "note": "流动党员" if p.is_mobile else ""} for i, p in enumerate(r.expected, 1)]
    observers = [{"seq": str(i), "name": o.name, "affiliation": o.affiliation} for i, o in enumerate(r.observers, 1)]
    observers += [{"seq": str(i), "name": "", "affiliation": ""}
                  for i in range(len(observers) + 1, len(observers) + 1 + BLANK_OBSERVER_ROWS)]
    return {
        "branch_name": _branch_name(),
        "heading": f"{'党课' if r.kind == 'lecture' else r.kind_label}签到表",
        "title": _text(r.title),
        "kind_label": r.kind_label,
        "date": cn_date(r.held_on),
        "time": _time(r.start_time, r.end_time),
        "place": _text(r.place),
        "group": r.group_name,
        "chair": _text(r.chair_name),
        "lecturer": _text(r.lecturer) if r.kind == "lecture" else "",
        "expected_count": str(len(r.expected)),
        "voters_count": str(r.entitled_voters),
        "rows": rows,
        "observer_rows": observers,
        "printed_on": cn_date(today or date.today()),
    }


# ---- making the files ---------------------------------------------------------------------------------


def _check_suffix(out: Path, what: str) -> str:
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise LedgerError(f"{what}只能保存为 PDF（.pdf）或 Word（.docx）文件，“{Path(out).name}”的扩展名不对，"
                          "请改为 .pdf 或 .docx。")
    return suffix


def make_minutes(meeting_id: int, out: Path, today: date | None = None) -> Path:
    """Write the minutes as .pdf or .docx (chosen by the suffix); written whole or not at all."""
    out = Path(out)
    suffix = _check_suffix(out, "会议记录")
    context = minutes_context(meeting_id, today)
    if suffix == ".docx":
        from .word import render_docx

        return render_docx(minutes_template(context["kind"]), context, out, must_contain=[context["branch_name"], context["date"]])
    with atomic_output(out) as partial:
        render_minutes_pdf(context, partial)
    return out


def make_signin(meeting_id: int, out: Path, today: date | None = None) -> Path:
    """Write the sign-in sheet as .pdf or .docx (chosen by the suffix); written whole or not at all."""
    out = Path(out)
    suffix = _check_suffix(out, "签到表")
    context = signin_context(meeting_id, today)
    if suffix == ".docx":
        from .word import render_docx

        return render_docx(SIGNIN_TEMPLATE, context, out, must_contain=[context["branch_name"], context["date"]])
    with atomic_output(out) as partial:
        render_signin_pdf(context, partial)
    return out


# ---- PDF ----------------------------------------------------------------------------------------------

BODY_SIZE = 12  # 小四
LONG_CELL = 900  # characters: about half a page in a grid cell
MARGIN_MM = 22


def _document(out: Path, title: str, author: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(str(out), pagesize=A4, leftMargin=MARGIN_MM * mm, rightMargin=MARGIN_MM * mm,
                             topMargin=20 * mm, bottomMargin=20 * mm, title=title, author=author)


def _info_tables(pairs: list[tuple[str, str, str, str]], wide: list[tuple[str, str]], width: float) -> list:
    """Label/value grids: short fields two to a row, long ones across the page, drawn as one grid."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from .pdf import TextBlock, fonts, text_table

    f = fonts()
    label = 31 * mm
    half = (width - 2 * label) / 2
    parts = []
    if pairs:
        short = text_table([list(p) for p in pairs], [label, half, label, half], f.body, BODY_SIZE - 1.5,
                           header_rows=0)
        parts.append(short)
    # A table row cannot break across pages: a list too long for one (the 出席人员 of a very large
    # branch) is printed in full under the grid instead.
    below = [TextBlock(f"{name}：{text}", f.body, BODY_SIZE - 1.5, (BODY_SIZE - 1.5) * 1.6)
             for name, text in wide if len(text) > LONG_CELL]
    wide = [(name, "名单见表下" if len(text) > LONG_CELL else text) for name, text in wide]
    if wide:
        parts.append(text_table([list(w) for w in wide], [label, width - label], f.body, BODY_SIZE - 1.5, header_rows=0))
    for table in parts:  # labels in the heading face
        table.setStyle([("BACKGROUND", (0, 0), (0, -1), "#f2f2f2")])
        for row in table._cellvalues:
            for index in ((0, 2) if len(row) == 4 else (0,)):
                row[index].font = f.heading
        if len(table._cellvalues[0]) == 4:
            table.setStyle([("BACKGROUND", (2, 0), (2, -1), "#f2f2f2")])
    return parts + ([Spacer(0, 2 * mm), *below] if below else [])


def render_minutes_pdf(c: dict, out: Path) -> None:
    """The minutes on A4: title, the particulars in a grid, then numbered sections."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    from .pdf import TextBlock, fonts, page_number_footer, text_table

    f = fonts()
    doc = _document(out, f"{c['heading']}（{c['date']}）", c["branch_name"])
    width = doc.width
    lecture = c["heading"] == "党课记录"
    story = [TextBlock(c["branch_name"], f.heading, 15, align="center"), Spacer(0, 1 * mm),
             TextBlock(c["heading"], f.heading, 20, align="center"), Spacer(0, 5 * mm)]
    pairs = [("会议类别", c["kind_label"] + (f"（{c['group']}）" if c["group"] else ""), "状态", c["status_label"]),
             ("日期", c["date"], "时间", c["time"]),
             ("主持人", c["chair"], "记录人", c["recorder"]),
             ("应到", f"{c['expected_count']} 人", "实到", c["present_count"] + (" 人" if c["present_count"] != MISSING else "")),
             ("缺席", c["absent_count"] + (" 人" if c["absent_count"] != MISSING else ""),
              *(("授课人", c["lecturer"]) if lecture else
                ("有表决权", f"应到 {c['entitled_voters']} 人，实到 {c['present_voters']} 人")))]
    wide = [("会议名称", c["title"]), ("地点", c["place"])]
    wide += [("缺席人员及原因", c["absent_text"]), ("出席人员", c["present_names"]), ("列席人员", c["observers_text"])]
    story += _info_tables(pairs, wide, width)

    def heading(text: str) -> TextBlock:
        return TextBlock(text, f.heading, 14, 14 * 1.9)

    def para(text: str, indent: bool = True) -> TextBlock:
        return TextBlock(("\u3000\u3000" if indent else "") + text, f.body, BODY_SIZE, BODY_SIZE * 1.7)

    sections = [("授课题目" if lecture else "会议议题", [para(t["text"]) for t in c["topics"]]),
                ("授课内容" if lecture else "会议内容", [para(p) for p in c["content_paragraphs"]]),
                ("学习讨论" if lecture else "发言情况",
                 [TextBlock(d["heading"], f.heading, BODY_SIZE, BODY_SIZE * 1.8) if not d["body"]
                  else para(d["heading"] + d["body"]) for d in c["discussion"]])]
    votes: list = [para(c["votes_note"])] if not c["votes"] else []
    if c["votes"]:
        rows = [["序号", "表决事项", "赞成", "反对", "弃权", "表决结果"]]
        rows += [[v["seq"], f"{v['motion']}（{v['kind_label']}）", v["yes"], v["no"], v["abstain"], v["verdict"]]
                 for v in c["votes"]]
        number = 11 * mm
        votes.append(text_table(rows, [11 * mm, 50 * mm, number, number, number, width - 61 * mm - 3 * number],
                                f.body, BODY_SIZE - 2, header_font=f.heading,
                                align=["center", "left", "center", "center", "center", "left"]))
    resolutions = [para(r["text"]) for r in c["resolutions"]]
    has_resolutions = bool(c["resolutions"][0]["seq"])
    if not lecture:
        sections += [("表决情况", votes), ("会议决议", resolutions)]
    sections += [("补学情况", [para(k["text"]) for k in c["makeups"]]), ("备注", [para(c["note"])])]
    numbered = [(f"{chinese_numeral_heading(i)}{title}", body) for i, (title, body) in enumerate(sections, 1)]
    # A 党课 seldom votes: when it did, the votes and resolutions follow as appendices (as in its Word template).
    if lecture and c["votes"]:
        numbered.append(("附：表决情况", votes))
    if lecture and has_resolutions:
        numbered.append(("附：会议决议", resolutions))
    signatures = [Spacer(0, 10 * mm),
                  TextBlock("主持人（签字）：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000"
                            "记录人（签字）：\u3000\u3000\u3000\u3000\u3000\u3000", f.body, BODY_SIZE, align="right")]
    for index, (title, body) in enumerate(numbered, 1):
        story.append(Spacer(0, 3 * mm))
        head = [heading(title), body[0]]
        if index == len(numbered):  # the signatures never stand alone on a page
            story.append(KeepTogether(head + body[1:] + signatures))
        else:
            story.append(KeepTogether(head))
            story += body[1:]
    footer = page_number_footer(f.song, 10.5)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


def chinese_numeral_heading(index: int) -> str:
    """一、 二、 … the numbering of a section heading."""
    return f"{chinese_number(index)}、"


def render_signin_pdf(c: dict, out: Path) -> None:
    """The sign-in sheet on A4: particulars, 应到 with a signature column, then rows for 列席."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from .pdf import TextBlock, fonts, page_number_footer, text_table

    f = fonts()
    doc = _document(out, f"{c['heading']}（{c['date']}）", c["branch_name"])
    width = doc.width
    story = [TextBlock(c["branch_name"], f.heading, 15, align="center"), Spacer(0, 1 * mm),
             TextBlock(c["heading"], f.heading, 20, align="center"), Spacer(0, 4 * mm)]
    lines = [f"会议名称：{c['title']}", f"时间：{c['date']}\u3000{c['time']}", f"地点：{c['place']}",
             f"主持人：{c['chair']}" + (f"\u3000\u3000授课人：{c['lecturer']}" if c["lecturer"] else "")
             + (f"\u3000\u3000党小组：{c['group']}" if c["group"] else ""),
             f"应到 {c['expected_count']} 人（其中有表决权的正式党员 {c['voters_count']} 人）\u3000\u3000实到＿＿＿＿人"]
    story += [TextBlock(line, f.body, BODY_SIZE, BODY_SIZE * 1.8) for line in lines]
    story.append(Spacer(0, 3 * mm))

    def tall(table, header_rows: int = 1):
        """Room to sign: taller body rows."""
        table.setStyle([("TOPPADDING", (0, header_rows), (-1, -1), 2.4 * mm),
                        ("BOTTOMPADDING", (0, header_rows), (-1, -1), 2.4 * mm)])
        return table

    rows = [["序号", "姓名", "党小组", "类别", "签名", "备注"]]
    rows += [[r["seq"], r["name"], r["group"], r["category"], "", r["note"]] for r in c["rows"]]
    if not c["rows"]:
        rows.append(["", MISSING, "", "", "", ""])
    cols = [12 * mm, 26 * mm, 30 * mm, 14 * mm, 0, 26 * mm]
    cols[4] = width - sum(cols)
    story.append(tall(text_table(rows, cols, f.body, BODY_SIZE - 1, header_font=f.heading,
                                 align=["center", "center", "center", "center", "left", "center"])))
    story += [Spacer(0, 6 * mm), TextBlock("列席人员签到", f.heading, 14, 14 * 1.8)]
    observer_rows = [["序号", "姓名", "单位或身份", "签名"]]
    observer_rows += [[o["seq"], o["name"], o["affiliation"], ""] for o in c["observer_rows"]]
    cols = [12 * mm, 26 * mm, 60 * mm, 0]
    cols[3] = width - sum(cols)
    story.append(tall(text_table(observer_rows, cols, f.body, BODY_SIZE - 1, header_font=f.heading,
                                 align=["center", "center", "left", "left"])))
    story += [Spacer(0, 4 * mm), TextBlock(f"制表：{c['printed_on']}", f.body, BODY_SIZE - 1.5, align="right")]
    footer = page_number_footer(f.song, 10.5)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
