"""Builds ``templates/minutes_lecture.docx``: the 党课记录, a layout of its own.

The particulars name the lecturer (授课人); the sections are 授课题目, 授课内容, 学习讨论, 补学情况
and 备注. A 党课 seldom votes: when the record has votes or resolutions they follow as 附 sections,
so the minutes still carry every field. Placeholders: ``documents.minutes.minutes_context``.
"""

from pathlib import Path

from templates._build._meeting import (
    heading,
    info_grid,
    loop,
    new_document,
    paragraph,
    signatures,
    tag,
    title,
)
from templates._build.minutes import discussion, votes_section

TEMPLATE = "minutes_lecture.docx"

PARTICULARS = [
    ("wide", "党课题目", "{{ title }}"),
    ("pair", "授课人", "{{ lecturer }}", "状态", "{{ status_label }}"),
    ("pair", "日期", "{{ date }}", "时间", "{{ time }}"),
    ("wide", "地点", "{{ place }}"),
    ("pair", "主持人", "{{ chair }}", "记录人", "{{ recorder }}"),
    ("pair", "应到", "{{ expected_count }} 人", "实到", "{{ present_count }} 人"),
    ("pair", "缺席", "{{ absent_count }} 人", "党小组", "{{ group or '全体党员' }}"),
    ("wide", "缺席人员及原因", "{{ absent_text }}"),
    ("wide", "出席人员", "{{ present_names }}"),
    ("wide", "列席人员", "{{ observers_text }}"),
]


def build(path: Path) -> None:
    document = new_document()
    title(document, "{{ branch_name }}", 15)
    title(document, "{{ heading }}", 20, after=8)
    info_grid(document, PARTICULARS)
    heading(document, "一、授课题目")
    loop(document, "{%p for t in topics %}", "{{ t.text }}")
    heading(document, "二、授课内容")
    loop(document, "{%p for para in content_paragraphs %}", "{{ para }}")
    heading(document, "三、学习讨论")
    discussion(document)
    heading(document, "四、补学情况")
    loop(document, "{%p for k in makeups %}", "{{ k.text }}")
    heading(document, "五、备注")
    paragraph(document, "{{ note }}", indent=True)
    tag(document, "{%p if votes %}")
    heading(document, "附：表决情况")
    votes_section(document)
    tag(document, "{%p endif %}")
    tag(document, "{%p if resolutions[0].seq %}")
    heading(document, "附：会议决议")
    loop(document, "{%p for r in resolutions %}", "{{ r.text }}")
    tag(document, "{%p endif %}")
    signatures(document)
    document.core_properties.title = "党课记录"
    document.save(str(path))
