"""The open JSON format: lossless round trip, the generated schema and docs, and bad files refused
with the JSON path of the first bad field, leaving nothing behind."""

import copy
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ledger_app import exchange, migrations
from ledger_app.cli import main
from ledger_app.db import open_ledger
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.models import (
    ALL_MODELS,
    ActivistAssessment,
    AnnualText,
    Appraisal,
    AppraisalRound,
    Attendance,
    Branch,
    Development,
    DevelopmentDecision,
    DuesBase,
    DuesPayment,
    DuesRelief,
    Exclusion,
    HistoryEvent,
    ImportBatch,
    MakeUpStudy,
    Meeting,
    MeetingTopic,
    Observer,
    PartyGroup,
    Person,
    Resolution,
    Speech,
    Talk,
    Transfer,
    Vote,
)
from ledger_app.rules.id_number import check_character
from ledger_app.services import audit, settings
from ledger_app.services.branch import BranchProfile, BranchSetup, CommitteeSeat, GroupDraft, set_up_branch

TABLE_NAMES = [model._meta.table_name for model in ALL_MODELS]


def an_id_number(birth: date, sequence: str) -> str:
    """A made-up ID number with a correct check character (address code of no real person)."""
    first17 = f"110101{birth:%Y%m%d}{sequence}"
    return first17 + check_character(first17)


def fill(path: Path) -> None:
    """A small ledger with a row in every table: Chinese text, dates, booleans, NULLs, fen, < and &."""
    with open_ledger(path):
        set_up_branch(BranchSetup(
            profile=BranchProfile("城关社区第一党支部 <&>", "community", "某某街道党工委", date(1998, 7, 1),
                                  "幸福路 1 号", "010-00000000"),
            term_started_on=date(2023, 3, 15),
            committee=[CommitteeSeat("甲一", "书记"), CommitteeSeat("乙二", "组织委员")],
            groups=[GroupDraft("第一党小组", "乙二"), GroupDraft("第二党小组")],
        ), today=date(2024, 6, 1))
        settings.put("dues", {"rounding": "half_up", "farmer_fen": 50})
        first, second = Person.select().order_by(Person.id)
        with Person._meta.database.atomic():
            audit.update(first, "补全档案", sex="female", ethnicity="回族", birth_date=date(1970, 2, 28),
                         id_number=an_id_number(date(1970, 2, 28), "002"), joined_on=date(1995, 7, 1),
                         converted_on=date(1996, 7, 1), is_mobile=True, mobile_note="外出务工 <深圳> & 东莞",
                         phone="13800000000", note="多行\n备注\t“引号”")
        batch = ImportBatch.create(imported_at="2024-06-01T09:30:00", source="花名册 <2024>.xlsx", created=1,
                                   updated=1, before='[{"id": 1, "name": "甲一"}]')
        applicant = Person.create(name="丙三", sex="male", birth_date=date(2000, 1, 31), stage="activist",
                                  id_number=an_id_number(date(2000, 1, 31), "011"), group=second.group,
                                  import_batch=batch)
        second.membership_state, second.state_changed_on, second.state_reason = "transferred_out", date(2024, 5, 6), "调动"
        second.save()
        group = PartyGroup.get(PartyGroup.name == "第二党小组")
        Development.create(person=applicant, applied_on=date(2022, 3, 1), talked_on=date(2022, 3, 20),
                           activist_on=date(2022, 9, 1), contacts="甲一、乙二", training_hours=24, extension_months=None)
        ActivistAssessment.create(person=applicant, assessed_on=date(2023, 3, 1), conclusion="表现良好")
        HistoryEvent.create(person=first, occurred_on=date(1995, 7, 1), kind="joined", description="支部大会通过")
        Transfer.create(person=second, direction="out", scope="across_province", from_org="本支部",
                        to_org="某省某市某党支部", transferred_on=date(2024, 5, 6), letter_number="2024-007",
                        dues_paid_until=date(2024, 4, 1), receipt_returned_on=None)
        Exclusion.create(person=first, category="abroad", reason="因私出国", approved_on=date(2024, 1, 2),
                         start_on=date(2024, 1, 10))
        meeting = Meeting.create(kind="group", title="学习 <党章> & 讨论", held_on=date(2024, 2, 29),
                                 start_time="09:30", end_time="11:00", place="会议室", group=group, chair=first,
                                 recorder=applicant, content="学习党章")
        topic = MeetingTopic.create(meeting=meeting, seq=1, title="学习党章第一章")
        Attendance.create(meeting=meeting, person=first, status="present")
        Attendance.create(meeting=meeting, person=applicant, status="absent", absence_reason="sick", reason_note="住院")
        Observer.create(meeting=meeting, name="丁四", affiliation="街道办")
        Speech.create(meeting=meeting, topic=topic, seq=1, speaker=first, points="要点一")
        Speech.create(meeting=meeting, topic=None, seq=2, speaker=None, speaker_name="外来专家", points="要点二")
        Vote.create(meeting=meeting, topic=topic, seq=1, motion="同意", kind="ordinary", yes=2, no=0, abstain=1)
        Resolution.create(meeting=meeting, seq=1, text="决议一")
        MakeUpStudy.create(meeting=meeting, person=applicant, done_on=None, note="待补学")
        Appraisal.create(person=first, year=2023, grade="excellent", meeting=meeting)
        Talk.create(held_on=date(2024, 3, 1), participants="甲一、丙三", topic="谈心", kind="committee_member",
                    first_person=first, second_person=applicant, gist="谈思想 <工作> & 生活")
        AppraisalRound.create(year=2023, held_on=date(2024, 1, 20), meeting=meeting, note="集中评议")
        DevelopmentDecision.create(person=applicant, step="activist_on", meeting=meeting)
        AnnualText.create(year=2024, section="problems", text="学习不够深入\n第二行")
        DuesBase.create(person=first, year=2024, base_fen=510000, category="in_service", override_fen=None)
        DuesBase.create(person=applicant, year=2024, base_fen=0, category="student", override_fen=20,
                        override_reason="学生", entered_on=date(2024, 1, 5))
        DuesRelief.create(person=first, year=2024, start_month=1, end_month=6, kind="reduce", amount_fen=1000,
                          branch_approved_on=date(2024, 1, 3), upper_approved_on=date(2024, 1, 9))
        DuesPayment.create(person=first, year=2024, month=1, amount_fen=7650, extra_fen=100000,
                           paid_on=date(2024, 1, 31), method="transfer", receipt_no="No.001")
        DuesPayment.create(person=first, year=2024, month=2, amount_fen=7650, paid_on=date(2024, 2, 29))


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "source.sqlite3"
    fill(path)
    return path


