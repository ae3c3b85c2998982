"""ISCO-08 coding of free-text job titles in English and Khmer, offline.

* `text`    — normalisation and features (no Django);
* `model`   — the coder: build, suggest, save and load (no Django);
* `sources` — training data from plain records: ESCO, ISCO-08 titles, our lexicons (no Django);
* `service` — the coder inside the app: built from the database, kept under VAR_DIR, confirmed codes applied.

Call `openpes.taxonomy.coder.service.suggest(title, description, sector)` from app code; record what people
confirm with `openpes.taxonomy.actions.confirm_isco_code(...)`.
"""
