"""Display and exchange of the annotation: highlighted HTML, doccano JSONL and brat standoff.

Export to a real annotation tool, let people correct the entities there, import the corrected layer
back, and re-run the notebooks on it (``entities_from_doccano`` / ``entities_from_brat`` return a
table shaped like ``entities.csv``).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from zhnews.io import write_text_atomic
from zhnews.pinyin import Html

#: Colour per entity type (Okabe–Ito, lightened for backgrounds) and for formulations.
COLOURS = {"PER": "#F5C396", "LOC": "#A6D8F0", "ORG": "#B3E0C8", "DOC": "#E9C0DA", "EVENT": "#F7E48C", "DATE": "#D3D3D3"}
FORMULATION_STYLE = "border-bottom:2px solid #D55E00;font-weight:600"


def legend_html() -> str:
    """The legend of :func:`highlight_html`: one swatch per entity type and the formulation style."""
    swatches = "".join(
        f'<span style="background:{colour};padding:1px 6px;margin-right:6px;border-radius:3px">{type_}</span>'
        for type_, colour in COLOURS.items()
    )
    return f'<p style="font-size:0.9em">{swatches}<span style="{FORMULATION_STYLE}">提法 formulation</span></p>'


def highlight_html(raw: str, entities: pd.DataFrame, formulations: list[tuple[int, int]] = (),
                   paragraphs: pd.DataFrame | None = None) -> Html:
    """The article as HTML with entities on coloured backgrounds (type in the tooltip) and numbered
    formulations underlined; one ``<p>`` per paragraph (boilerplate left out). Deterministic."""
    entity_at = [None] * len(raw)
    for start, end, type_ in sorted(zip(entities["start"], entities["end"], entities["type"]), key=lambda r: (r[0], -r[1])):
        for k in range(start, end):
            if entity_at[k] is None:
                entity_at[k] = (start, type_)
    formulation_at = [False] * len(raw)
    for start, end in formulations:
        for k in range(start, end):
            formulation_at[k] = True
    if paragraphs is None:
        spans = [(0, len(raw))]
    else:
        spans = [(s, e) for s, e, r in zip(paragraphs["start"], paragraphs["end"], paragraphs["role"]) if r != "boilerplate"]
    blocks = []
    for p_start, p_end in spans:
        parts, k = [], p_start
        while k < p_end:
            key = (entity_at[k], formulation_at[k])
            j = k
            while j < p_end and (entity_at[j], formulation_at[j]) == key:
                j += 1
            text = html.escape(raw[k:j])
            entity, formulation = key
            if formulation:
                text = f'<span style="{FORMULATION_STYLE}">{text}</span>'
            if entity:
                text = f'<span title="{entity[1]}" style="background:{COLOURS[entity[1]]};border-radius:3px">{text}</span>'
            parts.append(text)
            k = j
        blocks.append("<p>" + "".join(parts) + "</p>")
    return Html(legend_html() + '<div class="zhnews-highlight" style="line-height:1.9">' + "".join(blocks) + "</div>")


# ---------------------------------------------------------------------------------------------
# doccano (sequence labelling, JSONL) and brat (standoff)


def to_doccano(raw: str, entities: pd.DataFrame, document_id: str = "article") -> str:
    """One JSONL line in doccano's sequence-labelling format: ``{"id", "text", "label": [[start, end, type], …]}``."""
    labels = [[int(s), int(e), t] for s, e, t in zip(entities["start"], entities["end"], entities["type"])]
    return json.dumps({"id": document_id, "text": raw, "label": labels}, ensure_ascii=False) + "\n"


def entities_from_doccano(jsonl: str) -> tuple[str, pd.DataFrame]:
    """(text, entities table) from a doccano JSONL export (``label`` or ``entities`` key, first document)."""
    record = json.loads(jsonl.splitlines()[0])
    text = record["text"]
    labels = record.get("label") or [[e["start_offset"], e["end_offset"], e["label"]] for e in record.get("entities", [])]
    rows = [{"start": s, "end": e, "surface": text[s:e], "type": t} for s, e, t in sorted(labels)]
    return text, pd.DataFrame(rows, columns=["start", "end", "surface", "type"])


def to_brat(raw: str, entities: pd.DataFrame) -> str:
    """The ``.ann`` file of brat standoff: ``T1<TAB>TYPE start end<TAB>surface`` per entity."""
    lines = [f"T{k}\t{t} {s} {e}\t{raw[s:e]}" for k, (s, e, t) in
             enumerate(zip(entities["start"], entities["end"], entities["type"]), start=1)]
    return "\n".join(lines) + "\n"


def entities_from_brat(raw: str, ann: str) -> pd.DataFrame:
    """Entities from a brat ``.ann`` text (text-bound annotations ``T…``; discontinuous spans refused)."""
    rows = []
    for line in ann.splitlines():
        if not line.startswith("T"):
            continue
        _, spec, surface = line.split("\t")
        type_, *offsets = spec.split(" ")
        if ";" in " ".join(offsets):
            raise ValueError(f"discontinuous brat span not supported: {line!r}")
        start, end = int(offsets[0]), int(offsets[1])
        if raw[start:end] != surface:
            raise ValueError(f"brat span {start}-{end} is {raw[start:end]!r}, the file says {surface!r}")
        rows.append({"start": start, "end": end, "surface": surface, "type": type_})
    return pd.DataFrame(rows, columns=["start", "end", "surface", "type"]).sort_values(["start", "end"], ignore_index=True)


def export_brat(raw: str, entities: pd.DataFrame, folder: str | Path, name: str = "article") -> list[Path]:
    """Write ``<name>.txt`` (the raw text) and ``<name>.ann`` into ``folder`` for brat."""
    folder = Path(folder)
    return [write_text_atomic(folder / f"{name}.txt", raw), write_text_atomic(folder / f"{name}.ann", to_brat(raw, entities))]
