"""Per-ledger settings: the local-practice parts of the rules, stored as JSON in ``setting``.

A setting that was never written has the default from the rules module that owns it.
"""

import json
from dataclasses import asdict, fields

from ..models import Setting
from ..rules.dues import DuesSettings
from . import audit, write


def get(key: str, default=None):
    row = Setting.get_or_none(Setting.key == key)
    return default if row is None else json.loads(row.value)


@write
def put(key: str, value) -> None:
    """Store one setting, audited."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        audit.record("insert", "setting", None, None, {"key": key, "value": text}, f"设置 {key}")
        Setting.create(key=key, value=text)
    elif row.value != text:
        audit.record("update", "setting", None, {"key": key, "value": row.value}, {"key": key, "value": text},
                     f"设置 {key}")
        Setting.update(value=text).where(Setting.key == key).execute()


def dues_settings() -> DuesSettings:
    """The dues rule settings of this ledger (defaults where never set)."""
    stored = get("dues", {}) or {}
    known = {f.name for f in fields(DuesSettings)}
    return DuesSettings(**{k: v for k, v in stored.items() if k in known})


def put_dues_settings(settings: DuesSettings) -> None:
    """Store the dues settings after checking them; nothing is written when one is wrong."""
    from ..errors import ValidationError
    from ..rules.dues import check_settings

    problems = check_settings(settings)
    if problems:
        raise ValidationError(problems[0].message, problems[0].field)
    put("dues", asdict(settings))


CALENDAR_KEY = "calendar"


def work_calendar():
    """The public holidays and 调休 workdays the clerk keeps, for counting a 公示's working days."""
    from datetime import date

    from ..rules.development import WorkCalendar

    stored = get(CALENDAR_KEY, {}) or {}

    def days(name):
        found = set()
        for text in stored.get(name, []) if isinstance(stored.get(name), list) else []:
            try:
                found.add(date.fromisoformat(str(text)))
            except ValueError:
                continue  # a hand-edited ledger: an unreadable day is skipped, verify names it
        return frozenset(found)

    return WorkCalendar(holidays=days("holidays"), workdays=days("workdays"))


def put_work_calendar(holidays, workdays) -> None:
    """Store the holidays and 调休 workdays; a day in both lists is refused, nothing is written."""
    from ..errors import ValidationError

    both = sorted(set(holidays) & set(workdays))
    if both:
        raise ValidationError(f"{both[0].isoformat()} 同时列为节假日和调休上班日，请只保留一个。", "holidays")
    put(CALENDAR_KEY, {"holidays": [d.isoformat() for d in sorted(set(holidays))],
                       "workdays": [d.isoformat() for d in sorted(set(workdays))]})


def parse_days(text: str, what: str, field: str) -> list:
    """Dates typed one per line (or separated by spaces, commas or 、) as YYYY-MM-DD; a clear error
    naming the first one that is not a date."""
    import re
    from datetime import date

    from ..errors import ValidationError

    days = []
    for piece in re.split(r"[\s,，、;；]+", text.strip()):
        if not piece:
            continue
        try:
            days.append(date.fromisoformat(piece))
        except ValueError:
            raise ValidationError(f"{what}中的“{piece}”不是日期，请写成 2026-10-01 这样的格式，每行一个。",
                                  field) from None
    return days


APPRAISAL_KEY = "appraisal"


def appraisal_settings():
    """The 民主评议 settings of this ledger (``rules.appraisal.AppraisalSettings``; defaults where never set)."""
    from ..rules.appraisal import AppraisalSettings

    stored = get(APPRAISAL_KEY, {}) or {}
    known = {f.name for f in fields(AppraisalSettings)}
    return AppraisalSettings(**{k: bool(v) for k, v in stored.items() if k in known})


def put_appraisal_settings(settings) -> None:
    """Store the 民主评议 settings, audited."""
    put(APPRAISAL_KEY, asdict(settings))