def export(ledger_file: Path, out: Path) -> int:
    with open_ledger(ledger_file, readonly=True):
        return exchange.export_ledger(out)


def dump(ledger_file: Path) -> dict[str, list[tuple]]:
    """Every row of every table as SQLite holds it, straight from the file."""
    conn = sqlite3.connect(ledger_file)
    try:
        return {name: conn.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall() for name in TABLE_NAMES}
    finally:
        conn.close()


@pytest.fixture
def document(source, tmp_path) -> dict:
    out = tmp_path / "good.json"
    export(source, out)
    return json.loads(out.read_text(encoding="utf-8"))


def leftovers(folder: Path, stem: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(stem))


# --- round trip --------------------------------------------------------------------------------

def assert_round_trip(ledger_file: Path, tmp_path: Path) -> None:
    first, second, copy_file = tmp_path / "first.json", tmp_path / "second.json", tmp_path / "copy.sqlite3"
    count = export(ledger_file, first)
    assert exchange.import_ledger(first, copy_file) == count
    assert export(copy_file, second) == count
    assert first.read_bytes() == second.read_bytes()
    original, imported = dump(ledger_file), dump(copy_file)
    for name in TABLE_NAMES:
        assert imported[name] == original[name], name
    assert sum(len(rows) for rows in original.values()) == count


def test_round_trip_is_lossless(source, tmp_path):
    assert all(dump(source).values()), "the test ledger must have a row in every table"
    assert_round_trip(source, tmp_path)


def test_round_trip_of_a_demo_ledger(tmp_path):
    demo = pytest.importorskip("ledger_app.demo")
    path = tmp_path / "demo.sqlite3"
    demo.generate_demo(path, members=12, years=1, seed=3, progress=None)
    assert_round_trip(path, tmp_path)


