"""Writes of the secretariat's screens that read across the apps, one module per topic:

- ``imports``: past editions, organisations and initiatives imported from a spreadsheet;
- ``personal_data``: everything held about a person or an organisation, exported or erased;
- ``retention``: the retention schedule (declined applications anonymised, old drafts deleted).
"""
