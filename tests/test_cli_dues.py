"""`party-ledger dues standard`: the standard and band printed, bad input refused with exit 2."""

import json

import pytest

from ledger_app.cli import main


def test_prints_standard_and_band(capsys, ledger_path):
    assert main(["dues", "standard", "--category", "in_service", "--base", "5100", "--db", str(ledger_path)]) == 0
    out = capsys.readouterr().out
    assert "76.50" in out and "1.5%" in out


def test_json_output(capsys, ledger_path):
    assert main(["dues", "standard", "--category", "retired", "--base", "4800", "--json", "--db", str(ledger_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["standard_fen"] == 2400 and data["base_fen"] == 480000


@pytest.mark.parametrize(("base", "message"), [("-5", "不能为负数"), ("", "不能为空"), ("abc", "不是有效的金额")])
def test_bad_base_refused(capsys, ledger_path, base, message):
    assert main(["dues", "standard", "--category", "in_service", "--base", base, "--db", str(ledger_path)]) == 2
    err = capsys.readouterr().err
    assert "党费基数" in err and message in err
    assert not ledger_path.exists()


def test_unknown_category_refused(capsys, ledger_path):
    with pytest.raises(SystemExit) as info:
        main(["dues", "standard", "--category", "soldier", "--base", "5", "--db", str(ledger_path)])
    assert info.value.code == 2
    assert "soldier" in capsys.readouterr().err


def test_uses_the_ledgers_rounding_setting(capsys, ledger):
    from ledger_app.rules.dues import DuesSettings
    from ledger_app.services.settings import dues_settings, put_dues_settings

    put_dues_settings(DuesSettings(rounding="yuan_up"))
    assert dues_settings().rounding == "yuan_up"
    ledger.close()
    assert main(["dues", "standard", "--category", "in_service", "--base", "3333.33", "--db", str(ledger.path)]) == 0
    assert "34.00" in capsys.readouterr().out
