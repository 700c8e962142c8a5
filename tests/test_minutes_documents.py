"""The minutes and the sign-in sheet: contexts, PDF and Word, a clerk's broken template, the CLI."""

import zipfile
from datetime import date

import pytest

from ledger_app.cli import main
from ledger_app.documents import MISSING
from ledger_app.documents.minutes import (
    make_minutes,
    make_signin,
    minutes_context,
    minutes_template,
    signin_context,
)
from ledger_app.documents.word import copy_template_for_editing, document_text, restore_default_template
from ledger_app.errors import LedgerError
from ledger_app.models import Exclusion, PartyGroup, Person
from ledger_app.services import audit, write
from ledger_app.services import meetings as svc
from ledger_app.services.branch import BranchProfile, save_profile
from ledger_app.services.meetings import AttendanceEntry, MeetingDraft, ObserverEntry, SpeechEntry, VoteEntry

TODAY = date(2026, 5, 10)
BRANCH = "测试街道光明社区第一党支部"
NAMES = ("张建国", "李秀英", "王志强", "赵丽娟", "钱海涛", "孙文静")
REMARK = "材料见附件 <2> & 会后补发"


@write
def _people() -> dict[str, int]:
    save_profile(BranchProfile(BRANCH, "community"), TODAY)
    group = audit.create(PartyGroup, "", name="第一党小组")
    people = {name: audit.create(Person, "", name=name, stage="full", joined_on=date(2010, 1, 1),
                                 converted_on=date(2011, 1, 1), group=group).id for name in NAMES}
    people["周预备"] = audit.create(Person, "", name="周预备", stage="probationary", joined_on=date(2025, 10, 1),
                                 group=group, is_mobile=True).id
    people["吴卧床"] = audit.create(Person, "", name="吴卧床", stage="full", joined_on=date(2000, 1, 1)).id
    audit.create(Exclusion, "", person=people["吴卧床"], category="bedridden", approved_on=date(2024, 1, 1),
                 start_on=date(2024, 1, 1))
    return people


def set_up() -> dict[str, int]:
    people = _people()
    attendance = [AttendanceEntry(pid) for name, pid in people.items() if name != "吴卧床"]
    attendance[1] = AttendanceEntry(people["李秀英"], False, "sick", "住院治疗")
    attendance[3] = AttendanceEntry(people["赵丽娟"], False, "official")
    full = svc.create_meeting(MeetingDraft(
        kind="general_assembly", held_on=date(2026, 3, 15), title="2026年第一季度支部党员大会", start_time="14:30",
        end_time="16:00", place="社区党群服务中心", chair_id=people["张建国"], recorder_id=people["王志强"],
        topics=["学习上级文件", "审议年度计划"], attendance=attendance,
        observers=[ObserverEntry("陈列席", "街道党工委")],
        speeches=[SpeechEntry("同意年度计划，建议增加志愿服务内容。", people["钱海涛"], topic=1)],
        votes=[VoteEntry("审议年度计划", 3, 0, 0, topic=1)], resolutions=["通过支部年度计划。"],
        content="会议传达学习了上级文件精神。\n会议审议了支部年度计划。", note=REMARK), TODAY)
    sparse = svc.create_meeting(MeetingDraft(kind="committee", held_on=date(2026, 4, 2)), TODAY)
    lecture = svc.create_meeting(MeetingDraft(kind="lecture", held_on=date(2026, 4, 20), title="党课：党章学习",
                                              lecturer="街道党校 刘老师", topics=["学习党章"]), TODAY)
    planned = svc.create_meeting(MeetingDraft(kind="theme_day", held_on=date(2026, 6, 15), status="planned",
                                              title="六月主题党日", place="社区广场"), TODAY)
    return {"full": full, "sparse": sparse, "lecture": lecture, "planned": planned, **people}


