"""Reads that span relations, split by job: `members` (profiles, groups, blocks, the directory), `topics`
(categories, topic lists, posts) and `reading` (read positions and unread counts). Each selector owns its
select_related / prefetch_related, so a page's query count does not grow with its rows. Import the module you need;
this package re-exports nothing, so new modules (moderation, search) never edit this file."""
