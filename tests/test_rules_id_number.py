"""The GB 11643 ID number rule: check character, birth date and sex, normalisation, messages."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ledger_app.rules.id_number import IdFacts, check, check_character, normalise, parse

TODAY = date(2024, 6, 1)
GB_EXAMPLE = "11010519491231002X"  # the worked example of GB 11643-1999: a woman born 1949-12-31


def make_id(birth: date, sequence: int, area: str = "110105") -> str:
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


areas = st.integers(0, 999_999).map(lambda n: f"{n:06d}")
births = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))
sequences = st.integers(0, 999)
valid_numbers = st.builds(make_id, births, sequences, areas)


def test_the_gb_example_is_a_woman_born_on_31_december_1949():
    assert parse(GB_EXAMPLE) == (IdFacts(date(1949, 12, 31), "female"), None)
    assert check(GB_EXAMPLE, date(1949, 12, 31), "female", TODAY) == []


@given(births, sequences, areas)
def test_a_valid_number_gives_back_its_birth_date_and_sex(birth, sequence, area):
    facts, message = parse(make_id(birth, sequence, area))
    assert message is None
    assert facts == IdFacts(birth, "male" if sequence % 2 else "female")


@given(valid_numbers, st.integers(0, 16), st.integers(1, 9))
def test_changing_any_one_digit_makes_the_number_invalid(number, position, shift):
    digit = str((int(number[position]) + shift) % 10)
    changed = number[:position] + digit + number[position + 1:]
    facts, message = parse(changed)
    assert facts is None and message


@given(valid_numbers, st.sampled_from("0123456789X"))
def test_changing_the_check_character_makes_the_number_invalid(number, character):
    if character == number[17]:
        return
    facts, message = parse(number[:17] + character)
    assert facts is None
    assert f"最后一位应为 {number[17]}" in message


_FULL = dict(zip("0123456789X", "０１２３４５６７８９ｘ", strict=True))


@given(valid_numbers, st.lists(st.booleans(), min_size=18, max_size=18),
       st.lists(st.sampled_from(["", " ", "\u3000", "\t"]), min_size=19, max_size=19))
def test_normalise_accepts_full_width_digits_spaces_and_lower_case_x(number, full_width, gaps):
    written = "".join(gaps[i] + (_FULL[c] if full_width[i] else c.lower()) for i, c in enumerate(number)) + gaps[18]
    assert normalise(written) == number
    assert parse(normalise(written))[1] is None


def test_lower_case_x_is_accepted():
    assert check(GB_EXAMPLE.lower(), date(1949, 12, 31), "female", TODAY) == []


@given(st.text())
def test_arbitrary_text_never_raises(text):
    facts, message = parse(normalise(text))
    assert (facts is None) == (message is not None)
    problems = check(text, date(2000, 1, 1), "male", TODAY)
    assert all(problem.message for problem in problems)


@given(st.text(alphabet="0123456789Xx²³٣५０１ \u3000", min_size=16, max_size=20))
def test_digit_like_characters_never_raise(text):
    """str.isdigit accepts "²" and other scripts' digits; only ASCII digits make a valid number."""
    facts, _ = parse(normalise(text))
    if facts is not None:
        assert set(normalise(text)) <= set("0123456789X")


def test_superscript_and_foreign_digits_are_refused():
    for odd in ("²", "٣"):
        number = GB_EXAMPLE[:16] + odd + "X"
        assert parse(number) == (None, "身份证号前 17 位应为数字，最后一位为数字或 X。")


def test_wrong_lengths_say_how_long_the_number_is():
    assert parse(GB_EXAMPLE[:17])[1] == "身份证号应为 18 位，现为 17 位，请核对号码。"
    assert parse(GB_EXAMPLE + "1")[1] == "身份证号应为 18 位，现为 19 位，请核对号码。"
    assert parse("")[1] == "身份证号应为 18 位，现为 0 位，请核对号码。"
    assert check("110105", None, None, TODAY)[0].field == "id_number"


def test_a_letter_among_the_digits_is_refused():
    assert "应为数字" in parse("1101051949123100AX")[1]


def test_an_impossible_birth_date_is_named():
    first17 = "110105" + "19900230" + "123"  # 30 February
    facts, message = parse(first17 + check_character(first17))
    assert facts is None
    assert message == "身份证号第 7–14 位的出生日期 19900230 不是有效日期，请核对号码。"


def test_a_birth_date_in_the_future_is_a_problem():
    number = make_id(date(2030, 1, 1), 11)
    problems = check(number, None, None, TODAY)
    assert [p.field for p in problems] == ["id_number"]
    assert "2030-01-01 晚于今天" in problems[0].message


def test_a_different_stated_birth_date_is_a_problem_on_the_birth_date():
    problems = check(GB_EXAMPLE, date(1949, 12, 30), "female", TODAY)
    assert [p.field for p in problems] == ["birth_date"]
    assert "1949-12-30" in problems[0].message and "1949-12-31" in problems[0].message


def test_a_different_stated_sex_is_a_problem_on_the_sex():
    problems = check(GB_EXAMPLE, date(1949, 12, 31), "male", TODAY)
    assert [p.field for p in problems] == ["sex"]
    assert problems[0].message == "性别“男”与身份证号（第 17 位表示女）不一致，请核对性别或身份证号。"
    man = make_id(date(1980, 5, 6), 123)
    assert check(man, date(1980, 5, 6), "female", TODAY)[0].message.startswith("性别“女”")


def test_an_unknown_sex_code_is_left_to_the_enumeration_check():
    assert check(GB_EXAMPLE, None, "unknown", TODAY) == []


def test_both_mismatches_are_reported_together():
    problems = check(GB_EXAMPLE, date(1950, 1, 1), "male", TODAY)
    assert {p.field for p in problems} == {"birth_date", "sex"}
