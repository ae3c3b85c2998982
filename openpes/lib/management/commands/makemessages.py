"""`makemessages` without fuzzy matching: a new string must get its own Khmer translation, never a guess
copied from a similar-looking string (which would reach users as wrong text)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
