"""shopops price quote --cart FILE --json: the published presale examples from the command line."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import run


def _cart(presale: dict) -> dict:
    return {
        "at": "2026-10-25T20:00:00+08:00",
        "lines": [{"line": "1", "sku": "P1", "shop": "S1", "price": "1000.00", "qty": 1}],
        "promotions": [{"id": "pre", "type": "presale", "skus": ["P1"], "deposit": "100.00", **presale}],
    }


# docs/rules/pricing.md#presale-deposit-and-balance
@pytest.mark.parametrize(
    ("presale", "balance"),
    [({"instant_off": "200.00"}, "700.00"),  # 定金立减: 1000 − 200 − 100
     ({"deposit_worth": "150.00"}, "850.00")],  # 定金膨胀: 1000 − 100 − (150 − 100)
)
def test_presale_balance(tmp_path, presale, balance):
    cart = tmp_path / "cart.json"
    cart.write_text(json.dumps(_cart(presale)))
    result = run("price", "quote", "--cart", str(cart), "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["presale"] == {"deposit": "100.00", "balance": balance}


def test_human_output_and_bad_input(tmp_path):
    cart = tmp_path / "cart.json"
    cart.write_text(json.dumps(_cart({"instant_off": "200.00"})))
    shown = run("price", "quote", "--cart", str(cart), data_dir=tmp_path)
    assert shown.returncode == 0 and "P1" in shown.stdout
    cart.write_text("{not json")
    assert run("price", "quote", "--cart", str(cart), data_dir=tmp_path).returncode == 2
    cart.write_text(json.dumps({"lines": [], "promotions": [{"id": "z", "type": "nope"}]}))
    bad = run("price", "quote", "--cart", str(cart), data_dir=tmp_path)
    assert bad.returncode == 2 and "promotions[0].type" in bad.stderr
