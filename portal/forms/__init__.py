"""Forms of the portal's pages, one module per topic: ``report``, ``workplan``, ``payments``
and ``agreement`` (grantees), ``registration`` and ``applications`` (applicants), ``review``
(reviewers), ``accounts`` (everyone). Validation of the workflow rules lives in the services,
which the views call."""
