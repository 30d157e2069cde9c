"""Disagreements between sources: each claim with who made it."""

from __future__ import annotations

from tracker_tui.domain.catalog.models import Dispute, Note, Person, Show, StatusReport

Claim = Person | StatusReport | Note


def claims_for(show: Show, dispute: Dispute) -> list[Claim]:
    """Every fact that is one side of `dispute`."""
    return [fact for dispute_id, fact in show.disputed_facts() if dispute_id == dispute.id]


def claim_text(fact: Claim) -> str:
    """One side of a disagreement in a sentence."""
    if isinstance(fact, Person):
        playing = f" as {fact.character}" if fact.character else ""
        return f"{fact.name} ({fact.role}){playing}"
    if isinstance(fact, StatusReport):
        return fact.detail
    return fact.text
