"""The only code that knows the dossier contract (../shared/contract/dossier.schema.json, version 1).

``to_dossier(story)`` turns the internal model into the contract's plain dict;
properties beyond the contract are additions, never renames.
"""
from __future__ import annotations

import json

from .. import __version__
from ..model import Story

SCHEMA_VERSION = "1"


def document_entry(story: Story, art) -> dict:
    st = story.stances.get(art.id)
    stance = {"label": "neutral", "confidence": 0.0, "evidence": []}
    if st is not None:
        stance = {
            "label": st.label,
            "confidence": round(float(st.confidence), 4),
            "evidence": [
                {"text": e.text, "start": e.start, "end": e.end, "label": e.label, "score": round(float(e.score), 4),
                 "voice": e.voice}
                for e in st.evidence
            ],
        }
    return {
        "id": art.id, "title": art.title, "source": art.source, "url": art.url, "site": art.site,
        "author": art.author, "published": art.published, "text": art.text,
        "word_count": len(art.text.split()), "stance": stance, "copy_of": art.copy_of,
    }


def to_dossier(story: Story, models: dict[str, str] | None = None) -> dict:
    claim = story.claim
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "counterpoint", "version": __version__, "models": dict(models or {})},
        "story": {
            "id": story.id,
            "title": story.title,
            "claim": {
                "text": claim.text if claim else "",
                "origin": claim.origin if claim else "auto",
                "alternatives": list(claim.alternatives) if claim else [],
            },
        },
        "documents": [document_entry(story, a) for a in story.articles],
        "cast": [
            {"id": c.id, "name": c.name, "kind": c.kind, "aliases": list(c.aliases),
             "mentions": [{"doc": m.doc, "count": m.count} for m in c.mentions],
             "variants": [{"spelling": s, "doc": d} for s, d in c.variants]}
            for c in story.cast
        ],
        "quotes": [
            {"id": q.id, "doc": q.doc, "text": q.text, "start": q.start, "end": q.end, "speaker": q.speaker,
             "speaker_name": q.speaker_name, "kind": q.kind, "cue": q.cue}
            for q in story.quotes
        ],
        "timeline": [
            {"id": e.id, "type": e.type, "summary": e.summary, "participants": list(e.participants),
             "date": {"value": e.date.value, "end": e.date.end, "precision": e.date.precision, "text": e.date.text},
             "scheduled": e.scheduled,
             "sources": [{"doc": s.doc, "start": s.start, "end": s.end, "date_value": s.date_value,
                          "text": s.text, "date_text": s.date_text,
                          "trigger_start": s.trigger_start, "trigger_end": s.trigger_end} for s in e.sources]}
            for e in story.events
        ],
        "arguments": [
            {"id": k.id, "side": k.side, "key_point": k.key_point, "documents": list(k.documents),
             "prevalence": k.prevalence,
             "support": [{"doc": s.doc, "start": s.start, "end": s.end, "text": s.text} for s in k.support]}
            for k in story.arguments
        ],
        "checks": [
            {"kind": c.kind, "message": c.message, "docs": list(c.docs), "refs": list(c.refs)}
            for c in story.checks
        ],
        "skipped": [{"source": s.source, "code": s.code, "detail": s.detail} for s in story.skipped],
    }


def dumps(dossier: dict) -> str:
    return json.dumps(dossier, ensure_ascii=False, indent=2) + "\n"
