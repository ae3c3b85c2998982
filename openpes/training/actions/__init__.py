"""Training actions, split by part of the programme: `learning` (courses, tests), `events` (ToT, sessions,
webinars, attendance, trainer certification, evaluation) and `certificates` (issue, render, verify)."""