def test_export_layout(source, tmp_path):
    out = tmp_path / "out.json"
    export(source, out)
    raw = out.read_bytes()
    doc = json.loads(raw)
    assert list(doc) == ["format", "format_version", "schema_version", "tables"]
    assert (doc["format"], doc["format_version"]) == ("party-ledger", 1)
    assert doc["schema_version"] == migrations.schema_version()
    assert list(doc["tables"]) == TABLE_NAMES
    for model in ALL_MODELS:
        for row in doc["tables"][model._meta.table_name]:
            assert list(row) == [f.column_name for f in model._meta.sorted_fields]
    person = doc["tables"]["person"][0]
    assert person["birth_date"] == "1970-02-28" and person["is_mobile"] is True and person["group_id"] is None
    assert doc["tables"]["person"][2]["is_mobile"] is False and doc["tables"]["person"][2]["group_id"] == 1
    assert doc["tables"]["transfer"][0]["receipt_returned_on"] is None
    assert doc["tables"]["dues_payment"][0]["amount_fen"] == 7650
    assert doc["tables"]["setting"][0] == {"key": "dues", "value": '{"farmer_fen": 50, "rounding": "half_up"}'}
    assert "城关社区第一党支部 <&>".encode() in raw  # UTF-8, not \u escapes
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_export_matches_the_schema(document):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(exchange.json_schema(),
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    jsonschema.Draft202012Validator.check_schema(exchange.json_schema())
    validator.validate(document)
    bad = copy.deepcopy(document)
    bad["tables"]["person"][0]["sex"] = "unknown"
    assert not validator.is_valid(bad)


def test_export_replaces_a_file_only_when_complete(source, tmp_path, monkeypatch):
    out = tmp_path / "out.json"
    out.write_text("older export", encoding="utf-8")

    def broken(handle):
        handle.write('{"format": ')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exchange, "_write_document", broken)
    with pytest.raises(LedgerError, match="无法写入"):
        export(source, out)
    assert out.read_text(encoding="utf-8") == "older export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "out.json", "source.sqlite3", "source.sqlite3.lock"]


def test_export_refuses_to_overwrite_the_ledger(source):
    with pytest.raises(LedgerError, match="台账文件本身"):
        export(source, source)


# --- generated schema and documentation ---------------------------------------------------------

def test_committed_schema_is_generated_from_the_models():
    committed = exchange.SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(committed) == exchange.json_schema(), "run: python -m ledger_app.exchange --schema"
    assert committed == exchange.schema_text()


