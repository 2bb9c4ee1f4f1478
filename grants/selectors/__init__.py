"""Reads of the grants app that join several tables, one module per topic: ``public`` (the
public site's), ``disclosure`` (what the public may know of an at-risk recipient),
``applications`` (scoped to the applicant or the reviewer), ``ranking`` (the panel's scores),
``editions`` (what stops an edition's step), ``agreements`` (the versions of a grant
agreement)."""
