"""The community's pages, split by job: `forum` (front page, categories, topics), `posting` (writing, editing,
deleting, reactions, answers, attachments), `joining` (joining and the profile), `people` (the directory, member
pages, muting and blocking) and `groups`. community/urls.py routes to the modules directly."""