def test_schema_describes_columns():
    person = exchange.json_schema()["$defs"]["person"]
    assert person["additionalProperties"] is False
    assert {"id", "name", "stage"} <= set(person["required"]) and "note" not in person["required"]
    assert person["properties"]["birth_date"] == {
        "type": ["string", "null"], "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "description": "出生日期"}
    assert person["properties"]["sex"]["enum"] == ["male", "female", None]
    assert person["properties"]["is_mobile"]["type"] == "boolean"
    assert "person.id" in exchange.json_schema()["$defs"]["dues_payment"]["properties"]["person_id"]["description"]


def test_every_table_and_column_has_a_meaning():
    for table in exchange.TABLES:
        assert table.name in exchange.TABLE_LABELS
        for column in table.columns:
            assert exchange.column_meaning(table.name, column.name), f"{table.name}.{column.name}"


def test_format_document_is_up_to_date():
    text = (Path(__file__).parents[1] / "docs" / "ledger-format.md").read_text(encoding="utf-8")
    generated = text[text.index(exchange.DOCS_BEGIN) + len(exchange.DOCS_BEGIN):text.index(exchange.DOCS_END)]
    assert generated.strip() == exchange.reference_markdown().strip(), \
        "run: python -m ledger_app.exchange --docs docs/ledger-format.md"


def test_example_in_the_document_imports(tmp_path):
    text = (Path(__file__).parents[1] / "docs" / "ledger-format.md").read_text(encoding="utf-8")
    example = text[text.index("## 示例"):].split("```json\n", 1)[1].split("```", 1)[0]
    source = tmp_path / "example.json"
    source.write_text(example, encoding="utf-8")
    assert exchange.import_ledger(source, tmp_path / "example.sqlite3") == 4
    conn = sqlite3.connect(tmp_path / "example.sqlite3")
    assert conn.execute("SELECT name, membership_state, is_mobile FROM person").fetchall() == [("张某", "active", 0)]
    conn.close()


# --- bad files ---------------------------------------------------------------------------------

def _set(table, index, column, value):
    def change(doc):
        doc["tables"][table][index][column] = value
    return change


def _delete(table, index, column):
    def change(doc):
        del doc["tables"][table][index][column]
    return change


def _append_copy(table, index, **changes):
    def change(doc):
        doc["tables"][table].append({**doc["tables"][table][index], **changes})
    return change


def _top(key, value):
    def change(doc):
        doc[key] = value
    return change


BAD = {
    "bad date": (_set("person", 0, "birth_date", "2001-13-01"), "$.tables.person[0].birth_date", "不是有效日期"),
    "date not YYYY-MM-DD": (_set("person", 0, "birth_date", "20010101"), "$.tables.person[0].birth_date", "YYYY-MM-DD"),
    "date as number": (_set("meeting", 0, "held_on", 20240229), "$.tables.meeting[0].held_on", "YYYY-MM-DD"),
    "text as number": (_set("person", 1, "name", 5), "$.tables.person[1].name", "应为文本"),
    "boolean as text": (_set("person", 0, "is_mobile", "yes"), "$.tables.person[0].is_mobile", "true 或 false"),
    "fen as decimal": (_set("dues_payment", 1, "amount_fen", 76.5), "$.tables.dues_payment[1].amount_fen", "应为整数"),
    "fen as text": (_set("dues_payment", 0, "extra_fen", "100"), "$.tables.dues_payment[0].extra_fen", "应为整数"),
    "integer as boolean": (_set("vote", 0, "yes", True), "$.tables.vote[0].yes", "应为整数"),
    "integer too large": (_set("dues_base", 0, "base_fen", 2**63), "$.tables.dues_base[0].base_fen", "超出整数范围"),
    "enumeration": (_set("person", 0, "sex", "unknown"), "$.tables.person[0].sex", "不是可用的取值"),
    "null where required": (_set("person", 0, "name", None), "$.tables.person[0].name", "不能为空"),
    "null id": (_set("talk", 0, "id", None), "$.tables.talk[0].id", "不能为空"),
    "missing column": (_delete("meeting", 0, "held_on"), "$.tables.meeting[0].held_on", "缺少必填字段"),
    "missing id": (_delete("person", 2, "id"), "$.tables.person[2].id", "缺少必填字段"),
    "unknown column": (_set("person", 0, "nickname", "小张"), "$.tables.person[0].nickname", "没有“nickname”这个字段"),
    "unknown table": (lambda doc: doc["tables"].update(members=[]), "$.tables.members", "未知的表"),
    "table not a list": (lambda doc: doc["tables"].update(talk={}), "$.tables.talk", "应为列表"),
    "row not an object": (lambda doc: doc["tables"]["talk"].append([1, 2]), "$.tables.talk[1]", "JSON 对象"),
    "duplicate id": (_append_copy("talk", 0), "$.tables.talk[1].id", "与 $.tables.talk[0] 重复"),
    "duplicate setting key": (_append_copy("setting", 0), "$.tables.setting[1].key", "重复"),
    "missing person": (_set("person", 0, "group_id", 999), "$.tables.person[0].group_id", "没有编号为 999"),
    "missing meeting": (_set("attendance", 1, "meeting_id", 42), "$.tables.attendance[1].meeting_id", "没有编号为 42"),
    "same id number": (_append_copy("person", 0, id=50), "$.tables.person[3].id_number", "与 $.tables.person[0] 重复"),
    "same dues month": (_append_copy("dues_payment", 0, id=9), "$.tables.dues_payment[2]",
                        "person_id、year、month 的组合不能相同"),
    "setting not JSON": (_set("setting", 0, "value", "{half"), "$.tables.setting[0].value", "JSON"),
    "not our format": (_top("format", "something-else"), "$.format", "party-ledger"),
    "newer format": (_top("format_version", 2), "$.format_version", "格式版本为 2，本程序只支持到格式版本 1"),
    "no schema version": (lambda doc: doc.pop("schema_version"), "$.schema_version", "正整数"),
    "unknown top-level key": (_top("extra", 1), "$.extra", "未知的字段"),
    "tables missing": (lambda doc: doc.pop("tables"), "$.tables", "JSON 对象"),
}


@pytest.mark.parametrize("change, path, says", BAD.values(), ids=list(BAD))
def test_bad_file_is_refused_with_its_path(document, tmp_path, change, path, says):
    bad = copy.deepcopy(document)
    change(bad)
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(bad, ensure_ascii=False, indent=1), encoding="utf-8")
    target = tmp_path / "new.sqlite3"
    with pytest.raises(ValidationError) as caught:
        exchange.import_ledger(source, target)
    message = str(caught.value)
    assert message.startswith(path + "："), message
    assert caught.value.field == path
    assert says in message
    assert leftovers(tmp_path, "new") == []



