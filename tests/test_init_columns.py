"""`sheetbill init DIR --vat / --einvoice`: the optional VAT and e-invoice columns,
with dropdowns, and the example services in their VAT categories."""

from __future__ import annotations

import openpyxl
import pytest

from sheetbill import cli

VAT_CLIENTS = ["Language", "VAT Category"]
EINVOICE_CLIENTS = ["E-Invoice", "Buyer Reference"]
VAT_SERVICES = ["VAT Category", "Exemption Reason", "Prices"]


def headers(ws) -> list[str]:
    return [c.value for c in ws[1]]


@pytest.mark.parametrize("flags, clients, services", [
    ([], [], []),
    (["--vat"], VAT_CLIENTS, VAT_SERVICES),
    (["--einvoice"], VAT_CLIENTS + EINVOICE_CLIENTS, VAT_SERVICES),
    (["--insurance", "--einvoice"], VAT_CLIENTS + EINVOICE_CLIENTS, VAT_SERVICES),
])
def test_init_adds_the_columns_asked_for(tmp_path, capsys, flags, clients, services):
    assert cli.main(["init", str(tmp_path / "p"), *flags]) == 0
    wb = openpyxl.load_workbook(tmp_path / "p" / "practice.xlsx")
    base = ["Client ID", "Name", "Email", "Address", "Discount", "Terms (days)", "Invoice Mode", "Tax ID",
            "Balance", "Credit"]
    assert [h for h in headers(wb["Clients"]) if h in base + clients] == base + clients
    assert [h for h in headers(wb["Services"])][7:] == (["Procedure Code", "Modifiers"] if "--insurance" in flags
                                                        else []) + services
    if "--insurance" in flags:
        assert "Insurer" in headers(wb["Clients"])


def test_the_example_services_come_in_their_vat_categories_and_check_passes_them(tmp_path, capsys):
    cli.main(["init", str(tmp_path / "p"), "--vat"])
    ws = openpyxl.load_workbook(tmp_path / "p" / "practice.xlsx")["Services"]
    h = headers(ws)
    rows = {r[0]: (r[h.index("VAT Category")], r[h.index("Exemption Reason")]) for r in ws.iter_rows(
        min_row=2, values_only=True)}
    assert rows == {"LD30": ("E", "VATEX-EU-132-1C"), "LD45": ("E", "VATEX-EU-132-1C"),
                    "LD60": ("E", "VATEX-EU-132-1C"), "BANDAGE": ("S", None), "GEL": ("S", None),
                    "NOSHOW": ("O", None)}
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"S,Z,E,AE,K,O"' in lists and '"net,gross"' in lists
    capsys.readouterr()
    cli.main(["check", "--offline", "--config", str(tmp_path / "p" / "sheetbill.yaml")])
    assert "VAT Category" not in capsys.readouterr().out