@pytest.fixture
def ids(ledger):
    return set_up()


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_minutes_context_carries_every_field(ids):
    c = minutes_context(ids["full"], TODAY)
    assert (c["branch_name"], c["date"], c["time"], c["place"]) == (BRANCH, "2026年3月15日", "14:30—16:00", "社区党群服务中心")
    assert (c["chair"], c["recorder"], c["heading"]) == ("张建国", "王志强", "支部党员大会会议记录")
    assert (c["expected_count"], c["present_count"], c["absent_count"]) == ("7", "5", "2")
    assert c["absent_text"] == "李秀英（病假：住院治疗）、赵丽娟（公假/因公外出）"
    assert "吴卧床" not in c["present_names"] and "周预备" in c["present_names"]
    assert c["observers_text"] == "陈列席（街道党工委）"
    assert c["votes"][0]["verdict"].startswith("表决有效：应到会有表决权党员 6 人，实到 4 人；赞成 3 票")
    assert c["discussion"][0]["heading"] == "议题二：审议年度计划" and c["discussion"][1]["heading"] == "钱海涛："
    assert c["content_paragraphs"] == ["会议传达学习了上级文件精神。", "会议审议了支部年度计划。"]
    assert c["note"] == REMARK and MISSING not in str(c)


def test_empty_fields_print_missing_never_invented(ids):
    c = minutes_context(ids["sparse"], TODAY)
    for key in ("title", "time", "place", "chair", "recorder", "present_count", "absent_count", "absent_text",
                "present_names", "topics_text"):
        assert c[key] == MISSING, key
    assert c["content_paragraphs"] == [MISSING] and c["discussion"] == [{"heading": "", "body": MISSING}]
    assert c["expected_count"] == "0"  # no committee recorded: the rules find nobody
    assert c["observers_text"] == "无" and c["votes"] == [] and c["votes_note"] == "本次会议未进行表决。"


def test_minutes_pdf(ids, tmp_path):
    out = make_minutes(ids["full"], tmp_path / "会议记录.pdf", TODAY)
    text = pdf_text(out)
    for needed in (BRANCH, "2026年3月15日", "支部党员大会会议记录", "李秀英（病假：住院治疗）", "赵丽娟（公假/因公外出）",
                   "7 人", "5 人", "2 人", "陈列席", "钱海涛", "表决有效", "通过支部年度计划", REMARK):
        assert needed in text.replace("\n", ""), needed
    for line in text.splitlines():
        assert not line or line[0] not in "，。、；：？！）》"
    assert not (tmp_path / "会议记录.pdf.partial").exists()
    sparse = pdf_text(make_minutes(ids["sparse"], tmp_path / "sparse.pdf", TODAY))
    assert sparse.count(MISSING) >= 8


def test_minutes_word_general_and_lecture_layouts(ids, tmp_path):
    assert minutes_template("general_assembly") == "minutes.docx"
    assert minutes_template("lecture") == "minutes_lecture.docx"
    text = document_text(make_minutes(ids["full"], tmp_path / "m.docx", TODAY))
    for needed in (BRANCH, "2026年3月15日", "李秀英（病假：住院治疗）", "表决有效", "议题二：审议年度计划", REMARK,
                   "会议审议了支部年度计划。"):
        assert needed in text, needed
    assert "\n党小组\n" not in text  # the group row only for meetings held by a group
    group_id = PartyGroup.get().id
    group = svc.create_meeting(MeetingDraft(kind="group", held_on=date(2026, 4, 8), group_id=group_id), TODAY)
    assert "\n党小组\n第一党小组\n" in document_text(make_minutes(group, tmp_path / "g.docx", TODAY))
    lecture = document_text(make_minutes(ids["lecture"], tmp_path / "l.docx", TODAY))
    assert "党课记录" in lecture and "街道党校 刘老师" in lecture and "授课内容" in lecture
    assert "附：表决情况" not in lecture and MISSING in lecture
    draft = svc.draft_of(ids["lecture"])
    draft.attendance = [AttendanceEntry(ids[name]) for name in NAMES]
    draft.votes, draft.resolutions = [VoteEntry("学习心得交流安排", 6)], ["每人提交心得一篇。"]
    svc.update_meeting(ids["lecture"], draft, TODAY)
    lecture = document_text(make_minutes(ids["lecture"], tmp_path / "l2.docx", TODAY))
    assert "附：表决情况" in lecture and "附：会议决议" in lecture and "1. 每人提交心得一篇。" in lecture
    pdf = pdf_text(make_minutes(ids["lecture"], tmp_path / "l2.pdf", TODAY))
    assert "五、备注" in pdf and "附：表决情况" in pdf and "街道党校 刘老师" in pdf
    sparse = document_text(make_minutes(ids["sparse"], tmp_path / "s.docx", TODAY))
    assert MISSING in sparse and "本次会议未进行表决。" in sparse


