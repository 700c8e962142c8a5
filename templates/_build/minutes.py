"""Builds ``templates/minutes.docx``: the 会议记录 of every kind except the 党课.

Title, the particulars in a grid (the 党小组 row only for a meeting held by a group), then
numbered sections: topics, content, speeches, votes (a table with each verdict in words, or a
line saying none was taken), resolutions, 补学 and the remark, and lines for the signatures. The
placeholders are the keys of ``ledger_app.documents.minutes.minutes_context``.
"""

from pathlib import Path

from templates._build._meeting import (
    BODY_FONT,
    HEADING_FONT,
    heading,
    info_grid,
    loop,
    loop_table,
    new_document,
    paragraph,
    signatures,
    tag,
    title,
)

TEMPLATE = "minutes.docx"

PARTICULARS = [
    ("wide", "会议名称", "{{ title }}"),
    ("pair", "会议类别", "{{ kind_label }}", "状态", "{{ status_label }}"),
    ("tag", "{%tr if group %}"),
    ("wide", "党小组", "{{ group }}"),
    ("tag", "{%tr endif %}"),
    ("pair", "日期", "{{ date }}", "时间", "{{ time }}"),
    ("wide", "地点", "{{ place }}"),
    ("pair", "主持人", "{{ chair }}", "记录人", "{{ recorder }}"),
    ("pair", "应到", "{{ expected_count }} 人", "实到", "{{ present_count }} 人"),
    ("pair", "缺席", "{{ absent_count }} 人", "有表决权", "应到 {{ entitled_voters }} 人，实到 {{ present_voters }} 人"),
    ("wide", "缺席人员及原因", "{{ absent_text }}"),
    ("wide", "出席人员", "{{ present_names }}"),
    ("wide", "列席人员", "{{ observers_text }}"),
]


def votes_section(document) -> None:
    """The votes as a table, each with the rule's verdict in words; a sentence when there were none."""
    tag(document, "{%p if votes %}")
    loop_table(document, ["序号", "表决事项", "赞成", "反对", "弃权", "表决结果"],
               ["{{ v.seq }}", "{{ v.motion }}（{{ v.kind_label }}）", "{{ v.yes }}", "{{ v.no }}", "{{ v.abstain }}",
                "{{ v.verdict }}"],
               [11, 50, 11, 11, 11, 72], "{%tr for v in votes %}",
               ["center", "left", "center", "center", "center", "left"])
    tag(document, "{%p else %}")
    paragraph(document, "{{ votes_note }}", indent=True)
    tag(document, "{%p endif %}")


def discussion(document) -> None:
    """Each speaker's points under the topic they spoke to; the name (or topic) in bold."""
    loop(document, "{%p for d in discussion %}", [("{{ d.heading }}", HEADING_FONT, False), ("{{ d.body }}", BODY_FONT, False)])


def build(path: Path) -> None:
    document = new_document()
    title(document, "{{ branch_name }}", 15)
    title(document, "{{ heading }}", 20, after=8)
    info_grid(document, PARTICULARS)
    heading(document, "一、会议议题")
    loop(document, "{%p for t in topics %}", "{{ t.text }}")
    heading(document, "二、会议内容")
    loop(document, "{%p for para in content_paragraphs %}", "{{ para }}")
    heading(document, "三、发言情况")
    discussion(document)
    heading(document, "四、表决情况")
    votes_section(document)
    heading(document, "五、会议决议")
    loop(document, "{%p for r in resolutions %}", "{{ r.text }}")
    heading(document, "六、补学情况")
    loop(document, "{%p for k in makeups %}", "{{ k.text }}")
    heading(document, "七、备注")
    paragraph(document, "{{ note }}", indent=True)
    signatures(document)
    document.core_properties.title = "会议记录"
    document.save(str(path))
