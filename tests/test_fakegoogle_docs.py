"""Docs v1 on the fake: document structure, indices, and the template flow."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError

from tests.fakegoogle import FakeGoogle, extract_text, seed
from tests.fakegoogle.docmodel import DocError, Document, Paragraph, Table

pytest_plugins = ["tests.conftest_google"]


def _texts(document: dict[str, Any]) -> list[str]:
    out = []
    for element in document["body"]["content"]:
        if "paragraph" in element:
            out.append("".join(e["textRun"]["content"] for e in element["paragraph"]["elements"]))
        elif "table" in element:
            for row in element["table"]["tableRows"]:
                cells = []
                for cell in row["tableCells"]:
                    cells.append("".join(e["textRun"]["content"] for p in cell["content"] for e in p["paragraph"]["elements"]))
                out.append("|".join(cells))
    return out


def test_create_and_get_have_googles_structure(fake_docs: Any) -> None:
    created = fake_docs.documents().create(body={"title": "Template"}).execute()
    assert created["title"] == "Template"
    content = created["body"]["content"]
    assert content[0] == {
        "endIndex": 1,
        "sectionBreak": {"sectionStyle": {"columnSeparatorStyle": "NONE", "contentDirection": "LEFT_TO_RIGHT", "sectionType": "CONTINUOUS"}},
    }
    assert content[1]["startIndex"] == 1 and content[1]["endIndex"] == 2
    assert content[1]["paragraph"]["elements"][0]["textRun"]["content"] == "\n"
    for key in ("documentId", "revisionId", "documentStyle", "namedStyles", "suggestionsViewMode"):
        assert key in created


def test_table_indices(fake_docs: Any, fake_google: FakeGoogle) -> None:
    document = seed.document(fake_google.state, "T", ["Hi", [["a", "bc"], ["d", "e"]]])
    got = fake_docs.documents().get(documentId=document.id).execute()
    paragraph, table = got["body"]["content"][1:3]
    assert (paragraph["startIndex"], paragraph["endIndex"]) == (1, 4)
    assert table["startIndex"] == 4
    rows = table["table"]["tableRows"]
    assert table["table"]["rows"] == 2 and table["table"]["columns"] == 2
    first_cell = rows[0]["tableCells"][0]
    assert (rows[0]["startIndex"], first_cell["startIndex"], first_cell["content"][0]["startIndex"]) == (5, 6, 7)
    assert first_cell["endIndex"] == 9 and rows[0]["tableCells"][1]["endIndex"] == 13
    assert table["endIndex"] == rows[-1]["endIndex"] + 1
    assert got["body"]["content"][3]["startIndex"] == table["endIndex"]


def test_batch_update_edits(fake_docs: Any, fake_google: FakeGoogle) -> None:
    document = seed.document(fake_google.state, "T", ["Invoice {{number}} for {{client}}", [["Item", "Amount"], ["{{item}}", "{{amount}}"]], "Due {{due}}"])
    table_start = fake_docs.documents().get(documentId=document.id).execute()["body"]["content"][2]["startIndex"]
    replies = fake_docs.documents().batchUpdate(
        documentId=document.id,
        body={
            "requests": [
                {"insertTableRow": {"tableCellLocation": {"tableStartLocation": {"index": table_start}, "rowIndex": 1}, "insertBelow": True}},
                {"deleteTableRow": {"tableCellLocation": {"tableStartLocation": {"index": table_start}, "rowIndex": 0}}},
                {"replaceAllText": {"containsText": {"text": "{{NUMBER}}", "matchCase": False}, "replaceText": "INV-0001"}},
                {"replaceAllText": {"containsText": {"text": "{{missing}}", "matchCase": True}, "replaceText": "x"}},
                {"insertText": {"location": {"index": 1}, "text": "Practice Lind\n"}},
                {"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 9}}},
                {"insertText": {"endOfSegmentLocation": {}, "text": "!"}},
            ]
        },
    ).execute()
    assert replies["replies"][2] == {"replaceAllText": {"occurrencesChanged": 1}}
    assert replies["replies"][3] == {"replaceAllText": {}}
    assert replies["replies"][0] == {} and replies["documentId"] == document.id
    texts = _texts(fake_docs.documents().get(documentId=document.id).execute())
    assert texts == [" Lind\n", "Invoice INV-0001 for {{client}}\n", "{{item}}\n|{{amount}}\n", "\n|\n", "Due {{due}}!\n"]


def test_batch_update_is_atomic_and_reports_googles_errors(fake_docs: Any, fake_google: FakeGoogle) -> None:
    document = seed.document(fake_google.state, "T", ["Hello {{name}}"])
    before = fake_docs.documents().get(documentId=document.id).execute()
    with pytest.raises(HttpError) as caught:
        fake_docs.documents().batchUpdate(
            documentId=document.id,
            body={"requests": [{"replaceAllText": {"containsText": {"text": "{{name}}"}, "replaceText": "Anna"}}, {"insertText": {"location": {"index": 500}, "text": "x"}}]},
        ).execute()
    assert caught.value.resp.status == 400
    assert "Invalid requests[1].insertText: Index 500 must be less than the end index of the referenced segment" in str(caught.value)
    assert fake_docs.documents().get(documentId=document.id).execute() == before
    with pytest.raises(HttpError):
        fake_docs.documents().batchUpdate(documentId=document.id, body={"requests": [{"deleteContentRange": {"range": {"startIndex": 1, "endIndex": 16}}}]}).execute()


def test_template_copy_fill_and_export(fake_docs: Any, fake_drive: Any, fake_google: FakeGoogle) -> None:
    template = seed.document(fake_google.state, "Invoice template", ["Invoice {{number}}", "Client: {{client}}", "Total: {{total}}"])
    copy = fake_drive.files().copy(fileId=template.id, body={"name": "INV-2024-0001"}).execute()
    values = {"{{number}}": "INV-2024-0001", "{{client}}": "Anna Meier", "{{total}}": "95,20 €"}
    requests = [{"replaceAllText": {"containsText": {"text": k, "matchCase": True}, "replaceText": v}} for k, v in values.items()]
    fake_docs.documents().batchUpdate(documentId=copy["id"], body={"requests": requests}).execute()
    text = extract_text(fake_drive.files().export(fileId=copy["id"], mimeType="application/pdf").execute())
    assert text.splitlines() == ["Invoice INV-2024-0001", "Client: Anna Meier", "Total: 95,20 €"]
    untouched = extract_text(fake_drive.files().export(fileId=template.id, mimeType="application/pdf").execute())
    assert "{{number}}" in untouched


def test_unknown_document(fake_docs: Any) -> None:
    with pytest.raises(HttpError) as caught:
        fake_docs.documents().get(documentId="nope").execute()
    assert caught.value.resp.status == 404


@pytest.mark.parametrize(
    "start,end,lines",
    [
        (3, 16, ["HeAfter", "End"]),
        (7, 16, ["Hello", "After", "End"]),
        (10, 11, ["Hello", " | b", "After", "End"]),
        (21, 22, ["Hello", "a | b", "AfterEnd"]),
        (3, 8, "Invalid deletion range"),
        (6, 7, "Invalid deletion range"),
        (22, 26, "newline character at the end of the segment"),
    ],
)
def test_delete_content_range_rules(start: int, end: int, lines: list[str] | str) -> None:
    document = Document("d", "t", [Paragraph.of("Hello"), Table.of([["a", "b"]]), Paragraph.of("After"), Paragraph.of("End")])
    if isinstance(lines, str):
        with pytest.raises(DocError, match=lines):
            document.delete_range(start, end)
    else:
        document.delete_range(start, end)
        assert document.plain_lines() == lines
