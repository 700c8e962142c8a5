"""Minutes of one meeting as Word and as PDF, against python-docx / reportlab writing the same
content by hand.

Target (design.md): minutes of one meeting, Word / PDF, each ≤ 2 × python-docx / reportlab
writing the same content by hand, measured in the same run, medians of 5 or more.

What is timed, in turn, in one warm process (the CJK font registered and the libraries
imported before the first run, as in the GUI after the first document):
- ours: ``make_minutes(meeting_id, out)`` end to end — reading the meeting from the ledger, building
  the context, filling the template (docxtpl, refusing unknown placeholders, then reopening the
  result to check it) or laying out the PDF (Chinese line breaking), and the atomic write;
- ours from the context: the same without reading the ledger (the renderer alone);
- by hand: a plain script given the same context dict that writes the same paragraphs and tables
  directly with python-docx (``Document()``, ``add_paragraph``, ``add_table``) or with reportlab's
  own ``Paragraph`` (``wordWrap="CJK"``) and ``Table``.

The meeting is the latest 支部党员大会 of the demo ledger (5,000 members × 10 years): every member
is 应到, so it is the largest minutes the ledger holds; ``--kind committee`` takes a 支委会 instead.

Run: ``python benchmarks/minutes.py [--runs 7] [--kind general_assembly] [--members 5000 --years 10]``.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from _common import demo_ledger, median  # noqa: E402

TARGET = 2.0


def docx_by_hand(c: dict, out: Path) -> None:
    """The same content written directly with python-docx."""
    from docx import Document
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    for text, size in ((c["branch_name"], 15), (c["heading"], 20)):
        run = document.add_paragraph().add_run(text)
        run.font.size = Pt(size)
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    for row in ((("会议名称", c["title"]),), (("会议类别", c["kind_label"]), ("状态", c["status_label"])),
                (("日期", c["date"]), ("时间", c["time"])), (("地点", c["place"]),),
                (("主持人", c["chair"]), ("记录人", c["recorder"])),
                (("应到", c["expected_count"]), ("实到", c["present_count"])),
                (("缺席", c["absent_count"]), ("有表决权", f"应到 {c['entitled_voters']} 人")),
                (("缺席人员及原因", c["absent_text"]),), (("出席人员", c["present_names"]),),
                (("列席人员", c["observers_text"]),)):
        cells = table.add_row().cells
        if len(row) == 1:
            cells[0].text, cells[1].text = row[0]
            cells[1].merge(cells[3])
        else:
            cells[0].text, cells[1].text = row[0]
            cells[2].text, cells[3].text = row[1]
    document.add_paragraph("一、会议议题")
    for t in c["topics"]:
        document.add_paragraph(t["text"])
    document.add_paragraph("二、会议内容")
    for p in c["content_paragraphs"]:
        document.add_paragraph(p)
    document.add_paragraph("三、发言情况")
    for d in c["discussion"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(d["heading"]).bold = True
        paragraph.add_run(d["body"])
    document.add_paragraph("四、表决情况")
    if c["votes"]:
        votes = document.add_table(rows=1, cols=6)
        votes.style = "Table Grid"
        for cell, text in zip(votes.rows[0].cells, ("序号", "表决事项", "赞成", "反对", "弃权", "表决结果"), strict=True):
            cell.text = text
        for v in c["votes"]:
            for cell, text in zip(votes.add_row().cells, (v["seq"], v["motion"], v["yes"], v["no"], v["abstain"],
                                                          v["verdict"]), strict=True):
                cell.text = text
    else:
        document.add_paragraph(c["votes_note"])
    for title, items in (("五、会议决议", c["resolutions"]), ("六、补学情况", c["makeups"])):
        document.add_paragraph(title)
        for item in items:
            document.add_paragraph(item["text"])
    document.add_paragraph("七、备注")
    document.add_paragraph(c["note"])
    document.add_paragraph("主持人（签字）：        记录人（签字）：")
    document.save(str(out))


def pdf_by_hand(c: dict, out: Path) -> None:
    """The same content laid out directly with reportlab's Paragraph (CJK wrapping) and Table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table
    from reportlab.platypus.tables import TableStyle

    from ledger_app.documents.pdf import fonts

    f = fonts()
    body = ParagraphStyle("body", fontName=f.body, fontSize=12, leading=20, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=10.5, leading=15)
    head = ParagraphStyle("head", parent=body, fontName=f.heading, fontSize=14, leading=26)
    title = ParagraphStyle("title", parent=head, fontSize=20, leading=30, alignment=1)
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm)
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])

    def cell(text):
        return Paragraph(text, small)

    story = [Paragraph(c["branch_name"], title), Paragraph(c["heading"], title)]
    pairs = [("会议类别", c["kind_label"], "状态", c["status_label"]), ("日期", c["date"], "时间", c["time"]),
             ("主持人", c["chair"], "记录人", c["recorder"]), ("应到", c["expected_count"], "实到", c["present_count"]),
             ("缺席", c["absent_count"], "有表决权", f"应到 {c['entitled_voters']} 人")]
    story.append(Table([[cell(x) for x in row] for row in pairs], colWidths=[31 * mm, 52 * mm, 31 * mm, 52 * mm],
                       style=grid))
    wide = [("会议名称", c["title"]), ("地点", c["place"]), ("缺席人员及原因", c["absent_text"]),
            ("出席人员", c["present_names"]), ("列席人员", c["observers_text"])]
    long = [(k, v) for k, v in wide if len(v) > 900]
    story.append(Table([[cell(k), cell("名单见表下" if len(v) > 900 else v)] for k, v in wide],
                       colWidths=[31 * mm, 135 * mm], style=grid))
    story += [Paragraph(f"{k}：{v}", small) for k, v in long]
    story.append(Paragraph("一、会议议题", head))
    story += [Paragraph(t["text"], body) for t in c["topics"]]
    story.append(Paragraph("二、会议内容", head))
    story += [Paragraph(p, body) for p in c["content_paragraphs"]]
    story.append(Paragraph("三、发言情况", head))
    story += [Paragraph(d["heading"] + d["body"], body) for d in c["discussion"]]
    story.append(Paragraph("四、表决情况", head))
    if c["votes"]:
        rows = [[cell(x) for x in ("序号", "表决事项", "赞成", "反对", "弃权", "表决结果")]]
        rows += [[cell(x) for x in (v["seq"], v["motion"], v["yes"], v["no"], v["abstain"], v["verdict"])]
                 for v in c["votes"]]
        story.append(Table(rows, colWidths=[11 * mm, 50 * mm, 11 * mm, 11 * mm, 11 * mm, 72 * mm], style=grid,
                           repeatRows=1))
    else:
        story.append(Paragraph(c["votes_note"], body))
    for heading, items in (("五、会议决议", c["resolutions"]), ("六、补学情况", c["makeups"])):
        story.append(Paragraph(heading, head))
        story += [Paragraph(item["text"], body) for item in items]
    story += [Paragraph("七、备注", head), Paragraph(c["note"], body), Paragraph("主持人（签字）：　　记录人（签字）：", body)]
    doc.build(story)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--kind", default="general_assembly")
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()

    from ledger_app.db import open_ledger
    from ledger_app.documents import atomic_output
    from ledger_app.documents.minutes import (
        make_minutes,
        minutes_context,
        minutes_template,
        render_minutes_pdf,
    )
    from ledger_app.documents.word import render_docx
    from ledger_app.models import Meeting

    path = demo_ledger(args.members, args.years)
    with open_ledger(path, readonly=True), tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        meeting = (Meeting.select().where(Meeting.kind == args.kind, Meeting.status == "held")
                   .order_by(Meeting.held_on.desc()).first())
        context = minutes_context(meeting.id)
        print(f"meeting {meeting.id}: {meeting.title} ({meeting.held_on}), 应到 {context['expected_count']} 人, "
              f"{len(context['votes'])} votes, {len(context['discussion'])} discussion lines")
        # Warm up: imports, the CJK font, the template read once.
        make_minutes(meeting.id, folder / "warm.docx")
        make_minutes(meeting.id, folder / "warm.pdf")
        docx_by_hand(context, folder / "warm-hand.docx")
        pdf_by_hand(context, folder / "warm-hand.pdf")

        timings: dict[str, list[float]] = {}
        def render_docx_only(out: Path) -> None:
            render_docx(minutes_template(context["kind"]), context, out, [context["branch_name"], context["date"]])

        def render_pdf_only(out: Path) -> None:
            with atomic_output(out) as partial:
                render_minutes_pdf(context, partial)

        jobs = (("context", lambda out: minutes_context(meeting.id), "x"),
                ("ours docx", lambda out: make_minutes(meeting.id, out), "o.docx"),
                ("render docx", render_docx_only, "r.docx"),
                ("hand docx", lambda out: docx_by_hand(context, out), "h.docx"),
                ("ours pdf", lambda out: make_minutes(meeting.id, out), "o.pdf"),
                ("render pdf", render_pdf_only, "r.pdf"),
                ("hand pdf", lambda out: pdf_by_hand(context, out), "h.pdf"))
        for _ in range(args.runs):
            for name, work, file_name in jobs:
                started = time.perf_counter()
                work(folder / file_name)
                timings.setdefault(name, []).append(time.perf_counter() - started)

    m = {name: median(samples) * 1000 for name, samples in timings.items()}
    print(f"context (ledger → dict), included in ours: {m['context']:.1f} ms")
    for kind in ("docx", "pdf"):
        hand = m[f"hand {kind}"]
        ratio, render = m[f"ours {kind}"] / hand, m[f"render {kind}"] / hand
        verdict = "met" if ratio <= TARGET else "NOT met"
        print(f"{kind}: ours {m[f'ours {kind}']:.1f} ms end to end ({m[f'render {kind}']:.1f} ms from the context), "
              f"by hand {hand:.1f} ms → {ratio:.2f} × end to end, {render:.2f} × from the context "
              f"(target ≤ {TARGET:.0f} ×: {verdict}); medians of {args.runs}")


if __name__ == "__main__":
    main()
