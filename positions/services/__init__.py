"""Every write to the domain: statements (review decisions, edits, the proposal link, hand
entries, splits, undo), the outlet an article names, and the metadata editors correct on
articles. Drafts from extraction are written by the adapter ``articles.drafts``; proposals
and their clauses by ``positions.proposal_services``.

- ``statements``: a statement's own fields, approve, reject, edit (optimistic: the version
  the caller read is compared under a row lock; history records each save)
- ``review``: restore, undo, bulk decisions, merge, hand entries, evidence, splits
- ``articles``: outlets and article metadata
"""

from positions.services.articles import (
    ArticleConflict,
    ArticleMetadata,
    MetadataUpdate,
    article_seen,
    article_update_metadata,
    outlet_for,
)
from positions.services.review import (
    RESTORED_FIELDS,
    SplitPart,
    UndoResult,
    person_learn,
    statement_add_evidence,
    statement_create,
    statement_merge,
    statement_restore,
    statement_split_parts,
    statements_bulk_review,
    statements_redate,
    statements_undo,
)
from positions.services.statements import (
    EDITOR_LINK,
    LINK_CORRECTIONS,
    ProposalLink,
    StatementChanges,
    StatementConflict,
    statement_approve,
    statement_link_new_proposal,
    statement_reject,
    statement_update,
    summary_following,
)

__all__ = [
    "EDITOR_LINK",
    "LINK_CORRECTIONS",
    "RESTORED_FIELDS",
    "ArticleConflict",
    "ArticleMetadata",
    "MetadataUpdate",
    "ProposalLink",
    "SplitPart",
    "StatementChanges",
    "StatementConflict",
    "UndoResult",
    "article_seen",
    "article_update_metadata",
    "outlet_for",
    "person_learn",
    "statement_add_evidence",
    "statement_approve",
    "statement_create",
    "statement_link_new_proposal",
    "statement_merge",
    "statement_reject",
    "statement_restore",
    "statement_split_parts",
    "statement_update",
    "statements_bulk_review",
    "statements_redate",
    "statements_undo",
    "summary_following",
]