def test_signin_lists_expected_with_room_to_sign(ids, tmp_path):
    c = signin_context(ids["planned"], TODAY)
    assert {r["name"] for r in c["rows"]} == {*NAMES, "周预备"}  # the excluded member is not 应到
    probationary = next(r for r in c["rows"] if r["name"] == "周预备")
    assert probationary["category"] == "预备" and probationary["note"] == "流动党员"
    assert (c["expected_count"], c["voters_count"]) == ("7", "6") and len(c["observer_rows"]) == 3
    pdf = pdf_text(make_signin(ids["planned"], tmp_path / "s.pdf", TODAY))
    for needed in (BRANCH, "2026年6月15日", "主题党日签到表", "签名", "列席人员签到", "周预备", "应到 7 人"):
        assert needed in pdf, needed
    assert "吴卧床" not in pdf
    word = document_text(make_signin(ids["full"], tmp_path / "s.docx", TODAY))
    assert all(name in word for name in NAMES) and "陈列席" in word and "2026年3月15日" in word


def _edit_template(path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    xml = items["word/document.xml"].decode()
    assert old in xml
    items["word/document.xml"] = xml.replace(old, new, 1).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in items.items():
            target.writestr(name, data)


def test_clerk_template_with_unknown_placeholder_or_broken_tag_is_refused(ids, tmp_path):
    copy = copy_template_for_editing("minutes.docx")
    _edit_template(copy, "{{ place }}", "{{ place }}{{ secretary_mobile }}")
    out = tmp_path / "m.docx"
    with pytest.raises(LedgerError, match="secretary_mobile"):
        make_minutes(ids["full"], out, TODAY)
    assert not out.exists()
    restore_default_template("minutes.docx")
    copy = copy_template_for_editing("minutes.docx")
    _edit_template(copy, "{{ place }}", "{{ place }")
    with pytest.raises(LedgerError, match="语法错误"):
        make_minutes(ids["full"], out, TODAY)
    assert not out.exists()
    restore_default_template("minutes.docx")
    assert BRANCH in document_text(make_minutes(ids["full"], out, TODAY))


def test_bad_suffix_and_unknown_meeting(ids, tmp_path):
    with pytest.raises(LedgerError, match=r"\.pdf 或 \.docx"):
        make_minutes(ids["full"], tmp_path / "m.txt")
    with pytest.raises(LedgerError, match="找不到编号为 999"):
        make_signin(999, tmp_path / "s.pdf")


def test_command_line(ledger_path, tmp_path, capsys):
    from ledger_app.db import open_ledger

    with open_ledger(ledger_path):
        ids = set_up()
    db = ["--db", str(ledger_path)]
    for command, suffix in (("minutes", "pdf"), ("minutes", "docx"), ("signin", "pdf"), ("signin", "docx")):
        out = tmp_path / f"{command}.{suffix}"
        assert main(["doc", command, str(ids["full"]), "--out", str(out), *db]) == 0
        assert out.exists() and str(out) in capsys.readouterr().out
    assert main(["doc", "minutes", str(ids["full"]), "--out", str(tmp_path / "m.xlsx"), *db]) == 2
    assert "扩展名" in capsys.readouterr().err
    assert main(["doc", "signin", "999", "--out", str(tmp_path / "x.pdf"), *db]) == 2
    assert not (tmp_path / "x.pdf").exists()


def test_template_guide_lists_every_placeholder(ids):
    from pathlib import Path

    guide = (Path(__file__).parent.parent / "docs" / "templates.md").read_text(encoding="utf-8")
    for context in (minutes_context(ids["full"], TODAY), signin_context(ids["full"], TODAY)):
        for key in context:
            assert f"`{key}`" in guide, key
