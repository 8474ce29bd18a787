"""Every write in the champions network, split by job: people (records, status, a champion's own details),
invitations, the programme (cohorts, sessions, attendance, notes, shared resources), the confidential support log,
and local work (plans, ratings, training delivered). Each function is keyword-only and typed, and its docstring says
the rule it keeps, its side effects and what it raises."""
