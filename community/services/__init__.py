"""Writes, split by job: `membership` (joining, profiles, leaving), `posting` (topics, replies, edits, deletions,
accepted answers), `mentions`, `reactions`, `reading` (the one write a GET may make), `groups` and `blocks`.
Each function is keyword-only and typed, wraps its writes in transaction.atomic, and keeps the counters on the rows
it changes. This package re-exports nothing, so new modules (moderation, watching) never edit this file."""