# --- the streaming reader ----------------------------------------------------------------------

def _no_whole_file_reading(monkeypatch):
    def refuse(source):
        raise AssertionError("an export in our layout was read whole instead of as a stream")
    monkeypatch.setattr(exchange, "read_document", refuse)


@pytest.mark.parametrize("chunk", [7, 1 << 22])  # 7 characters: values and rows split across every read
def test_an_export_is_imported_as_a_stream_with_the_same_result(source, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(exchange, "_CHUNK", chunk)
    _no_whole_file_reading(monkeypatch)
    assert_round_trip(source, tmp_path)


def test_the_stream_reads_an_export_with_a_byte_order_mark_and_escaped_text(document, tmp_path, monkeypatch):
    monkeypatch.setattr(exchange, "_CHUNK", 5)
    _no_whole_file_reading(monkeypatch)
    text = exchange.json.dumps(document, ensure_ascii=True, indent=1)
    source = tmp_path / "escaped.json"
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    target = tmp_path / "new.sqlite3"
    exchange.import_ledger(source, target)
    talk = sqlite3.connect(target).execute("SELECT topic FROM talk ORDER BY id").fetchone()[0]
    assert talk == document["tables"]["talk"][0]["topic"]


@pytest.mark.parametrize("chunk", [7, 1 << 22])
@pytest.mark.parametrize("change, path, says", [BAD[name] for name in ("bad date", "duplicate id", "same dues month",
                                                                      "missing person", "setting not JSON")])
def test_a_bad_value_found_by_the_stream_gets_the_whole_file_message(document, tmp_path, monkeypatch, chunk,
                                                                    change, path, says):
    monkeypatch.setattr(exchange, "_CHUNK", chunk)
    bad = copy.deepcopy(document)
    change(bad)
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    streamed = []
    real = exchange._stream_into
    monkeypatch.setattr(exchange, "_stream_into", lambda conn, src: streamed.append(src) or real(conn, src))
    with pytest.raises(ValidationError) as caught:
        exchange.import_ledger(source, tmp_path / "new.sqlite3")
    assert streamed == [source]  # the stream met the problem first, then the whole-file reading named it
    assert str(caught.value).startswith(path + "：") and says in str(caught.value)
    assert leftovers(tmp_path, "new") == []


def test_unknown_column_from_a_newer_program_asks_for_an_upgrade(document, tmp_path):
    document["schema_version"] = migrations.schema_version() + 1
    document["tables"]["talk"][0]["location"] = "会议室"
    source = tmp_path / "later.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        exchange.import_ledger(source, tmp_path / "new.sqlite3")
    assert str(caught.value).startswith("$.tables.talk[0].location：")
    assert f"数据版本 {migrations.schema_version() + 1}，本程序为数据版本 {migrations.schema_version()}" in str(caught.value)
    assert leftovers(tmp_path, "new") == []


def test_bad_json_names_line_and_column(document, tmp_path):
    text = json.dumps(document, ensure_ascii=False, indent=1).splitlines()
    text[4] = text[4] + ","  # a trailing comma at the end of line 5
    source = tmp_path / "bad.json"
    source.write_text("\n".join(text[:12]), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"^不是有效的 JSON：第 \d+ 行第 \d+ 列"):
        exchange.import_ledger(source, tmp_path / "new.sqlite3")
    source.write_text('{\n "format": "party-ledger",\n "format_version": 1,,\n}', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"^不是有效的 JSON：第 3 行第 22 列"):
        exchange.import_ledger(source, tmp_path / "new.sqlite3")
    assert leftovers(tmp_path, "new") == []


@pytest.mark.parametrize("raw, says", [
    (b'{"format": NaN}', "NaN"),
    (b'\xff\xfe{"format": 1}', "UTF-8"),
    (b"[1, 2]", "JSON 对象"),
])
def test_not_an_export_at_all(tmp_path, raw, says):
    source = tmp_path / "bad.json"
    source.write_bytes(raw)
    with pytest.raises(ValidationError, match=says):
        exchange.import_ledger(source, tmp_path / "new.sqlite3")
    assert leftovers(tmp_path, "new") == []


def test_lone_surrogate_is_refused(document, tmp_path):
    text = json.dumps(document, ensure_ascii=True, indent=1).replace("\\u8c08\\u5fc3", "\\ud800", 1)  # 谈心
    source = tmp_path / "bad.json"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=r"^\$\.tables\.talk\[0\]\.topic：含有无法保存的字符"):
        exchange.import_ledger(source, tmp_path / "new.sqlite3")
    assert leftovers(tmp_path, "new") == []


