"""Search index v2: syllable-pair terms, title tier, filter tags and publication-time keys (see lib.search)."""

from django.db import migrations

from openpes.lib.search import rebuild_operations
from openpes.vacancies.search import vacancy_index


class Migration(migrations.Migration):
    dependencies = [("vacancies", "0003_public_search_index"), ("employers", "0001_initial")]
    operations = [rebuild_operations(vacancy_index)]
