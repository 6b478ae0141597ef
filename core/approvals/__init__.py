"""Approval chains over any object (module, kind, object_id): see ``service.py``."""
from .models import APPROVED, PENDING, REJECTED, ApprovalAction, ApprovalChain
from .service import (
    AlreadyActed, ApprovalError, ChainClosed, NotHolder, OutOfTurn, approve, awaiting, check_steps, get_chain,
    history, may_act, reject, return_to, start_chain, step_label,
)

__all__ = [
    "APPROVED", "PENDING", "REJECTED", "AlreadyActed", "ApprovalAction", "ApprovalChain", "ApprovalError", "ChainClosed",
    "NotHolder", "OutOfTurn", "approve", "awaiting", "check_steps", "get_chain", "history", "may_act", "reject", "return_to",
    "start_chain", "step_label",
]