def test_missing_source_file(tmp_path):
    with pytest.raises(LedgerError, match="找不到文件"):
        exchange.import_ledger(tmp_path / "nowhere.json", tmp_path / "new.sqlite3")
    assert leftovers(tmp_path, "new") == []


def test_import_only_into_a_new_file(source, tmp_path):
    out = tmp_path / "out.json"
    export(source, out)
    before = source.read_bytes()
    with pytest.raises(LedgerError, match="只导入到新文件"):
        exchange.import_ledger(out, source)
    assert source.read_bytes() == before


def test_failed_write_leaves_nothing(document, tmp_path, monkeypatch):
    source = tmp_path / "good.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    talk = next(t for t in exchange.TABLES if t.name == "talk")
    real = exchange._Table.insert_sql
    monkeypatch.setattr(exchange._Table, "insert_sql",
                        lambda self: 'INSERT INTO "no_such_table" VALUES (?)' if self is talk else real(self))
    with pytest.raises(LedgerError, match="没有留下任何文件"):
        exchange.import_ledger(source, tmp_path / "new.sqlite3")
    assert leftovers(tmp_path, "new") == []


# --- what import accepts --------------------------------------------------------------------------

def test_columns_with_defaults_and_missing_tables_may_be_left_out(document, tmp_path):
    for row in document["tables"]["person"]:
        del row["note"], row["is_mobile"], row["sex"]
    del document["tables"]["talk"]
    source = tmp_path / "short.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "new.sqlite3"
    exchange.import_ledger(source, target)
    rows = dump(target)
    assert rows["talk"] == []
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT note, is_mobile, sex FROM person WHERE id = 1").fetchone() == ("", 0, None)
    conn.close()


def test_import_is_not_audited_and_keeps_the_open_ledger_bound(source, tmp_path):
    out = tmp_path / "out.json"
    export(source, out)
    with open_ledger(tmp_path / "open.sqlite3") as opened:  # say, the GUI's ledger
        target = tmp_path / "copy.sqlite3"
        exchange.import_ledger(out, target)
        assert Person._meta.database.obj is opened.db
        assert Branch.select().count() == 0
    assert dump(target)["audit_entry"] == dump(source)["audit_entry"]


# --- command line ------------------------------------------------------------------------------

def test_cli_export_then_import(source, tmp_path, capsys):
    out, target = tmp_path / "台账导出.json", tmp_path / "copy.sqlite3"
    assert main(["export", "--db", str(source), "--out", str(out)]) == 0
    assert "含个人信息" in capsys.readouterr().out
    assert main(["import", str(out), "--db", str(target)]) == 0
    assert "导入" in capsys.readouterr().out
    assert dump(target) == dump(source)


def test_cli_import_of_a_bad_file(document, tmp_path, capsys):
    document["tables"]["person"][1]["birth_date"] = "2001-02-30"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert main(["import", str(bad), "--db", str(tmp_path / "new.sqlite3")]) != 0
    assert "$.tables.person[1].birth_date：“2001-02-30”不是有效日期" in capsys.readouterr().err
    assert leftovers(tmp_path, "new") == []


def test_cli_import_onto_an_existing_ledger(source, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main(["export", "--db", str(source), "--out", str(out)]) == 0
    before = dump(source)
    assert main(["import", str(out), "--db", str(source)]) != 0
    assert "只导入到新文件" in capsys.readouterr().err
    assert dump(source) == before
