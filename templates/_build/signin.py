"""Builds ``templates/signin.docx``: the 签到表 printed before a meeting.

The particulars, then 应到 — one row per member (docxtpl repeats it) with a tall signature cell
and the header repeated on each page — then rows for 列席. Placeholders: the keys of
``ledger_app.documents.minutes.signin_context``.
"""

from pathlib import Path

from templates._build._meeting import BODY_FONT, HEADING_FONT, loop_table, new_document, paragraph, title

TEMPLATE = "signin.docx"


def build(path: Path) -> None:
    document = new_document()
    title(document, "{{ branch_name }}", 15)
    title(document, "{{ heading }}", 20, after=6)
    for line in ("会议名称：{{ title }}", "时间：{{ date }}\u3000{{ time }}", "地点：{{ place }}",
                 "主持人：{{ chair }}{% if lecturer %}\u3000\u3000授课人：{{ lecturer }}{% endif %}"
                 "{% if group %}\u3000\u3000党小组：{{ group }}{% endif %}",
                 "应到 {{ expected_count }} 人（其中有表决权的正式党员 {{ voters_count }} 人）\u3000\u3000实到＿＿＿＿人"):
        paragraph(document, line, line=12 * 1.8)
    paragraph(document, "", size=6)
    loop_table(document, ["序号", "姓名", "党小组", "类别", "签名", "备注"],
               ["{{ r.seq }}", "{{ r.name }}", "{{ r.group }}", "{{ r.category }}", "", "{{ r.note }}"],
               [12, 26, 30, 14, 58, 26], "{%tr for r in rows %}",
               ["center", "center", "center", "center", "left", "center"], body_height_mm=10)
    paragraph(document, [("列席人员签到", HEADING_FONT, False)], before=12, after=4, size=14)
    loop_table(document, ["序号", "姓名", "单位或身份", "签名"],
               ["{{ o.seq }}", "{{ o.name }}", "{{ o.affiliation }}", ""],
               [12, 26, 60, 68], "{%tr for o in observer_rows %}", ["center", "center", "left", "left"],
               body_height_mm=10)
    paragraph(document, [("制表：{{ printed_on }}", BODY_FONT, False)], "right", before=6, size=10.5)
    document.core_properties.title = "签到表"
    document.save(str(path))
